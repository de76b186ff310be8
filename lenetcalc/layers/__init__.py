"""Layer types, and the one registry that maps a spec's `type` to its class."""

from __future__ import annotations

from .base import ACTIVATIONS, Layer
from .conv import Conv2d
from .dense import RBF, Dense
from .merge import Add, Concat
from .norm import BatchNorm, Dropout
from .simple import Activation, Flatten
from .window import Pool, Subsample

LAYER_TYPES: dict[str, type[Layer]] = {
    "conv2d": Conv2d,
    "subsample": Subsample,
    "pool": Pool,
    "dense": Dense,
    "rbf": RBF,
    "flatten": Flatten,
    "activation": Activation,
    "add": Add,
    "concat": Concat,
    "batchnorm": BatchNorm,
    "dropout": Dropout,
}

__all__ = [
    "ACTIVATIONS",
    "LAYER_TYPES",
    "RBF",
    "Activation",
    "Add",
    "BatchNorm",
    "Concat",
    "Conv2d",
    "Dense",
    "Dropout",
    "Flatten",
    "Layer",
    "Pool",
    "Subsample",
]
