"""NumPy building blocks the layers' witnesses share: parameters, windows, activations.

Only array operations live here; nothing reads a layer's figure methods.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import prod
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..geometry import PaddingSpec

Array = np.ndarray[Any, Any]
Generator = np.random.Generator

ACTIVATIONS: dict[str, Callable[[Array], Array]] = {
    "identity": lambda z: z,
    "tanh": np.tanh,
    "scaled_tanh": lambda z: 1.7159 * np.tanh(z * (2.0 / 3.0)),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "relu": lambda z: np.maximum(z, 0),
    "softmax": lambda z: (
        np.exp(z - z.max(-1, keepdims=True))
        / np.exp(z - z.max(-1, keepdims=True)).sum(-1, keepdims=True)
    ),
    "relu6": lambda z: np.clip(z, 0, 6),
    "hardsigmoid": lambda z: np.clip(z / 6 + 0.5, 0, 1),
    "hardswish": lambda z: z * np.clip(z / 6 + 0.5, 0, 1),
    "silu": lambda z: z / (1.0 + np.exp(-z)),
    "gelu": lambda z: 0.5 * z * (1.0 + _erf(z / np.sqrt(2.0))),
}


def _erf(z: Array) -> Array:
    """erf(z) to 1.5e-7 (Abramowitz and Stegun 7.1.26): NumPy has no erf, and the exact
    GELU (PyTorch's default) needs one."""
    t = 1.0 / (1.0 + 0.3275911 * np.abs(z))
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf: Array = np.sign(z) * (1.0 - poly * np.exp(-z * z))
    return erf


@dataclass
class Param:
    """A parameter array; `mask` marks the entries that exist (connection tables)."""

    value: Array
    trainable: bool
    mask: Array | None = None

    @property
    def count(self) -> int:
        """Stored entries: every element, or the masked-in ones."""
        return int(self.mask.sum()) if self.mask is not None else int(self.value.size)

    def set_to_ones(self, dtype: type[np.floating[Any]]) -> None:
        """Every existing entry set to 1 (masked-out ones to 0), in place when the dtype
        allows: the counting pass runs after the forward pass, so the values are spent."""
        ones = np.ones(self.value.shape, dtype) if self.mask is None else self.mask
        if self.value.dtype == dtype:
            np.copyto(self.value, ones)
        else:
            self.value = np.asarray(ones, dtype=dtype)


Params = dict[str, Param]


# Larger arrays repeat a block of this many random values (a prime, so the repetition
# never lines up with a tensor's axes): generating each value was 37% of verify vgg16.
_BLOCK = 1_048_573


def uniform(rng: Generator, shape: tuple[int, ...], fan_in: int) -> Array:
    """Weights uniform in ±√(3/fan_in) (He-like, keeps activations bounded); float32."""
    size = prod(shape)
    block = rng.random(min(size, _BLOCK), dtype=np.float32)
    block -= 0.5
    block *= 2.0 * np.sqrt(3.0 / max(fan_in, 1))
    if size <= _BLOCK:
        return block.reshape(shape)
    values = np.empty(size, dtype=np.float32)
    for start in range(0, size, _BLOCK):
        end = min(start + _BLOCK, size)
        values[start:end] = block[: end - start]
    return values.reshape(shape)


def per_channel(v: Array, x: Array) -> Array:
    """A per-channel vector shaped to broadcast against x (N, C, ...)."""
    return v.reshape(1, -1, *([1] * (x.ndim - 2)))


@dataclass(frozen=True)
class Window:
    """How a kernel slides over the two spatial axes (a global pool: the whole map)."""

    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: PaddingSpec = (0, 0)
    dilation: tuple[int, int] = (1, 1)
    ceil_mode: bool = False

    def pads(self, h: int, w: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """Padding per axis: explicit, `same` by its definition (output ⌈n / s⌉), and in
        ceil mode the extra cells a last, partial window needs."""
        return (self._pad(0, h), self._pad(1, w))

    def _pad(self, i: int, n: int) -> tuple[int, int]:
        stride, span = self.stride[i], self.dilation[i] * (self.kernel[i] - 1) + 1
        if self.padding == "same":
            total = max((-(-n // stride) - 1) * stride + span - n, 0)
            before, after = total // 2, total - total // 2
        elif isinstance(self.padding, tuple):
            before = after = self.padding[i]
        else:  # "valid"
            before = after = 0
        if self.ceil_mode:
            windows = -(-(n + before + after - span) // stride) + 1
            if (windows - 1) * stride >= n + before:
                windows -= 1  # a window may not start in the right padding
            after = max(after, (windows - 1) * stride + span - n - before)
        return (before, after)

    def views(self, x: Array, fill: float = 0.0) -> Array:
        """Strided (dilated) windows of padded x: shape (N, C, H_out, W_out, k_h, k_w)."""
        (top, bottom), (left, right) = self.pads(x.shape[2], x.shape[3])
        if top or bottom or left or right:
            n, c, h, w = x.shape
            padded = np.full((n, c, h + top + bottom, w + left + right), fill, dtype=x.dtype)
            padded[:, :, top : top + h, left : left + w] = x  # faster than np.pad
            x = padded
        spans = tuple(d * (k - 1) + 1 for k, d in zip(self.kernel, self.dilation, strict=True))
        win = sliding_window_view(x, spans, axis=(2, 3))
        s, d = self.stride, self.dilation
        return win[:, :, :: s[0], :: s[1], :: d[0], :: d[1]]


_TAPS_ONE_BY_ONE = 64  # beyond this, a Python loop over taps costs more than it saves


def window_max(win: Array) -> Array:
    """The maximum over each window of `views` (N, C, H_out, W_out, k_h, k_w): one
    element-wise maximum per tap, 20x faster than a reduction over the strided view."""
    if win.shape[4] * win.shape[5] > _TAPS_ONE_BY_ONE:  # a global pool: few, large windows
        return np.asarray(win.max(axis=(4, 5)))
    out = np.array(win[..., 0, 0], copy=True)
    for i in range(win.shape[4]):
        for j in range(win.shape[5]):
            if i or j:
                np.maximum(out, win[..., i, j], out=out)
    return out


def window_mean(win: Array) -> Array:
    """The mean over each window of `views`, summed tap by tap like `window_max`."""
    if win.shape[4] * win.shape[5] > _TAPS_ONE_BY_ONE:
        return np.asarray(win.mean(axis=(4, 5)))
    out = np.array(win[..., 0, 0], copy=True)
    for i in range(win.shape[4]):
        for j in range(win.shape[5]):
            if i or j:
                np.add(out, win[..., i, j], out=out)
    out /= win.shape[4] * win.shape[5]
    return out


# Functions that can overwrite their argument: a fresh weighted sum needs no second array.
_IN_PLACE: dict[str, Callable[[Array], object]] = {
    "identity": lambda z: None,
    "relu": lambda z: np.maximum(z, 0, out=z),
    "relu6": lambda z: np.clip(z, 0, 6, out=z),
}


def activated(function: str, z: Array, fresh: bool = False) -> Array:
    """z through the named activation function; `fresh` when z may be overwritten if it
    is writeable (a layer's own new array, or a spent input): one allocation fewer."""
    if fresh and function in _IN_PLACE and z.flags.writeable:
        _IN_PLACE[function](z)
        return z
    return ACTIVATIONS[function](z)


def sum_of(xs: Sequence[Array]) -> Array:
    """Element-wise sum of same-shaped arrays, accumulated in place (no stacked copy):
    into the first when it is writeable (spent), else into a copy of it."""
    out = xs[0] if xs[0].flags.writeable else np.array(xs[0], copy=True)
    for x in xs[1:]:
        out += x
    return out


def affine_params(rng: Generator, channels: int) -> Params:
    """A trainable scale (around 1) and shift per channel, as every norm layer holds."""
    return {
        "scale": Param(rng.uniform(0.5, 1.5, channels).astype(np.float32), True),
        "shift": Param(uniform(rng, (channels,), 1), True),
    }


def affine(x: Array, params: Params, view: Callable[[Array, Array], Array]) -> Array:
    """x·scale + shift, each vector shaped to x by `view`: a weight use and a bias use
    per element."""
    return x * view(params["scale"].value, x) + view(params["shift"].value, x)
