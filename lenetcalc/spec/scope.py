"""Variables: the spec's `vars`, `--set` overrides, and `${...}` resolved inside values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import Location, SpecError
from .fields import Marks, Path, suggest
from .substitution import ExpressionError, Value, evaluate, substitute

Scope = Mapping[str, Value]


def resolve(value: Any, path: Path, scope: Scope, marks: Marks, layer: str | None) -> Any:
    """`value` with every `${...}` inside it evaluated (lists and mappings too)."""
    if isinstance(value, str) and "${" in value:
        try:
            return substitute(value, scope)
        except ExpressionError as e:
            raise SpecError(f"in {value!r}: {e}", marks.at(path), layer) from None
    if isinstance(value, list):
        return [resolve(v, (*path, i), scope, marks, layer) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: resolve(v, (*path, k), scope, marks, layer) for k, v in value.items()}
    return value


def variables(raw: Any, overrides: Mapping[str, str], marks: Marks) -> dict[str, Value]:
    """The spec's `vars`, each evaluated in order, then the `--set` overrides."""
    if not isinstance(raw, dict):
        raise SpecError("field 'vars' must map names to values", marks.at(("vars",)))
    names: dict[str, Value] = {}
    for name, value in raw.items():
        value = resolve(value, ("vars", name), names, marks, None)
        if not isinstance(value, (int, float, str)):  # bool is an int: a switch for `when`
            raise SpecError(
                f"variable '{name}' must be a number, true/false or text", marks.at(("vars", name))
            )
        names[name] = value
    for name, text in overrides.items():
        if name not in names:
            known = ", ".join(names) or "none"
            raise SpecError(
                f"--set {name}: the spec has no variable '{name}'"
                f"{suggest(name, list(names))} (variables: {known})",
                Location(marks.file),  # which spec, when compare reads several
            )
        names[name] = _override(name, text, names, marks)
    return names


def _override(name: str, text: str, names: Mapping[str, Value], marks: Marks) -> Value:
    """A --set value, read as the spec's own value is: a number or true/false must be
    one (said here, not far away where it is used); text may be any text."""
    was = names[name]
    try:
        value = evaluate(text, names)
    except ExpressionError as e:
        if isinstance(was, str):
            return text  # plain text, e.g. a layer name
        raise SpecError(f"--set {name}={text}: {e}", Location(marks.file)) from None
    if isinstance(was, bool) and not isinstance(value, bool):
        raise SpecError(f"--set {name}={text}: write true or false", Location(marks.file))
    return value
