"""The built-in specs shipped inside the package, and resolving a SPEC argument."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path

from ..errors import LenetcalcError
from .fields import suggest
from .network import Network
from .reader import load_text
from .source import load_bytes, load_file, read_bounded

# The specs ship as plain files in the package lenetcalc.specs (its folder may lie apart
# from the code in an editable install). importlib.resources would add ~10 stdlib modules
# (zipfile, tempfile, lzma) to every start-up.
_FOLDER = Path(next(iter(import_module("lenetcalc.specs").__path__)))


def builtin_names() -> list[str]:
    """Names of the built-in specs, sorted."""
    return sorted(f.name[: -len(".yaml")] for f in _FOLDER.iterdir() if f.name.endswith(".yaml"))


def load_builtin(name: str, overrides: Mapping[str, str] | None = None) -> Network:
    """Load a built-in spec by name."""
    text = (_FOLDER / f"{name}.yaml").read_text(encoding="utf-8")
    return load_text(text, f"{name}.yaml", overrides)


def resolve(arg: str, overrides: Mapping[str, str] | None = None) -> Network:
    """A SPEC argument: a path to a YAML file, else the name of a built-in spec."""
    if arg == "-":  # the spec on standard input, read with the same bound as a file
        return load_bytes(read_bounded(sys.stdin.buffer, "<stdin>"), "<stdin>", overrides)
    path = Path(arg)
    if path.exists() or arg.endswith((".yaml", ".yml")) or "/" in arg:
        return load_file(path, arg, overrides)
    names = builtin_names()
    if arg in names:
        return load_builtin(arg, overrides)
    raise LenetcalcError(
        f"'{arg}' is neither a spec file nor a built-in spec{suggest(arg, names)}"
        f" (built-ins: {', '.join(names)}; `lenetcalc specs` lists them)"
    )
