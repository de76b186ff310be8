"""Fitting a neutral table to a terminal's width: which columns stay, how wide each is.

Numbers are never cut. Names longer than 24 cells are cut first (with an ellipsis), then
cut down to 12 where that saves a column; then the least important columns (highest
`hide_rank`) are hidden, and only then are names cut further, so that no row wraps onto
a second line. Nested names are indented by level, as a tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from .escape import width
from .tables import Column, Table

GAP = 3  # spaces between columns
INDENT = 2  # before the first column
MIN_TEXT = 8  # a text column is never cut narrower than this
SOFT_TEXT = 24  # names longer than this are cut before any column is hidden
KEEP_TEXT = 12  # names are cut to this before a column is hidden for want of space
ELLIPSIS = "…"


@dataclass(frozen=True)
class Fitted:
    """The columns kept (indices), each one's width, the rows as shown, what was hidden.

    `rows` pairs each shown line with the index of the table row it shows (None for a
    heading a tree adds); the total row, if any, is last with index -1.
    """

    keep: tuple[int, ...]
    widths: tuple[int, ...]  # one per column of the table, kept or not
    rows: tuple[tuple[int | None, tuple[str, ...]], ...]
    hidden: tuple[Column, ...]


Rows = tuple[tuple[int | None, tuple[str, ...]], ...]


def tree_rows(table: Table) -> Rows:
    """The rows, and the total row; dotted names in a tree column are shown as a tree:
    a heading line for each new parent (`layer1`, `  0`) and the last part, indented."""
    rows: list[tuple[int | None, tuple[str, ...]]] = list(enumerate(table.rows))
    tree = next((i for i, c in enumerate(table.columns) if c.tree), None)
    if tree is not None and any("." in row[tree] for row in table.rows):
        rows, previous = [], list[str]()
        for r, row in enumerate(table.rows):
            parts = row[tree].split(".")
            for level in range(len(parts) - 1):
                if parts[: level + 1] != previous[: level + 1]:
                    heading = "  " * level + parts[level]
                    rows.append(
                        (None, tuple(heading if i == tree else "" for i in range(len(row))))
                    )
                    previous = parts[: level + 1]
            leaf = "  " * (len(parts) - 1) + parts[-1]
            rows.append((r, tuple(leaf if i == tree else c for i, c in enumerate(row))))
            previous = parts
    if table.total:
        rows.append((-1, table.total))
    return tuple(rows)


def natural_widths(table: Table, rows: Rows) -> list[int]:
    """Each column's width: its widest cell, header or group."""
    return [
        max([width(col.group), width(col.header), *(width(row[i]) for _, row in rows)])
        for i, col in enumerate(table.columns)
    ]


def line_width(widths: list[int] | tuple[int, ...], keep: list[int] | tuple[int, ...]) -> int:
    """Characters in a table line showing the `keep` columns."""
    return INDENT + sum(widths[i] for i in keep) + GAP * (len(keep) - 1) + 1


def natural_width(table: Table) -> int:
    """The width of the whole table, nothing hidden."""
    widths = natural_widths(table, tree_rows(table))
    return line_width(widths, range(len(widths)))  # type: ignore[arg-type]


def fit(table: Table, width: int | None) -> Fitted:
    """Hide columns (highest rank first), then cut text cells, to fit `width`."""
    rows = tree_rows(table)
    widths = natural_widths(table, rows)
    keep = list(range(len(table.columns)))
    if width is not None:
        widths = _cut(table, widths, keep, width, SOFT_TEXT)
    by_rank = sorted(keep, key=lambda i: -table.columns[i].hide_rank)
    hidden: list[int] = []
    for i in by_rank:
        col = table.columns[i]
        if width is None or not col.hide_rank:
            break
        # A figure is worth more than the tail of a long (or deeply indented) name.
        if line_width(_cut(table, widths, keep, width, KEEP_TEXT), keep) <= width:
            break
        if i in hidden:
            continue
        alike = _alike(table, i, keep)
        for j in alike:
            keep.remove(j)
        hidden += alike
    if width is not None:
        _refill(table, widths, keep, hidden, width)
        widths = _cut(table, widths, keep, width)
        rows = tuple(
            (r, tuple(_ellipsis(c, widths[i]) for i, c in enumerate(row))) for r, row in rows
        )
    shown_hidden = tuple(table.columns[i] for i in sorted(hidden))
    return Fitted(tuple(keep), tuple(widths), rows, shown_hidden)


def _alike(table: Table, i: int, among: list[int]) -> list[int]:
    """Column i's kind among `among`: columns of one kind (the Δ% of every variant) are
    hidden and shown together, so the rest stays even."""
    kind = (table.columns[i].hide_rank, table.columns[i].header)
    return [j for j in among if (table.columns[j].hide_rank, table.columns[j].header) == kind]


def _refill(
    table: Table, widths: list[int], keep: list[int], hidden: list[int], width: int
) -> None:
    """Hiding by rank can overshoot (a wide column hidden last leaves room for narrower
    ones hidden before it): bring hidden columns back, most important first, while they fit."""
    for i in sorted(hidden, key=lambda j: table.columns[j].hide_rank):
        alike = _alike(table, i, hidden)
        trial = sorted(keep + alike)
        if i in hidden and line_width(widths, trial) <= width:
            keep[:] = trial
            hidden[:] = [j for j in hidden if j not in alike]


def _cut(
    table: Table, widths: list[int], keep: list[int], width: int, floor: int = MIN_TEXT
) -> list[int]:
    """Narrow the widest text columns, a character at a time, until the line fits."""
    widths = list(widths)
    text = [i for i in keep if _cuttable(table.columns[i], i)]
    notes = [i for i in text if table.columns[i].key == "note"]
    while line_width(widths, keep) > width:
        # Notes give way first, then the widest name.
        pool = [i for i in notes if widths[i] > floor] or text
        widest = max(pool, key=lambda i: widths[i], default=None)
        if widest is None or widths[widest] <= floor:
            break
        widths[widest] -= 1
    return widths


def _cuttable(col: Column, index: int) -> bool:
    # Names and notes may be cut; figures (shapes included) never are, nor labels that
    # name a figure and its unit (a totals block's "Params size (MB)").
    if col.numeric or col.key == "label":
        return False
    return index == 0 or col.tree or col.key in ("type", "inputs", "note")


def _ellipsis(cell: str, columns: int) -> str:
    """The cell cut to `columns` terminal cells, its last one an ellipsis."""
    if width(cell) <= columns:
        return cell
    while cell and width(cell) > columns - 1:
        cell = cell[:-1]
    return cell + ELLIPSIS


def hidden_note(table: Table, fitted: Fitted, width: int) -> str:
    """Which columns were hidden, and how to see them."""
    kinds: dict[str, list[str]] = {}
    for c in fitted.hidden:
        kinds.setdefault(c.header, []).extend([c.group] if c.group else [])
    names = ", ".join(f"{h} ({', '.join(g)})" if g else h for h, g in kinds.items())
    how = "widen the terminal"
    if table.choosable and all(c.key for c in fitted.hidden):
        some = ",".join(c.header.lower().replace(" ", "_") for c in fitted.hidden[:3])
        how = f"choose columns with --columns (e.g. --columns name,output,{some})"
    return (
        f"Hidden to fit {width} columns: {names}. To see them, {how}, or redirect the"
        " output to a file: it is never cut."
    )
