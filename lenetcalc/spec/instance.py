"""A block instance (`block: NAME` among layers): its arguments, copies and scopes.

Arguments are evaluated where the instance stands (the spec's variables, or the
enclosing block's parameters) with `index` set to the copy's number; defaults are
evaluated in the block's own scope: the spec's variables, `index` and the parameters
before them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import SpecError
from .blocks import Block
from .fields import Marks, Path, is_int, suggest
from .scope import Scope, resolve
from .substitution import Value

FIELDS = {"block", "name", "repeat", "first", "inputs", "when"}


@dataclass(frozen=True)
class Instance:
    """One instance entry, checked against its block's parameters."""

    block: Block
    name: str  # the full, dotted name its layers are prefixed with
    path: Path
    args: dict[str, Any]
    first: dict[str, Any]
    repeat: int | None  # None: one copy, named without an index

    def prefix(self, index: int) -> str:
        """The name prefix of copy `index`."""
        return self.name if self.repeat is None else f"{self.name}.{index}"

    def describe(self) -> str:
        """The row type of the instance folded whole (`summary --depth`)."""
        return f"block {self.block.name}" + ("" if self.repeat is None else f" x{self.repeat}")


def read_instance(
    entry: dict[str, Any], path: Path, block: Block, name: str, scope: Scope, marks: Marks
) -> Instance:
    """An instance entry with its arguments checked and its `repeat` evaluated."""
    first = entry.get("first", {})
    if not isinstance(first, dict):
        raise SpecError("'first' maps parameters to values", marks.at((*path, "first")), name)
    args = {k: v for k, v in entry.items() if k not in FIELDS}
    for key in (*args, *first):
        if key not in block.params:
            where = (*path, key) if key in args else (*path, "first", key)
            raise SpecError(
                f"block '{block.name}' has no parameter '{key}'"
                f"{suggest(key, list(block.params))} (params: {', '.join(block.params)})",
                marks.at(where),
                name,
            )
    repeat = resolve(entry.get("repeat", 1), (*path, "repeat"), scope, marks, name)
    if not is_int(repeat) or repeat < 1:
        message = f"'repeat' must be an integer >= 1, got {repeat!r}"
        raise SpecError(message, marks.at((*path, "repeat")), name)
    return Instance(block, name, path, args, first, repeat if "repeat" in entry else None)


def copy_scope(
    instance: Instance, index: int, outer: Scope, spec_vars: Scope, marks: Marks
) -> dict[str, Value]:
    """The names the layers of copy `index` see: the block's parameters bound."""
    chosen = {**instance.args, **(instance.first if index == 0 else {})}
    given = {**outer, "index": index}
    scope: dict[str, Value] = {**spec_vars, "index": index}
    block, name = instance.block, instance.name
    for key, default in block.params.items():
        if key in chosen:
            from_first = index == 0 and key in instance.first
            where = (*instance.path, *(("first",) if from_first else ()), key)
            scope[key] = resolve(chosen[key], where, given, marks, name)
        elif default is None:
            message = f"block '{block.name}' needs parameter '{key}'"
            raise SpecError(message, marks.at(instance.path), name)
        else:
            where = ("blocks", block.name, "params", key)
            scope[key] = resolve(default, where, scope, marks, name)
    return scope
