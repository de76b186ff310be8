"""`analyze(network) -> Report`: per-layer records and totals, plain ints only."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from math import prod
from typing import Any

from ..expr import Expr
from ..geometry import ReceptiveField, Shape
from ..layers import Layer
from ..spec.network import Network


@dataclass(frozen=True)
class Counts:
    """The additive figures: a layer's own, or their sums over a network (totals)."""

    trainable_params: int
    non_trainable_params: int
    connections: int
    macs: int
    product_macs: int
    flops: int
    activations: int

    @property
    def params(self) -> int:
        """Trainable plus non-trainable parameters."""
        return self.trainable_params + self.non_trainable_params


@dataclass(frozen=True)
class LayerRecord(Counts):
    """Every figure of one layer; `activations` is its output element count."""

    name: str
    type: str
    input_shape: Shape
    output_shape: Shape
    # Receptive field size and jump (height, width) in input pixels; None for vector input.
    rf_size: tuple[int, int] | None
    rf_jump: tuple[int, int] | None
    # The layers this one reads ("input" for the network input).
    inputs: tuple[str, ...] = ()


# Names of the additive figures, in report order.
COUNTS = tuple(f.name for f in fields(Counts))


@dataclass(frozen=True)
class Report:
    """The accounting of a whole network."""

    name: str
    input_shape: Shape
    output_shape: Shape
    layers: tuple[LayerRecord, ...]
    totals: Counts
    description: str = ""
    source: str = ""
    # Name prefixes that stand for a block instance (Network.blocks), for `fold`.
    blocks: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The report as `--format json` writes it (schemas/lenetcalc.schema.json)."""
        from ..present.jsonout import report_to_dict

        return report_to_dict(self)

    def to_markdown(self) -> str:
        """The per-layer table and totals block as `--format markdown` writes them."""
        from ..present.api import report_markdown

        return report_markdown(self)


@dataclass(frozen=True)
class Step:
    """One layer as the walk meets it: its input and output shapes and fields."""

    layer: Layer
    input_shape: Shape
    output_shape: Shape
    rf_in: ReceptiveField | None
    rf_out: ReceptiveField | None
    inputs: tuple[str, ...] = ()


def walk(network: Network) -> Iterator[Step]:
    """The layers in order, each with the shapes and receptive fields around it."""
    spatial = len(network.input_shape) == 3
    fields = network.values(ReceptiveField.of_input() if spatial else None)
    for i, (layer, (x, y)) in enumerate(zip(network.layers, network.trace(), strict=True)):
        rf_in = ReceptiveField.union(fields.read(i)) if spatial else None
        rf_out = layer.receptive_field(x, rf_in) if rf_in is not None else None
        fields.store(i, rf_out)
        yield Step(layer, x, y, rf_in, rf_out, network.input_names(i))


class Memo:
    """Figures of layers already evaluated, by hyper-parameters and input shape.

    A figure method is a function of the layer's fields (its name aside, and of its inputs
    only how many there are: an add of three sums twice) and the incoming shape, so a deep
    network of repeated blocks evaluates each distinct layer once; the rest cost a
    dictionary lookup. Only plain values are kept.
    """

    def __init__(self) -> None:
        self._counts: dict[object, tuple[int, int, int, int, int, int]] = {}

    def counts(self, layer: Layer, x: Shape) -> tuple[int, int, int, int, int, int]:
        """Trainable and non-trainable parameters, connections, MACs, product MACs, FLOPs."""
        key = _key(layer, x)
        found = self._counts.get(key) if key is not None else None
        if found is None:
            found = (
                layer.trainable_params(x).value(),
                layer.non_trainable_params(x).value(),
                layer.connections(x).value(),
                layer.macs(x).value(),
                layer.product_macs(x).value(),
                layer.flops(x).value(),
            )
            if key is not None:
                self._counts[key] = found
        return found


def _key(layer: Layer, extra: object) -> object:
    """The layer's type and fields bar its name and which inputs it reads (how many stays),
    with `extra`; None if a field cannot be hashed."""
    try:
        own = tuple(v for k, v in vars(layer).items() if k != "name" and k != "inputs")
        key = (type(layer), own, len(layer.inputs), extra)
        hash(key)
    except TypeError:  # a slotted layer class, or a list among the fields
        return None
    return key


def analyze(network: Network) -> Report:
    """Account for every layer of `network`."""
    memo = Memo()
    records = tuple(record(step, memo) for step in walk(network))
    totals = Counts(**{name: sum(getattr(r, name) for r in records) for name in COUNTS})
    return Report(
        network.name,
        network.input_shape,
        records[-1].output_shape,
        records,
        totals,
        network.description,
        network.source,
        network.blocks,
    )


def record(step: Step, memo: Memo | None = None) -> LayerRecord:
    """Evaluate every figure of one walked layer."""
    layer, x, rf = step.layer, step.input_shape, step.rf_out
    trainable, fixed, connections, macs, product_macs, flops = (memo or Memo()).counts(layer, x)
    return LayerRecord(
        name=layer.name,
        type=layer.type_name,
        input_shape=x,
        output_shape=step.output_shape,
        trainable_params=trainable,
        non_trainable_params=fixed,
        connections=connections,
        macs=macs,
        product_macs=product_macs,
        flops=flops,
        activations=prod(step.output_shape),
        rf_size=_pair(rf.size) if rf else None,
        rf_jump=_pair(rf.jump) if rf else None,
        inputs=step.inputs,
    )


def _pair(exprs: tuple[Expr, Expr]) -> tuple[int, int]:
    return (exprs[0].value(), exprs[1].value())


def prefix_groups(names: list[str], depth: int) -> tuple[list[str], list[tuple[int, int]]]:
    """Consecutive names that share their first `depth` dotted parts, as (prefix, span)
    pairs: `layer1.0.conv1`, `layer1.0.bn1` at depth 1 are one group, `layer1`."""
    keys: list[str] = []
    spans: list[tuple[int, int]] = []
    for i, name in enumerate(names):
        key = ".".join(name.split(".")[:depth])
        if keys and keys[-1] == key:
            spans[-1] = (spans[-1][0], i + 1)
        else:
            keys.append(key)
            spans.append((i, i + 1))
    return keys, spans


def fold(report: Report, depth: int) -> Report:
    """Rows folded to the first `depth` parts of their dotted names, with subtotals.

    Consecutive layers that share that prefix become one row: their additive figures
    summed, the first one's input, the last one's output and receptive field, typed as
    the block instance the prefix stands for. Inputs name rows of the folded table.
    """
    keys, spans = prefix_groups([r.name for r in report.layers], depth)
    groups = [list(report.layers[start:end]) for start, end in spans]
    row_of = {m.name: key for key, members in zip(keys, groups, strict=True) for m in members}
    rows = tuple(
        _folded(key, members, report.blocks, row_of)
        for key, members in zip(keys, groups, strict=True)
    )
    return replace(report, layers=rows)


def _folded(
    key: str, members: list[LayerRecord], blocks: Mapping[str, str], row_of: dict[str, str]
) -> LayerRecord:
    if len(members) == 1 and members[0].name == key:
        return replace(members[0], inputs=tuple(row_of.get(n, n) for n in members[0].inputs))
    first, last = members[0], members[-1]
    inside = {m.name for m in members}
    outside = (row_of.get(n, n) for m in members for n in m.inputs if n not in inside)
    return LayerRecord(
        **{name: sum(getattr(m, name) for m in members) for name in COUNTS},
        name=key,
        type=blocks.get(key, f"{len(members)} layers"),
        input_shape=first.input_shape,
        output_shape=last.output_shape,
        rf_size=last.rf_size,
        rf_jump=last.rf_jump,
        inputs=_unique(outside),
    )


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    """Names in first-seen order, each once."""
    return tuple(dict.fromkeys(names))
