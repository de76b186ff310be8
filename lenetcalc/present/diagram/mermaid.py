"""A Mermaid flowchart of a network, for Markdown that GitHub renders as a picture."""

from __future__ import annotations

from ...report.analysis import Report, fold
from ...spec.network import Network
from ..escape import visible
from . import grid
from .nodes import edges, nodes

_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._@:-+/,()")


def _escape(text: str) -> str:
    """Label text with control characters shown as escapes (`\\x1b`, as everywhere else:
    an entity code would have Mermaid draw the real ESC or RLO), then everything but plain
    characters as Mermaid entity codes (#35;)."""
    return "".join(c if c in _SAFE else f"#{ord(c)};" for c in visible(text))


def flowchart(report: Report, network: Network) -> str:
    """A top-to-bottom flowchart: one node per row of `report`, edges from the spec's inputs."""
    lines = ["flowchart TB"]
    for i, node in enumerate(nodes(report, network)):
        kind = " ".join(p for p in (node.kind, node.settings) if p) if node.record else ""
        text = "<br/>".join(_escape(p) for p in (node.name, kind, node.shape) if p)
        left, right = ("([", "])") if node.merge else ("[", "]")
        lines.append(f'    n{i}{left}"{text}"{right}')
    lines += [f"    n{a} --> n{b}" for a, b in edges(report, network)]
    return "\n".join(lines) + "\n"


def markdown_block(report: Report, network: Network) -> str:
    """The flowchart fenced for Markdown."""
    return f"```mermaid\n{flowchart(report, network)}```\n"


def markdown_section(report: Report, network: Network, depth: int | None = None) -> str:
    """For `export --diagram`: the flowchart (one node per block at `depth`), then each
    connection table as Table I."""
    shown = fold(report, depth) if depth else report
    parts = [f"### {report.name}: graph\n", markdown_block(shown, network)]
    by_name = {r.name: r for r in report.layers}
    for layer in network.layers:
        table = getattr(layer, "connection_table", None)
        if table:
            r = by_name[layer.name]
            lines = grid.to_text(table, r.input_shape[0], layer.name, ", ".join(r.inputs))
            parts.append(f"{layer.name} connection table:\n\n```text\n" + "\n".join(lines))
            parts.append("```\n")
    return "\n".join(parts)
