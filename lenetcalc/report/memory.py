"""Memory estimates: parameters, activations live along the graph, and training."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from ..spec.network import INPUT, Network
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
    size = {INPUT: prod(report.input_shape) * batch * itemsize}
    last_read = {j: i for i in range(len(report.layers)) for j in network.producers(i)}
    live = size[INPUT]
    during = []
    for i, record in enumerate(report.layers):
        size[i] = prod(record.output_shape) * batch * itemsize
        live += size[i]
        during.append(live)
        for j in set(network.producers(i)):
            if last_read[j] == i:
                live -= size[j]
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
