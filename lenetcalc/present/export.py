"""Paper-ready text for one or more reports: Markdown, CSV, JSON or LaTeX."""

from __future__ import annotations

import json

from ..report.analysis import Report
from ..report.memory import Memory
from . import render, tables
from .jsonout import report_to_dict

EXPORT_FORMATS = ("markdown", "csv", "json", "latex")


def export_text(analyses: list[tuple[Report, Memory]], fmt: str, separators: bool = True) -> str:
    """Each report's per-layer table with totals, in one document of format `fmt`."""
    if fmt == "json":
        networks = [report_to_dict(r, m) for r, m in analyses]
        return json.dumps({"networks": networks}, indent=2) + "\n"
    if fmt == "csv":
        named = [(r.name, tables.summary_table(r, m, separators=False)) for r, m in analyses]
        return render.to_csv(tables.stacked(named))
    one = render.to_latex if fmt == "latex" else render.to_markdown
    return "\n".join(one(tables.summary_table(r, m, separators)) for r, m in analyses)
