"""The NumPy forward engine: an independent witness for the analytic figures.

It runs each layer for real through the layer's own `witness_*` methods and measures
shapes, parameter counts, connections and MACs from the arrays themselves. Those methods
read only hyper-parameters (kernel, stride, padding keyword, filters, table, units) and
never call a figure method; a conformance test runs the engine with every figure method
disabled to keep it so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import prod
from typing import Any

import numpy as np

from ..errors import LenetcalcError
from ..layers import Layer
from ..spec.network import Network, Values
from .arrays import Params, uniform


@dataclass(frozen=True)
class Observation:
    """What the engine measured for one layer, per sample."""

    name: str
    output_shape: tuple[int, ...]
    trainable_params: int
    non_trainable_params: int
    connections: int
    macs: int
    product_macs: int


def count_connections(layer: Layer, shape: tuple[int, ...], params: Params) -> int:
    """Counting pass: the weighted sum with inputs, weights and biases all 1.

    Each output unit's value is then the number of its incoming connections (padding
    contributes zeros), so their sum is the layer's connections. A layer may count the
    same way more cheaply (`witness_count`: one filter on one map, say).
    """
    counted = layer.witness_count(shape, params)
    if counted is not None:
        return counted
    # A unit's count is at most its inputs + 1 (each input once, one bias): float32 holds
    # every such sum exactly below 2**24, and saves copying the weights.
    dtype: type[np.floating[Any]] = np.float32 if prod(shape) + 1 < 2**24 else np.float64
    for p in params.values():
        p.set_to_ones(dtype)
    weighted = layer.witness_sum(np.ones((1, *shape), dtype), params)
    if weighted is None:
        return 0
    counts, _ = weighted
    return int(np.rint(counts).astype(np.int64).sum(dtype=np.int64))


def observe(
    layer: Layer, x: np.ndarray[Any, Any], rng: np.random.Generator
) -> tuple[np.ndarray[Any, Any], Observation]:
    """Run one layer on x (batch first) and measure it."""
    shape = tuple(int(d) for d in x.shape[1:])
    params = layer.witness_params(shape, rng)
    y, macs = layer.witness_forward(x, params)
    products = layer.witness_products(x, params)  # before the counting pass spends params
    observation = Observation(
        name=layer.name,
        output_shape=tuple(int(d) for d in y.shape[1:]),
        trainable_params=sum(p.count for p in params.values() if p.trainable),
        non_trainable_params=sum(p.count for p in params.values() if not p.trainable),
        connections=count_connections(layer, shape, params),
        macs=macs // x.shape[0],
        product_macs=products // x.shape[0],
    )
    return y, observation


def run(
    network: Network,
    batch: int = 1,
    seed: int = 0,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Observation]:
    """Run the network forward and measure every layer (`progress` hears of each one).

    Each output is dropped once its last reader has run, so memory holds only the
    tensors still live along the graph.
    """
    rng = np.random.default_rng(seed)
    values = network.values(uniform(rng, (batch, *network.input_shape), 3))
    observations = []
    # A saturating exp (sigmoid, silu) may overflow on the way to a finite output: what
    # matters is each output, which `bounded` checks, so NumPy's warnings stay quiet.
    with np.errstate(over="ignore", under="ignore"):
        for i, layer in enumerate(network.layers):
            if progress is not None:
                progress(i, len(network.layers), layer.name)
            x = layer.witness_merge(inputs(values, i))
            y, observation = observe(layer, x, rng)
            observations.append(observation)
            values.store(i, bounded(y.astype(np.float32, copy=False), layer.name))
    return observations


def inputs(values: Values[np.ndarray[Any, Any]], i: int) -> list[np.ndarray[Any, Any]]:
    """Layer i's input arrays: writeable where layer i is the last to read them and no
    other value held shares their memory (it may compute in place, sparing an allocation
    and a pass), read-only views elsewhere."""
    xs, alive = values.read(i), values.alive()

    def spendable(x: np.ndarray[Any, Any]) -> bool:
        # A view another layer returned (flatten, dropout, a slice) may share x's buffer.
        return not any(y is not x and np.may_share_memory(x, y) for y in alive)

    return [
        x if last and spendable(x) else _read_only(x)
        for x, last in zip(xs, values.last_read(i), strict=True)
    ]


def _read_only(x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    view = x.view()
    view.flags.writeable = False
    return view


class NonFiniteError(LenetcalcError):
    """The witness's values overflowed (or became NaN): it has witnessed nothing."""


# Outputs beyond this magnitude are scaled down (counts never depend on values): 10,000
# residual additions would otherwise double them past float32's range.
_BOUND = 1e4


def bounded(y: np.ndarray[Any, Any], name: str) -> np.ndarray[Any, Any]:
    """y, scaled into ±1 when its values grow past _BOUND; non-finite values are an error."""
    if y.size == 0:
        return y
    low, high = float(y.min()), float(y.max())
    if not (np.isfinite(low) and np.isfinite(high)):
        raise NonFiniteError(
            f"layer {name}: the NumPy witness computed non-finite values (overflow or NaN),"
            " so nothing was verified"
        )
    peak = max(high, -low)
    return y * np.float32(1 / peak) if peak > _BOUND else y  # a copy: y may be an input
