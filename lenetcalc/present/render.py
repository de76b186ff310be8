"""Neutral tables to Markdown, CSV and LaTeX text. Renderers never compute."""

from __future__ import annotations

import io

from .tables import Table


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
    import csv  # only CSV output pays for it

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
