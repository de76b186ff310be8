"""The built-in specs shipped inside the package, and resolving a SPEC argument."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path

from ..errors import LenetcalcError
from .fields import suggest
from .network import Network
from .reader import load_file, load_text

_PACKAGE = "lenetcalc.specs"


def builtin_names() -> list[str]:
    """Names of the built-in specs, sorted."""
    files = resources.files(_PACKAGE).iterdir()
    return sorted(f.name[: -len(".yaml")] for f in files if f.name.endswith(".yaml"))


def builtin_text(name: str) -> str:
    """The YAML text of a built-in spec."""
    names = builtin_names()
    if name not in names:
        raise LenetcalcError(
            f"no built-in spec '{name}'{suggest(name, names)} (built-ins: {', '.join(names)})"
        )
    return resources.files(_PACKAGE).joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def load_builtin(name: str, overrides: Mapping[str, str] | None = None) -> Network:
    """Load a built-in spec by name; errors name it `built-in NAME`, not a file."""
    return load_text(builtin_text(name), f"built-in {name}", overrides)


Note = Callable[[str], None]


def resolve(
    arg: str, overrides: Mapping[str, str] | None = None, note: Note | None = None
) -> Network:
    """A SPEC argument: a path to a YAML file, else the name of a built-in spec.

    `lenet5.yaml` where no such file exists is the built-in `lenet5` (`note` is told);
    a folder named like a built-in does not hide the built-in.
    """
    path = Path(arg)
    names = builtin_names()
    stem = arg[: -len(path.suffix)] if path.suffix in (".yaml", ".yml") else arg
    if path.is_dir() and arg in names:
        if note is not None:
            note(f"{arg}: using the built-in spec, not the folder ./{arg} (a folder is no spec)")
        return load_builtin(arg, overrides)
    if not path.exists() and stem != arg and stem in names and "/" not in arg:
        if note is not None:
            note(f"{arg}: no such file here; using the built-in spec {stem}")
        return load_builtin(stem, overrides)
    if path.exists() or arg.endswith((".yaml", ".yml")) or "/" in arg:
        return load_file(path, arg, overrides)
    if arg in names:
        return load_builtin(arg, overrides)
    raise LenetcalcError(
        f"'{arg}' is neither a spec file nor a built-in spec{suggest(arg, names)}"
        f" (built-ins: {', '.join(names)}; `lenetcalc specs` lists them)"
    )
