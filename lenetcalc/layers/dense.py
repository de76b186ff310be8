"""Fully connected layers: dense (weighted sum) and LeNet-5's Euclidean RBF output."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..expr import ZERO, Expr, Named, Num
from ..geometry import ReceptiveField, Shape
from ..spec.fields import Fields
from .base import (
    ACTIVATIONS,
    Layer,
    Sample,
    full_map_axes,
    random_input,
    random_tokens,
    size_of,
)

if TYPE_CHECKING:
    from random import Random  # annotations only: random loads with the tests

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

    def product_macs(self, x: Shape) -> Expr:
        return ZERO  # every product has a weight (or prototype) operand

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        axes = full_map_axes(x)
        if axes:
            return rf.through(axes)
        return rf.whole or rf.kept()


@dataclass(frozen=True, kw_only=True)
class Dense(FullyConnected):
    """units = activation(W·x + b); on tokens, applied to each token (as nn.Linear)."""

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
        x = rng.choice([random_input(rng), random_tokens(rng)])
        return x, [
            {
                "name": "t",
                "type": cls.type_name,
                "units": rng.randint(1, 9),
                "bias": rng.random() < 0.5,
                "activation": rng.choice(ACTIVATIONS),
            }
        ]

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        if len(x) == 2:
            return (Num(x[0], "T"), Num(self.units, "units"))
        return super().output_shape(x)

    def _fan_in(self, x: Shape) -> Expr:
        """Values one unit reads: a token's features, or the whole (flattened) input."""
        return Num(x[1], "D") if len(x) == 2 else size_of(x)

    def _uses(self, x: Shape) -> Expr:
        """How often each weight is used per sample: once per token, else once."""
        return Num(x[0], "T") if len(x) == 2 else Num(1)

    def trainable_params(self, x: Shape) -> Expr:
        return (self._fan_in(x) + Num(int(self.bias), "bias")) * Num(self.units, "units")

    def non_trainable_params(self, x: Shape) -> Expr:
        return ZERO

    def connections(self, x: Shape) -> Expr:
        # Each weight and bias is used once per sample (per token on tokens).
        params = self.trainable_params(x)
        return Named("params", params) * self._uses(x) if len(x) == 2 else params

    def macs(self, x: Shape) -> Expr:
        # One MAC per weight per use.
        weights = self._fan_in(x) * Num(self.units, "units")
        return weights * self._uses(x) if len(x) == 2 else weights

    def flops(self, x: Shape) -> Expr:
        flops = 2 * Named("MACs", self.macs(x))
        if not self.bias:
            return flops
        bias_adds = Num(self.units, "units")
        return flops + (bias_adds * self._uses(x) if len(x) == 2 else bias_adds)

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        return rf if len(x) == 2 else super().receptive_field(x, rf)

    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        from math import prod

        from ..witness.arrays import Param, uniform

        n_in = shape[1] if len(shape) == 2 else prod(shape)
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
        rows = shape[0] if len(shape) == 2 else 1  # tokens: the matrix is applied per token
        return rows * (int(per_unit.sum()) * int(w.shape[1]) + int(bias))

    def witness_sum(self, x: Array, params: Params) -> tuple[Array, int]:
        # Tokens (N, T, D) keep their token axis; anything else is flattened.
        rows = x.reshape(-1, x.shape[2]) if x.ndim == 3 else x.reshape(x.shape[0], -1)
        w = params["weight"].value
        y = rows @ w  # 2-D, so one BLAS call
        if x.ndim == 3:
            y = y.reshape(x.shape[0], x.shape[1], -1)
        return (y + params["bias"].value if "bias" in params else y), rows.shape[0] * w.size


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
        x = random_input(rng)
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
