"""The layered-graph style: one box per layer (or block), top to bottom, edges as in the spec.

grandalf's Sugiyama layout ranks the nodes, orders each rank to reduce crossings, places
them and routes long edges through its dummy vertices; this module only sizes the boxes
and turns its coordinates into shapes and text.
"""

from __future__ import annotations

from dataclasses import dataclass

from grandalf.graphs import Edge, Graph, Vertex
from grandalf.layouts import SugiyamaLayout
from grandalf.routing import EdgeViewer

from ...layers.conv import Conv2d
from . import tablefig
from .geometry import Box, Figure, Point, Text, arrow, centered, rect, text_width
from .nodes import Node


@dataclass
class _View:
    """The size grandalf reads, and the centre it writes back."""

    w: float
    h: float
    xy: tuple[float, float] = (0.0, 0.0)


def _lines(node: Node) -> list[str]:
    kind = " ".join(p for p in (node.kind, node.settings) if p) if node.record else ""
    return [p for p in (node.name, kind, node.shape, node.figure) if p]


def _place(views: list[_View], pairs: list[tuple[int, int]], f: float) -> list[list[Point]]:
    """Run the Sugiyama layout; returns each edge's route (boxes centred in `views`)."""
    vertices = [Vertex(i) for i in range(len(views))]
    for v, view in zip(vertices, views, strict=True):
        v.view = view
    edges = [Edge(vertices[a], vertices[b]) for a, b in pairs]
    for e in edges:
        e.view = EdgeViewer()
    graph = Graph(vertices, edges)
    for component in graph.C:
        sugiyama = SugiyamaLayout(component)
        sugiyama.xspace, sugiyama.yspace = 2.5 * f, 2.2 * f
        sugiyama.route_edge = _route_by_ports
        first = min(v.data for v in component.sV)  # the input, or a component's first layer
        sugiyama.init_all(roots=[v for v in component.sV if v.data == first])
        sugiyama.draw(3)
    half = _rank_halves(views)
    routes = [_through_ranks([(float(x), float(y)) for x, y in e.view._pts], half) for e in edges]
    _spread_ports(routes, pairs, views, f)
    return routes


def _spread_ports(
    routes: list[list[Point]], pairs: list[tuple[int, int]], views: list[_View], f: float
) -> None:
    """Edges that share a box end side by side along its edge, in the order of where they
    come from (or go), so a merge shows each of its inputs rather than one stacked arrow."""
    for end in (0, -1):  # tails along bottoms, heads along tops
        at: dict[int, list[list[Point]]] = {}
        for route, pair in zip(routes, pairs, strict=True):
            at.setdefault(pair[0 if end == 0 else 1], []).append(route)
        for box, shared in at.items():
            if len(shared) < 2:
                continue
            shared.sort(key=lambda route: route[1 if end == 0 else -2][0])
            view = views[box]
            step = min(0.8 * view.w / (len(shared) - 1), 1.2 * f)
            for k, route in enumerate(shared):
                x = view.xy[0] + (k - (len(shared) - 1) / 2) * step
                route[end] = (x, route[end][1])


def _rank_halves(views: list[_View]) -> dict[float, float]:
    """Half the tallest box's height in each rank, by the rank's centre y (rounded)."""
    half: dict[float, float] = {}
    for view in views:  # the boxes of a rank share their centre's y
        y = round(view.xy[1], 6)
        half[y] = max(half.get(y, 0.0), view.h / 2)
    return half


def _through_ranks(route: list[Point], half: dict[float, float]) -> list[Point]:
    """A long edge runs straight down through each rank it crosses, in the slot its dummy
    vertex holds there, and turns only between ranks: a diagonal through a rank would
    clip the corners of the boxes beside it."""
    inner = [
        point
        for x, y in route[1:-1]
        for point in ((x, y - half.get(round(y, 6), 0.0)), (x, y + half.get(round(y, 6), 0.0)))
    ]
    return [route[0], *inner, route[-1]]


def _route_by_ports(edge: Edge, points: list[tuple[float, float]]) -> None:
    """An edge leaves the middle of its box's bottom and enters the middle of the next
    box's top. (grandalf's default meets a box's border on the way to its centre: on a wide
    rank that is the box's side, and the edge runs across its neighbours' titles.)"""
    tail, head = edge.v[0].view, edge.v[1].view
    points[0] = (tail.xy[0], tail.xy[1] + tail.h / 2)
    points[-1] = (head.xy[0], head.xy[1] - head.h / 2)


def layout(nodes: list[Node], pairs: list[tuple[int, int]], title: str, f: float) -> Figure:
    """Boxes sized to their text, placed by grandalf, with arrows along the routes."""
    texts = [_lines(n) for n in nodes]
    pad = 0.7 * f
    views = [
        _View(max(text_width(t, f) for t in lines) + 2 * pad, len(lines) * 1.3 * f + pad)
        for lines in texts
    ]
    routes = _place(views, pairs, f)
    fig = Figure(0, 0, title)
    left = min(v.xy[0] - v.w / 2 for v in views)
    fig.texts.append(
        Text(title, left, min(v.xy[1] - v.h / 2 for v in views) - 1.5 * f, f, bold=True)
    )
    for node, lines, view in zip(nodes, texts, views, strict=True):
        box = Box(view.xy[0] - view.w / 2, view.xy[1] - view.h / 2, view.w, view.h)
        fig.shapes.append(rect(box, "merge" if node.merge else "node"))
        fig.nodes.append(box)
        for k, line in enumerate(lines):
            y = box.y + pad / 2 + (k + 0.8) * 1.3 * f
            fig.texts.append(
                centered(line, view.xy[0], y, f, "muted" if k == 1 else "text", k == 0)
            )
    for route in routes:
        fig.shapes += arrow(route, head=0.5 * f)
    _tables(fig, nodes, views, f)
    return fig.framed(f)


def _tables(fig: Figure, nodes: list[Node], views: list[_View], f: float) -> None:
    """Each connection table as Table I, right of the whole graph, level with its node."""
    left = max(v.xy[0] + v.w / 2 for v in views) + 2 * f
    for i, node in enumerate(nodes):
        layer, record = node.layer, node.record
        if isinstance(layer, Conv2d) and layer.connection_table and record:
            top = views[i].xy[1] - views[i].h / 2 - f
            source = ", ".join(record.inputs)
            tablefig.draw(
                fig,
                layer.connection_table,
                record.input_shape[0],
                (node.name, source),
                (left, top),
                f,
            )
