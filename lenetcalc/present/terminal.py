"""Neutral tables laid out for a terminal: aligned lines of text with their styles.

The layout is plain data (`Screen`); Rich is imported only to show it on a terminal
(`Screen.rich`). Written to a pipe or a file, a screen is plain text and loads no Rich.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from .escape import pad, visible
from .fit import GAP, INDENT, Fitted, fit, hidden_note, line_width
from .tables import Table

if TYPE_CHECKING:
    from rich.console import RenderableType

_GAP = " " * GAP
_INDENT = " " * INDENT

# A line of a screen: its text, the style of the whole line, and (start, end, style) spans.
Span = tuple[int, int, str]
Line = tuple[str, str, tuple[Span, ...]]


class Screen:
    """Lines laid out for a terminal, each fitting its width: plain text, or Rich text."""

    __slots__ = ("lines",)

    def __init__(self, lines: Iterable[Line]) -> None:
        self.lines = tuple(lines)

    @staticmethod
    def stacked(screens: Iterable[Screen]) -> Screen:
        """The screens one below another, a blank line between them."""
        lines: list[Line] = []
        for screen in screens:
            lines += [_plain_line("")] if lines else []
            lines += screen.lines
        return Screen(lines)

    def plain(self) -> str:
        """The screen as text without styles, for a pipe or a file."""
        return "".join(text.rstrip() + "\n" for text, _, _ in self.lines)

    def rich(self, width: int) -> RenderableType:
        """The screen as Rich text for a terminal `width` wide: styles shown (or dropped
        under NO_COLOR), and lines wider than the terminal (notes) wrapped."""
        from rich.console import Group
        from rich.text import Text

        def text(line: Line) -> Text:
            body, style, spans = line
            # A row that fits needs no wrapping, and Rich's wrapping costs on deep tables.
            fits = body.isascii() and len(body) <= width
            shown = Text(body, style=style, no_wrap=fits or None)
            for start, end, span_style in spans:
                shown.stylize(span_style, start, end)
            return shown

        return Group(*(text(line) for line in self.lines))


def _plain_line(text: str, style: str = "") -> Line:
    return (text, style, ())


def layout(table: Table, width: int | None = None) -> Screen:
    """The table laid out in aligned columns, as a screen of styled lines.

    When `width` is given and the table is wider, columns are hidden by their `hide_rank`
    and long names cut (`fit`), and a note says which columns were hidden. The layout is
    computed here rather than by Rich's Table, which costs about a millisecond a row on
    deep networks, and needs no Rich at all when the output goes to a pipe.
    """
    table = _visible(table)  # names from specs: control characters shown escaped
    fitted = fit(table, width)
    lines = [_plain_line(table.title), _plain_line("")] if table.title else []
    if not any(col.header for col in table.columns):
        lines.pop()  # no header line: the rule follows the title
    lines += _header(table, fitted)
    rule = line_width(fitted.widths, fitted.keep) - 1
    lines.append(_plain_line(" " + "─" * (min(rule, width - 2) if width else rule)))
    flagged: dict[int | None, set[int]] = {}
    for at, i in table.flagged:
        flagged.setdefault(at, set()).add(i)
    for r, row in fitted.rows:
        if r == -1:
            lines += [_plain_line(""), _line(table, fitted, row, set(), "bold")]
        else:
            lines.append(_line(table, fitted, row, flagged.get(r, set())))
    notes = list(table.notes)
    if fitted.hidden and width is not None:
        notes.append(hidden_note(table, fitted, width))
    lines += [_plain_line(""), *(_plain_line(note) for note in notes)] if notes else []
    return Screen(lines)


def _cell(text: str, width: int, numeric: bool) -> str:
    return pad(text, width, right=numeric)  # in terminal cells: CJK takes two


def _visible(table: Table) -> Table:
    """The table with every text made safe for a terminal (escape.visible)."""
    return replace(
        table,
        title=visible(table.title),
        columns=tuple(
            replace(c, header=visible(c.header), group=visible(c.group)) for c in table.columns
        ),
        rows=tuple(tuple(visible(cell) for cell in row) for row in table.rows),
        total=tuple(visible(cell) for cell in table.total) if table.total else None,
        notes=tuple(visible(note) for note in table.notes),
    )


def _header(table: Table, fitted: Fitted) -> list[Line]:
    """One header line, or two when columns are grouped (group above header)."""
    cols = [(fitted.widths[i], table.columns[i]) for i in fitted.keep]
    lines = []
    if any(col.group for _, col in cols):
        groups = (_cell(col.group[:w], w, col.numeric) for w, col in cols)
        lines.append(_plain_line((_INDENT + _GAP.join(groups)).rstrip()))
    if not any(col.header for _, col in cols):
        return lines
    headers = (_cell(col.header[:w], w, col.numeric) for w, col in cols)
    lines.append(_plain_line((_INDENT + _GAP.join(headers)).rstrip(), "bold"))
    return lines


def _line(
    table: Table, fitted: Fitted, cells: tuple[str, ...], flagged: set[int], style: str = ""
) -> Line:
    """One row as one string, styled by span (a Rich Text.append per cell cost 0.9 s on
    10,000 rows); flagged cells (a failed check) in bold red."""
    parts = [_cell(cells[i], fitted.widths[i], table.columns[i].numeric) for i in fitted.keep]
    spans = []
    start = len(_INDENT)
    for n, i in enumerate(fitted.keep):
        if i in flagged:
            spans.append((start, start + len(parts[n]), "bold red"))
        start += len(parts[n]) + len(_GAP)
    return ((_INDENT + _GAP.join(parts)).rstrip(), style, tuple(spans))
