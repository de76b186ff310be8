"""The layout data every style produces: boxes, text runs and shapes in one figure.

Coordinates are SVG user units, origin at the top left, y pointing down. Text is set in a
monospace face, so its width is known without a font: the layout can check overlaps on
its own data, and the SVG, PNG and PDF writers only draw what it decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Advance of one monospace character in ems (DejaVu Sans Mono 0.602, Courier 0.6),
# rounded up so that a label never runs past the box measured for it.
CHAR_EM = 0.61
ASCENT = 0.8  # of the font size, above the baseline
DESCENT = 0.25  # below it

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: top-left corner, width and height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """x of the right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """y of the bottom edge."""
        return self.y + self.h

    def overlaps(self, other: Box) -> bool:
        """Whether the interiors intersect (touching edges do not count)."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def inside(self, other: Box) -> bool:
        """Whether this box lies within `other`."""
        return (
            self.x >= other.x
            and self.y >= other.y
            and self.right <= other.right
            and self.bottom <= other.bottom
        )


def text_width(text: str, size: float) -> float:
    """Width of a monospace text run."""
    return len(text) * CHAR_EM * size


@dataclass(frozen=True)
class Text:
    """A run of text: `x` its left end, `y` its baseline."""

    text: str
    x: float
    y: float
    size: float
    role: str = "text"
    bold: bool = False

    @property
    def box(self) -> Box:
        """The ink box the layout reserves for it."""
        top = self.y - ASCENT * self.size
        return Box(self.x, top, text_width(self.text, self.size), (ASCENT + DESCENT) * self.size)


def centered(
    text: str, cx: float, baseline: float, size: float, role: str = "text", bold: bool = False
) -> Text:
    """A text run centred on `cx`."""
    return Text(text, cx - text_width(text, size) / 2, baseline, size, role, bold)


@dataclass(frozen=True)
class Shape:
    """A filled or stroked primitive; `role` picks its colours from the theme.

    kind "rect": points are the top-left and bottom-right corners; "polygon" is closed;
    "polyline" is open (edges, strokes).
    """

    kind: str
    points: tuple[Point, ...]
    role: str


def rect(box: Box, role: str) -> Shape:
    """A rectangle shape over `box`."""
    return Shape("rect", ((box.x, box.y), (box.right, box.bottom)), role)


def arrow(points: list[Point], role: str = "edge", head: float = 6.0) -> list[Shape]:
    """A polyline with a filled arrowhead at its last point."""
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1e-9)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    base = (x1 - ux * head, y1 - uy * head)
    left = (base[0] - uy * head / 2, base[1] + ux * head / 2)
    right = (base[0] + uy * head / 2, base[1] - ux * head / 2)
    line = Shape("polyline", (*points[:-1], base), role)
    return [line, Shape("polygon", ((x1, y1), left, right), role + "-head")]


@dataclass
class Figure:
    """A whole drawing: its size, what to draw, and the boxes that must not overlap."""

    width: float
    height: float
    title: str
    shapes: list[Shape] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    # Node boxes (graph nodes, map stacks, bars' rows): pairwise disjoint by construction.
    nodes: list[Box] = field(default_factory=list)

    def extent(self) -> Box:
        """The box holding every shape and text run."""
        xs = [p[0] for s in self.shapes for p in s.points]
        ys = [p[1] for s in self.shapes for p in s.points]
        for t in self.texts:
            xs += [t.box.x, t.box.right]
            ys += [t.box.y, t.box.bottom]
        return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))

    def shifted(self, dx: float, dy: float) -> Figure:
        """The same figure moved by (dx, dy), its size unchanged."""
        shapes = [
            Shape(s.kind, tuple((x + dx, y + dy) for x, y in s.points), s.role) for s in self.shapes
        ]
        texts = [Text(t.text, t.x + dx, t.y + dy, t.size, t.role, t.bold) for t in self.texts]
        nodes = [Box(b.x + dx, b.y + dy, b.w, b.h) for b in self.nodes]
        return Figure(self.width, self.height, self.title, shapes, texts, nodes)

    def framed(self, margin: float) -> Figure:
        """Moved so its content starts at `margin`, sized to hold it with that margin."""
        box = self.extent()
        moved = self.shifted(margin - box.x, margin - box.y)
        moved.width, moved.height = box.w + 2 * margin, box.h + 2 * margin
        return moved
