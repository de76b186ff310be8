"""The NumPy forward engine: an independent witness for the analytic figures.

It runs each layer for real and measures shapes, parameter counts, connections and MACs
from the arrays themselves. It reads only the layers' hyper-parameters (kernel, stride,
padding keyword, filters, table, units) and never calls their figure methods.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..layers import Layer
from ..spec.network import INPUT, Network

Array = np.ndarray[Any, Any]

_ACTIVATIONS: dict[str, Callable[[Array], Array]] = {
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
}


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


@dataclass(frozen=True)
class Observation:
    """What the engine measured for one layer, per sample."""

    name: str
    output_shape: tuple[int, ...]
    trainable_params: int
    non_trainable_params: int
    connections: int
    macs: int


# ---- padding and windows -------------------------------------------------------------


def _geometry(
    layer: Any, h: int, w: int
) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """Kernel, stride and dilation of a windowed layer (a global pool: the whole map)."""
    if getattr(layer, "global_pool", False):
        return (h, w), (1, 1), (1, 1)
    return layer.kernel, layer.stride, getattr(layer, "dilation", (1, 1))


def _pads(layer: Any, h: int, w: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Padding per axis: explicit, `same` by its definition (output ⌈n / s⌉), and in
    ceil mode the extra cells a last, partial window needs."""
    kernel, stride, dilation = _geometry(layer, h, w)
    spec = getattr(layer, "padding", (0, 0))
    out = []
    for i, n in enumerate((h, w)):
        span = dilation[i] * (kernel[i] - 1) + 1
        if spec == "same":
            total = max((-(-n // stride[i]) - 1) * stride[i] + span - n, 0)
            before, after = total // 2, total - total // 2
        else:
            before = after = 0 if spec == "valid" else spec[i]
        if getattr(layer, "ceil_mode", False):
            windows = -(-(n + before + after - span) // stride[i]) + 1
            if (windows - 1) * stride[i] >= n + before:
                windows -= 1  # a window may not start in the right padding
            after = max(after, (windows - 1) * stride[i] + span - n - before)
        out.append((before, after))
    return (out[0], out[1])


def _windows(layer: Any, x: Array, fill: float = 0.0) -> Array:
    """Strided (dilated) windows of padded x: shape (N, C, H_out, W_out, k_h, k_w)."""
    kernel, stride, dilation = _geometry(layer, x.shape[2], x.shape[3])
    (top, bottom), (left, right) = _pads(layer, x.shape[2], x.shape[3])
    if top or bottom or left or right:
        n, c, h, w = x.shape
        padded = np.full((n, c, h + top + bottom, w + left + right), fill, dtype=x.dtype)
        padded[:, :, top : top + h, left : left + w] = x  # faster than np.pad
        x = padded
    spans = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation, strict=True))
    win = sliding_window_view(x, spans, axis=(2, 3))
    return win[:, :, :: stride[0], :: stride[1], :: dilation[0], :: dilation[1]]


# ---- per type: parameters, weighted sum, forward ---------------------------------------
# A weighted sum returns (pre-activation values, MACs performed for the whole batch).


def _uniform(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int) -> Array:
    """Weights uniform in ±√(3/fan_in) (He-like, keeps activations bounded); float32."""
    values = rng.random(shape, dtype=np.float32)
    values -= 0.5
    values *= 2.0 * np.sqrt(3.0 / max(fan_in, 1))
    return values


def _conv_init(layer: Any, shape: tuple[int, ...], rng: np.random.Generator) -> Params:
    c, (kh, kw), f = shape[0] // layer.groups, layer.kernel, layer.filters
    mask = np.ones((f, c, kh, kw), dtype=bool)
    if layer.connection_table is not None:
        mask[:] = False
        for i, row in enumerate(layer.connection_table):
            mask[i, list(row)] = True
    weights = _uniform(rng, (f, c, kh, kw), c * kh * kw) * mask
    params = {"weight": Param(weights, True, None if layer.connection_table is None else mask)}
    if layer.bias:
        params["bias"] = Param(_uniform(rng, (f,), 1), True)
    return params


def _conv_sum(layer: Any, x: Array, p: Params) -> tuple[Array, int]:
    win = _windows(layer, x)  # (N, C, Ho, Wo, kh, kw)
    w = p["weight"].value
    n, _, h_out, w_out, _, _ = win.shape
    if layer.connection_table is None:
        # im2col as (C·kh·kw, Ho·Wo) per sample and group: the copy keeps rows contiguous,
        # and one (batched) matmul gives (F, Ho·Wo), already in channel-first layout.
        g = layer.groups
        cols = np.ascontiguousarray(win.transpose(0, 1, 4, 5, 2, 3))
        cols = cols.reshape(n, g, -1, h_out * w_out)  # (N, groups, C/g·kh·kw, Ho·Wo)
        kernels = w.reshape(g, w.shape[0] // g, -1)  # (groups, F/g, C/g·kh·kw)
        y = (kernels @ cols).reshape(n, -1, h_out, w_out)
        macs = n * g * kernels.shape[1] * kernels.shape[2] * cols.shape[3]
    else:
        # Only the (filter, input map) pairs the table connects are multiplied.
        rows = layer.connection_table
        maps = [m for row in rows for m in row]
        owner = [f for f, row in enumerate(rows) for _ in row]
        pairs = np.einsum("nehwij,eij->nhwe", win[:, maps], w[owner, maps])
        starts = np.cumsum([0] + [len(r) for r in rows[:-1]])
        y = np.add.reduceat(pairs, starts, axis=3).transpose(0, 3, 1, 2)
        macs = pairs.size * w.shape[2] * w.shape[3]
    if "bias" in p:
        y += p["bias"].value[:, None, None]  # y is a fresh array: add in place
    return y, macs


def _subsample_init(layer: Any, shape: tuple[int, ...], rng: np.random.Generator) -> Params:
    c = shape[0]
    return {
        "coefficient": Param(_uniform(rng, (c,), 1), True),
        "bias": Param(_uniform(rng, (c,), 1), True),
    }


def _subsample_sum(layer: Any, x: Array, p: Params) -> tuple[Array, int]:
    win = _windows(layer, x)
    # The window sum times the map's coefficient, as a contraction with a tied kernel.
    kernel = np.broadcast_to(p["coefficient"].value[:, None, None], (x.shape[1], *layer.kernel))
    y = np.einsum("nchwij,cij->nchw", win, kernel)
    return y + p["bias"].value[:, None, None], y.size * kernel[0].size


def _dense_init(layer: Any, shape: tuple[int, ...], rng: np.random.Generator) -> Params:
    n_in = int(np.prod(shape))
    params = {"weight": Param(_uniform(rng, (n_in, layer.units), n_in), True)}
    if getattr(layer, "bias", False):
        params["bias"] = Param(_uniform(rng, (layer.units,), 1), True)
    return params


def _dense_sum(layer: Any, x: Array, p: Params) -> tuple[Array, int]:
    flat = x.reshape(x.shape[0], -1)
    w = p["weight"].value
    y = flat @ w
    return (y + p["bias"].value if "bias" in p else y), flat.shape[0] * w.size


def _rbf_init(layer: Any, shape: tuple[int, ...], rng: np.random.Generator) -> Params:
    n_in = int(np.prod(shape))
    prototypes = np.sign(_uniform(rng, (layer.units, n_in), 1))  # ±1, like LeNet's bitmaps
    return {"prototypes": Param(prototypes, layer.trainable)}


def _rbf_dot(layer: Any, x: Array, p: Params) -> tuple[Array, int]:
    """x·w_i for each prototype: the weighted sum inside ||x − w_i||²."""
    flat = x.reshape(x.shape[0], -1)
    w = p["prototypes"].value
    return flat @ w.T, flat.shape[0] * w.size


def _rbf_forward(layer: Any, x: Array, p: Params) -> tuple[Array, int]:
    # ||x − w||² = ||x||² − 2 x·w + ||w||², so the one contraction is x·w.
    dot, macs = _rbf_dot(layer, x, p)
    flat = x.reshape(x.shape[0], -1)
    w = p["prototypes"].value
    return (flat * flat).sum(1, keepdims=True) - 2 * dot + (w * w).sum(1), macs


def _batchnorm_init(layer: Any, shape: tuple[int, ...], rng: np.random.Generator) -> Params:
    c = shape[0]
    return {
        "scale": Param(rng.uniform(0.5, 1.5, c).astype(np.float32), True),
        "shift": Param(_uniform(rng, (c,), 1), True),
        "running_mean": Param(_uniform(rng, (c,), 1), False),
        "running_var": Param(rng.uniform(0.5, 2.0, c).astype(np.float32), False),
    }


def _per_channel(v: Array, x: Array) -> Array:
    return v.reshape(1, -1, *([1] * (x.ndim - 2)))


def _batchnorm_sum(layer: Any, x: Array, p: Params) -> tuple[Array, int]:
    """x·scale + shift, per channel: the weight use and bias use of each element."""
    return x * _per_channel(p["scale"].value, x) + _per_channel(p["shift"].value, x), 0


def _batchnorm_forward(layer: Any, x: Array, p: Params) -> tuple[Array, int]:
    mean, var = p["running_mean"].value, p["running_var"].value
    normal = (x - _per_channel(mean, x)) / np.sqrt(_per_channel(var, x) + 1e-5)
    return _batchnorm_sum(layer, normal, p)


def _pool_forward(layer: Any, x: Array, p: Params) -> tuple[Array, int]:
    if layer.mode == "max":
        return _windows(layer, x, fill=-np.inf).max(axis=(4, 5)), 0
    return _windows(layer, x).mean(axis=(4, 5)), 0


def _no_params(layer: Any, shape: tuple[int, ...], rng: np.random.Generator) -> Params:
    return {}


def _squashed(weighted: WeightedSum) -> WeightedSum:
    """The forward pass of a weighted layer: its weighted sum, then its activation."""

    def forward(layer: Any, x: Array, p: Params) -> tuple[Array, int]:
        z, macs = weighted(layer, x, p)
        return _ACTIVATIONS[layer.activation](z), macs

    return forward


WeightedSum = Callable[[Any, Array, Params], tuple[Array, int]]


@dataclass(frozen=True)
class EngineOp:
    """How the engine runs one layer type.

    `weighted` is None for a layer without weights; `merge` joins several inputs
    into the one array `forward` takes (merge layers only).
    """

    init: Callable[[Any, tuple[int, ...], np.random.Generator], Params]
    forward: WeightedSum
    weighted: WeightedSum | None = None
    merge: Callable[[list[Array]], Array] | None = None


def _identity(layer: Any, x: Array, p: Params) -> tuple[Array, int]:
    return x, 0


ENGINE_OPS: dict[str, EngineOp] = {
    "conv2d": EngineOp(_conv_init, _squashed(_conv_sum), _conv_sum),
    "subsample": EngineOp(_subsample_init, _squashed(_subsample_sum), _subsample_sum),
    "dense": EngineOp(_dense_init, _squashed(_dense_sum), _dense_sum),
    "rbf": EngineOp(_rbf_init, _rbf_forward, _rbf_dot),
    "pool": EngineOp(_no_params, _pool_forward),
    "flatten": EngineOp(_no_params, lambda layer, x, p: (x.reshape(x.shape[0], -1), 0)),
    "activation": EngineOp(_no_params, lambda layer, x, p: (_ACTIVATIONS[layer.function](x), 0)),
    "batchnorm": EngineOp(_batchnorm_init, _batchnorm_forward, _batchnorm_sum),
    "dropout": EngineOp(_no_params, _identity),
    "add": EngineOp(_no_params, _identity, merge=lambda xs: np.sum(xs, axis=0)),
    "concat": EngineOp(_no_params, _identity, merge=lambda xs: np.concatenate(xs, axis=1)),
}


# ---- measuring -----------------------------------------------------------------------


def count_connections(layer: Layer, shape: tuple[int, ...], params: Params) -> int:
    """Counting pass: the weighted sum with inputs, weights and biases all 1.

    Each output unit's value is then the number of its incoming connections (padding
    contributes zeros), so their sum is the layer's connections.
    """
    op = ENGINE_OPS[layer.type_name]
    if op.weighted is None:
        return 0
    # A unit's count is at most its inputs + 1 (each input once, one bias): float32 holds
    # every such sum exactly below 2**24, and saves copying the weights.
    exact32 = int(np.prod(shape)) + 1 < 2**24
    dtype = np.float32 if exact32 else np.float64
    for p in params.values():
        p.set_to_ones(dtype)
    counts, _ = op.weighted(layer, np.ones((1, *shape), dtype), params)
    return int(np.rint(counts).astype(np.int64).sum(dtype=np.int64))


def run(network: Network, batch: int = 1, seed: int = 0) -> list[Observation]:
    """Run the network forward and measure every layer.

    Each output is dropped once its last reader has run, so memory holds only the
    tensors still live along the graph.
    """
    rng = np.random.default_rng(seed)
    n = len(network.layers)
    last_read = {j: i for i in range(n) for j in network.producers(i)}
    outputs = {INPUT: _uniform(rng, (batch, *network.input_shape), 3)}
    observations = []
    for i, layer in enumerate(network.layers):
        op = ENGINE_OPS[layer.type_name]
        xs = [outputs[j] for j in network.producers(i)]
        x = op.merge(xs) if op.merge else xs[0]
        shape = tuple(int(d) for d in x.shape[1:])
        params = op.init(layer, shape, rng)
        y, macs = op.forward(layer, x, params)
        observations.append(
            Observation(
                name=layer.name,
                output_shape=tuple(int(d) for d in y.shape[1:]),
                trainable_params=sum(p.count for p in params.values() if p.trainable),
                non_trainable_params=sum(p.count for p in params.values() if not p.trainable),
                connections=count_connections(layer, shape, params),
                macs=macs // batch,
            )
        )
        outputs[i] = y.astype(np.float32, copy=False)
        for j in network.producers(i):
            if last_read[j] == i:
                del outputs[j]
    return observations
