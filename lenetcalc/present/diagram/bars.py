"""`summary --bars`: a column of in-terminal bars, each layer's share of params or MACs."""

from __future__ import annotations

from ...report.analysis import Report
from ..tables import Column, Table

CELLS = 16  # a 100% bar fills this many terminal cells
_EIGHTHS = " ▏▎▍▌▋▊▉"
FIGURES = {"params": "params", "macs": "MACs"}


def bar(share: float) -> str:
    """A bar `share` of CELLS long, to an eighth of a cell."""
    full, part = divmod(round(share * CELLS * 8), 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def with_bars(table: Table, report: Report, figure: str) -> Table:
    """`table` (one row per row of `report`) with a last column: bar and percent share."""
    values = [r.params if figure == "params" else r.macs for r in report.layers]
    whole = sum(values) or 1  # a network with no MACs gets empty bars, not a division error
    cells = [f"{bar(v / whole):<{CELLS}} {100 * v / whole:5.1f}%" for v in values]
    rows = tuple((*row, cell) for row, cell in zip(table.rows, cells, strict=True))
    total = (*table.total, "") if table.total else None
    column = Column(f"Share of {FIGURES[figure]}")
    return Table(table.title, (*table.columns, column), rows, total, table.notes, table.flagged)
