"""A connection table drawn as LeNet-5's Table I: a grid of cells with X marks, then groups."""

from __future__ import annotations

import math

from . import grid
from .geometry import Box, Figure, Point, Shape, Text, centered, rect, text_width


def draw(
    fig: Figure,
    table: grid.ConnectionTable,
    n_in: int,
    names: tuple[str, str],
    corner: Point,
    f: float,
) -> float:
    """Input maps as rows, output maps as columns, from `corner`; returns the bottom y.

    `names` are the layer's and its source's, for the heading and the group lines.
    """
    name, source = names
    left, top = corner
    cell, small = 0.95 * f, 0.65 * f
    heading = f"{name} connection table: rows {source} maps, columns {name} maps"
    fig.texts.append(Text(heading, left, top + f, 0.85 * f, "muted"))
    x0 = left + 2.2 * small
    y0 = top + 1.6 * f + 1.2 * small
    step = max(1, math.ceil(text_width(str(len(table)), small) / cell))
    for out in range(0, len(table), step):
        fig.texts.append(
            centered(str(out), x0 + (out + 0.5) * cell, y0 - 0.3 * small, small, "muted")
        )
    for m, row in enumerate(grid.marks(table, n_in)):
        y = y0 + m * cell
        fig.texts.append(Text(str(m), left, y + 0.75 * cell, small, "muted"))
        for out, mark in enumerate(row):
            box = Box(x0 + out * cell, y, cell, cell)
            fig.shapes.append(rect(box, "cell"))
            if mark:
                fig.shapes += _cross(box, 0.25 * cell)
    y = y0 + n_in * cell + 0.4 * f
    for g in grid.groups(table, n_in):
        y += 1.1 * f
        fig.texts.append(Text(grid.describe(name, g), left, y, 0.85 * f, "muted"))
    return y + 0.5 * f


def _cross(box: Box, inset: float) -> list[Shape]:
    a = (box.x + inset, box.y + inset)
    b = (box.right - inset, box.bottom - inset)
    c = (box.x + inset, box.bottom - inset)
    d = (box.right - inset, box.y + inset)
    return [Shape("polyline", (a, b), "mark"), Shape("polyline", (c, d), "mark")]
