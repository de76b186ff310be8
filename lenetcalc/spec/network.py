"""A validated network: its input shape, its layers in order, and who reads whom."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, TypeVar

from ..errors import GeometryError
from ..geometry import Shape
from ..layers import Layer

INPUT = -1  # the producer index that stands for the network's input (reader.py and here only)
T = TypeVar("T")


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
    # Name prefixes that stand for a block instance, e.g. "layer2" -> "block basic x2".
    blocks: Mapping[str, str] = field(default_factory=dict)

    def producers(self, i: int) -> tuple[int, ...]:
        """Indices of the layers that layer i reads."""
        return self.sources[i] if self.sources else (i - 1,)

    def input_names(self, i: int) -> tuple[str, ...]:
        """Names of what layer i reads ("input" for the network's input)."""
        return tuple(self.layers[j].name if j != INPUT else "input" for j in self.producers(i))

    def values(self, initial: T) -> Values[T]:
        """A store of per-layer values along the graph, starting from the input's."""
        return Values(self, initial)

    def unread(self) -> tuple[str, ...]:
        """Names of the layers, other than the last, whose output no layer reads.

        They are counted all the same; the CLI warns about them (a branch left dangling
        is usually a typo in some `inputs`).
        """
        read = self.last_reader
        return tuple(layer.name for i, layer in enumerate(self.layers[:-1]) if i not in read)

    def input_order_hint(self) -> str:
        """Why the input may be in the wrong order, or "" (see `channels_last_hint`)."""
        return channels_last_hint(self.input_shape)

    @cached_property
    def last_reader(self) -> dict[int, int]:
        """For each layer read by another (and the input), the index of its last reader."""
        return {j: i for i in range(len(self.layers)) for j in self.producers(i)}

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
            try:
                x = layer.combine(xs, self.input_names(i))
                traced.append((x, tuple(d.value() for d in layer.output_shape(x))))
            except GeometryError as e:
                raise GeometryError(e.message, e.field, layer_index=i) from None
        return tuple(traced)


class Values(Generic[T]):
    """Per-layer values (arrays, sizes, fields) kept only while a later layer reads them.

    The one model of liveness: the engine's arrays, the memory estimate and the
    receptive-field walk all go through it.
    """

    def __init__(self, network: Network, initial: T) -> None:
        self._network = network
        self._live: dict[int, T] = {INPUT: initial}

    def read(self, i: int) -> list[T]:
        """The values layer i reads, in the order of its inputs."""
        return [self._live[j] for j in self._network.producers(i)]

    def last_read(self, i: int) -> list[bool]:
        """Per input of layer i: whether layer i is its last reader and reads it once, so
        that its value may be spent by layer i (the engine computes in place)."""
        producers = self._network.producers(i)
        last = self._network.last_reader
        return [last[j] == i and producers.count(j) == 1 for j in producers]

    def store(self, i: int, value: T) -> None:
        """Keep layer i's value, and drop those whose last reader was layer i."""
        self._live[i] = value
        last = self._network.last_reader
        for j in set(self._network.producers(i)):  # a layer may read one input twice
            if last[j] == i:
                del self._live[j]

    def alive(self) -> list[T]:
        """Every value still held."""
        return list(self._live.values())


def channels_last_hint(shape: tuple[int, ...]) -> str:
    """A hint when an input reads like Keras's height x width x channels ([224, 224, 3]):
    a last axis of 1, 3 or 4 after two larger ones. Else ""."""
    if len(shape) != 3 or shape[2] not in (1, 3, 4) or min(shape[0], shape[1]) <= shape[2]:
        return ""
    c, h, w = shape[2], shape[0], shape[1]
    return (
        f"the input is read as channels x height x width, so {list(shape)} is"
        f" {shape[0]} maps of {shape[1]}x{shape[2]}: did you mean [{c}, {h}, {w}]?"
    )
