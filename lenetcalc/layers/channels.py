"""Per-channel layers of modern networks: layer norm, layer scale, element-wise multiply
(squeeze-excitation gates), channel slice and channel shuffle (ShuffleNet v2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import GeometryError
from ..expr import ZERO, Expr, Num
from ..geometry import ReceptiveField, Shape
from ..spec.fields import Fields
from .base import (
    Sample,
    Settingless,
    ShapeKeeping,
    Weightless,
    random_map,
    random_tokens,
    size_of,
    spatial,
)
from .merge import _show

if TYPE_CHECKING:
    from random import Random  # annotations only: random loads with the tests

    from ..witness.arrays import Array, Generator, Params


def features(x: Shape) -> Num:
    """The axis a per-channel layer scales: a map's channels, else the last axis."""
    if len(x) == 3:
        return Num(x[0], "C")
    return Num(x[-1], "D" if len(x) == 2 else "n")


def feature_view(v: Array, x: Array) -> Array:
    """A per-channel vector shaped to broadcast against x (channels first for maps)."""
    return v.reshape(1, -1, 1, 1) if x.ndim == 4 else v


def random_any(rng: Random) -> list[int]:
    """A map, tokens or a vector."""
    return rng.choice([random_map(rng), random_tokens(rng), [rng.randint(1, 30)]])


@dataclass(frozen=True, kw_only=True)
class LayerNorm(Settingless, ShapeKeeping):
    """Normalises each position's channels (maps: LayerNorm2d as in ConvNeXt) or each
    token's features to zero mean and unit variance, then a trainable scale and shift."""

    type_name = "layernorm"

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        return random_any(rng), [{"name": "t", "type": cls.type_name}]

    def trainable_params(self, x: Shape) -> Expr:
        return (Num(1, "scale") + Num(1, "shift")) * features(x)

    def non_trainable_params(self, x: Shape) -> Expr:
        return ZERO  # statistics come from each sample: nothing is stored

    def connections(self, x: Shape) -> Expr:
        # Each element uses its channel's scale once and shift once.
        return 2 * size_of(x)

    def macs(self, x: Shape) -> Expr:
        return ZERO  # a per-element scale is not a weighted sum

    def product_macs(self, x: Shape) -> Expr:
        return ZERO

    def flops(self, x: Shape) -> Expr:
        # Per element: add to the mean, subtract it, square and add to the variance,
        # multiply by 1/sigma, scale and shift (the square root per position not counted).
        return 7 * size_of(x)

    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        from ..witness.arrays import affine_params

        return affine_params(rng, shape[0] if len(shape) == 3 else shape[-1])

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        import numpy as np

        axis = 1 if x.ndim == 4 else -1
        centred = x - x.mean(axis, keepdims=True)
        normal = centred / np.sqrt((centred * centred).mean(axis, keepdims=True) + 1e-6)
        return self.witness_sum(normal, params)

    def witness_sum(self, x: Array, params: Params) -> tuple[Array, int]:
        """x·scale + shift per channel: a weight use and a bias use per element."""
        from ..witness.arrays import affine

        return affine(x, params, feature_view), 0


@dataclass(frozen=True, kw_only=True)
class LayerScale(Settingless, ShapeKeeping):
    """Multiplies each channel (or feature) by its own trainable factor (ConvNeXt)."""

    type_name = "layer_scale"

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        return random_any(rng), [{"name": "t", "type": cls.type_name}]

    def trainable_params(self, x: Shape) -> Expr:
        return features(x)

    def non_trainable_params(self, x: Shape) -> Expr:
        return ZERO

    def connections(self, x: Shape) -> Expr:
        return size_of(x)  # one weight use per element

    def macs(self, x: Shape) -> Expr:
        return ZERO  # a per-element scale is not a weighted sum

    def product_macs(self, x: Shape) -> Expr:
        return ZERO

    def flops(self, x: Shape) -> Expr:
        return size_of(x)  # one multiply per element

    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        from ..witness.arrays import Param, uniform

        c = shape[0] if len(shape) == 3 else shape[-1]
        return {"gamma": Param(uniform(rng, (c,), 1), True)}

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        return self.witness_sum(x, params)

    def witness_sum(self, x: Array, params: Params) -> tuple[Array, int]:
        return x * feature_view(params["gamma"].value, x), 0


