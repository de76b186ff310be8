"""Layers without weights that only reshape or squash: flatten and activation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..expr import ZERO, Expr
from ..geometry import ReceptiveField, Shape
from ..spec.fields import Fields
from .base import (
    ACTIVATIONS,
    Sample,
    Settingless,
    ShapeKeeping,
    Weightless,
    full_map_axes,
    random_input,
    random_map,
    size_of,
)

if TYPE_CHECKING:
    from random import Random  # annotations only: random loads with the tests

    from ..witness.arrays import Array, Params


@dataclass(frozen=True, kw_only=True)
class Flatten(Settingless, Weightless):
    """Reshape to a vector of C·H·W values."""

    type_name = "flatten"

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        return random_map(rng), [{"name": "t", "type": cls.type_name}]

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        return (size_of(x),)

    def flops(self, x: Shape) -> Expr:
        return ZERO  # a reshape moves no values

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        # Each flattened unit keeps its own field; remember the whole map's for dense.
        axes = full_map_axes(x)
        return replace(rf.kept(), whole=rf.through(axes)) if axes else rf.kept()

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        return x.reshape(x.shape[0], -1), 0


@dataclass(frozen=True, kw_only=True)
class Activation(Weightless, ShapeKeeping):
    """An element-wise squashing function (softmax: across the vector)."""

    type_name = "activation"
    function: str

    @classmethod
    def parse(cls, name: str, f: Fields) -> Activation:
        return cls(name=name, function=f.choice("function", ACTIVATIONS))

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        x = random_input(rng)
        return x, [{"name": "t", "type": cls.type_name, "function": rng.choice(ACTIVATIONS)}]

    def flops(self, x: Shape) -> Expr:
        return ZERO  # activation functions are not counted (conventions.md)

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        from ..witness.arrays import activated

        return activated(self.function, x, fresh=True), 0  # in place only when writeable
