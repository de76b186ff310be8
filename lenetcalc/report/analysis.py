"""`analyze(network) -> Report`: per-layer records and totals, plain ints only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
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


def analyze(network: Network) -> Report:
    """Account for every layer of `network`."""
    records = tuple(record(step) for step in walk(network))
    totals = Counts(**{name: sum(getattr(r, name) for r in records) for name in COUNTS})
    return Report(
        network.name,
        network.input_shape,
        records[-1].output_shape,
        records,
        totals,
        network.description,
        network.source,
    )


def record(step: Step) -> LayerRecord:
    """Evaluate every figure of one walked layer."""
    layer, x, rf = step.layer, step.input_shape, step.rf_out
    return LayerRecord(
        name=layer.name,
        type=layer.type_name,
        input_shape=x,
        output_shape=step.output_shape,
        trainable_params=layer.trainable_params(x).value(),
        non_trainable_params=layer.non_trainable_params(x).value(),
        connections=layer.connections(x).value(),
        macs=layer.macs(x).value(),
        flops=layer.flops(x).value(),
        activations=prod(step.output_shape),
        rf_size=_pair(rf.size) if rf else None,
        rf_jump=_pair(rf.jump) if rf else None,
        inputs=step.inputs,
    )


def _pair(exprs: tuple[Expr, Expr]) -> tuple[int, int]:
    return (exprs[0].value(), exprs[1].value())


def fold(report: Report, depth: int) -> Report:
    """Rows folded to the first `depth` parts of their dotted names, with subtotals.

    Consecutive layers that share that prefix become one row: their additive figures
    summed, the first one's input, the last one's output and receptive field.
    """
    groups: list[list[LayerRecord]] = []
    keys: list[str] = []
    for r in report.layers:
        key = ".".join(r.name.split(".")[:depth])
        if keys and keys[-1] == key:
            groups[-1].append(r)
        else:
            groups.append([r])
            keys.append(key)
    rows = tuple(_folded(key, members) for key, members in zip(keys, groups, strict=True))
    return replace(report, layers=rows)


def _folded(key: str, members: list[LayerRecord]) -> LayerRecord:
    if len(members) == 1 and members[0].name == key:
        return members[0]
    first, last = members[0], members[-1]
    return LayerRecord(
        **{name: sum(getattr(m, name) for m in members) for name in COUNTS},
        name=key,
        type=f"{len(members)} layers",
        input_shape=first.input_shape,
        output_shape=last.output_shape,
        rf_size=last.rf_size,
        rf_jump=last.rf_jump,
        inputs=first.inputs,
    )
