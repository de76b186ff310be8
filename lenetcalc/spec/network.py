"""A validated network: its input shape, its layers in order, and who reads whom."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..errors import GeometryError
from ..geometry import Shape
from ..layers import Layer

INPUT = -1  # the producer index that stands for the network's input


@dataclass(frozen=True)
class Network:
    """What a spec describes, after validation.

    `sources[i]` lists the indices of the layers that layer i reads (INPUT for the
    network input); when empty, every layer reads the one before it. The network's
    output is the last layer's.
    """

    name: str
    input_shape: Shape
    layers: tuple[Layer, ...]
    description: str = ""
    source: str = ""
    sources: tuple[tuple[int, ...], ...] = ()

    def producers(self, i: int) -> tuple[int, ...]:
        """Indices of the layers that layer i reads."""
        return self.sources[i] if self.sources else (i - 1,)

    def trace(self) -> tuple[tuple[Shape, Shape], ...]:
        """Each layer's combined input shape and output shape, in order.

        A GeometryError names the index of the layer that cannot take its inputs. The
        network is immutable, so the trace the loader validates is the one analysis reuses.
        """
        return self._trace

    @cached_property
    def _trace(self) -> tuple[tuple[Shape, Shape], ...]:
        traced: list[tuple[Shape, Shape]] = []
        for i, layer in enumerate(self.layers):
            producers = self.producers(i)
            xs = tuple(traced[j][1] if j != INPUT else self.input_shape for j in producers)
            names = tuple(self.layers[j].name if j != INPUT else "input" for j in producers)
            try:
                x = layer.combine(xs, names)
                traced.append((x, tuple(d.value() for d in layer.output_shape(x))))
            except GeometryError as e:
                raise GeometryError(e.message, e.field, layer_index=i) from None
        return tuple(traced)
