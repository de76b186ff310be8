"""Layer types, and the one registry that maps a spec's `type` to its class.

A family's module loads when a spec first uses one of its types, so a command pays only
for the layer types it reads (LeNet-5 never loads attention or tokens). Import a class
from its family's module: `from lenetcalc.layers.conv import Conv2d`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module

from .base import ACTIVATIONS, Layer

# The one registry: a spec's `type` to the module of its family, whose class of that
# `type_name` implements it. A new type is one line here.
FAMILIES: dict[str, str] = {
    "conv2d": "conv",
    "subsample": "window",
    "pool": "window",
    "dense": "dense",
    "rbf": "dense",
    "flatten": "simple",
    "activation": "simple",
    "add": "merge",
    "concat": "merge",
    "batchnorm": "norm",
    "dropout": "norm",
    "layernorm": "channels",
    "groupnorm": "norm",
    "layer_scale": "channels",
    "multiply": "channels",
    "channel_slice": "channels",
    "channel_shuffle": "channels",
    "adaptive_pool": "adaptive",
    "tokens": "tokens",
    "class_token": "tokens",
    "position_embedding": "tokens",
    "select_token": "tokens",
    "attention": "attention",
}


class _Registry(Mapping[str, "type[Layer]"]):
    """`FAMILIES` as classes: each looked up in its module on first use, then kept."""

    def __init__(self) -> None:
        self._loaded: dict[str, type[Layer]] = {}

    def __getitem__(self, name: str) -> type[Layer]:
        if name not in self._loaded:
            module = import_module(f".{FAMILIES[name]}", __name__)
            found = [
                value
                for value in vars(module).values()
                if isinstance(value, type)
                and issubclass(value, Layer)
                and value.__dict__.get("type_name") == name  # its own, not inherited
            ]
            if len(found) != 1:
                raise LookupError(f"layers.{FAMILIES[name]} defines no one class for {name!r}")
            self._loaded[name] = found[0]
        return self._loaded[name]

    def __contains__(self, name: object) -> bool:
        return name in FAMILIES  # without loading the family, as Mapping's lookup would

    def __iter__(self) -> Iterator[str]:
        return iter(FAMILIES)

    def __len__(self) -> int:
        return len(FAMILIES)


LAYER_TYPES: Mapping[str, type[Layer]] = _Registry()

__all__ = ["ACTIVATIONS", "FAMILIES", "LAYER_TYPES", "Layer"]
