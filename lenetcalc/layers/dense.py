"""Fully connected layers: dense (weighted sum) and LeNet-5's Euclidean RBF output."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING

from ..expr import ZERO, Expr, Named, Num
from ..geometry import ReceptiveField, Shape
from ..spec.fields import Fields
from .base import ACTIVATIONS, Layer, Sample, full_map_axes, random_map, size_of

if TYPE_CHECKING:
    from ..witness.arrays import Array, Generator, Params


@dataclass(frozen=True, kw_only=True)
class FullyConnected(Layer):
    """A layer whose every unit reads every input value (flattening implicitly)."""

    units: int

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        return (Num(self.units, "units"),)

    def _weights(self, x: Shape) -> Expr:
        return size_of(x) * Num(self.units, "units")

    def macs(self, x: Shape) -> Expr:
        # One MAC per weight: each weight is used once per sample.
        return self._weights(x)

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        axes = full_map_axes(x)
        if axes:
            return rf.through(axes)
        return rf.whole or rf


@dataclass(frozen=True, kw_only=True)
class Dense(FullyConnected):
    """units = activation(W·x + b)."""

    type_name = "dense"
    bias: bool = True
    activation: str = "identity"

    @classmethod
    def parse(cls, name: str, f: Fields) -> Dense:
        return cls(
            name=name,
            units=f.integer("units"),
            bias=f.flag("bias", True),
            activation=f.choice("activation", ACTIVATIONS, "identity"),
        )

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        x = rng.choice([[rng.randint(1, 30)], random_map(rng)])
        return x, [
            {
                "name": "t",
                "type": cls.type_name,
                "units": rng.randint(1, 9),
                "bias": rng.random() < 0.5,
                "activation": rng.choice(ACTIVATIONS),
            }
        ]

    def trainable_params(self, x: Shape) -> Expr:
        return (size_of(x) + Num(int(self.bias), "bias")) * Num(self.units, "units")

    def non_trainable_params(self, x: Shape) -> Expr:
        return ZERO

    def connections(self, x: Shape) -> Expr:
        # Each weight and bias is used exactly once per sample.
        return self.trainable_params(x)

    def flops(self, x: Shape) -> Expr:
        flops = 2 * Named("MACs", self.macs(x))
        return flops + Num(self.units, "units") if self.bias else flops

    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        from math import prod

        from ..witness.arrays import Param, uniform

        n_in = prod(shape)
        params = {"weight": Param(uniform(rng, (n_in, self.units), n_in), True)}
        if self.bias:
            params["bias"] = Param(uniform(rng, (self.units,), 1), True)
        return params

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        from ..witness.arrays import activated

        z, macs = self.witness_sum(x, params)
        return activated(self.activation, z, fresh=True), macs

    def witness_count(self, shape: Shape, params: Params) -> int:
        """One unit's weighted sum on ones (its inputs), times the units the weight array
        has, plus one per bias: the same count without a ones copy of the whole matrix."""
        import numpy as np

        w = params["weight"].value
        column = np.ones((w.shape[0], 1))
        per_unit = np.ones((1, w.shape[0])) @ column
        bias = params["bias"].value.size if "bias" in params else 0
        return int(per_unit.sum()) * int(w.shape[1]) + int(bias)

    def witness_sum(self, x: Array, params: Params) -> tuple[Array, int]:
        flat = x.reshape(x.shape[0], -1)
        w = params["weight"].value
        y = flat @ w
        return (y + params["bias"].value if "bias" in params else y), flat.shape[0] * w.size


@dataclass(frozen=True, kw_only=True)
class RBF(FullyConnected):
    """Euclidean RBF units: y_i = Σ_j (x_j − w_ij)², prototypes fixed unless trainable."""

    type_name = "rbf"
    trainable: bool = False

    @classmethod
    def parse(cls, name: str, f: Fields) -> RBF:
        return cls(name=name, units=f.integer("units"), trainable=f.flag("trainable", False))

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        x = rng.choice([[rng.randint(1, 30)], random_map(rng)])
        return x, [
            {
                "name": "t",
                "type": cls.type_name,
                "units": rng.randint(1, 9),
                "trainable": rng.random() < 0.5,
            }
        ]

    def trainable_params(self, x: Shape) -> Expr:
        return self._weights(x) if self.trainable else ZERO

    def non_trainable_params(self, x: Shape) -> Expr:
        return ZERO if self.trainable else self._weights(x)

    def connections(self, x: Shape) -> Expr:
        # One connection per prototype component; there is no bias.
        return self._weights(x)

    def flops(self, x: Shape) -> Expr:
        # Subtract, square and accumulate: three per MAC.
        return 3 * Named("MACs", self.macs(x))

    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        from math import prod

        import numpy as np

        from ..witness.arrays import Param, uniform

        prototypes = np.sign(uniform(rng, (self.units, prod(shape)), 1))  # ±1, like LeNet's
        return {"prototypes": Param(prototypes, self.trainable)}

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        # ||x − w||² = ||x||² − 2 x·w + ||w||², so the one contraction is x·w.
        dot, macs = self.witness_sum(x, params)
        flat = x.reshape(x.shape[0], -1)
        w = params["prototypes"].value
        return (flat * flat).sum(1, keepdims=True) - 2 * dot + (w * w).sum(1), macs

    def witness_sum(self, x: Array, params: Params) -> tuple[Array, int]:
        """x·w_i for each prototype: the weighted sum inside ||x − w_i||²."""
        flat = x.reshape(x.shape[0], -1)
        w = params["prototypes"].value
        return flat @ w.T, flat.shape[0] * w.size
