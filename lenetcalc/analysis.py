"""`analyze(network) -> Report`: per-layer records and totals, plain ints only."""

from __future__ import annotations

from dataclasses import dataclass, fields
from math import prod

from .expr import Expr
from .network import Network
from .shapes import ReceptiveField, Shape


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


def analyze(network: Network) -> Report:
    """Account for every layer of `network`."""
    shapes = network.shapes()
    rf = ReceptiveField.of_input() if len(network.input_shape) == 3 else None
    records = []
    for layer, x, y in zip(network.layers, shapes[:-1], shapes[1:], strict=True):
        rf = layer.receptive_field(x, rf) if rf is not None else None
        records.append(
            LayerRecord(
                name=layer.name,
                type=layer.type_name,
                input_shape=x,
                output_shape=y,
                trainable_params=layer.trainable_params(x).value(),
                non_trainable_params=layer.fixed_params(x).value(),
                connections=layer.connections(x).value(),
                macs=layer.macs(x).value(),
                flops=layer.flops(x).value(),
                activations=prod(y),
                rf_size=_pair(rf.size) if rf else None,
                rf_jump=_pair(rf.jump) if rf else None,
            )
        )
    totals = Counts(**{name: sum(getattr(r, name) for r in records) for name in COUNTS})
    return Report(
        network.name,
        network.input_shape,
        shapes[-1],
        tuple(records),
        totals,
        network.description,
        network.source,
    )


def _pair(exprs: tuple[Expr, Expr]) -> tuple[int, int]:
    return (exprs[0].value(), exprs[1].value())
