"""YAML text to a validated `Network`, every error located by file, line and column."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import yaml

from ..errors import GeometryError, Location, SpecError, one_line
from ..layers import ACTIVATIONS, LAYER_TYPES, Layer
from .budget import MAX_LAYERS
from .expand import Expander
from .fields import Fields, Marks, Path, is_int, suggest
from .network import INPUT, Network, channels_last_hint
from .scope import resolve
from .substitution import MAX_DIGITS
from .torchcalls import torch_field

# Resource limits. They bound the work, which is linear in YAML values (after alias
# expansion): 200,000 values for any file, plus VALUES_PER_LAYER for each mapping listed at
# the top level (a layer), up to the layer cap. So a spec of 100,000 flat layers can be
# summarised (about 7 MB, 1.1 million values), while a file of values that are not
# layers, or an alias bomb, is refused after 200,000 as before.
MAX_NODES = 200_000  # also counted after alias expansion ("billion laughs")
VALUES_PER_LAYER = 24  # name, type and ten fields, or fewer fields with lists
MAX_BUDGET = MAX_NODES + VALUES_PER_LAYER * MAX_LAYERS
MAX_DEPTH = 64
# libyaml parses ~5x faster; the pure-Python loader is the fallback without it.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # line breaks, as YAML 1.1 counts them


def load_text(text: str, file: str, overrides: Mapping[str, str] | None = None) -> Network:
    """Parse and validate spec text; `file` is the name errors give."""
    if "\x00" in text:
        raise SpecError("binary data (NUL byte), not a YAML spec", Location(file))
    marks = Marks(file)
    return _network(_plain_values(text, marks), marks, overrides or {})


def _plain_values(text: str, marks: Marks) -> Any:
    """The spec as plain values, each one's location in `marks`. Its own function so that
    PyYAML's node tree (about 4 KB a layer) is freed before the layers are built."""
    node, loader, budget = _compose(text, marks.file)
    return _Walker(loader, marks, budget).build(node, (), 0)


def _check_size(loader: yaml.SafeLoader, file: str) -> int:
    """Refuse deep nesting and too many values from the event stream, before composing;
    return the budget of values (see MAX_NODES) the composed document may expand to.

    The event parser keeps an explicit stack; only composing recurses (libyaml's
    composer crashes the process on very deep input) and costs time per node.
    """
    depth = values = 0
    budget = MAX_NODES
    while (event := loader.get_event()) is not None:  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth == 3 and isinstance(event, yaml.MappingStartEvent):  # layers: [{...}]
                budget = min(budget + VALUES_PER_LAYER, MAX_BUDGET)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            continue
        elif not isinstance(event, yaml.ScalarEvent):
            continue
        values += 1
        if depth > MAX_DEPTH or values > budget:
            mark = event.start_mark
            what = (
                f"YAML nested deeper than {MAX_DEPTH} levels"
                if depth > MAX_DEPTH
                else f"spec has more than {budget:,} YAML values: refusing"
            )
            where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
            raise SpecError(what, where)
    return budget


def _compose(text: str, file: str) -> tuple[yaml.Node, yaml.SafeLoader, int]:
    loader = _Loader(text)
    try:
        budget = _check_size(_Loader(text), file)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)
        if "nesting depth" in str(e.problem):
            # libyaml >= 0.2.6 (PyYAML 6.0.4) refuses deep flow nesting in its scanner,
            # which reads ahead of the events our own check sees: state our limit.
            raise SpecError(f"YAML nested deeper than {MAX_DEPTH} levels", where) from None
        hint = ""
        if mark and "\t" in _line(text, mark.line):
            hint = ": YAML indents with spaces, never tabs; replace the tabs with spaces"
        raise SpecError(f"not valid YAML: {e.problem or e.context}{hint}", where) from None
    except yaml.reader.ReaderError as e:  # a character YAML forbids; it has no mark
        line = text.count("\n", 0, e.position) + 1
        column = e.position - text.rfind("\n", 0, e.position)
        code = e.character if isinstance(e.character, int) else ord(e.character)
        raise SpecError(
            f"not valid YAML: character U+{code:04X} is not allowed in YAML",
            Location(file, line, column),
        ) from None
    except yaml.YAMLError as e:
        raise SpecError(f"not valid YAML: {one_line(str(e))}", Location(file)) from None
    except RecursionError:  # only the pure-Python loader gets here
        raise SpecError(f"YAML nested deeper than {MAX_DEPTH} levels", Location(file)) from None
    if node is None:
        raise SpecError("the file is empty: a spec needs name, input and layers", Location(file))
    return node, loader, budget


def _line(text: str, index: int) -> str:
    """Line `index` (from 0) as YAML counts lines, or "" past the end (a mark at the end
    of the stream is one line past the last)."""
    lines = _BREAKS.split(text)
    return lines[index] if index < len(lines) else ""


