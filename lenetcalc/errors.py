"""Exception types. Each carries *where* (file, line, column, layer) and *what*."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A 1-based position in a spec file; line 0 means the file as a whole."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file


class LenetcalcError(Exception):
    """A problem with what the user gave us; the CLI reports it as one line, exit 2."""


class SpecError(LenetcalcError):
    """An invalid spec, located in its file and, when known, its layer."""

    def __init__(
        self, message: str, location: Location | None = None, layer: str | None = None
    ) -> None:
        self.message = message
        self.location = location
        self.layer = layer
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [str(self.location)] if self.location else []
        if self.layer is not None:
            parts.append(f"layer {self.layer}")
        parts.append(self.message)
        return ": ".join(parts)


class GeometryError(LenetcalcError):
    """A layer that cannot be applied to its input; `field` is the offending field's path."""

    def __init__(
        self, message: str, field: tuple[str | int, ...] = (), layer_index: int | None = None
    ) -> None:
        self.message = message
        self.field = field
        self.layer_index = layer_index
        super().__init__(message)


MAX_MESSAGE = 400  # characters of an error line; a quoted hostile value can be huge


def one_line(text: str) -> str:
    """Text made safe for a one-line message: control characters and newlines escaped,
    and a very long message cut in its middle (the location and the verdict stay)."""
    if len(text) > MAX_MESSAGE:
        text = f"{text[: MAX_MESSAGE * 2 // 3]} … {text[-MAX_MESSAGE // 3 :]}"
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
