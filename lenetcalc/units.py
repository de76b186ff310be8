"""Byte quantities: read from the command line, written for people."""

from __future__ import annotations

from .errors import LenetcalcError


def format_bytes(n: int) -> str:
    """Bytes in binary units: 512 B, 3.2 MiB, 4 GiB."""
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if size < 1024 or unit == "PiB":
            return f"{size:.0f} {unit}" if size == int(size) else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def parse_bytes(text: str) -> int:
    """`8GiB`, `512MiB`, `2GB` or a plain byte count."""
    units = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
             "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}  # fmt: skip
    cleaned = text.strip().upper().replace(" ", "")
    number = cleaned.rstrip("KMGTIB")
    try:
        value = float(number)
    except ValueError:
        value = -1.0
    unit = cleaned[len(number) :]
    if value <= 0 or unit not in units:
        raise LenetcalcError(f"'{text}' is not a memory size: write e.g. 8GiB, 512MiB or 2GB")
    return int(value * units[unit])
