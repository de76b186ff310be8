"""The LeNet-5 figure style: each output a stack of maps in perspective, left to right.

As in Figure 2 of LeCun et al. (1998): labels above (`C1: feature maps`, `6@28x28`), the
kind of connection below each gap (convolutions, subsampling, full connection, Gaussian
connections), and a connection table drawn as Table I under its layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ...layers import Layer
from ...layers.conv import Conv2d
from . import tablefig
from .geometry import Box, Figure, Point, Shape, Text, arrow, centered, rect, text_width
from .nodes import Node

_CAPTIONS = {
    "conv2d": "convolutions",
    "subsample": "subsampling",
    "dense": "full connection",
    "rbf": "Gaussian connections",
    "batchnorm": "batch norm",
    "add": "add",
    "concat": "concat",
    "dropout": "dropout",
    "flatten": "flatten",
}
MAX_SHEETS = 12


@dataclass
class _Slot:
    """One node's stack, labels and the caption of the connection that makes it."""

    node: Node
    face: tuple[float, float]  # front sheet width, height
    sheets: int
    vector: bool
    labels: list[str]
    caption: list[str]
    continued: bool = False  # first of a row after a wrap: its link comes from the left
    width: float = 0.0  # of the widest label
    x: float = 0.0  # centre of the slot once placed
    stack: Box = field(default_factory=lambda: Box(0, 0, 0, 0))

    def front(self) -> Box:
        """The front sheet (the one links attach to)."""
        return Box(self.stack.x, self.stack.bottom - self.face[1], *self.face)


def caption(node: Node) -> list[str]:
    """The connection that produces this node, a word per line."""
    text = _CAPTIONS.get(node.kind, node.kind)
    if node.kind == "pool":
        text = node.settings.split(" ")[0] + " pooling"
    elif node.kind == "activation":
        text = node.settings
    return text.split(" ")


def _slots(nodes: list[Node], f: float) -> list[_Slot]:
    dims = [n.dims for n in nodes]
    maps = [d[1] for d in dims if len(d) == 3 and d[1] * d[2] > 1]
    units = [d[0] for d in dims if len(d) == 1 or d[1] * d[2] == 1]
    slots = []
    for node, d in zip(nodes, dims, strict=True):
        vector = len(d) == 1 or d[1] * d[2] == 1
        if vector:
            face = (0.9 * f, _scale(d[0], max(units), 2.5 * f, 10 * f, log=True))
            sheets = 1
        else:
            side = _scale(d[1], max(maps), 1.2 * f, 10 * f, log=max(maps) > 16 * min(maps))
            face = (side * d[2] / d[1], side)
            sheets = min(d[0], MAX_SHEETS)
        desc = "layer" if vector else "feature maps"
        first = node.name.upper() if node.record is None else f"{node.name}: {desc}"
        labels = [first, node.shape] + ([node.figure] if node.figure else [])
        slots.append(_Slot(node, face, sheets, vector, labels, caption(node)))
    return slots


def _scale(v: int, top: int, low: float, high: float, log: bool) -> float:
    """A size for value v: linear up to `high` at `top`, or logarithmic when sizes span decades."""
    if log:
        return low + (high - low) * math.log(v + 1) / math.log(top + 1)
    return max(low, high * v / top)


def _stack_size(slot: _Slot, f: float) -> tuple[float, float]:
    o = 0.45 * f * (slot.sheets - 1)
    return (slot.face[0] + o, slot.face[1] + o)


def _rows(slots: list[_Slot], f: float, wrap: float) -> list[list[_Slot]]:
    """Slots into rows no wider than `wrap`.

    Neighbouring stacks are a caption's width apart; labels may reach over the gap but
    keep a space of one character size between them.
    """
    rows: list[list[_Slot]] = [[]]
    prev: _Slot | None = None
    for slot in slots:
        stack_w = _stack_size(slot, f)[0]
        label_w = max(text_width(t, f) for t in slot.labels)
        cx = max(stack_w, label_w) / 2
        if prev is not None:
            p_stack, p_label = _stack_size(prev, f)[0], prev.width
            cx = prev.x + max(
                p_stack / 2 + _gap(slot, f) + stack_w / 2, p_label / 2 + f + label_w / 2
            )
            if cx + max(stack_w, label_w) / 2 > wrap:
                # A new row starts with room for the arrow and caption that lead in.
                rows.append([])
                cx = max(label_w / 2, _gap(slot, f) + stack_w / 2)
                slot.continued = True
        slot.x, slot.width = cx, label_w
        rows[-1].append(slot)
        prev = slot
    return rows


