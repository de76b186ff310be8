"""Memory estimates: parameters, activations live along the graph, and training."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from ..spec.network import Network
from .analysis import LayerRecord, Report

DTYPES = {"float32": 4, "float16": 2, "bfloat16": 2, "int8": 1}
# Optimiser state per trainable parameter, in parameter-sized slots.
OPTIMIZERS = {"sgd": 0, "sgd-momentum": 1, "adam": 2}


@dataclass(frozen=True)
class Memory:
    """Byte estimates for one dtype and batch size."""

    dtype: str
    batch: int
    param_bytes: int
    inference_peak_bytes: int  # the most bytes of activations alive at once
    training_bytes: dict[str, int]  # per optimiser: weights, gradients, state, activations

    def activation_bytes(self, record: LayerRecord) -> int:
        """Bytes of a row's output activations for the whole batch."""
        return record.activations * self.batch * DTYPES[self.dtype]


def live_bytes(network: Network, report: Report, batch: int, itemsize: int) -> list[int]:
    """Bytes of activations alive while each layer runs: its inputs, its output and every
    earlier output that a later layer still reads (the network input included)."""
    values = network.values(prod(report.input_shape) * batch * itemsize)
    during = []
    for i, record in enumerate(report.layers):
        size = prod(record.output_shape) * batch * itemsize
        during.append(sum(values.alive()) + size)
        values.store(i, size)
    return during


def estimate(network: Network, report: Report, dtype: str = "float32", batch: int = 1) -> Memory:
    """Parameter, inference and training memory of `network` at `dtype` and `batch`."""
    itemsize = DTYPES[dtype]
    totals = report.totals
    params = totals.params * itemsize
    stored = (totals.activations + prod(report.input_shape)) * batch * itemsize
    trainable = totals.trainable_params * itemsize
    training = {
        # weights + a gradient per trainable weight + optimiser state + every activation
        name: params + trainable + slots * trainable + stored
        for name, slots in OPTIMIZERS.items()
    }
    peak = max(live_bytes(network, report, batch, itemsize))
    return Memory(dtype, batch, params, peak, training)


PROCESS_BYTES = 64 * 2**20  # the interpreter, NumPy and lenetcalc themselves


def witness_peak_bytes(network: Network, report: Report, batch: int) -> int:
    """An upper estimate of the NumPy witness's peak memory, from the analytic shapes.

    While a layer runs: every activation still alive along the graph and a padded copy of
    its input (float32, whole batch), the layer's scratch arrays, and its parameters
    twice; the counting pass needs the same for one sample in float64. The largest
    layer's need, plus the process itself.
    """
    live = live_bytes(network, report, batch, 4)
    worst = 0
    for layer, r, alive in zip(network.layers, report.layers, live, strict=True):
        scratch = layer.witness_scratch(r.input_shape)
        forward = alive + 4 * (batch * (prod(r.input_shape) + scratch) + 2 * r.params)
        counting = 8 * (prod(r.input_shape) + scratch + r.activations + r.params)
        worst = max(worst, forward, counting)
    return worst + PROCESS_BYTES
