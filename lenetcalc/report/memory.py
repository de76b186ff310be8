"""Memory estimates: parameters, activations live along the graph, and training."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from ..geometry import Shape
from ..layers import Layer
from ..layers.base import Windowed
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
# The loaded spec, its report and records, per layer: about 7 KB measured at 10,000 and
# at 100,000 layers (a 10,000-layer residual spec peaked at 114 MB against 66 MiB before).
SPEC_BYTES_PER_LAYER = 8 * 2**10


def witness_peak_bytes(network: Network, report: Report, batch: int) -> int:
    """An upper bound of the NumPy witness's peak memory, from the analytic shapes.

    While a layer runs (float32, whole batch): every activation still alive along the
    graph, the merged input of a layer with several, a padded copy of its input, its
    scratch arrays, three output-sized temporaries (product, activation, normalisation)
    and its parameters twice (the arrays, and a squared copy or ones for counting).
    Then the counting pass for one sample in float64, with the same held. The largest
    layer's need, plus the process itself and the loaded spec. tests/test_witness_bounds.py
    checks it against peaks measured by tracemalloc (zoo, adversarial graphs) and against
    a whole process's peak RSS.
    """
    live = live_bytes(network, report, batch, 4)
    worst = 0
    for i, (layer, r, alive) in enumerate(zip(network.layers, report.layers, live, strict=True)):
        x = r.input_shape
        merged = prod(x) if len(network.producers(i)) > 1 else 0
        arrays = merged + padded_elements(layer, x) + layer.witness_scratch(x)
        held = alive + 2 * 4 * r.params
        forward = held + 4 * batch * (arrays + 3 * r.activations)
        counting = held + 8 * (prod(x) + arrays + 2 * r.activations)
        worst = max(worst, forward, counting)
    return worst + PROCESS_BYTES + SPEC_BYTES_PER_LAYER * len(network.layers)


def padded_elements(layer: Layer, x: Shape) -> int:
    """Elements of a padded copy of x (per sample): the input itself for a layer without
    a window; with one, each spatial size plus its padding and a stride (ceil mode)."""
    if not isinstance(layer, Windowed) or len(x) != 3:
        return prod(x)
    h, w = layer.axes(x)
    return (
        x[0]
        * (h.size + h.pad_before + h.pad_after + h.stride)
        * (w.size + w.pad_before + w.pad_after + w.stride)
    )
