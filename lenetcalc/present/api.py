"""Presentation for the Python API: a report as Markdown, with or without memory."""

from __future__ import annotations

from ..report.analysis import Report
from ..report.memory import Memory
from .render import to_markdown
from .summary import View, keys_for, layers_table, totals_table


def report_markdown(report: Report, memory: Memory | None = None) -> str:
    """The per-layer table and totals block in Markdown; sizes only given `memory`."""
    view = View()
    if memory is None:  # no estimate, so no memory column
        view = View(columns=tuple(k for k in keys_for(report, view) if k != "activation_bytes"))
    tables = (layers_table(report, memory, view), totals_table(report, memory, view))
    return "\n".join(to_markdown(t) for t in tables)
