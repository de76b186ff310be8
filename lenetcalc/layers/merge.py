"""Layers that merge branches: element-wise add (residuals) and channel concat."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import GeometryError
from ..expr import ZERO, Expr, Num
from ..geometry import Shape
from .base import Sample, Settingless, ShapeKeeping, Weightless, random_map, size_of

if TYPE_CHECKING:
    from random import Random  # annotations only: random loads with the tests

    from ..witness.arrays import Array, Params


def _show(shape: Shape) -> str:
    return f"{shape[0]}@{shape[1]}x{shape[2]}" if len(shape) == 3 else "x".join(map(str, shape))


def _merged(
    kind: str,
    xs: tuple[Shape, ...],
    names: tuple[str, ...],
    fits: Callable[[Shape, Shape], bool],
    rule: str,
) -> None:
    """Check two or more inputs, each fitting the first; a misfit names both shapes."""
    if len(xs) < 2:
        raise GeometryError(
            f"{kind} merges two or more inputs, got {len(xs)}: list them in 'inputs'",
            field=("inputs",),
        )
    for name, shape in zip(names[1:], xs[1:], strict=True):
        if not fits(xs[0], shape):
            raise GeometryError(
                f"{rule}, but '{names[0]}' is {_show(xs[0])} and '{name}' is {_show(shape)}",
                field=("inputs",),
            )


@dataclass(frozen=True, kw_only=True)
class Add(Settingless, Weightless, ShapeKeeping):
    """Element-wise sum of inputs of one shape (a residual connection)."""

    type_name = "add"

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        x = random_map(rng)
        branch = {
            "name": "b",
            "type": "conv2d",
            "filters": x[0],
            "kernel": 3,
            "padding": 1,
            "inputs": "input",
        }
        reads = rng.choice([["input", "b"], ["b", "b"], ["input", "b", "input"]])
        return x, [branch, {"name": "t", "type": cls.type_name, "inputs": reads}]

    def combine(self, xs: tuple[Shape, ...], names: tuple[str, ...]) -> Shape:
        _merged("add", xs, names, lambda a, b: a == b, "add needs inputs of one shape")
        return xs[0]

    def flops(self, x: Shape) -> Expr:
        # One addition per element for each input after the first.
        return (Num(len(self.inputs), "inputs") - 1) * size_of(x)

    def witness_merge(self, xs: list[Array]) -> Array:
        from ..witness.arrays import sum_of

        return sum_of(xs)

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        return x, 0


@dataclass(frozen=True, kw_only=True)
class Concat(Settingless, Weightless, ShapeKeeping):
    """Inputs stacked along channels (maps must have the same height and width)."""

    type_name = "concat"

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        x = random_map(rng)
        branch = {
            "name": "b",
            "type": "conv2d",
            "filters": rng.randint(1, 5),
            "kernel": 1,
            "inputs": "input",
        }
        return x, [branch, {"name": "t", "type": cls.type_name, "inputs": ["input", "b"]}]

    def combine(self, xs: tuple[Shape, ...], names: tuple[str, ...]) -> Shape:
        _merged(
            "concat",
            xs,
            names,
            lambda a, b: len(a) == len(b) and a[1:] == b[1:],
            "concat joins along channels, so all but the channels must match",
        )
        return (sum(shape[0] for shape in xs), *xs[0][1:])

    def flops(self, x: Shape) -> Expr:
        return ZERO  # a copy, no arithmetic

    def witness_merge(self, xs: list[Array]) -> Array:
        import numpy as np

        return np.concatenate(xs, axis=1)

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        return x, 0
