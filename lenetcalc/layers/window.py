"""LeCun's trainable subsampling and parameter-free pooling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..expr import ZERO, Expr, Named, Num
from ..geometry import Axis, Shape
from ..spec.fields import Fields
from .base import ACTIVATIONS, Sample, Windowed, random_map, spatial, window_axes

if TYPE_CHECKING:
    from random import Random  # annotations only: random loads with the tests

    from ..witness.arrays import Array, Generator, Params, Window


@dataclass(frozen=True, kw_only=True)
class Subsample(Windowed):
    """Sum over a k×k window, times one trainable coefficient per map, plus one bias per map."""

    type_name = "subsample"
    activation: str = "identity"

    @classmethod
    def parse(cls, name: str, f: Fields) -> Subsample:
        kernel = f.pair("kernel", 2)
        return cls(
            name=name,
            kernel=kernel,
            stride=f.pair("stride", kernel),
            activation=f.choice("activation", ACTIVATIONS, "identity"),
        )

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        kernel = rng.randint(1, 3)
        x = [rng.randint(1, 4), rng.randint(kernel, 9), rng.randint(kernel, 9)]
        return x, [
            {
                "name": "t",
                "type": cls.type_name,
                "kernel": kernel,
                "stride": rng.randint(1, 3),
                "activation": rng.choice(ACTIVATIONS),
            }
        ]

    def trainable_params(self, x: Shape) -> Expr:
        self.axes(x)
        return (Num(1, "coefficient") + Num(1, "bias")) * Num(x[0], "C")

    def non_trainable_params(self, x: Shape) -> Expr:
        return ZERO

    def connections(self, x: Shape) -> Expr:
        # Each output unit uses the coefficient once per window input, and the bias once.
        return (self.kernel_area(x) + 1) * self.out_units(x)

    def macs(self, x: Shape) -> Expr:
        # The window sum scaled by the coefficient: k_h·k_w MACs with one tied weight.
        return self.kernel_area(x) * self.out_units(x)

    def product_macs(self, x: Shape) -> Expr:
        return ZERO  # every product has a weight operand

    def flops(self, x: Shape) -> Expr:
        return 2 * Named("MACs", self.macs(x)) + self.out_units(x)

    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        from ..witness.arrays import Param, uniform

        c = shape[0]
        return {
            "coefficient": Param(uniform(rng, (c,), 1), True),
            "bias": Param(uniform(rng, (c,), 1), True),
        }

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        from ..witness.arrays import activated

        z, macs = self.witness_sum(x, params)
        return activated(self.activation, z), macs

    def witness_sum(self, x: Array, params: Params) -> tuple[Array, int]:
        import numpy as np

        win = self.window(x.shape[2], x.shape[3]).views(x)
        # The window sum times the map's coefficient, as a contraction with a tied kernel.
        coefficient = params["coefficient"].value[:, None, None]
        kernel = np.broadcast_to(coefficient, (x.shape[1], *self.kernel))
        y = np.einsum("nchwij,cij->nchw", win, kernel)
        return y + params["bias"].value[:, None, None], y.size * kernel[0].size


@dataclass(frozen=True, kw_only=True)
class Pool(Windowed):
    """Average or max pooling: no parameters, no connections.

    `global_pool` takes the whole map; `ceil_mode` keeps a last, partial window.
    """

    type_name = "pool"
    mode: str
    global_pool: bool = False
    ceil_mode: bool = False

    @classmethod
    def parse(cls, name: str, f: Fields) -> Pool:
        mode = f.choice("mode", ["avg", "max"])
        if f.flag("global", False):
            for key in ("kernel", "stride", "padding", "ceil_mode"):
                if key in f.raw:
                    raise f.error(key, f"a global pool reads the whole map: drop '{key}'")
            return cls(name=name, mode=mode, kernel=(1, 1), stride=(1, 1), global_pool=True)
        kernel = f.pair("kernel")
        return cls(
            name=name,
            mode=mode,
            kernel=kernel,
            stride=f.pair("stride", kernel),
            padding=f.padding(),
            ceil_mode=f.flag("ceil_mode", False),
        )

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        x, mode = random_map(rng), rng.choice(["avg", "max"])
        if rng.random() < 0.2:
            return x, [{"name": "t", "type": cls.type_name, "mode": mode, "global": True}]
        kernel = rng.randint(1, min(x[1:]))
        layer = {
            "name": "t",
            "type": cls.type_name,
            "mode": mode,
            "kernel": kernel,
            "stride": rng.randint(1, 3),
            "padding": rng.randint(0, kernel // 2),
            "ceil_mode": rng.random() < 0.5,
        }
        return x, [layer]

    def axes(self, x: Shape) -> tuple[Axis, Axis]:
        if self.global_pool:
            _, height, width = spatial(x, "global pool")
            return window_axes(x, self.type_name, (height, width), (1, 1), (0, 0))
        return window_axes(
            x, self.type_name, self.kernel, self.stride, self.padding, (1, 1), self.ceil_mode
        )

    def trainable_params(self, x: Shape) -> Expr:
        return ZERO

    def non_trainable_params(self, x: Shape) -> Expr:
        return ZERO

    def connections(self, x: Shape) -> Expr:
        return ZERO  # no weights: a pool's window is not a weighted sum

    def macs(self, x: Shape) -> Expr:
        return ZERO

    def product_macs(self, x: Shape) -> Expr:
        return ZERO  # a window's max or mean multiplies nothing

    def flops(self, x: Shape) -> Expr:
        if self.mode == "avg":
            # k·k − 1 additions and one scaling multiply per output unit.
            return self.kernel_area(x) * self.out_units(x)
        # k·k − 1 comparisons per output unit.
        return (self.kernel_area(x) - 1) * self.out_units(x)

    def window(self, height: int, width: int) -> Window:
        from ..witness.arrays import Window

        if self.global_pool:
            return Window((height, width), (1, 1))
        return Window(self.kernel, self.stride, self.padding, ceil_mode=self.ceil_mode)

    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        return {}

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        import numpy as np

        from ..witness.arrays import window_max, window_mean

        window = self.window(x.shape[2], x.shape[3])
        if self.mode == "max":
            return window_max(window.views(x, fill=-np.inf)), 0
        return window_mean(window.views(x)), 0

    def witness_sum(self, x: Array, params: Params) -> None:
        return None
