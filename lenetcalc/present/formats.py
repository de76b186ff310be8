"""The one output path: every command's `--format` is served by `write`.

A command builds a `Document` (neutral tables, and the data its JSON is made of);
`write` turns it into the chosen format. Adding a format is one entry in `WRITERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import LenetcalcError
from . import render
from .tables import Table, stacked

if TYPE_CHECKING:
    from pathlib import Path

    from .terminal import Screen

# Format names, the same in every command; `table` is the terminal layout.
FORMATS = ("table", "markdown", "csv", "json", "latex")
# What a file's extension says its format is (export -o).
EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".json": "json",
    ".tex": "latex",
}


@dataclass(frozen=True)
class Document:
    """What a command shows, ready for any format.

    `tables` for the human formats; `data` builds the JSON (only when asked for); `prose`
    gives a format that reads better as text than as tables (explain's derivations).
    """

    tables: tuple[Table, ...]
    data: Callable[[], dict[str, Any]]
    prose: Mapping[str, Callable[[], str]] = field(default_factory=dict)
    # The one table CSV writes, raw integers (default: the only table, or all stacked).
    flat: Callable[[], Table] | None = None
    # The same tables in human units, for a terminal too narrow for the exact digits.
    narrow: Callable[[], tuple[Table, ...]] | None = None


Writer = Callable[[Document, int | None], Any]


def _terminal(doc: Document, width: int | None) -> Screen:
    from .fit import natural_width
    from .terminal import Screen, layout

    shown = doc.tables
    if width is not None and doc.narrow and any(natural_width(t) > width for t in shown):
        shown = doc.narrow()
    return Screen.stacked(layout(table, width) for table in shown)


def _markdown(doc: Document, width: int | None) -> str:
    return "\n".join(render.to_markdown(table) for table in doc.tables)


def _latex(doc: Document, width: int | None) -> str:
    return "\n".join(render.to_latex(table) for table in doc.tables)


def _csv(doc: Document, width: int | None) -> str:
    if doc.flat is not None:
        return render.to_csv(doc.flat())
    if len(doc.tables) == 1:
        return render.to_csv(doc.tables[0])
    return render.to_csv(stacked([(t.title, t) for t in doc.tables]))


def _json(doc: Document, width: int | None) -> str:
    from .jsontext import dumps  # JSON output alone loads the json module

    return dumps(doc.data()) + "\n"


WRITERS: dict[str, Writer] = {
    "table": _terminal,
    "markdown": _markdown,
    "csv": _csv,
    "json": _json,
    "latex": _latex,
}
assert tuple(WRITERS) == FORMATS


def format_for(path: Path | None, given: str | None, default: str = "markdown") -> str:
    """The export format: `given`, else the one the file's extension names, else `default`.

    A `given` format that contradicts the extension is refused rather than guessed.
    """
    implied = EXTENSIONS.get(path.suffix.lower()) if path is not None else None
    if given and implied and given != implied:
        raise LenetcalcError(
            f"{path}: the name says {implied} but --format is {given}:"
            f" rename the file or drop --format"
        )
    return given or implied or default


def write(doc: Document, fmt: str, width: int | None = None) -> Any:
    """The document in format `fmt`: text, or for the terminal a `Screen` (styled lines)."""
    if fmt in doc.prose:
        return doc.prose[fmt]()
    return WRITERS[fmt](doc, width)
