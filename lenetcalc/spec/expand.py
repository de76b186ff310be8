"""Blocks and repeats: a spec's `layers` expanded into a flat list of layer entries.

A block is a list of layers with parameters; an instance (`block: NAME` among layers)
gives arguments, an optional `repeat` count and `first` (arguments for the first copy
only). Blocks may contain instances of other blocks (blocks.py checks the nesting).
Layers are named by their path: `name.layer`, `name.index.layer` with `repeat`, and so on
down (`stage2.0.block1.conv1`). Inside a block, `in` is the instance's input, and a layer
or instance whose `when` is false is left out and passes its first input through to
whoever reads it (a skipped residual add leaves the main branch).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import SpecError
from .blocks import Block, is_instance, read_blocks, unknown_block
from .budget import Budget, values_in
from .fields import Marks, Path, suggest
from .instance import copy_scope, read_instance
from .scope import Scope, resolve, variables


class Expander:
    """Expands one spec's `layers` against its `vars` and `blocks`."""

    def __init__(self, doc: Mapping[str, Any], marks: Marks, overrides: Mapping[str, str]) -> None:
        self.marks = marks
        self.vars = variables(doc.get("vars", {}), overrides, marks)
        self.blocks = read_blocks(doc.get("blocks", {}), marks)
        self.budget = Budget(marks)
        self.layers: list[dict[str, Any]] = []
        self.names: set[str] = {"input"}  # what a spec-level instance may name as `inputs`
        self.outputs: dict[str, str] = {}  # spec-level instance name -> the layer it outputs
        self.groups: dict[str, str] = {}  # name prefix -> the block instance it stands for
        self.last = "input"  # the output of what has been expanded so far

    def expand(self, raw_layers: list[Any]) -> list[dict[str, Any]]:
        """The flat layer list; `marks` learns where each expanded layer came from."""
        for j, entry in enumerate(raw_layers):
            path: Path = ("layers", j)
            self.budget.spend(path, None, values_in(entry))
            if is_instance(entry):
                self._spec_instance(entry, path)
            else:
                self._plain(entry, path)
        return self.layers

    def error(self, path: Path, message: str, layer: str | None = None) -> SpecError:
        """A SpecError at `path` of the source document."""
        return SpecError(message, self.marks.at(path), layer)

    def _emit(self, layer: Any, source: Path) -> None:
        self.marks.alias(("layers", len(self.layers)), source)
        self.layers.append(layer)
        if isinstance(layer, dict) and isinstance(layer.get("name"), str):
            self.names.add(layer["name"])

    def _plain(self, entry: Any, path: Path) -> None:
        """A layer listed in the spec's `layers`; a name of an instance reads its output."""
        if not isinstance(entry, dict):
            self._emit(entry, path)  # the layer parser reports it
            return
        layer = resolve(entry, path, self.vars, self.marks, entry.get("name"))
        inputs = layer.get("inputs")
        if inputs is not None:
            named = [inputs] if isinstance(inputs, str) else inputs
            if isinstance(named, list):
                layer["inputs"] = [
                    self.outputs.get(n, n) if isinstance(n, str) else n for n in named
                ]
        elif self.layers and self.last != _name_of(self.layers[-1]):
            layer["inputs"] = [self.last]  # the block before ended in a left-out layer
        self._emit(layer, path)
        self.last = layer.get("name", self.last)

    def _spec_instance(self, entry: dict[str, Any], path: Path) -> None:
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise self.error(path, "a block instance needs a 'name'")
        if name == "input":  # `inputs: input` names the network's input
            raise self.error(
                (*path, "name"), "'input' names the network's input: call this instance otherwise"
            )
        source = self._spec_instance_input(entry, path, name)
        self.last = self.outputs[name] = self._instance(entry, path, self.vars, name, source)

    def _spec_instance_input(self, entry: dict[str, Any], path: Path, name: str) -> str:
        """What a spec-level instance reads: the layer above, or the one its `inputs` names."""
        if "inputs" not in entry:
            return self.last
        wanted = _one_name(resolve(entry["inputs"], (*path, "inputs"), self.vars, self.marks, name))
        if wanted is None:
            raise self.error((*path, "inputs"), _ONE_INPUT, name)
        if wanted in self.outputs:
            return self.outputs[wanted]
        if wanted not in self.names:
            known = sorted(self.names | set(self.outputs))
            message = (
                f"input '{wanted}' is not a layer or block instance above{suggest(wanted, known)}"
            )
            raise self.error((*path, "inputs"), message, name)
        return wanted

    def _when(self, entry: dict[str, Any], path: Path, scope: Scope, name: str) -> bool:
        """An entry's `when`: true (the default) or false, nothing else ("no" is text)."""
        value = resolve(entry.get("when", True), (*path, "when"), scope, self.marks, name)
        if not isinstance(value, bool):
            raise self.error((*path, "when"), f"'when' must be true or false, got {value!r}", name)
        return value

    def _instance(
        self, entry: dict[str, Any], path: Path, outer: Scope, name: str, source: str
    ) -> str:
        """Emit every copy of one instance reading `source`; return its output's name."""
        unknown_block(entry["block"], self.blocks, (*path, "block"), self.marks, name)
        instance = read_instance(entry, path, self.blocks[entry["block"]], name, outer, self.marks)
        if not self._when(entry, path, outer, name):
            return source  # left out, like a layer
        copies = instance.repeat or 1
        self.budget.plan(copies, instance.block.size, instance.block.values, path, name)
        self.groups[name] = instance.describe()
        for index in range(copies):
            prefix = instance.prefix(index)
            self.groups.setdefault(prefix, f"block {instance.block.name}")
            scope = copy_scope(instance, index, outer, self.vars, self.marks)
            source = self._copy(instance.block, scope, prefix, source)
        return source

    def _copy(self, block: Block, scope: Scope, prefix: str, source: str) -> str:
        """Emit one copy of a block's layers reading `source`; return its output's name."""
        resolved = {"in": source}  # local name -> the layer it stands for
        previous = "in"
        for m, raw in enumerate(block.layers):
            path = block.path(m)
            if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
                raise self.error(path, f"each layer of block '{block.name}' needs a name")
            local = raw["name"]
            full = f"{prefix}.{local}"
            self.budget.spend(path, full, values_in(raw))
            inputs = self._local_inputs(raw, path, scope, resolved, previous, block)
            if is_instance(raw):
                if len(inputs) != 1:
                    raise self.error((*path, "inputs"), _ONE_INPUT, full)
                resolved[local] = self._instance(raw, path, scope, full, inputs[0])
            else:
                resolved[local] = self._layer(raw, path, scope, full, inputs)
            previous = local
        return resolved[previous]

    def _local_inputs(
        self,
        raw: dict[str, Any],
        path: Path,
        scope: Scope,
        resolved: dict[str, str],
        previous: str,
        block: Block,
    ) -> list[str]:
        """The layers a block's layer reads, from its local `inputs` (default: the one above)."""
        wanted = raw.get("inputs", [previous])
        wanted = [wanted] if isinstance(wanted, str) else wanted
        if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
            raise self.error(
                (*path, "inputs"),
                f"'inputs' must be a layer name or a list of them, got {wanted!r}",
            )
        inputs = []
        for i, w in enumerate(resolve(wanted, (*path, "inputs"), scope, self.marks, raw["name"])):
            if w not in resolved:
                raise self.error(
                    (*path, "inputs", i),
                    f"'{w}' is not a layer above in block '{block.name}'"
                    f"{suggest(str(w), list(resolved))} (use 'in' for the block's input)",
                )
            inputs.append(resolved[w])
        return inputs

    def _layer(
        self, raw: dict[str, Any], path: Path, scope: Scope, full: str, inputs: list[str]
    ) -> str:
        """Emit one layer of a copy unless `when` leaves it out; return what it stands for."""
        if not self._when(raw, path, scope, full):
            return inputs[0]  # left out: readers get its (first) input
        fields = {k: v for k, v in raw.items() if k != "when"}
        layer = resolve(fields, path, scope, self.marks, full)
        layer["name"], layer["inputs"] = full, inputs
        self._emit(layer, path)
        return full


_ONE_INPUT = "a block instance reads one layer: 'inputs' names it (the block's 'in')"


def _one_name(value: Any) -> str | None:
    """The one name in `inputs` (a name or a one-name list), else None."""
    names = [value] if isinstance(value, str) else value
    if isinstance(names, list) and len(names) == 1 and isinstance(names[0], str) and names[0]:
        return names[0]
    return None


def _name_of(layer: Any) -> Any:
    """A layer entry's name, or None for an entry that is not a mapping (reported later)."""
    return layer.get("name") if isinstance(layer, dict) else None
