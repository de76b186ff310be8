"""Typed, located reading of a spec mapping: every bad value becomes a one-line SpecError."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Location, SpecError
from ..geometry import PaddingSpec

Path = tuple[str | int, ...]
_REQUIRED: Any = object()


@dataclass(frozen=True)
class Marks:
    """Where each value (and each mapping key) of a YAML document stands in its file.

    Holds the parser's marks (0-based `line` and `column`); a Location is made only
    when an error needs one.
    """

    file: str
    values: dict[Path, Any] = field(default_factory=dict)
    keys: dict[Path, Any] = field(default_factory=dict)
    # Expanded layers point back at the source they came from (a block's layer).
    aliases: dict[Path, Path] = field(default_factory=dict)

    def alias(self, expanded: Path, source: Path) -> None:
        """Locate paths under `expanded` at `source` in the file."""
        self.aliases[expanded] = source

    def at(self, path: Path, key: bool = False) -> Location:
        """The location of path's value (or key), else of its nearest located ancestor."""
        if path[:2] in self.aliases:
            path = self.aliases[path[:2]] + path[2:]
        table = self.keys if key else self.values
        while path not in table and path:
            path, table = path[:-1], self.values
        mark = table.get(path)
        if mark is None:
            return Location(self.file, 1, 1)
        return Location(self.file, mark.line + 1, mark.column + 1)


def suggest(word: str, options: list[str]) -> str:
    """A "did you mean" clause, or an empty string when nothing is close."""
    import difflib  # only on an error: not worth its start-up cost

    close = difflib.get_close_matches(word, options, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def is_int(value: object) -> bool:
    """True for ints proper (YAML `true` is a bool, not a count)."""
    return isinstance(value, int) and not isinstance(value, bool)


class Fields:
    """Reads one mapping's fields by name, remembering which names the reader knows."""

    def __init__(
        self, raw: Mapping[str, Any], path: Path, marks: Marks, layer: str | None, kind: str
    ) -> None:
        self.raw, self.path, self.marks, self.layer, self.kind = raw, path, marks, layer, kind
        self.known: list[str] = []

    def error(self, where: str | Path, message: str, *, at_key: bool = False) -> SpecError:
        """A SpecError located at this mapping's key `where` (or a sub-path of it)."""
        step = where if isinstance(where, tuple) else (where,)
        return SpecError(message, self.marks.at(self.path + step, at_key), self.layer)

    def get(self, key: str, default: Any = _REQUIRED) -> Any:
        """The raw value of `key` (required unless a default is given)."""
        self.known.append(key)
        if key in self.raw:
            return self.raw[key]
        if default is _REQUIRED:
            import difflib

            typo = difflib.get_close_matches(key, [str(k) for k in self.raw], n=1)
            if typo:
                raise self.error(
                    typo[0],
                    f"missing required field '{key}'; is '{typo[0]}' a typo for it?",
                    at_key=True,
                )
            raise SpecError(f"missing required field '{key}'", self.marks.at(self.path), self.layer)
        return default

    def integer(self, key: str, default: Any = _REQUIRED, minimum: int = 1) -> int:
        """An integer >= minimum."""
        value = self.get(key, default)
        if not is_int(value) or value < minimum:
            raise self.error(key, f"field '{key}' must be an integer >= {minimum}, got {value!r}")
        return int(value)

    def fraction(self, key: str, default: Any = _REQUIRED) -> float:
        """A number from 0 (inclusive) to 1 (exclusive)."""
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
            raise self.error(
                key, f"field '{key}' must be a number from 0 to below 1, got {value!r}"
            )
        return float(value)

    def pair(self, key: str, default: Any = _REQUIRED, minimum: int = 1) -> tuple[int, int]:
        """An integer or [height, width] pair, each >= minimum."""
        value = self.get(key, default)
        items = value if isinstance(value, (list, tuple)) else [value, value]
        if len(items) != 2 or not all(is_int(v) and v >= minimum for v in items):
            raise self.error(
                key,
                f"field '{key}' must be an integer >= {minimum} or a pair"
                f" [height, width] of them, got {value!r}",
            )
        return (int(items[0]), int(items[1]))

    def padding(self, key: str = "padding") -> PaddingSpec:
        """`valid`, `same`, an integer or a [height, width] pair (>= 0)."""
        value = self.raw.get(key, 0)
        if value in ("valid", "same"):
            self.known.append(key)
            return str(value)
        if isinstance(value, str):
            self.known.append(key)
            hint = suggest(value, ["valid", "same"])
            raise self.error(key, f"padding must be 'valid', 'same', an integer or a pair{hint}")
        return self.pair(key, 0, minimum=0)

    def choice(self, key: str, options: list[str], default: Any = _REQUIRED) -> str:
        """One of `options`."""
        value = self.get(key, default)
        if value not in options:
            hint = suggest(str(value), options)
            raise self.error(
                key, f"field '{key}' is {value!r}, expected one of {', '.join(options)}{hint}"
            )
        return str(value)

    def flag(self, key: str, default: bool) -> bool:
        """true or false."""
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"field '{key}' must be true or false, got {value!r}")
        return value

    def text(self, key: str, default: Any = _REQUIRED) -> str:
        """A non-empty string."""
        value = self.get(key, default)
        if key not in self.raw:
            return str(default)
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"field '{key}' must be a non-empty string, got {value!r}")
        return value

    def table(self, key: str) -> tuple[tuple[int, ...], ...] | None:
        """A connection table: one non-empty list of distinct input-map indices per output."""
        value = self.get(key, None)
        if value is None:
            return None
        if not isinstance(value, list) or not value:
            raise self.error(key, f"field '{key}' must be a list with one row per output map")
        for i, row in enumerate(value):
            step = (key, i)
            if not isinstance(row, list) or not row:
                raise self.error(step, f"{key} row {i} must be a non-empty list of input maps")
            if not all(is_int(v) and v >= 0 for v in row) or len(set(row)) != len(row):
                raise self.error(
                    step,
                    f"{key} row {i} must list distinct input-map indices >= 0, got {row!r}",
                )
        return tuple(tuple(row) for row in value)

    def finish(self) -> None:
        """Reject any key that no reader asked for."""
        for key in self.raw:
            if key not in self.known:
                hint = suggest(str(key), self.known)
                raise self.error(
                    key,
                    f"unknown field '{key}' for {self.kind}{hint} (known: {', '.join(self.known)})",
                    at_key=True,
                )
