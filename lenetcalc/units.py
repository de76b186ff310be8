"""Byte quantities: read from the command line, written for people."""

from __future__ import annotations

from .errors import LenetcalcError

_BYTE_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")


def format_bytes(n: int) -> str:
    """Bytes in binary units: 512 B, 3.2 MiB, 4 GiB.

    Integer arithmetic only: sizes past a float's range (10^308) print too, in PiB.
    """
    power = 0
    while power < len(_BYTE_UNITS) - 1 and n >= 1024 ** (power + 1):
        power += 1
    unit = 1024**power
    if n % unit == 0:
        return f"{n // unit} {_BYTE_UNITS[power]}"
    tenths, rest = divmod(10 * n, unit)
    if 2 * rest > unit or (2 * rest == unit and tenths % 2):  # exact, half to even
        tenths += 1
    return f"{tenths // 10}.{tenths % 10} {_BYTE_UNITS[power]}"


_UNITS = {
    "": 1,
    "B": 1,
    "KB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "KIB": 2**10,
    "MIB": 2**20,
    "GIB": 2**30,
    "TIB": 2**40,
}
# Digits, an optional decimal part and a unit: no 1e999, inf, nan or sign.
_SIZE = r"\s*(\d{1,15}(?:\.\d{1,6})?)\s*(|B|[KMGT]I?B)\s*"


def parse_bytes(text: str) -> int:
    """`8GiB`, `512MiB`, `2GB`, `1.5 MB` or a plain byte count: at least one byte."""
    import re
    from fractions import Fraction  # here: summary's start-up never reads a byte size

    match = re.fullmatch(_SIZE, text.upper())
    # Exact: 1.001KB is 1,001 bytes (through a float, 1000.9999999999999).
    size = Fraction(match.group(1)) * _UNITS[match.group(2)] if match else Fraction(0)
    if size < 1:  # no size, or zero, or under a byte
        raise LenetcalcError(f"'{text}' is not a memory size: write e.g. 8GiB, 512MiB or 2GB")
    return int(size)
