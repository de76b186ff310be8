"""NumPy building blocks the layers' witnesses share: parameters, windows, activations.

Only array operations live here; nothing reads a layer's figure methods.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


def uniform(rng: Generator, shape: tuple[int, ...], fan_in: int) -> Array:
    """Weights uniform in ±√(3/fan_in) (He-like, keeps activations bounded); float32."""
    values = rng.random(shape, dtype=np.float32)
    values -= 0.5
    values *= 2.0 * np.sqrt(3.0 / max(fan_in, 1))
    return values


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


def activated(function: str, z: Array) -> Array:
    """z through the named activation function."""
    return ACTIVATIONS[function](z)


def sum_of(xs: Sequence[Array]) -> Array:
    """Element-wise sum of same-shaped arrays, accumulated in place (no stacked copy)."""
    out = np.array(xs[0], copy=True)
    for x in xs[1:]:
        out += x
    return out
