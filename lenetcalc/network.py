"""A validated network: its input shape and its ordered layers."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import GeometryError
from .layers import Layer
from .shapes import Shape


@dataclass(frozen=True)
class Network:
    """What a spec describes, after validation."""

    name: str
    input_shape: Shape
    layers: tuple[Layer, ...]
    description: str = ""
    source: str = ""

    def shapes(self) -> list[Shape]:
        """The shape entering each layer, then the network's output shape.

        A GeometryError names the index of the layer that cannot take its input.
        """
        shapes = [self.input_shape]
        for i, layer in enumerate(self.layers):
            try:
                shapes.append(tuple(d.value() for d in layer.output_shape(shapes[-1])))
            except GeometryError as e:
                raise GeometryError(e.message, e.field, layer_index=i) from None
        return shapes
