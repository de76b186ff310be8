"""Neutral tables to Rich renderables, Markdown and CSV text. Renderers never compute."""

from __future__ import annotations

import csv
import io
from typing import Literal

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from .tables import Table


def to_rich(table: Table, width: int | None = None) -> RenderableType:
    """A Rich table (totals row set apart) followed by the notes.

    When `width` is given and the table is wider, columns are hidden by their
    `hide_rank` (numbers are never wrapped) and a note says which.
    """
    keep = list(range(len(table.columns)))
    hidden: list[str] = []
    rich_table = _rich_table(table, keep)
    ranked = sorted(keep, key=lambda i: -table.columns[i].hide_rank)
    for i in ranked:
        if width is None or _width(rich_table) <= width or not table.columns[i].hide_rank:
            break
        keep.remove(i)
        hidden.insert(0, table.columns[i].header)
        rich_table = _rich_table(table, keep)
    notes = [Text(note) for note in table.notes]
    if hidden:
        notes.append(
            Text(
                f"Hidden to fit the terminal: {', '.join(hidden)} (widen it or use"
                " --format markdown)."
            )
        )
    return Group(rich_table, *notes)


def _rich_table(table: Table, keep: list[int]) -> RichTable:
    # Every string goes in as Text: names come from specs and must never be read as markup.
    out = RichTable(title=Text(table.title), box=box.SIMPLE_HEAD, title_justify="left")
    for i in keep:
        col = table.columns[i]
        justify: Literal["left", "right"] = "right" if col.numeric else "left"
        header = f"{col.group}\n{col.header}" if col.group else col.header
        out.add_column(Text(header), justify=justify, no_wrap=True)
    for r, row in enumerate(table.rows):
        out.add_row(*(_styled(row[i], (r, i) in table.flagged) for i in keep))
    if table.total:
        out.add_section()
        out.add_row(*(Text(table.total[i]) for i in keep), style="bold")
    return out


def _styled(cell: str, flagged: bool) -> Text:
    return Text(cell, style="bold red" if flagged else "")


def _width(rich_table: RichTable) -> int:
    """The width the table needs to print without wrapping."""
    console = Console(width=10_000)
    return console.measure(rich_table).maximum


def to_markdown(table: Table) -> str:
    """A GitHub-flavoured Markdown table, columns padded to line up, notes below."""
    rows = [*table.rows, *([tuple(_bold(c) for c in table.total)] if table.total else [])]
    headers = [c.title for c in table.columns]
    widths = [max(len(x) for x in col) for col in zip(headers, *rows, strict=True)]
    widths = [max(w, 3) for w in widths]

    def line(cells: list[str] | tuple[str, ...]) -> str:
        padded = (
            cell.rjust(w) if col.numeric else cell.ljust(w)
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
    body = [f"### {table.title}", "", line(headers), rule, *(line(r) for r in rows)]
    if table.notes:
        body += ["", *(f"- {note}" for note in table.notes)]
    return "\n".join(body) + "\n"


def _bold(cell: str) -> str:
    return f"**{cell}**" if cell else cell


def to_csv(table: Table) -> str:
    """CSV: a header row, the rows, then the totals row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(c.title for c in table.columns)
    writer.writerows(table.rows)
    if table.total:
        writer.writerow(table.total)
    return buffer.getvalue()


_LATEX_SPECIAL = {c: "\\" + c for c in "&%$#_{}"} | {
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
    "Δ": r"$\Delta$", "—": "---",
}  # fmt: skip


def _latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def to_latex(table: Table) -> str:
    """A booktabs `tabular` (needs \\usepackage{booktabs}); title and notes as comments."""
    spec = "".join("r" if c.numeric else "l" for c in table.columns)

    def line(cells: tuple[str, ...] | list[str]) -> str:
        return " & ".join(_latex_escape(cell) for cell in cells) + r" \\"

    body = [f"% {table.title}"] if table.title else []
    body += [
        f"\\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        line([c.title for c in table.columns]),
        r"\midrule",
        *(line(row) for row in table.rows),
    ]
    if table.total:
        body += [r"\midrule", line(table.total)]
    body += [r"\bottomrule", r"\end{tabular}", *(f"% {note}" for note in table.notes)]
    return "\n".join(body) + "\n"