def broadcast(a: Shape, b: Shape) -> Shape | None:
    """NumPy's broadcast of two shapes of one rank, or None when they do not broadcast."""
    if len(a) != len(b) or any(p != q and 1 not in (p, q) for p, q in zip(a, b, strict=True)):
        return None
    return tuple(max(p, q) for p, q in zip(a, b, strict=True))


@dataclass(frozen=True, kw_only=True)
class Multiply(Settingless, Weightless, ShapeKeeping):
    """Element-wise product of its inputs, broadcasting size-1 axes: a squeeze-excitation
    gate (C@1x1) times a C@HxW map. Activations times activations: no weights."""

    type_name = "multiply"

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        x = random_map(rng)
        pool = {"name": "p", "type": "pool", "mode": "avg", "global": True, "inputs": "input"}
        gate: list[dict[str, Any]] = [
            pool,
            {"name": "g", "type": "activation", "function": "sigmoid"},
        ]
        reads = rng.choice([["input", "g"], ["g", "input"], ["input", "input"]])
        return x, [*gate, {"name": "t", "type": cls.type_name, "inputs": reads}]

    def combine(self, xs: tuple[Shape, ...], names: tuple[str, ...]) -> Shape:
        if len(xs) < 2:
            raise GeometryError(
                f"multiply takes two or more inputs, got {len(xs)}: list them in 'inputs'",
                field=("inputs",),
            )
        out: Shape = xs[0]
        for name, shape in zip(names[1:], xs[1:], strict=True):
            merged = broadcast(out, shape)
            if merged is None:
                raise GeometryError(
                    "multiply needs shapes that broadcast (equal, or 1 on one side, axis by"
                    f" axis), but '{names[0]}' is {_show(out)} and '{name}' is {_show(shape)}",
                    field=("inputs",),
                )
            out = merged
        return out

    def flops(self, x: Shape) -> Expr:
        # One multiply per output element for each input after the first.
        return (Num(len(self.inputs), "inputs") - 1) * size_of(x)

    def witness_merge(self, xs: list[Array]) -> Array:
        out = xs[0]
        for x in xs[1:]:
            out = out * x
        return out

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        return x, 0


@dataclass(frozen=True, kw_only=True)
class ChannelSlice(Weightless):
    """`channels` maps from map `start` on (ShuffleNet v2's channel split takes halves)."""

    type_name = "channel_slice"
    start: int = 0
    channels: int

    @classmethod
    def parse(cls, name: str, f: Fields) -> ChannelSlice:
        return cls(
            name=name, start=f.integer("start", 0, minimum=0), channels=f.integer("channels")
        )

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        x = random_map(rng)
        start = rng.randrange(x[0])
        layer = {
            "name": "t",
            "type": cls.type_name,
            "start": start,
            "channels": rng.randint(1, x[0] - start),
        }
        return x, [layer]

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        c, h, w = spatial(x, self.type_name)
        if self.start + self.channels > c:
            raise GeometryError(
                f"maps {self.start}..{self.start + self.channels - 1} do not exist:"
                f" the input has maps 0..{c - 1}",
                field=("channels",),
            )
        return (Num(self.channels, "channels"), Num(h, "H"), Num(w, "W"))

    def flops(self, x: Shape) -> Expr:
        return ZERO  # a view, no arithmetic

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        return rf.kept()

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        return x[:, self.start : self.start + self.channels], 0


@dataclass(frozen=True, kw_only=True)
class ChannelShuffle(Weightless, ShapeKeeping):
    """Interleaves `groups` groups of maps: map g·(C/groups) + i moves to i·groups + g."""

    type_name = "channel_shuffle"
    groups: int

    @classmethod
    def parse(cls, name: str, f: Fields) -> ChannelShuffle:
        return cls(name=name, groups=f.integer("groups"))

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        x = random_map(rng, channels=8)
        groups = rng.choice([g for g in range(1, x[0] + 1) if x[0] % g == 0])
        return x, [{"name": "t", "type": cls.type_name, "groups": groups}]

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        c = spatial(x, self.type_name)[0]
        if c % self.groups:
            raise GeometryError(f"{self.groups} groups do not divide {c} maps", field=("groups",))
        return super().output_shape(x)

    def flops(self, x: Shape) -> Expr:
        return ZERO  # a permutation, no arithmetic

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        n, c, h, w = x.shape
        grouped = x.reshape(n, self.groups, c // self.groups, h, w)
        return grouped.transpose(0, 2, 1, 3, 4).reshape(n, c, h, w), 0
