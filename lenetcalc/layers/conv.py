"""2-D convolution, optionally sparse through a connection table (LeNet-5's C3)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..errors import GeometryError
from ..expr import Expr, Named, Num, total
from ..geometry import Shape
from ..spec.fields import Fields
from .base import ACTIVATIONS, Windowed, out_positions


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

    def _kernel_area(self) -> Expr:
        return Num(self.kernel[0], "k_h") * Num(self.kernel[1], "k_w")

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
            return (self._kernel_area() * self._maps_read(x) + bias) * Num(self.filters, "filters")
        # Sparse: filters grouped as the paper describes C3, by fan-in and by whether
        # the maps they read are cyclically contiguous ("3 contiguous", "all six").
        self.fan_ins(x)
        groups = Counter(_table_group(row, x[0]) for row in self.connection_table)
        return total(
            [
                Num(count, f"n({label})") * (self._kernel_area() * Num(fan) + bias)
                for (fan, _, label), count in sorted(groups.items())
            ]
        )

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
        return self._kernel_area() * self._table_entries(x) * h_out * w_out

    def flops(self, x: Shape) -> Expr:
        # A multiply and an add per MAC, plus one add per bias use.
        flops = 2 * Named("MACs", self.macs(x))
        return flops + self.out_units(x) if self.bias else flops


_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _table_group(row: tuple[int, ...], maps: int) -> tuple[int, int, str]:
    """(fan-in, order, name) of a table row: contiguous rows first, then the others."""
    fan = len(row)
    if fan == maps:
        return (fan, 0, f"all {_WORDS[maps] if maps < len(_WORDS) else maps}")
    # Cyclically contiguous: some start s reads s, s+1, ..., s+fan-1 (mod maps).
    contiguous = any(set(row) == {(s + i) % maps for i in range(fan)} for s in range(maps))
    return (fan, 0, f"{fan} contiguous") if contiguous else (fan, 1, f"{fan} non-contiguous")
