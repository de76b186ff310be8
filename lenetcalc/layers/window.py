"""LeCun's trainable subsampling and parameter-free pooling."""

from __future__ import annotations

from dataclasses import dataclass

from ..expr import Expr, Named, Num
from ..geometry import Axis, Shape
from ..spec.fields import Fields
from .base import ACTIVATIONS, Windowed, spatial, window_axes


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

    def _window(self) -> Expr:
        return Num(self.kernel[0], "k_h") * Num(self.kernel[1], "k_w")

    def trainable_params(self, x: Shape) -> Expr:
        self.axes(x)
        return (Num(1, "coefficient") + Num(1, "bias")) * Num(x[0], "C")

    def connections(self, x: Shape) -> Expr:
        # Each output unit uses the coefficient once per window input, and the bias once.
        return (self._window() + 1) * self.out_units(x)

    def macs(self, x: Shape) -> Expr:
        # The window sum scaled by the coefficient: k_h·k_w MACs with one tied weight.
        return self._window() * self.out_units(x)

    def flops(self, x: Shape) -> Expr:
        return 2 * Named("MACs", self.macs(x)) + self.out_units(x)


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

    def axes(self, x: Shape) -> tuple[Axis, Axis]:
        if self.global_pool:
            _, height, width = spatial(x, "global pool")
            return window_axes(x, self.type_name, (height, width), (1, 1), (0, 0))
        return window_axes(
            x, self.type_name, self.kernel, self.stride, self.padding, (1, 1), self.ceil_mode
        )

    def flops(self, x: Shape) -> Expr:
        h, w = self.axes(x)
        window = Num(h.kernel, "k_h") * Num(w.kernel, "k_w")
        if self.mode == "avg":
            # k·k − 1 additions and one scaling multiply per output unit.
            return window * self.out_units(x)
        # k·k − 1 comparisons per output unit.
        return (window - 1) * self.out_units(x)
