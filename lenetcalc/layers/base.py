"""The layer base class and the helpers windowed layers share."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import GeometryError
from ..expr import ZERO, Expr, Named, Num
from ..geometry import Axis, PaddingSpec, ReceptiveField, Shape, resolve_padding

if TYPE_CHECKING:
    from random import Random  # annotations only: random loads with the tests

    from ..witness.arrays import Array, Generator, Params, Window
from ..spec.fields import Fields

# A conformance sample: an input shape and the layers of a spec, as plain YAML values.
Sample = tuple[list[int], list[dict[str, Any]]]

ACTIVATIONS = [
    "identity",
    "tanh",
    "scaled_tanh",
    "sigmoid",
    "relu",
    "softmax",
    "relu6",
    "hardswish",
    "hardsigmoid",
    "silu",
    "gelu",
]


@dataclass(frozen=True, kw_only=True)
class Layer(ABC):
    """A layer type: parses its fields, and owns its geometry, accounting and witness.

    Every figure method takes the incoming shape (batch excluded) and returns an `Expr`,
    so the figure and its derivation are one. Every figure is abstract: a type states
    each one, an explicit zero included. The `witness_*` methods run the layer in NumPy
    (imported lazily, so `summary` never loads it) and never call a figure method.
    """

    type_name: ClassVar[str]
    name: str
    # Names of the layers this one reads; empty means the previous layer (or the input).
    inputs: tuple[str, ...] = ()
    # The PyTorch call that implements the layer ("nn.ReLU", "F.relu", "+"); empty means
    # torchvision's habit for the type (spec/torchcalls.py). Hook-based tools see modules only.
    torch: str = ""

    @classmethod
    @abstractmethod
    def parse(cls, name: str, f: Fields) -> Layer:
        """Build the layer from its spec fields."""

    def combine(self, xs: tuple[Shape, ...], names: tuple[str, ...]) -> Shape:
        """The one shape the figure methods take, from the shapes of all inputs."""
        if len(xs) != 1:
            raise GeometryError(
                f"{self.type_name} reads one input, got {len(xs)}: merge them first with"
                " an add or concat layer",
                field=("inputs",),
            )
        return xs[0]

    @classmethod
    @abstractmethod
    def sample(cls, rng: Random) -> Sample:
        """A random valid use of this type, for the conformance test: an input shape and
        the spec's layers (plain YAML values), the last of them of this type."""

    @abstractmethod
    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        """Output shape, one expression per dimension."""

    @abstractmethod
    def trainable_params(self, x: Shape) -> Expr:
        """Parameters updated by training."""

    @abstractmethod
    def non_trainable_params(self, x: Shape) -> Expr:
        """Parameters stored with the model but not trained (e.g. RBF prototypes)."""

    @abstractmethod
    def connections(self, x: Shape) -> Expr:
        """LeCun's connections: one per weight use on an in-bounds input, one per bias use."""

    @abstractmethod
    def macs(self, x: Shape) -> Expr:
        """Multiply-accumulates of weighted sums, as an implementation performs them."""

    @abstractmethod
    def product_macs(self, x: Shape) -> Expr:
        """Multiply-accumulates whose two operands are both activations (attention's
        QKᵀ and AV): no weight takes part, so they are kept apart from `macs`."""

    @abstractmethod
    def flops(self, x: Shape) -> Expr:
        """Floating-point operations (conventions.md); activation functions not counted."""

    @abstractmethod
    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        """Receptive field of one output unit, given the input units' field."""

    # ---- the witness ---------------------------------------------------------------

    @abstractmethod
    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        """Real parameter arrays for an input of `shape` (batch excluded)."""

    @abstractmethod
    def witness_forward(self, x: Array, params: Params) -> tuple[Array, int]:
        """The layer's output for a batch x, and the MACs actually performed. x may be
        overwritten only when writeable: the engine passes read-only views of values that
        later layers still read."""

    @abstractmethod
    def witness_sum(self, x: Array, params: Params) -> tuple[Array, int] | None:
        """The weighted sum alone (bias included), which the counting pass runs with
        every operand 1; None for a layer without weights."""

    def witness_merge(self, xs: list[Array]) -> Array:
        """The one array `witness_forward` takes, from the arrays of all inputs."""
        return xs[0]

    def witness_count(self, shape: Shape, params: Params) -> int | None:
        """Connections counted by array operations more cheaply than the all-ones pass at
        full width (e.g. one filter on one map, times multiplicities read off the parameter
        arrays); None runs that pass."""
        return None

    def witness_scratch(self, x: Shape) -> int:
        """Elements of temporary arrays the witness builds per sample (memory guard)."""
        return 0

    def witness_products(self, x: Array, params: Params) -> int:
        """Activation-by-activation MACs the forward pass performs on x; only a layer
        that multiplies activations together (attention) runs any."""
        return 0


class Settingless(Layer):
    """Declares a layer type that takes no fields beyond name, type and inputs."""

    @classmethod
    def parse(cls, name: str, f: Fields) -> Layer:
        return cls(name=name)


