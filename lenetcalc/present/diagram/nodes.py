"""What a diagram shows of each row of a report: its name, kind, settings, edges.

Shared by every style and by Mermaid, so that all of them label a layer the same way.
Settings are spec values read off the network's layers; figures come from the Report.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...layers import Layer
from ...layers.base import Windowed
from ...report.analysis import LayerRecord, Report
from ...spec.network import Network
from ..tables import fmt_int, fmt_shape

INPUT = "input"
LABELS = ("shape", "params", "macs")


@dataclass(frozen=True)
class Node:
    """One row of the (possibly folded) report as the diagrams show it."""

    name: str
    kind: str  # the layer type, or "N layers" for a folded block
    settings: str  # "5x5 s2 p1", "max 3x3 s2", "relu", "" ...
    shape: str
    dims: tuple[int, ...]  # the output shape as numbers, for sizing the drawing
    figure: str  # the --label line: "1,516 params", "150,000 MACs" or ""
    merge: bool
    record: LayerRecord | None  # None for the network input
    layer: Layer | None  # the spec's layer when the row is one layer


def _pair(p: tuple[int, int]) -> str:
    return str(p[0]) if p[0] == p[1] else f"{p[0]}x{p[1]}"


def settings(layer: Layer | None) -> str:
    """The key settings of a layer, short: "max 3x3 s2 p1", "5x5 g32", "relu"."""
    if layer is None:
        return ""
    mode = getattr(layer, "mode", "")
    if getattr(layer, "global_pool", False):
        return f"global {mode}"
    parts = [str(mode)] if mode else []
    if isinstance(layer, Windowed):
        parts.append(f"{layer.kernel[0]}x{layer.kernel[1]}")
        if layer.stride != (1, 1):
            parts.append(f"s{_pair(layer.stride)}")
        if isinstance(layer.padding, str):
            parts.append(layer.padding)
        elif any(layer.padding):
            parts.append(f"p{_pair(layer.padding)}")
    if getattr(layer, "groups", 1) != 1:
        parts.append(f"g{getattr(layer, 'groups', 1)}")
    function = getattr(layer, "function", "")
    return " ".join([*parts, function] if function else parts)


def figure_line(record: LayerRecord, label: str) -> str:
    """The optional figure line of a node, by --label."""
    if label == "params":
        return f"{fmt_int(record.params)} params"
    if label == "macs":
        return f"{fmt_int(record.macs)} MACs"
    return ""


def nodes(report: Report, network: Network, label: str = "shape") -> list[Node]:
    """The input, then one node per row of `report` (folded rows have no single layer)."""
    layers = {layer.name: layer for layer in network.layers}
    out = [
        Node(
            INPUT,
            "input",
            "",
            fmt_shape(report.input_shape),
            report.input_shape,
            "",
            False,
            None,
            None,
        )
    ]
    for r in report.layers:
        layer = layers.get(r.name)
        out.append(
            Node(
                r.name,
                r.type,
                settings(layer),
                fmt_shape(r.output_shape),
                r.output_shape,
                figure_line(r, label),
                r.type in ("add", "concat"),
                r,
                layer,
            )
        )
    return out


def edges(report: Report, network: Network) -> list[tuple[int, int]]:
    """(producer, consumer) node indices, each layer's inputs mapped onto folded rows.

    Row i+1 of the node list is report row i; node 0 is the input.
    """
    owner = {INPUT: 0}
    rows = iter(enumerate(report.layers, start=1))
    index, row = next(rows)
    for layer in network.layers:
        while layer.name != row.name and not layer.name.startswith(row.name + "."):
            index, row = next(rows)
        owner[layer.name] = index
    found: list[tuple[int, int]] = []
    for i, layer in enumerate(network.layers):
        consumer = owner[layer.name]
        for j in network.producers(i):
            producer = owner[network.layers[j].name] if j >= 0 else 0
            if producer != consumer and (producer, consumer) not in found:
                found.append((producer, consumer))
    return found


def is_chain(edge_list: list[tuple[int, int]], count: int) -> bool:
    """Whether the nodes form one chain: node i feeds exactly node i + 1."""
    return sorted(edge_list) == [(i, i + 1) for i in range(count - 1)]
