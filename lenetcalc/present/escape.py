"""Text leaving the program: control characters shown escaped, each format's own
metacharacters escaped, widths measured in terminal cells.

Names in a spec are arbitrary strings: ESC sequences, BEL, CR, newlines, bidi controls,
`|`, `&`, backticks. Every writer passes the text it emits through one of these.
"""

from __future__ import annotations

import re
import unicodedata


def visible(text: str) -> str:
    """Control, format and separator characters (ESC, 0x9b, BEL, CR, newline, U+202E)
    written as escapes (`\\x1b`, `\\n`, `\\u202e`), as error messages show them.

    For a terminal, plain text and CSV cells (the csv module quotes its own)."""
    return text if text.isprintable() else "".join(_visible_chars(text))


def _visible_chars(text: str) -> list[str]:
    return [ch if ch.isprintable() else repr(ch)[1:-1] for ch in text]


def width(text: str) -> int:
    """Columns the text takes on a terminal: 2 for wide (CJK) characters, 0 for combining."""
    if text.isascii():  # the common case, one cell per character
        return len(text)
    # East Asian wide and fullwidth characters take two cells, combining marks none (the
    # rule wcwidth and Rich follow), measured without importing Rich for data formats.
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def pad(text: str, columns: int, right: bool = False) -> str:
    """Text padded with spaces to `columns` terminal cells, on the left when `right`."""
    fill = " " * max(0, columns - width(text))
    return fill + text if right else text + fill


# Markdown: backslash-escape what would start code, emphasis, links, HTML or entities, and
# `|`, which splits a table cell. `_` inside a word (H_out) cannot start emphasis, and `>`
# only quotes at the start of a line, where no name is written.
_MARKDOWN = re.compile(r"[\\`*\[\]<|&~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


def markdown(text: str) -> str:
    """Text for a Markdown line or table cell."""
    return _MARKDOWN.sub(lambda m: "\\" + m.group(0), visible(text))


def markdown_code(text: str) -> str:
    """A Markdown code span holding the text, fenced by more backticks than it contains."""
    text = visible(text)
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    space = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{space}{text}{space}{fence}"


_LATEX = (
    {c: "\\" + c for c in "&%$#_{}"}
    | {
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
        "\\": r"\textbackslash{}",
        "Δ": r"$\Delta$",
        "—": "---",
        "|": r"\textbar{}",
        "<": r"\textless{}",
        ">": r"\textgreater{}",
    }
    | {chr(c): "" for c in range(0x2580, 0x25A0)}
)  # --bars' block glyphs: the percent stays


def latex(text: str) -> str:
    """Text for a LaTeX table cell: TeX's special characters made literal. A cell that
    starts with [ or * gets {} first: after the row above's \\ it would be an option."""
    cell = "".join(_LATEX.get(ch, ch) for ch in visible(text)).strip()  # a bar's padding
    return "{}" + cell if cell[:1] in ("[", "*") else cell


def latex_comment(text: str) -> str:
    """A `%` comment line: a newline in the text cannot end it and start live TeX."""
    return f"% {visible(text)}"
