"""The profile style: per-layer parameters and MACs as horizontal bars on a log scale."""

from __future__ import annotations

import math

from ..tables import fmt_int
from .geometry import Box, Figure, Shape, Text, rect, text_width
from .nodes import Node

_PREFIXES = ("", "k", "M", "G", "T", "P", "E")


def tick_label(power: int) -> str:
    """10**power, short: 1, 10, 100, 1k, 10k, ..., 1G."""
    return f"{10 ** (power % 3)}{_PREFIXES[power // 3]}" if power < 21 else f"1e{power}"


def _length(value: int, decades: int, span: float) -> float:
    """Bar length for `value` on a log axis from 1 to 10**decades (0 draws nothing)."""
    return span * math.log10(value) / decades if value >= 1 else 0.0


def layout(nodes: list[Node], title: str, f: float) -> Figure:
    """One row per layer: its name, then a params bar and a MACs bar with their values."""
    rows = [n for n in nodes if n.record is not None]
    figures = [(n.record.params, n.record.macs) for n in rows if n.record]
    top = max(max(p, m) for p, m in figures) if figures else 1
    decades = max(1, math.ceil(math.log10(max(top, 10))))
    names = max(text_width(n.name, f) for n in rows) + f
    span = 40 * f
    bar = 0.9 * f
    fig = Figure(0, 0, title)
    fig.texts.append(Text(title, 0, 0, f, bold=True))
    _legend(fig, names, 1.5 * f, f)
    y0 = 4.2 * f
    _axis(fig, names, y0, y0 + len(rows) * (2 * bar + 0.8 * f), decades, span, f)
    for i, (node, (params, macs)) in enumerate(zip(rows, figures, strict=True)):
        y = y0 + i * (2 * bar + 0.8 * f)
        fig.texts.append(
            Text(node.name, names - text_width(node.name, f) - 0.5 * f, y + bar + 0.35 * f, f)
        )
        for k, (value, role) in enumerate(((params, "params"), (macs, "macs"))):
            length = _length(value, decades, span)
            box = Box(names, y + k * bar, max(length, 0.01), bar)
            if length:
                fig.shapes.append(rect(box, role))
            fig.texts.append(
                Text(
                    fmt_int(value), names + length + 0.4 * f, box.y + 0.72 * bar, 0.75 * f, "muted"
                )
            )
        fig.nodes.append(Box(names, y, span, 2 * bar))
    return fig.framed(f)


def _legend(fig: Figure, x: float, y: float, f: float) -> None:
    for k, (role, label) in enumerate((("params", "params"), ("macs", "MACs"))):
        left = x + k * 9 * f
        fig.shapes.append(rect(Box(left, y - 0.8 * f, 0.9 * f, 0.9 * f), role))
        fig.texts.append(Text(label, left + 1.3 * f, y, f))
    scale = "log scale; value printed after each bar"
    fig.texts.append(Text(scale, x + 18 * f, y, 0.85 * f, "muted"))


def _axis(
    fig: Figure, x: float, top: float, bottom: float, decades: int, span: float, f: float
) -> None:
    """Decade grid lines with labels above the first row."""
    step = 1 if decades <= 12 else 2
    for p in range(0, decades + 1, step):
        gx = x + span * p / decades
        fig.shapes.append(Shape("polyline", ((gx, top - 0.4 * f), (gx, bottom)), "axis"))
        label = tick_label(p)
        fig.texts.append(
            Text(label, gx - text_width(label, 0.75 * f) / 2, top - 0.8 * f, 0.75 * f, "muted")
        )
