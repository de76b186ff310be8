"""Figure -> SVG text with drawsvg: shapes and text as laid out, colours from a theme.

Attributes are written inline (no stylesheet, no markers, no external references), so
the file is self-contained and reads the same in browsers, resvg and fpdf2.
"""

from __future__ import annotations

import drawsvg as dw

from .geometry import Figure, Shape, Text

FONT = "DejaVu Sans Mono, Menlo, Consolas, Liberation Mono, monospace"

# role -> (fill, stroke); "none" leaves that part undrawn.
THEMES: dict[str, dict[str, tuple[str, str]]] = {
    "light": {
        "background": ("#ffffff", "none"),
        "text": ("#1b1f24", "none"),
        "muted": ("#57606a", "none"),
        "node": ("#f3f6fb", "#44546f"),
        "merge": ("#fff1d6", "#9a6700"),
        "map": ("#dbe6f7", "#44546f"),
        "vector": ("#e7e1f5", "#5b4b8a"),
        "kernel": ("#f6c177", "#9a6700"),
        "edge": ("none", "#6e7781"),
        "edge-head": ("#6e7781", "none"),
        "cell": ("#ffffff", "#d0d7de"),
        "mark": ("none", "#1b1f24"),
        "axis": ("none", "#afb8c1"),
        "params": ("#4c78a8", "none"),
        "macs": ("#f58518", "none"),
    },
    "dark": {
        "background": ("#0d1117", "none"),
        "text": ("#e6edf3", "none"),
        "muted": ("#9da7b3", "none"),
        "node": ("#161b22", "#8b9bb4"),
        "merge": ("#2d2213", "#d29922"),
        "map": ("#1f2d44", "#8b9bb4"),
        "vector": ("#2a2340", "#a595d6"),
        "kernel": ("#d29922", "#f0c36a"),
        "edge": ("none", "#8b949e"),
        "edge-head": ("#8b949e", "none"),
        "cell": ("#0d1117", "#30363d"),
        "mark": ("none", "#e6edf3"),
        "axis": ("none", "#484f58"),
        "params": ("#6e9fd8", "none"),
        "macs": ("#f0a050", "none"),
    },
}


def _shape(s: Shape, colours: dict[str, tuple[str, str]]) -> dw.DrawingElement:
    fill, stroke = colours[s.role]
    style = {"fill": fill, "stroke": stroke, "stroke_width": 1 if stroke != "none" else 0}
    if s.kind == "rect":
        (x0, y0), (x1, y1) = s.points
        return dw.Rectangle(x0, y0, x1 - x0, y1 - y0, **style)
    flat = [round(c, 2) for p in s.points for c in p]
    if s.kind == "polygon":
        return dw.Lines(*flat, close=True, **style)
    return dw.Lines(*flat, close=False, fill="none", stroke=stroke, stroke_width=1.2)


def _text(t: Text, colours: dict[str, tuple[str, str]]) -> dw.DrawingElement:
    # Control characters cannot appear in XML; spec names are shown, never interpreted.
    clean = "".join(c if c.isprintable() else "?" for c in t.text)
    weight = {"font_weight": "bold"} if t.bold else {}
    return dw.Text(
        clean,
        t.size,
        round(t.x, 2),
        round(t.y, 2),
        fill=colours[t.role][0],
        font_family=FONT,
        **weight,
    )


def to_svg(fig: Figure, theme: str = "light", width: float | None = None) -> str:
    """The figure as a standalone SVG document; `width` scales it (the viewBox stays)."""
    colours = THEMES[theme]
    d = dw.Drawing(round(fig.width, 2), round(fig.height, 2), origin=(0, 0))
    if width:
        d.set_render_size(w=width, h=round(width * fig.height / fig.width, 2))
    d.append(dw.Title(fig.title))
    d.append(
        dw.Rectangle(0, 0, round(fig.width, 2), round(fig.height, 2), fill=colours["background"][0])
    )
    for shape in fig.shapes:
        d.append(_shape(shape, colours))
    for text in fig.texts:
        d.append(_text(text, colours))
    return str(d.as_svg())


def render_size(fig: Figure, width: float | None) -> tuple[int, int]:
    """The pixel size a PNG of the figure gets: its SVG width and height, rounded."""
    if not width:
        return (round(fig.width), round(fig.height))
    return (round(width), round(width * fig.height / fig.width))
