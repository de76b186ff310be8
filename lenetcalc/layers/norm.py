"""Batch and group normalisation, and dropout, as they run at inference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import GeometryError
from ..expr import ZERO, Expr, Num
from ..geometry import Shape
from ..spec.fields import Fields
from .base import (
    Sample,
    Settingless,
    ShapeKeeping,
    Weightless,
    random_input,
    random_map,
    size_of,
    spatial,
)
from .channels import LayerNorm

if TYPE_CHECKING:
    from random import Random  # annotations only: random loads with the tests

    from ..witness.arrays import Array, Generator, Params


@dataclass(frozen=True, kw_only=True)
class BatchNorm(Settingless, ShapeKeeping):
    """Per channel: a trainable scale and shift, and running mean and variance (fixed).

    At inference it is x·a + b per element, a weight use and a bias use.
    """

    type_name = "batchnorm"

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        return random_map(rng), [{"name": "t", "type": cls.type_name}]

    def trainable_params(self, x: Shape) -> Expr:
        return (Num(1, "scale") + Num(1, "shift")) * Num(x[0], "C")

    def non_trainable_params(self, x: Shape) -> Expr:
        return (Num(1, "mean") + Num(1, "variance")) * Num(x[0], "C")

    def connections(self, x: Shape) -> Expr:
        # Each element uses its channel's (folded) scale once and shift once.
        return 2 * size_of(x)

    def macs(self, x: Shape) -> Expr:
        return ZERO  # a per-element scale is not a weighted sum

    def product_macs(self, x: Shape) -> Expr:
        return ZERO

    def flops(self, x: Shape) -> Expr:
        # A multiply and an add per element; no weighted sum, so no MACs.
        return 2 * size_of(x)

    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        from ..witness.arrays import Param, affine_params, uniform

        c = shape[0]
        return {
            **affine_params(rng, c),
            "running_mean": Param(uniform(rng, (c,), 1), False),
            "running_var": Param(rng.uniform(0.5, 2.0, c).astype("float32"), False),
        }

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        import numpy as np

        from ..witness.arrays import per_channel

        # (x − mean)/√(var + ε)·scale + shift, folded per channel into x·a + b: two passes
        # over x instead of five (17 of resnet50's 98 ms forward).
        mean, var = params["running_mean"].value, params["running_var"].value
        a = params["scale"].value / np.sqrt(var + np.float32(1e-5))
        b = params["shift"].value - mean * a
        y = x if x.flags.writeable else np.empty_like(x)  # in place when x is spent
        np.multiply(x, per_channel(a, x), out=y)
        y += per_channel(b, x)
        return y, 0

    def witness_sum(self, x: Array, params: Params) -> tuple[Array, int]:
        """x·scale + shift, per channel: the weight use and bias use of each element."""
        from ..witness.arrays import affine, per_channel

        return affine(x, params, per_channel), 0


@dataclass(frozen=True, kw_only=True)
class GroupNorm(LayerNorm):
    """Normalises each group of C/groups maps over its maps and positions, per sample,
    then a trainable scale and shift per channel (nn.GroupNorm, affine).

    Every figure is layernorm's on a map (2·C params, 2·n_in connections, 7·n_in FLOPs):
    only which values share statistics differs, and no figure counts that.
    """

    type_name = "groupnorm"
    groups: int

    @classmethod
    def parse(cls, name: str, f: Fields) -> GroupNorm:
        return cls(name=name, groups=f.integer("groups"))

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        groups, per_group = rng.randint(1, 4), rng.randint(1, 3)
        x = [groups * per_group, rng.randint(1, 7), rng.randint(1, 7)]
        return x, [{"name": "t", "type": cls.type_name, "groups": groups}]

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        channels = spatial(x, self.type_name)[0]
        if channels % self.groups:
            raise GeometryError(
                f"{self.groups} groups do not divide the {channels} input maps", field=("groups",)
            )
        return tuple(Num(d) for d in x)

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        import numpy as np

        grouped = x.reshape(x.shape[0], self.groups, -1)  # (N, groups, C/groups·H·W)
        centred = grouped - grouped.mean(-1, keepdims=True)
        normal = centred / np.sqrt((centred * centred).mean(-1, keepdims=True) + 1e-5)
        return self.witness_sum(normal.reshape(x.shape), params)


@dataclass(frozen=True, kw_only=True)
class Dropout(Weightless, ShapeKeeping):
    """Zeroes a fraction of units in training; the identity at inference, so it costs nothing."""

    type_name = "dropout"
    rate: float = 0.5

    @classmethod
    def parse(cls, name: str, f: Fields) -> Dropout:
        return cls(name=name, rate=f.fraction("rate", 0.5))

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        x = random_input(rng)
        return x, [{"name": "t", "type": cls.type_name, "rate": rng.randint(0, 99) / 100}]

    def flops(self, x: Shape) -> Expr:
        return ZERO  # the identity at inference

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        return x, 0
