"""Spec bytes from any source (a file, pipe, device, socket or standard input), read with
a bound and decoded as UTF-8."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from ..errors import Location, SpecError
from .network import Network
from .reader import load_text

# A spec of 100,000 flat layers is about 7 MB; every read is bounded to this plus a byte.
MAX_BYTES = 16 * 2**20


def found(path: Path) -> str:
    """What is at `path`: "dir", "file" (anything else that exists) or "" (nothing, or a
    name the system refuses to look up, such as one longer than its limit)."""
    try:
        return "dir" if path.is_dir() else "file" if path.exists() else ""
    except OSError:  # ENAMETOOLONG and the like: no such file, as far as we can tell
        return ""


def load_file(
    path: Path, shown: str | None = None, overrides: Mapping[str, str] | None = None
) -> Network:
    """Read and validate the spec at `path`; errors name it as `shown` (default: path)."""
    name = shown or str(path)
    try:
        with open(path, "rb") as stream:
            data = read_bounded(stream, name)
    except IsADirectoryError:
        raise SpecError("is a directory, not a spec file", Location(name)) from None
    except OSError as e:
        raise SpecError(f"cannot read the file: {e.strerror or e}", Location(name)) from None
    return load_bytes(data, name, overrides)


def read_bounded(stream: BinaryIO, name: str) -> bytes:
    """At most MAX_BYTES from any stream (file, pipe, device, socket), else a SpecError.

    Reads no more than one byte past the limit, whatever `stat` says: /dev/zero and
    pipes report no size.
    """
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_BYTES and (chunk := stream.read(MAX_BYTES + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
    if size > MAX_BYTES:
        raise SpecError(f"file is larger than the {MAX_BYTES // 2**20} MiB limit", Location(name))
    return b"".join(chunks)


def load_bytes(data: bytes, name: str, overrides: Mapping[str, str] | None = None) -> Network:
    """Decode spec bytes as UTF-8 (a BOM is allowed) and load them."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SpecError(
            f"not UTF-8 text (bad byte at offset {e.start}): save the spec as UTF-8",
            Location(name),
        ) from None
    return load_text(text, name, overrides)
