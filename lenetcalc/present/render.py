"""Neutral tables to Rich renderables, Markdown and CSV text. Renderers never compute."""

from __future__ import annotations

import csv
import io

from rich.console import Group, RenderableType
from rich.text import Text

from .escape import latex, latex_comment, markdown, pad, visible, width
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
    for r, row in enumerate(table.rows):
        lines.append(_line(table, keep, widths, row, flagged.get(r, set())))
    if table.total:
        lines += [Text(""), _line(table, keep, widths, table.total, set(), "bold")]
    lines.append(Text(""))
    lines += [Text(visible(note)) for note in table.notes]
    if hidden:
        lines.append(Text(f"Hidden to fit the terminal: {', '.join(hidden)} (widen it or use"
                          " --format markdown)."))  # fmt: skip
    return Group(*lines)


def _widths(table: Table) -> list[int]:
    """Each column's width: its widest cell or header line."""
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
    flagged: set[int], style: str = "",
) -> Text:  # fmt: skip
    line = Text(_INDENT, style=style)
    for n, i in enumerate(keep):
        if n:
            line.append(_GAP)
        cell = _cell(cells[i], widths[i], table.columns[i].numeric)
        line.append(cell, style="bold red" if i in flagged else style)
    line.rstrip()
    return line


def to_markdown(table: Table) -> str:
    """A GitHub-flavoured Markdown table, columns padded to line up, notes below."""
    rows = [tuple(markdown(c) for c in row) for row in table.rows]
    rows += [tuple(_bold(markdown(c)) for c in table.total)] if table.total else []
    headers = [markdown(c.title) for c in table.columns]
    widths = [max(width(x) for x in col) for col in zip(headers, *rows, strict=True)]
    widths = [max(w, 3) for w in widths]

    def line(cells: list[str] | tuple[str, ...]) -> str:
        padded = (
            pad(cell, w, right=col.numeric)
            for cell, w, col in zip(cells, widths, table.columns, strict=True)
        )
        return "| " + " | ".join(padded) + " |"

    rule = (
        "| "
        + " | ".join(
            "-" * (w - 1) + ":" if c.numeric else "-" * w
            for w, c in zip(widths, table.columns, strict=True)
        )
        + " |"
    )
    body = [f"### {markdown(table.title)}", "", line(headers), rule, *(line(r) for r in rows)]
    if table.notes:
        body += ["", *(f"- {markdown(note)}" for note in table.notes)]
    return "\n".join(body) + "\n"


def _bold(cell: str) -> str:
    return f"**{cell}**" if cell else cell


def to_csv(table: Table) -> str:
    """CSV: a header row, the rows, then the totals row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(visible(c.title) for c in table.columns)
    writer.writerows([visible(cell) for cell in row] for row in table.rows)
    if table.total:
        writer.writerow(visible(cell) for cell in table.total)
    return buffer.getvalue()


def to_latex(table: Table) -> str:
    """A booktabs `tabular` (needs \\usepackage{booktabs}); title and notes as comments."""
    spec = "".join("r" if c.numeric else "l" for c in table.columns)

    def line(cells: tuple[str, ...] | list[str]) -> str:
        return " & ".join(latex(cell) for cell in cells) + r" \\"

    body = [latex_comment(table.title)] if table.title else []
    body += [
        f"\\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        line([c.title for c in table.columns]),
        r"\midrule",
        *(line(row) for row in table.rows),
    ]
    if table.total:
        body += [r"\midrule", line(table.total)]
    body += [r"\bottomrule", r"\end{tabular}", *(latex_comment(note) for note in table.notes)]
    return "\n".join(body) + "\n"
