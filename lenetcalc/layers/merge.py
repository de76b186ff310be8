"""Layers that merge branches: element-wise add (residuals) and channel concat."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import GeometryError
from ..expr import Expr, Num
from ..fields import Fields
from ..shapes import Shape
from .base import Layer, size_of


def _show(shape: Shape) -> str:
    return f"{shape[0]}@{shape[1]}x{shape[2]}" if len(shape) == 3 else "x".join(map(str, shape))


def _at_least_two(kind: str, xs: tuple[Shape, ...]) -> None:
    if len(xs) < 2:
        raise GeometryError(
            f"{kind} merges two or more inputs, got {len(xs)}: list them in 'inputs'",
            field=("inputs",),
        )


@dataclass(frozen=True, kw_only=True)
class Add(Layer):
    """Element-wise sum of inputs of one shape (a residual connection)."""

    type_name = "add"

    @classmethod
    def parse(cls, name: str, f: Fields) -> Add:
        return cls(name=name)

    def combine(self, xs: tuple[Shape, ...], names: tuple[str, ...]) -> Shape:
        _at_least_two("add", xs)
        for name, shape in zip(names[1:], xs[1:], strict=True):
            if shape != xs[0]:
                raise GeometryError(
                    f"add needs inputs of one shape, but '{names[0]}' is {_show(xs[0])}"
                    f" and '{name}' is {_show(shape)}",
                    field=("inputs",),
                )
        return xs[0]

    def flops(self, x: Shape) -> Expr:
        # One addition per element for each input after the first.
        return (Num(len(self.inputs), "inputs") - 1) * size_of(x)


@dataclass(frozen=True, kw_only=True)
class Concat(Layer):
    """Inputs stacked along channels (maps must have the same height and width)."""

    type_name = "concat"

    @classmethod
    def parse(cls, name: str, f: Fields) -> Concat:
        return cls(name=name)

    def combine(self, xs: tuple[Shape, ...], names: tuple[str, ...]) -> Shape:
        _at_least_two("concat", xs)
        for name, shape in zip(names[1:], xs[1:], strict=True):
            if len(shape) != len(xs[0]) or shape[1:] != xs[0][1:]:
                raise GeometryError(
                    f"concat joins along channels, so all but the channels must match, but"
                    f" '{names[0]}' is {_show(xs[0])} and '{name}' is {_show(shape)}",
                    field=("inputs",),
                )
        return (sum(shape[0] for shape in xs), *xs[0][1:])
