"""Adaptive pooling to a fixed N×M, with PyTorch's window rule."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from ..expr import Expr, Named, Num
from ..geometry import Axis, ReceptiveField, Shape
from ..spec.fields import Fields
from .base import Sample, Weightless, random_map, spatial

if TYPE_CHECKING:
    from random import Random  # annotations only: random loads with the tests

    from ..witness.arrays import Array, Params


def windows(size: int, out: int) -> list[tuple[int, int]]:
    """PyTorch's adaptive windows along one axis: [⌊i·size/out⌋, ⌈(i+1)·size/out⌉)."""
    return [((i * size) // out, -(-((i + 1) * size) // out)) for i in range(out)]


@dataclass(frozen=True, kw_only=True)
class AdaptivePool(Weightless):
    """Average or max pooling of each map to `output` (N×M) whatever its size, as
    torchvision's AlexNet and VGG pool to 6×6 and 7×7: windows may differ and overlap."""

    type_name = "adaptive_pool"
    mode: str
    output: tuple[int, int]

    @classmethod
    def parse(cls, name: str, f: Fields) -> AdaptivePool:
        return cls(name=name, mode=f.choice("mode", ["avg", "max"]), output=f.pair("output"))

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        out = [rng.randint(1, 7), rng.randint(1, 7)]
        layer = {
            "name": "t",
            "type": cls.type_name,
            "mode": rng.choice(["avg", "max"]),
            "output": out,
        }
        return random_map(rng), [layer]

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        c = spatial(x, self.type_name)[0]
        return (Num(c, "C"), Num(self.output[0], "N"), Num(self.output[1], "M"))

    def _taps(self, x: Shape) -> tuple[Expr, Expr]:
        """Window lengths summed along each axis (Σ over output rows, Σ over columns)."""
        sums = [sum(e - s for s, e in windows(x[1 + i], self.output[i])) for i in (0, 1)]
        return (Named("taps_h", Num(sums[0])), Named("taps_w", Num(sums[1])))

    def flops(self, x: Shape) -> Expr:
        taps_h, taps_w = self._taps(x)
        c = Num(spatial(x, self.type_name)[0], "C")
        if self.mode == "avg":
            # Per window, area − 1 additions and one scaling multiply: Σ areas per map.
            return c * taps_h * taps_w
        # Per window, area − 1 comparisons.
        return c * (taps_h * taps_w - Num(self.output[0], "N") * Num(self.output[1], "M"))

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        # The widest window, and the widest step between neighbouring windows.
        axes = []
        for i, name in enumerate(("h", "w")):
            spans = windows(x[1 + i], self.output[i])
            kernel = max(e - s for s, e in spans)
            step = max([b[0] - a[0] for a, b in pairwise(spans)] or [1])
            axes.append(Axis(name, x[1 + i], kernel, max(step, 1), 0, 0))
        return rf.through((axes[0], axes[1]))

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        import numpy as np

        rows, cols = windows(x.shape[2], self.output[0]), windows(x.shape[3], self.output[1])
        reduce = np.max if self.mode == "max" else np.mean
        out = np.empty((*x.shape[:2], len(rows), len(cols)), dtype=x.dtype)
        for i, (top, bottom) in enumerate(rows):
            for j, (left, right) in enumerate(cols):
                out[:, :, i, j] = reduce(x[:, :, top:bottom, left:right], axis=(2, 3))
        return out, 0
