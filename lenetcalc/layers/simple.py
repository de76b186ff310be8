"""Layers without weights that only reshape or squash: flatten and activation."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..expr import Expr
from ..geometry import ReceptiveField, Shape
from ..spec.fields import Fields
from .base import ACTIVATIONS, Layer, full_map_axes, size_of


@dataclass(frozen=True, kw_only=True)
class Flatten(Layer):
    """Reshape to a vector of C·H·W values."""

    type_name = "flatten"

    @classmethod
    def parse(cls, name: str, f: Fields) -> Flatten:
        return cls(name=name)

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        return (size_of(x),)

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        # Each flattened unit keeps its own field; remember the whole map's for dense.
        axes = full_map_axes(x)
        return replace(rf, whole=rf.through(axes)) if axes else rf


@dataclass(frozen=True, kw_only=True)
class Activation(Layer):
    """An element-wise squashing function (softmax: across the vector)."""

    type_name = "activation"
    function: str

    @classmethod
    def parse(cls, name: str, f: Fields) -> Activation:
        return cls(name=name, function=f.choice("function", ACTIVATIONS))
