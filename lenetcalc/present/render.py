"""Neutral tables to Markdown, CSV and LaTeX text. Renderers never compute."""

from __future__ import annotations

import io

from .escape import latex, latex_comment, markdown, pad, visible, width
from .tables import Table


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
    import csv  # only CSV output pays for it

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