class _Walker:
    """Turns a YAML node tree into plain values, recording each value's mark."""

    def __init__(self, loader: yaml.SafeLoader, marks: Marks, budget: int = MAX_NODES) -> None:
        self.loader, self.marks, self.nodes, self.budget = loader, marks, 0, budget

    def _where(self, node: yaml.Node) -> Location:
        return Location(self.marks.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.budget:
            raise SpecError(
                f"spec has more than {self.budget:,} YAML values after alias expansion:"
                " refusing (is it an alias bomb?)",
                self._where(node),
            )
        if depth > MAX_DEPTH:
            raise SpecError(f"YAML nested deeper than {MAX_DEPTH} levels", self._where(node))
        self.marks.values[path] = node.start_mark
        if isinstance(node, yaml.ScalarNode):
            return node.value if node.tag == _STR else self._scalar(node)
        if node.tag not in _PLAIN_TAGS:
            raise SpecError(
                f"unsupported YAML tag {node.tag}: specs use plain values only", self._where(node)
            )
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        return self._mapping(node, path, depth)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        """A tagged or implicitly typed scalar: numbers, booleans, null (others refused)."""
        if node.tag == _INT and len(node.value) > MAX_DIGITS + 30:  # signs, underscores
            raise SpecError(f"integer with more than {MAX_DIGITS} digits", self._where(node))
        try:
            value = self.loader.construct_object(node)
        except yaml.constructor.ConstructorError:
            raise SpecError(
                f"unsupported YAML tag {node.tag}: specs use plain values only", self._where(node)
            ) from None
        except (ValueError, TypeError, AttributeError, KeyError):  # !!float o, !!bool maybe
            kind = node.tag.rsplit(":", 1)[-1]
            raise SpecError(f"{node.value!r} is not a valid {kind}", self._where(node)) from None
        if is_int(value) and value.bit_length() > MAX_DIGITS * 10 // 3:  # 0x..., 1:2:3
            raise SpecError(f"integer with more than {MAX_DIGITS} digits", self._where(node))
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        merges = [value for key, value in node.value if key.tag == _MERGE]
        merged = self._merged(merges, path, depth) if merges else {}
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.build(key_node, (*path, "<key>"), depth + 1)
            if not isinstance(key, str):
                raise SpecError(f"keys must be names, got {key!r}", self._where(key_node))
            if key in out:
                raise SpecError(f"duplicate key '{key}'", self._where(key_node))
            self.marks.keys[(*path, key)] = key_node.start_mark
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return merged | out

    def _merged(self, nodes: list[yaml.Node], path: Path, depth: int) -> dict[str, Any]:
        """The mappings named by `<<` merge keys; the first named wins a clash.

        Built here rather than by PyYAML's flatten_mapping, which copies pairs before any
        count (a merge bomb), so every merged value is counted like any other.
        """
        own_mark = self.marks.values[path]
        sources = [s for n in nodes for s in (n.value if isinstance(n, yaml.SequenceNode) else [n])]
        out: dict[str, Any] = {}
        for source in reversed(sources):  # the first source's values and marks are kept
            if not isinstance(source, yaml.MappingNode):
                raise SpecError(
                    "a merge key '<<' takes a mapping or a list of them", self._where(source)
                )
            out |= self.build(source, path, depth + 1)  # a merge of itself ends at MAX_DEPTH
        self.marks.values[path] = own_mark
        return out


def _network(doc: Any, marks: Marks, overrides: Mapping[str, str]) -> Network:
    if not isinstance(doc, dict):
        raise SpecError("a spec must be a mapping with name, input and layers", marks.at(()))
    f = Fields(doc, (), marks, None, "a spec")
    name = f.text("name")
    description = f.text("description", "")
    source = f.text("source", "")
    f.get("vars", {})
    f.get("blocks", {})
    raw_layers = f.get("layers", None)
    variables = {k: v for k, v in overrides.items() if k != "input"}
    expander = Expander(doc, marks, variables)
    input_shape = _input_shape(f, expander, overrides.get("input"))
    f.finish()
    if not isinstance(raw_layers, list) or not raw_layers:
        raise f.error("layers", "field 'layers' must be a non-empty list of layers")
    expanded = expander.expand(raw_layers)
    if not expanded:
        raise f.error("layers", "no layers are left once `when` has left some out: keep one")
    layers = _layers(expanded, marks)
    sources = _sources(layers, marks)
    network = Network(name, input_shape, layers, description, source, sources, expander.groups)
    try:
        network.trace()
    except GeometryError as e:
        i = e.layer_index or 0
        message = e.message if i else _first_layer(e.message, input_shape)
        raise SpecError(message, marks.at(("layers", i, *e.field)), layers[i].name) from None
    return network


def _first_layer(message: str, shape: tuple[int, ...]) -> str:
    """The first layer reads the network input: say so, and spot channels-last order."""
    message = message.replace("the previous layer's output", "the network's input")
    hint = channels_last_hint(shape)
    return f"{message}; {hint}" if hint else message


def _input_shape(f: Fields, expander: Expander, override: str | None) -> tuple[int, ...]:
    raw = f.get("input", None)
    if override is not None:
        dims = override.lower().split("x")
        if len(dims) not in (1, 2, 3) or not all(_is_count(d) for d in dims):
            raise SpecError(
                f"--set input={override}: write CxHxW (e.g. 1x28x28), TxD for tokens"
                " (e.g. 197x768) or a length"
            )
        return tuple(int(d) for d in dims)
    if raw is None:
        raise f.error(
            "input", "missing required field 'input': [channels, height, width], e.g. [1, 32, 32]"
        )
    value = resolve(raw, ("input",), expander.vars, expander.marks, None)
    if isinstance(value, str) and re.fullmatch(r"\d+(x\d+){1,2}|\d+", value.strip().lower()):
        value = [int(d) for d in value.strip().lower().split("x")]  # 1x32x32, as --set takes
    if (
        not isinstance(value, list)
        or len(value) not in (1, 2, 3)
        or not all(is_int(v) and v >= 1 for v in value)
    ):
        raise f.error(
            "input",
            "field 'input' must be [channels, height, width] (or CxHxW, e.g. 1x32x32),"
            " [tokens, features] or [length],"
            f" positive integers, got {value!r}",
        )
    return tuple(value)


def _is_count(text: str) -> bool:
    """ASCII digits ("²" is a digit to str.isdigit), a positive number, within the cap."""
    return text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS and int(text) > 0


def _layers(raw_layers: list[Any], marks: Marks) -> tuple[Layer, ...]:
    layers: list[Layer] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_layers):
        path: Path = ("layers", i)
        if not isinstance(raw, dict):
            raise SpecError(
                f"layer #{i + 1} must be a mapping with name and type, got {raw!r}",
                marks.at(path),
            )
        f = Fields(raw, path, marks, f"#{i + 1}", "a layer")
        name = f.text("name")
        if name == "input":  # `inputs: input` names the network's input
            raise f.error("name", "'input' names the network's input: call this layer otherwise")
        if name in seen:
            raise f.error("name", f"duplicate layer name '{name}'")
        seen.add(name)
        f.layer = name
        _not_a_type(f, raw.get("type"))
        kind = f.choice("type", list(LAYER_TYPES))
        f.kind = f"type {kind}"
        inputs = _input_names(f)
        layer = LAYER_TYPES[kind].parse(name, f)
        layers.append(replace(layer, inputs=inputs, torch=torch_field(f, layer)))
        f.finish()
    return tuple(layers)


