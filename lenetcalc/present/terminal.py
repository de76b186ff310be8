"""Neutral tables laid out for a terminal, as Rich text (styles, NO_COLOR, width).

Only the terminal format imports Rich: JSON, CSV, Markdown and LaTeX never load it.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from .escape import pad, visible, width
from .tables import Table

_GAP = "   "  # between columns
_INDENT = "  "


def to_rich(table: Table, width: int | None = None) -> RenderableType:
    """The table laid out in aligned columns, as Rich text (styles, NO_COLOR, wrapping).

    When `width` is given and the table is wider, columns are hidden by their `hide_rank`
    (numbers are never wrapped) and a note says which. The layout is computed here rather
    than by Rich's Table, which costs about a millisecond a row on deep networks.
    """
    keep = list(range(len(table.columns)))
    hidden: list[str] = []
    widths = _widths(table)
    for i in sorted(keep, key=lambda i: -table.columns[i].hide_rank):
        if width is None or _total_width(widths, keep) <= width or not table.columns[i].hide_rank:
            break
        keep.remove(i)
        hidden.insert(0, table.columns[i].header)
    lines = [Text(visible(table.title)), Text("")] if table.title else []
    lines += _header(table, keep, widths)
    rule = "─" * (_total_width(widths, keep) - 1)
    lines.append(Text(" " + rule))
    flagged: dict[int, set[int]] = {}
    for r, i in table.flagged:
        flagged.setdefault(r, set()).add(i)
    fits = width is not None and _total_width(widths, keep) <= width
    for r, row in enumerate(table.rows):
        lines.append(_line(table, keep, widths, row, flagged.get(r, set()), fits=fits))
    if table.total:
        lines += [Text(""), _line(table, keep, widths, table.total, set(), "bold")]
    lines.append(Text(""))
    lines += [Text(visible(note)) for note in table.notes]
    if hidden:
        lines.append(Text(f"Hidden to fit the terminal: {', '.join(hidden)} (widen it or use"
                          " --format markdown)."))  # fmt: skip
    return Group(*lines)


def _widths(table: Table) -> list[int]:
    """Each column's width in terminal cells: its widest cell or header line."""
    rows = [*table.rows, *((table.total,) if table.total else ())]
    return [
        max(width(visible(text)) for text in (col.group, col.header, *(row[i] for row in rows)))
        for i, col in enumerate(table.columns)
    ]


def _total_width(widths: list[int], keep: list[int]) -> int:
    return len(_INDENT) + sum(widths[i] for i in keep) + len(_GAP) * (len(keep) - 1) + 1


def _cell(text: str, columns: int, numeric: bool) -> str:
    return pad(visible(text), columns, right=numeric)


def _header(table: Table, keep: list[int], widths: list[int]) -> list[Text]:
    """One header line, or two when columns are grouped (group above header)."""
    cols = [(widths[i], table.columns[i]) for i in keep]
    lines = []
    if any(col.group for _, col in cols):
        groups = (_cell(col.group, w, col.numeric) for w, col in cols)
        lines.append(Text((_INDENT + _GAP.join(groups)).rstrip()))
    headers = (_cell(col.header, w, col.numeric) for w, col in cols)
    lines.append(Text((_INDENT + _GAP.join(headers)).rstrip(), style="bold"))
    return lines


def _line(
    table: Table, keep: list[int], widths: list[int], cells: tuple[str, ...],
    flagged: set[int], style: str = "", fits: bool = False,
) -> Text:  # fmt: skip
    """One row as one Text: built as a string, then styled by span (a Text.append per cell
    cost 0.9 s on 10,000 rows). A row known to fit is not run through Rich's wrapping."""
    parts = [_cell(cells[i], widths[i], table.columns[i].numeric) for i in keep]
    text = (_INDENT + _GAP.join(parts)).rstrip()
    line = Text(text, style=style, no_wrap=(fits and text.isascii()) or None)
    start = len(_INDENT)
    for n, i in enumerate(keep):
        if i in flagged:
            line.stylize("bold red", start, start + len(parts[n]))
        start += len(parts[n]) + len(_GAP)
    return line
