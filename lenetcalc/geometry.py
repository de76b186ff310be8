"""Pure size arithmetic along one spatial axis: output size, padding, in-bounds taps, RF."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial

from .errors import GeometryError
from .expr import Deferred, Expr, Named, Num, total

Shape = tuple[int, ...]
# Padding as written in a spec: explicit (along height, along width) or a keyword.
PaddingSpec = tuple[int, int] | str


@dataclass(frozen=True)
class Axis:
    """One spatial axis of a windowed layer (conv, subsample, pool)."""

    name: str  # "h" or "w", used in symbols such as k_h
    size: int
    kernel: int
    stride: int
    pad_before: int
    pad_after: int
    dilation: int = 1
    # Ceil mode (pooling): a last, partial window counts if it starts inside the input.
    ceil: bool = False

    @property
    def span(self) -> int:
        """Input pixels covered by one (dilated) window."""
        return self.dilation * (self.kernel - 1) + 1

    def out_size(self) -> Expr:
        """⌊(size + padding − span) / stride⌋ + 1, the standard floor formula."""
        return self._out_size

    @cached_property
    def _out_size(self) -> Expr:
        size = Num(self.size, self.name.upper())
        if self.pad_before == self.pad_after:
            padded = size + 2 * Num(self.pad_before, f"p_{self.name}")
        else:
            padded = (
                size
                + Num(self.pad_before, f"p_{self.name}0")
                + Num(self.pad_after, f"p_{self.name}1")
            )
        kernel = Num(self.kernel, f"k_{self.name}")
        if self.dilation != 1:
            span: Expr = Num(self.dilation, f"d_{self.name}") * (kernel - 1) + 1
            room = padded - span
        else:
            room = padded - kernel
        stride = Num(self.stride, f"s_{self.name}")
        if not self.ceil:
            return room // stride + 1
        out = (room + stride - 1) // stride + 1  # ⌈room / s⌉ + 1
        if (out.value() - 1) * self.stride >= self.size + self.pad_before:
            # PyTorch's rule: a window starting in the right padding is dropped.
            return out - Num(1, "starts_in_padding")
        return out

    def taps(self, out: int) -> Expr:
        """Window taps that land inside the input, summed over the `out` output positions.

        Taps in zero padding are not connections. Without padding every tap is inside, so
        this is out·kernel; otherwise it is a sum over kernel taps of the output positions
        at which that tap is in bounds (closed form per tap: exact at any size).
        """
        positions = Num(out, f"{self.name.upper()}_out")
        kernel = Num(self.kernel, f"k_{self.name}")
        if self.pad_before == 0 and self.pad_after == 0 and not self.ceil:
            return positions * kernel
        name = f"taps_{self.name}"
        if self.dilation != 1 and self.kernel > _MAX_DILATED_TAPS:
            raise GeometryError(
                f"a dilated kernel is limited to {_MAX_DILATED_TAPS:,} taps per axis,"
                f" got {self.kernel:,}",
                field=("kernel",),
            )
        if self.kernel <= _LISTED_TAPS or self.dilation != 1:
            counts = [Num(self._positions_inside(t, out)) for t in range(self.kernel)]
            return Named(name, total(counts))
        # A huge kernel: all taps, less those in the padding before and after (O(1)).
        before = _clipped_sum(self.pad_before, self.stride, self.kernel, out)
        overhang = (out - 1) * self.stride - self.pad_before + self.span - self.size
        after = _clipped_sum(overhang, self.stride, self.kernel, out)
        return Named(name, positions * kernel - Num(before, "in_pad_0") - Num(after, "in_pad_1"))

    def _positions_inside(self, tap: int, out: int) -> int:
        """How many output positions o put this tap inside: 0 <= o·s − p + tap·d < size."""
        offset = self.pad_before - tap * self.dilation
        first = max(0, -(-offset // self.stride))
        last = min(out - 1, (self.size - 1 + offset) // self.stride)
        return max(0, last - first + 1)

    def check_fits(self) -> None:
        """Raise GeometryError unless one window fits in the padded input."""
        padded = self.size + self.pad_before + self.pad_after
        if self.span > padded:
            dim = {"h": "height", "w": "width"}[self.name]
            raise GeometryError(
                f"kernel {dim} {self.span} does not fit the input {dim} {self.size}"
                f" (padding {self.pad_before}+{self.pad_after}): use a smaller kernel,"
                " add padding, or check the previous layer's output",
                field=("kernel",),
            )


# Up to this many kernel taps, in-bounds counts are listed tap by tap (explain shows them).
_LISTED_TAPS = 64
# Dilated kernels are counted tap by tap (no closed form), so their size is bounded.
_MAX_DILATED_TAPS = 1_000_000


def _clipped_sum(first: int, step: int, cap: int, count: int) -> int:
    """Σ_{o < count} min(cap, max(0, first − o·step)), in closed form.

    With `first` the number of taps of window 0 that fall in the padding, this counts
    the padded taps over all windows (windows move `step` further in per position).
    """
    if first <= 0:
        return 0
    full = min(count, max(0, (first - cap) // step + 1)) if first >= cap else 0
    positive = min(count, -(-first // step))  # positions where first − o·step > 0
    partial = positive - full
    # Σ_{o=full}^{positive−1} (first − o·step), an arithmetic series.
    return full * cap + partial * first - step * (full + positive - 1) * partial // 2


def resolve_padding(
    spec: PaddingSpec, axis: int, size: int, kernel: int, stride: int, dilation: int = 1
) -> tuple[int, int]:
    """Padding (before, after) along one axis; `same` pads like TensorFlow (extra after)."""
    if spec == "valid":
        return (0, 0)
    if spec == "same":
        span = dilation * (kernel - 1) + 1
        out = -(-size // stride)
        needed = max((out - 1) * stride + span - size, 0)
        return (needed // 2, needed - needed // 2)
    assert isinstance(spec, tuple)
    return (spec[axis], spec[axis])


@dataclass(frozen=True)
class ReceptiveField:
    """Receptive field size and jump (distance between neighbouring units) in input pixels."""

    size: tuple[Expr, Expr]
    jump: tuple[Expr, Expr]
    # Set by flatten: the field of a unit that reads the whole flattened map, which is
    # what a following dense layer sees (the vector no longer knows the map's size).
    whole: ReceptiveField | None = None

    @classmethod
    def of_input(cls) -> ReceptiveField:
        """An input pixel sees itself; neighbours are one pixel apart."""
        return cls((Num(1), Num(1)), (Num(1), Num(1)))

    @classmethod
    def union(cls, fields: list[ReceptiveField | None]) -> ReceptiveField | None:
        """Where branches meet: the largest size and jump along each axis (stated as the
        largest of the inputs', not as one branch's derivation)."""
        known = [f for f in fields if f is not None]
        if not known:
            return None
        if len(known) == 1:
            return known[0]
        largest = [max(f.size[i].value() for f in known) for i in (0, 1)]
        jumps = [max(f.jump[i].value() for f in known) for i in (0, 1)]
        return cls(
            (Num(largest[0], "max r_h"), Num(largest[1], "max r_w")),
            (Num(jumps[0], "max j_h"), Num(jumps[1], "max j_w")),
        )

    def kept(self) -> ReceptiveField:
        """The same field, stated as the input's (r_h = 7), not re-derived: explain on a
        layer that keeps positions shows no other layer's kernel."""
        return ReceptiveField(
            (Num(self.size[0].value(), "r_h"), Num(self.size[1].value(), "r_w")),
            (Num(self.jump[0].value(), "j_h"), Num(self.jump[1].value(), "j_w")),
            self.whole,
        )

    def through(self, axes: tuple[Axis, Axis]) -> ReceptiveField:
        """After a window: r' = r + (k − 1)·d·j and j' = j·s, along each axis.

        Computed as numbers; the formulas are built only when explain prints them.
        """
        sizes: list[Expr] = []
        jumps: list[Expr] = []
        for axis, r, j in zip(axes, self.size, self.jump, strict=True):
            r_in, j_in = r.value(), j.value()
            size = r_in + (axis.kernel - 1) * axis.dilation * j_in
            sizes.append(Deferred(size, partial(_size_through, axis, r_in, j_in)))
            jumps.append(Deferred(j_in * axis.stride, partial(_jump_through, axis, j_in)))
        return ReceptiveField((sizes[0], sizes[1]), (jumps[0], jumps[1]))


def _size_through(axis: Axis, r: int, j: int) -> Expr:
    """r' = r + (k − 1)·j, or r + (k − 1)·d·j for a dilated kernel."""
    j_in = Num(j, f"j_{axis.name}")
    kernel = Num(axis.kernel, f"k_{axis.name}")
    reach = (kernel - 1) * j_in
    if axis.dilation != 1:
        reach = (kernel - 1) * Num(axis.dilation, f"d_{axis.name}") * j_in
    return Num(r, f"r_{axis.name}") + reach


def _jump_through(axis: Axis, j: int) -> Expr:
    """j' = j·s."""
    return Num(j, f"j_{axis.name}") * Num(axis.stride, f"s_{axis.name}")
