"""The built-in specs shipped inside the package, and resolving a SPEC argument."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from pathlib import Path

from ..errors import LenetcalcError
from .fields import suggest
from .network import Network
from .reader import load_text
from .source import found, load_bytes, load_file, read_bounded

# The specs ship as plain files in the package lenetcalc.specs (its folder may lie apart
# from the code in an editable install). importlib.resources would add ~10 stdlib modules
# (zipfile, tempfile, lzma) to every start-up.
_FOLDER = Path(next(iter(import_module("lenetcalc.specs").__path__)))


def builtin_names() -> list[str]:
    """Names of the built-in specs, sorted."""
    return sorted(f.name[: -len(".yaml")] for f in _FOLDER.iterdir() if f.name.endswith(".yaml"))


def builtin_text(name: str) -> str:
    """The YAML text of a built-in spec."""
    names = builtin_names()
    if name not in names:
        raise LenetcalcError(
            f"no built-in spec '{name}'{suggest(name, names)} (built-ins: {', '.join(names)})"
        )
    return (_FOLDER / f"{name}.yaml").read_text(encoding="utf-8")


def load_builtin(name: str, overrides: Mapping[str, str] | None = None) -> Network:
    """Load a built-in spec by name; errors name it `built-in NAME`, not a file."""
    return load_text(builtin_text(name), f"built-in {name}", overrides)


Note = Callable[[str], None]


def resolve(
    arg: str, overrides: Mapping[str, str] | None = None, note: Note | None = None
) -> Network:
    """A SPEC argument: `-` (standard input), a path to a YAML file, else a built-in.

    `lenet5.yaml` where no such file exists is the built-in `lenet5` (`note` is told);
    a folder named like a built-in does not hide the built-in.
    """
    if arg == "-":  # the spec on standard input, read with the same bound as a file
        return load_bytes(read_bounded(sys.stdin.buffer, "<stdin>"), "<stdin>", overrides)
    path = Path(arg)
    names = builtin_names()
    stem = arg[: -len(path.suffix)] if path.suffix in (".yaml", ".yml") else arg
    what = found(path)
    if what == "dir" and arg in names:
        if note is not None:
            note(f"{arg}: using the built-in spec, not the folder ./{arg} (a folder is no spec)")
        return load_builtin(arg, overrides)
    if not what and stem != arg and stem in names and "/" not in arg:
        if note is not None:
            note(f"{arg}: no such file here; using the built-in spec {stem}")
        return load_builtin(stem, overrides)
    if what or arg.endswith((".yaml", ".yml")) or "/" in arg:
        return load_file(path, arg, overrides)
    if arg in names:
        return load_builtin(arg, overrides)
    raise LenetcalcError(
        f"'{arg}' is neither a spec file nor a built-in spec{suggest(arg, names)}"
        f" (built-ins: {', '.join(names)}; `lenetcalc specs` lists them)"
    )