class Weightless(Layer):
    """Declares a layer without weights: no parameters, connections or MACs."""

    def product_macs(self, x: Shape) -> Expr:
        return ZERO

    def trainable_params(self, x: Shape) -> Expr:
        return ZERO

    def non_trainable_params(self, x: Shape) -> Expr:
        return ZERO

    def connections(self, x: Shape) -> Expr:
        return ZERO

    def macs(self, x: Shape) -> Expr:
        return ZERO

    def witness_params(self, shape: Shape, rng: Generator) -> Params:
        return {}

    def witness_sum(self, x: Array, params: Params) -> tuple[Array, int] | None:
        return None


class ShapeKeeping(Layer):
    """Declares a layer whose output has its input's shape and receptive field."""

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        return tuple(Num(d) for d in x)

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        # A merge's field is already the largest of its inputs' (ReceptiveField.union).
        return rf if len(self.inputs) > 1 else rf.kept()


def spatial(x: Shape, kind: str) -> tuple[int, int, int]:
    """(channels, height, width), or a GeometryError for a vector input."""
    if len(x) != 3:
        raise GeometryError(
            f"{kind} needs a channels x height x width input, got shape {list(x)}:"
            " place it before any flatten or dense layer"
        )
    return (x[0], x[1], x[2])


def size_of(x: Shape) -> Expr:
    """Number of input values, as C·H·W, T·D for tokens, or n for a vector."""
    symbols = {3: ("C", "H", "W"), 2: ("T", "D")}.get(len(x), ("n",) * len(x))
    out: Expr = Num(x[0], symbols[0])
    for d, sym in zip(x[1:], symbols[1:], strict=True):
        out = out * Num(d, sym)
    return Named("n_in", out) if len(x) > 1 else Num(x[0], "n_in")


@lru_cache(maxsize=4096)  # every figure of a layer asks for the same axes
def window_axes(
    x: Shape,
    kind: str,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: PaddingSpec,
    dilation: tuple[int, int] = (1, 1),
    ceil: bool = False,
) -> tuple[Axis, Axis]:
    """The two spatial axes of a windowed layer, padding resolved and fit checked."""
    _, height, width = spatial(x, kind)
    axes = []
    for i, (name, size) in enumerate((("h", height), ("w", width))):
        before, after = resolve_padding(padding, i, size, kernel[i], stride[i], dilation[i])
        axes.append(Axis(name, size, kernel[i], stride[i], before, after, dilation[i], ceil))
    for axis in axes:
        axis.check_fits()
    return (axes[0], axes[1])


def full_map_axes(x: Shape) -> tuple[Axis, Axis] | None:
    """A layer that reads a whole H×W map acts on the RF like a kernel of that size."""
    if len(x) != 3:
        return None
    return (Axis("h", x[1], x[1], 1, 0, 0), Axis("w", x[2], x[2], 1, 0, 0))


def out_positions(axes: tuple[Axis, Axis]) -> tuple[Expr, Expr]:
    """Output height and width as named figures (H_out, W_out)."""
    return (
        Named("H_out", axes[0].out_size()),
        Named("W_out", axes[1].out_size()),
    )


@dataclass(frozen=True, kw_only=True)
class Windowed(Layer):
    """A layer that slides a kernel over each map: conv, subsampling, pooling."""

    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: PaddingSpec = (0, 0)
    dilation: tuple[int, int] = (1, 1)

    def axes(self, x: Shape) -> tuple[Axis, Axis]:
        """The two spatial axes, padding resolved and fit checked."""
        return window_axes(x, self.type_name, self.kernel, self.stride, self.padding, self.dilation)

    def out_units(self, x: Shape) -> Expr:
        """Output units: maps·H_out·W_out."""
        h_out, w_out = out_positions(self.axes(x))
        return self.out_maps(x) * h_out * w_out

    def out_maps(self, x: Shape) -> Expr:
        """Number of output maps: one per input map unless overridden."""
        return Num(x[0], "C")

    def output_shape(self, x: Shape) -> tuple[Expr, ...]:
        h, w = self.axes(x)
        return (self.out_maps(x), h.out_size(), w.out_size())

    def receptive_field(self, x: Shape, rf: ReceptiveField) -> ReceptiveField:
        return rf.through(self.axes(x))

    def kernel_area(self, x: Shape) -> Expr:
        """Taps in one window: k_h·k_w (a global pool's window is the whole map)."""
        h, w = self.axes(x)
        return Num(h.kernel, "k_h") * Num(w.kernel, "k_w")

    def window(self, height: int, width: int) -> Window:
        """The sliding window the witness uses over a height×width map (hyper-parameters
        alone: the witness never asks the figure methods)."""
        from ..witness.arrays import Window

        return Window(self.kernel, self.stride, self.padding, self.dilation)


def random_map(rng: Random, channels: int = 4, size: int = 9) -> list[int]:
    """A small random C×H×W input shape for conformance samples."""
    return [rng.randint(1, channels), rng.randint(2, size), rng.randint(2, size)]


def random_input(rng: Random) -> list[int]:
    """A random vector length or small C×H×W shape, for types that take either."""
    return rng.choice([[rng.randint(1, 30)], random_map(rng)])


def random_tokens(rng: Random, tokens: int = 6, features: int = 8) -> list[int]:
    """A small random tokens×features input shape for conformance samples."""
    return [rng.randint(1, tokens), rng.randint(1, features)]
