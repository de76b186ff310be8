"""Variables, blocks and repeats: a spec's layers expanded into a flat list.

A block is a list of layers with parameters. An instance (`block: NAME` in `layers`)
gives arguments, an optional `repeat` count and `first` (arguments for the first repeat
only). Instance layers are named `name.layer`, or `name.index.layer` with `repeat`. Inside
a block, `in` is the instance's input, and a layer whose `when` is false is left out and
passes its first input through to whoever reads it (a skipped residual add leaves the
main branch).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import SpecError
from .fields import Marks, Path, is_int, suggest
from .substitution import ExpressionError, Value, evaluate, substitute

MAX_LAYERS = 10_000
# Steps of expansion work: one per value visited, ten per `${}` evaluated, one per 100
# characters scanned. Repeating a block over large values costs work, not just layers.
MAX_WORK = 500_000
_INSTANCE = {"block", "name", "repeat", "first"}


class Expander:
    """Expands one spec's `layers` against its `vars` and `blocks`."""

    def __init__(self, doc: Mapping[str, Any], marks: Marks, overrides: Mapping[str, str]) -> None:
        self.marks = marks
        self.work = 0
        self.vars = self._variables(doc.get("vars", {}), overrides)
        self.blocks = self._blocks(doc.get("blocks", {}))
        self.layers: list[dict[str, Any]] = []
        self.outputs: dict[str, str] = {}  # instance name -> the layer that is its output
        self.last = "input"  # the output of what has been expanded so far

    def error(self, path: Path, message: str, layer: str | None = None) -> SpecError:
        """A SpecError at `path` of the source document."""
        return SpecError(message, self.marks.at(path), layer)

    def value(self, value: Any, path: Path, scope: Mapping[str, Value], layer: str | None) -> Any:
        """`value` with every `${...}` inside it evaluated (lists and mappings too)."""
        self.work += 1
        if isinstance(value, str) and "${" in value:
            self.work += len(value) // 100 + 10 * value.count("${")
        if self.work > MAX_WORK:
            raise self.error(
                path, f"expanding the spec takes more than {MAX_WORK:,} steps: refusing", layer
            )
        if isinstance(value, str) and "${" in value:
            try:
                return substitute(value, scope)
            except ExpressionError as e:
                raise self.error(path, f"in {value!r}: {e}", layer) from None
        if isinstance(value, list):
            return [self.value(v, (*path, i), scope, layer) for i, v in enumerate(value)]
        if isinstance(value, dict):
            return {k: self.value(v, (*path, k), scope, layer) for k, v in value.items()}
        return value

    def _variables(self, raw: Any, overrides: Mapping[str, str]) -> dict[str, Value]:
        if not isinstance(raw, dict):
            raise self.error(("vars",), "field 'vars' must map names to values")
        names: dict[str, Value] = {}
        for name, value in raw.items():
            value = self.value(value, ("vars", name), names, None)
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise self.error(("vars", name), f"variable '{name}' must be a number or text")
            names[name] = value
        for name, text in overrides.items():
            if name not in names:
                known = ", ".join(names) or "none"
                raise SpecError(
                    f"--set {name}: the spec has no variable '{name}'"
                    f"{suggest(name, list(names))} (variables: {known})"
                )
            try:
                names[name] = evaluate(text, names)
            except ExpressionError:
                names[name] = text  # plain text, e.g. a layer name
        return names

    def _blocks(self, raw: Any) -> dict[str, dict[str, Any]]:
        if not isinstance(raw, dict):
            raise self.error(("blocks",), "field 'blocks' must map block names to blocks")
        for name, block in raw.items():
            where: Path = ("blocks", name)
            if not isinstance(block, dict) or not isinstance(block.get("layers"), list):
                raise self.error(where, f"block '{name}' must have a list of 'layers'")
            unknown = set(block) - {"params", "layers"}
            if unknown:
                key = sorted(unknown)[0]
                raise self.error(
                    (*where, key),
                    f"unknown field '{key}' in block '{name}'{suggest(key, ['params', 'layers'])}",
                )
            if not isinstance(block.get("params", {}), dict):
                raise self.error((*where, "params"), "a block's 'params' maps names to defaults")
        return raw

    def expand(self, raw_layers: list[Any]) -> list[dict[str, Any]]:
        """The flat layer list; `marks` learns where each expanded layer came from."""
        planned = 0
        for j, entry in enumerate(raw_layers):
            planned += self._count(entry, j)
            if planned > MAX_LAYERS:
                raise self.error(
                    ("layers", j), f"the spec expands to more than {MAX_LAYERS:,} layers"
                )
        for j, entry in enumerate(raw_layers):
            if isinstance(entry, dict) and "block" in entry:
                self._instance(entry, ("layers", j))
            else:
                self._plain(entry, ("layers", j))
        return self.layers

    def _count(self, entry: Any, j: int) -> int:
        if not isinstance(entry, dict) or "block" not in entry:
            return 1
        block = self.blocks.get(entry["block"]) if isinstance(entry["block"], str) else None
        repeat = self.value(entry.get("repeat", 1), ("layers", j, "repeat"), self.vars, None)
        if block is None or not is_int(repeat) or repeat < 1:
            return 1  # reported with its location when the instance is expanded
        return int(repeat) * max(1, len(block["layers"]))  # an empty block still costs work

    def _emit(self, layer: dict[str, Any], source: Path) -> None:
        self.marks.alias(("layers", len(self.layers)), source)
        self.layers.append(layer)

    def _plain(self, entry: Any, path: Path) -> None:
        if not isinstance(entry, dict):
            self._emit(entry, path)  # the layer parser reports it
            return
        layer = self.value(entry, path, self.vars, entry.get("name"))
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

    def _instance(self, entry: dict[str, Any], path: Path) -> None:
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise self.error(path, "a block instance needs a 'name'")
        kind = entry["block"]
        known = ", ".join(self.blocks) or "none defined"
        if not isinstance(kind, str):
            raise self.error(
                (*path, "block"), f"'block' must name a block ({known}), got {kind!r}", name
            )
        if kind not in self.blocks:
            raise self.error(
                (*path, "block"),
                f"unknown block '{kind}'{suggest(str(kind), list(self.blocks))} (blocks: {known})",
                name,
            )
        block = self.blocks[kind]
        params: dict[str, Any] = block.get("params", {})
        args = {k: v for k, v in entry.items() if k not in _INSTANCE}
        first = entry.get("first", {})
        if not isinstance(first, dict):
            raise self.error((*path, "first"), "'first' maps parameters to values", name)
        for key in (*args, *first):
            if key not in params:
                where = (*path, key) if key in args else (*path, "first", key)
                raise self.error(
                    where,
                    f"block '{kind}' has no parameter '{key}'"
                    f"{suggest(key, list(params))} (params: {', '.join(params)})",
                    name,
                )
        repeat = self.value(entry.get("repeat", 1), (*path, "repeat"), self.vars, name)
        if not is_int(repeat) or repeat < 1:
            raise self.error(
                (*path, "repeat"), f"'repeat' must be an integer >= 1, got {repeat!r}", name
            )
        for index in range(repeat):
            chosen = {**args, **(first if index == 0 else {})}
            scope = self._scope(kind, params, chosen, path, name, index)
            prefix = f"{name}.{index}" if "repeat" in entry else name
            self.last = self._block_layers(kind, block, scope, prefix)
        self.outputs[name] = self.last

    def _scope(
        self,
        kind: str,
        params: dict[str, Any],
        chosen: dict[str, Any],
        path: Path,
        name: str,
        index: int,
    ) -> dict[str, Value]:
        scope: dict[str, Value] = {**self.vars, "index": index}
        for key, default in params.items():
            given = key in chosen
            raw = chosen[key] if given else default
            if raw is None:
                raise self.error(path, f"block '{kind}' needs parameter '{key}'", name)
            where = (*path, key) if given else ("blocks", kind, "params", key)
            scope[key] = self.value(raw, where, scope, name)
        return scope

    def _block_layers(
        self, kind: str, block: dict[str, Any], scope: dict[str, Value], prefix: str
    ) -> str:
        """Emit one instance's layers; return the name of its output."""
        resolved: dict[str, str] = {"in": self.last}  # local name -> the layer it stands for
        previous = "in"
        for m, raw in enumerate(block["layers"]):
            source: Path = ("blocks", kind, "layers", m)
            if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
                raise self.error(source, f"each layer of block '{kind}' needs a name")
            if "block" in raw:
                raise self.error((*source, "block"), f"block '{kind}' cannot contain another"
                                 " block: list that block's layers in it instead",
                                 f"{prefix}.{raw['name']}")  # fmt: skip
            local = raw["name"]
            layer = self.value(
                {k: v for k, v in raw.items() if k != "when"}, source, scope, f"{prefix}.{local}"
            )
            wanted = self.value(raw.get("inputs", [previous]), (*source, "inputs"), scope, local)
            wanted = [wanted] if isinstance(wanted, str) else wanted
            if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
                raise self.error(
                    (*source, "inputs"),
                    f"'inputs' must be a layer name or a list of them, got {wanted!r}",
                )
            inputs = []
            for i, w in enumerate(wanted):
                if w not in resolved:
                    raise self.error(
                        (*source, "inputs", i),
                        f"'{w}' is not a layer above in block"
                        f" '{kind}'{suggest(w, list(resolved))} (use 'in' for the block's input)",
                    )
                inputs.append(resolved[w])
            when = self.value(raw.get("when", True), (*source, "when"), scope, local)
            if not when:
                resolved[local] = inputs[0]  # left out: readers get its (first) input
            else:
                resolved[local] = layer["name"] = f"{prefix}.{local}"
                layer["inputs"] = inputs
                self._emit(layer, source)
            previous = local
        return resolved[previous]


def _name_of(layer: Any) -> Any:
    """A layer entry's name, or None for an entry that is not a mapping (reported later)."""
    return layer.get("name") if isinstance(layer, dict) else None
