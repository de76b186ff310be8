"""Batch normalisation and dropout, as they run at inference."""

from __future__ import annotations

from dataclasses import dataclass

from ..expr import Expr, Num
from ..geometry import Shape
from ..spec.fields import Fields
from .base import Layer, size_of


@dataclass(frozen=True, kw_only=True)
class BatchNorm(Layer):
    """Per channel: a trainable scale and shift, and running mean and variance (fixed).

    At inference it is x·a + b per element, a weight use and a bias use.
    """

    type_name = "batchnorm"

    @classmethod
    def parse(cls, name: str, f: Fields) -> BatchNorm:
        return cls(name=name)

    def trainable_params(self, x: Shape) -> Expr:
        return (Num(1, "scale") + Num(1, "shift")) * Num(x[0], "C")

    def fixed_params(self, x: Shape) -> Expr:
        return (Num(1, "mean") + Num(1, "variance")) * Num(x[0], "C")

    def connections(self, x: Shape) -> Expr:
        # Each element uses its channel's (folded) scale once and shift once.
        return 2 * size_of(x)

    def flops(self, x: Shape) -> Expr:
        # A multiply and an add per element; no weighted sum, so no MACs.
        return 2 * size_of(x)


@dataclass(frozen=True, kw_only=True)
class Dropout(Layer):
    """Zeroes a fraction of units in training; the identity at inference, so it costs nothing."""

    type_name = "dropout"
    rate: float = 0.5

    @classmethod
    def parse(cls, name: str, f: Fields) -> Dropout:
        return cls(name=name, rate=f.fraction("rate", 0.5))
