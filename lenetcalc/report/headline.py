"""The totals block: parameters as Keras and torchinfo count them, and sizes in bytes.

torchinfo's `Total params` counts `nn.Parameter`s only; batch norm's running mean and
variance are buffers, so they are left out there and kept here (they are stored with the
model). Both numbers are given, labelled. The sizes follow torchinfo's definitions, so
that its `Forward/backward pass size (MB)` and ours agree (conventions.md, "Memory").
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from .analysis import Report
from .memory import DTYPES, Memory

# Non-trainable params of these types are running statistics (buffers in PyTorch).
RUNNING_STATISTICS = frozenset({"batchnorm"})


@dataclass(frozen=True)
class Headline:
    """The whole network's totals, and its sizes for one dtype and batch."""

    trainable_params: int
    non_trainable_params: int
    running_statistics: int  # of the non-trainable ones
    connections: int
    macs: int
    flops: int
    input_bytes: int
    param_bytes: int
    forward_backward_bytes: int  # each parameterised layer's output, twice (its gradient)

    @property
    def params(self) -> int:
        """Trainable plus non-trainable."""
        return self.trainable_params + self.non_trainable_params

    @property
    def torchinfo_params(self) -> int:
        """What torchinfo prints as `Total params`: running statistics excluded."""
        return self.params - self.running_statistics

    @property
    def total_bytes(self) -> int:
        """Input, forward/backward pass and parameters: torchinfo's estimated total."""
        return self.input_bytes + self.forward_backward_bytes + self.param_bytes


def headline(report: Report, memory: Memory | None = None) -> Headline:
    """The totals block of `report` at the memory estimate's dtype and batch (float32,
    batch 1 without one)."""
    t = report.totals
    itemsize, batch = (DTYPES[memory.dtype], memory.batch) if memory else (4, 1)
    weighted = sum(r.activations for r in report.layers if r.params)
    return Headline(
        trainable_params=t.trainable_params,
        non_trainable_params=t.non_trainable_params,
        running_statistics=sum(
            r.non_trainable_params for r in report.layers if r.type in RUNNING_STATISTICS
        ),
        connections=t.connections,
        macs=t.macs,
        flops=t.flops,
        input_bytes=prod(report.input_shape) * batch * itemsize,
        param_bytes=t.params * itemsize,
        forward_backward_bytes=2 * weighted * batch * itemsize,
    )