def _gap(slot: _Slot, f: float) -> float:
    return max(4 * f, max(text_width(w, 0.85 * f) for w in slot.caption) + 1.5 * f)


def layout(nodes: list[Node], title: str, f: float, layers: dict[str, Layer]) -> Figure:
    """The whole figure: title, then rows of stacks."""
    slots = _slots(nodes, f)
    fig = Figure(0, 0, title)
    fig.texts.append(Text(title, 0, 0, f, bold=True))
    y = 0.8 * f
    rows = _rows(slots, f, wrap=100 * f)
    for k, row in enumerate(rows):
        y = _place_row(fig, row, y, f, layers) + 1.5 * f
        if k + 1 < len(rows):  # the row goes on below: an arrow off its right end
            last = row[-1].front()
            mid = last.y + last.h / 2
            right = row[-1].stack.right
            fig.shapes += arrow([(right + 0.5 * f, mid), (right + 3 * f, mid)], head=0.5 * f)
    return fig.framed(f)


def _place_row(
    fig: Figure, row: list[_Slot], top: float, f: float, layers: dict[str, Layer]
) -> float:
    """Draw one row below `top`; returns the y of its bottom."""
    band = max(len(s.labels) for s in row) * 1.3 * f
    tallest = max(_stack_size(s, f)[1] for s in row)
    mid = top + band + 0.8 * f + tallest / 2
    for i, slot in enumerate(row):
        cx = slot.x
        w, h = _stack_size(slot, f)
        slot.stack = Box(cx - w / 2, mid - h / 2, w, h)
        for k, line in enumerate(slot.labels):
            fig.texts.append(centered(line, cx, top + (k + 1) * 1.3 * f, f, bold=k == 0))
        _draw_stack(fig, slot, f)
        if i:
            _draw_link(fig, row[i - 1], slot, f, mid + tallest / 2 + 1.2 * f)
        elif slot.continued:
            _lead_in(fig, slot, f, mid + tallest / 2 + 1.2 * f)
    bottom = mid + tallest / 2 + 1.2 * f + max(len(s.caption) for s in row) * 1.1 * f
    for i, slot in enumerate(row):
        layer = layers.get(slot.node.name)
        if isinstance(layer, Conv2d) and layer.connection_table and i:
            src = row[i - 1]
            names = (slot.node.name, src.node.name)
            corner = (src.stack.x, bottom + f)
            bottom = tablefig.draw(fig, layer.connection_table, src.node.dims[0], names, corner, f)
    return bottom


def _draw_stack(fig: Figure, slot: _Slot, f: float) -> None:
    o = 0.45 * f
    role = "vector" if slot.vector else "map"
    for k in reversed(range(slot.sheets)):
        box = Box(slot.stack.x + k * o, slot.stack.bottom - slot.face[1] - k * o, *slot.face)
        fig.shapes.append(rect(box, role))
    fig.nodes.append(slot.stack)


def _draw_link(fig: Figure, src: _Slot, dst: _Slot, f: float, caption_y: float) -> None:
    """Lines from a kernel-sized patch (or the whole source) to a point on the target."""
    a, b = src.front(), dst.front()
    target: Point = (b.x + b.w * 0.45, b.y + b.h * 0.5)
    kernel = getattr(dst.node.layer, "kernel", None)
    if kernel and not src.vector:
        side = max(0.3 * f, a.h * kernel[0] / src.node.dims[1])
        patch = Box(a.x + a.w * 0.55 - side / 2, a.y + a.h * 0.5 - side / 2, side, side)
        fig.shapes.append(rect(patch, "kernel"))
        corners = [(patch.right, patch.y), (patch.right, patch.bottom)]
    else:
        corners = [(a.right, a.y), (a.right, a.bottom)]
    fig.shapes += [Shape("polyline", (c, target), "edge") for c in corners]
    cx = (src.stack.right + dst.stack.x) / 2
    for k, word in enumerate(dst.caption):
        fig.texts.append(centered(word, cx, caption_y + k * 1.1 * f, 0.85 * f, "muted"))


def _lead_in(fig: Figure, slot: _Slot, f: float, caption_y: float) -> None:
    """The arrow and caption into the first stack of a continued row."""
    front = slot.front()
    mid = front.y + front.h / 2
    gap = _gap(slot, f)
    fig.shapes += arrow([(front.x - gap + 0.5 * f, mid), (front.x, mid)], head=0.5 * f)
    for k, word in enumerate(slot.caption):
        cx = front.x - gap / 2
        fig.texts.append(centered(word, cx, caption_y + k * 1.1 * f, 0.85 * f, "muted"))
