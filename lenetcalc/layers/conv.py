"""2-D convolution, optionally sparse through a connection table (LeNet-5's C3)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..errors import GeometryError
from ..expr import ZERO, Expr, Named, Num, total
from ..geometry import Shape
from ..spec.fields import Fields
from .base import ACTIVATIONS, Sample, Windowed, out_positions

if TYPE_CHECKING:
    from random import Random  # annotations only: random loads with the tests

    from ..witness.arrays import Array, Generator, Params


@dataclass(frozen=True, kw_only=True)
class Conv2d(Windowed):
    """`filters` maps, each a k_h×k_w kernel over its input maps plus an optional bias."""

    type_name = "conv2d"
    filters: int
    bias: bool = True
    activation: str = "identity"
    # For each output map, the input maps it reads; None means all of them.
    connection_table: tuple[tuple[int, ...], ...] | None = None
    # Grouped convolution: filters and input maps split into this many groups.
    groups: int = 1

    @classmethod
    def parse(cls, name: str, f: Fields) -> Conv2d:
        filters = f.integer("filters")
        table = f.table("connection_table")
        groups = f.integer("groups", 1)
        if table is not None and len(table) != filters:
            raise f.error(
                "connection_table",
                f"connection table has {len(table)} rows, expected {filters} (one per filter)",
            )
        if table is not None and groups != 1:
            raise f.error("groups", "use groups or a connection table, not both")
        if filters % groups:
            raise f.error("groups", f"{groups} groups do not divide {filters} filters")
        return cls(
            name=name,
            filters=filters,
            kernel=f.pair("kernel"),
            stride=f.pair("stride", 1),
            padding=f.padding(),
            dilation=f.pair("dilation", 1),
            bias=f.flag("bias", True),
            activation=f.choice("activation", ACTIVATIONS, "identity"),
            connection_table=table,
            groups=groups,
        )

    @classmethod
    def sample(cls, rng: Random) -> Sample:
        kernel, dilation = [rng.randint(1, 3), rng.randint(1, 3)], rng.randint(1, 2)
        x = [rng.randint(1, 4), *(rng.randint(dilation * (k - 1) + 1, 9) for k in kernel)]
        groups = rng.choice([g for g in (1, 2, 3) if x[0] % g == 0])
        layer: dict[str, Any] = {
            "name": "t",
            "type": cls.type_name,
            "filters": groups * rng.randint(1, 3),
            "kernel": kernel,
            "stride": rng.randint(1, 2),
            "dilation": dilation,
            "padding": rng.choice([0, 1, "same", "valid"]),
            "bias": rng.random() < 0.5,
            "groups": groups,
            "activation": rng.choice(ACTIVATIONS),
        }
        if groups == 1 and rng.random() < 0.3:
            rows = [sorted(rng.sample(range(x[0]), rng.randint(1, x[0]))) for _ in range(4)]
            layer.update(filters=4, connection_table=rows)
        return x, [layer]

    def out_maps(self, x: Shape) -> Expr:
        return Num(self.filters, "filters")

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        self.fan_ins(x)  # a table naming a missing input map is a geometry error
        return super().output_shape(x)

    def fan_ins(self, x: Shape) -> list[int]:
        """Input maps read by each filter of the table, checked against the input's maps."""
        if x[0] % self.groups:
            raise GeometryError(
                f"{self.groups} groups do not divide the {x[0]} input maps", field=("groups",)
            )
        if self.connection_table is None:
            return []  # dense: every filter reads all x[0] maps (never listed: filters may be huge)
        for i, row in enumerate(self.connection_table):
            if max(row) >= x[0]:
                raise GeometryError(
                    f"connection table row {i} reads input map {max(row)},"
                    f" but the input has maps 0..{x[0] - 1}",
                    field=("connection_table", i),
                )
        return [len(row) for row in self.connection_table]

    def _table_entries(self, x: Shape) -> Expr:
        """Total (filter, input map) pairs: C_in·filters, or the table's entry count."""
        if self.connection_table is None:
            return self._maps_read(x) * Num(self.filters, "filters")
        return Named("table_entries", total([Num(n) for n in self.fan_ins(x)]))

    def _maps_read(self, x: Shape) -> Expr:
        """Input maps each filter reads: all of them, or its group's share."""
        if self.groups == 1:
            return Num(x[0], "C_in")
        return Num(x[0] // self.groups, "C_in/groups")

    def trainable_params(self, x: Shape) -> Expr:
        self.axes(x)  # geometry first: a kernel that does not fit has no parameters
        bias = Num(int(self.bias), "bias")
        if self.connection_table is None:
            # One k_h·k_w·C_in kernel per filter (C_in of its group), plus its bias.
            return (self.kernel_area(x) * self._maps_read(x) + bias) * Num(self.filters, "filters")
        # Sparse: filters grouped as the paper describes C3, by fan-in and by whether
        # the maps they read are cyclically contiguous ("3 contiguous", "all six").
        self.fan_ins(x)
        groups = Counter(_table_group(row, x[0]) for row in self.connection_table)
        return total(
            [
                Num(count, f"n({label})") * (self.kernel_area(x) * Num(fan) + bias)
                for (fan, _, label), count in sorted(groups.items())
            ]
        )

    def non_trainable_params(self, x: Shape) -> Expr:
        return ZERO

    def connections(self, x: Shape) -> Expr:
        axes = self.axes(x)
        if not any(a.pad_before or a.pad_after for a in axes):
            # No padding: every weight and the bias are used at every output position.
            h_out, w_out = out_positions(axes)
            return Named("params", self.trainable_params(x)) * h_out * w_out
        # Padding: only taps that land inside the input are connections.
        h, w = axes
        weights = (
            self._table_entries(x) * h.taps(h.out_size().value()) * w.taps(w.out_size().value())
        )
        return weights + self.out_units(x) if self.bias else weights

    def macs(self, x: Shape) -> Expr:
        # One MAC per kernel weight per output position, padded taps included.
        h_out, w_out = out_positions(self.axes(x))
        return self.kernel_area(x) * self._table_entries(x) * h_out * w_out

    def product_macs(self, x: Shape) -> Expr:
        return ZERO  # every product has a weight operand

    def flops(self, x: Shape) -> Expr:
        # A multiply and an add per MAC, plus one add per bias use.
        flops = 2 * Named("MACs", self.macs(x))
        return flops + self.out_units(x) if self.bias else flops

    # ---- witness -------------------------------------------------------------------

    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        import numpy as np

        from ..witness.arrays import Param, uniform

        c, (kh, kw), f = shape[0] // self.groups, self.kernel, self.filters
        weights = uniform(rng, (f, c, kh, kw), c * kh * kw)
        mask = None
        if self.connection_table is not None:  # dense weights need no mask (nor its copy)
            mask = np.zeros((f, c, kh, kw), dtype=bool)
            for i, row in enumerate(self.connection_table):
                mask[i, list(row)] = True
            weights *= mask
        params = {"weight": Param(weights, True, mask)}
        if self.bias:
            params["bias"] = Param(uniform(rng, (f,), 1), True)
        return params

    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        from ..witness.arrays import activated

        z, macs = self.witness_sum(x, params)
        return activated(self.activation, z, fresh=True), macs

    def witness_sum(self, x: Array, params: Params) -> tuple[Array, int]:
        win = self.window(x.shape[2], x.shape[3]).views(x)  # (N, C, Ho, Wo, kh, kw)
        w = params["weight"].value
        if self.connection_table is None:
            y, macs = self._dense_windows(win, w)
        else:
            y, macs = self._table_windows(win, w)
        if "bias" in params:
            y += params["bias"].value[:, None, None]  # y is a fresh array: add in place
        return y, macs

    def _dense_windows(self, win: Array, w: Array) -> tuple[Array, int]:
        # im2col as (C·kh·kw, Ho·Wo) per sample and group: the copy keeps rows contiguous,
        # and one (batched) matmul gives (F, Ho·Wo), already in channel-first layout.
        import numpy as np

        n, _, h_out, w_out, _, _ = win.shape
        g = self.groups
        cols = np.ascontiguousarray(win.transpose(0, 1, 4, 5, 2, 3))
        cols = cols.reshape(n, g, -1, h_out * w_out)  # (N, groups, C/g·kh·kw, Ho·Wo)
        kernels = w.reshape(g, w.shape[0] // g, -1)  # (groups, F/g, C/g·kh·kw)
        y = (kernels @ cols).reshape(n, -1, h_out, w_out)
        return y, n * g * kernels.shape[1] * kernels.shape[2] * cols.shape[3]

    def _table_windows(self, win: Array, w: Array) -> tuple[Array, int]:
        # Only the (filter, input map) pairs the table connects are multiplied.
        import numpy as np

        rows = self.connection_table or ()
        maps = [m for row in rows for m in row]
        owner = [f for f, row in enumerate(rows) for _ in row]
        pairs = np.einsum("nehwij,eij->nhwe", win[:, maps], w[owner, maps])
        starts = np.cumsum([0] + [len(r) for r in rows[:-1]])
        y = np.add.reduceat(pairs, starts, axis=3).transpose(0, 3, 1, 2)
        return y, pairs.size * w.shape[2] * w.shape[3]

    def witness_count(self, shape: Shape, params: Params) -> int:
        """In-bounds taps of one filter on one map, counted by running that windowed sum on
        ones, times the (filter, map) pairs the weight array holds, plus one per bias use."""
        import numpy as np

        from ..witness.arrays import Param

        one = replace(self, filters=1, groups=1, connection_table=None, bias=False)
        kernel = np.ones((1, 1, *self.kernel))
        taps, _ = one.witness_sum(np.ones((1, 1, *shape[1:])), {"weight": Param(kernel, True)})
        weight = params["weight"]
        if weight.mask is None:
            pairs = weight.value.shape[0] * weight.value.shape[1]
        else:
            pairs = int(weight.mask[:, :, 0, 0].sum())  # the table's entries
        positions = taps.shape[2] * taps.shape[3]
        uses = params["bias"].value.size * positions if "bias" in params else 0
        return int(pairs * int(taps.sum()) + uses)

    def witness_scratch(self, x: Shape) -> int:
        h, w = self.axes(x)
        positions = h.out_size().value() * w.out_size().value()
        taps = self.kernel[0] * self.kernel[1]
        if self.connection_table is None:
            return x[0] * taps * positions  # the im2col matrix, all groups
        entries = sum(len(row) for row in self.connection_table)
        return 2 * entries * taps * positions  # gathered windows and per-pair products


_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _table_group(row: tuple[int, ...], maps: int) -> tuple[int, int, str]:
    """(fan-in, order, name) of a table row: contiguous rows first, then the others."""
    fan = len(row)
    if fan == maps:
        return (fan, 0, f"all {_WORDS[maps] if maps < len(_WORDS) else maps}")
    # Cyclically contiguous: some start s reads s, s+1, ..., s+fan-1 (mod maps).
    contiguous = any(set(row) == {(s + i) % maps for i in range(fan)} for s in range(maps))
    return (fan, 0, f"{fan} contiguous") if contiguous else (fan, 1, f"{fan} non-contiguous")