def _not_a_type(f: Fields, value: object) -> None:
    """A value of another field given as the type (`type: softmax`): say where it goes."""
    if isinstance(value, str) and value not in LAYER_TYPES and value in ACTIVATIONS:
        raise f.error(
            "type",
            f"'{value}' is an activation, not a layer type: write `activation: {value}` on"
            f" the layer it follows, or `type: activation` with `function: {value}`",
        )


def _input_names(f: Fields) -> tuple[str, ...]:
    """`inputs`: a layer name or a list of them (`input` is the network's input)."""
    value = f.get("inputs", [])
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise f.error(
            "inputs", f"field 'inputs' must be a layer name or a list of them, got {value!r}"
        )
    return tuple(names)


def _sources(layers: tuple[Layer, ...], marks: Marks) -> tuple[tuple[int, ...], ...]:
    """Resolve input names to earlier layers' indices; () when the spec is a plain chain."""
    if not any(layer.inputs for layer in layers):
        return ()
    index = {layer.name: i for i, layer in enumerate(layers)}
    sources: list[tuple[int, ...]] = []
    for i, layer in enumerate(layers):
        if not layer.inputs:
            sources.append((i - 1,))
            continue
        resolved = []
        for k, name in enumerate(layer.inputs):
            where = marks.at(("layers", i, "inputs", k))
            j = INPUT if name == "input" else index.get(name)
            if j is None:
                hint = suggest(name, list(index))
                raise SpecError(
                    f"input '{name}' is not a layer of this spec{hint}", where, layer.name
                )
            if j >= i:
                raise SpecError(
                    f"input '{name}' is {'this layer' if j == i else 'defined further down'}:"
                    " a layer may only read layers above it (so there can be no cycles)",
                    where,
                    layer.name,
                )
            resolved.append(j)
        sources.append(tuple(resolved))
    return tuple(sources)
