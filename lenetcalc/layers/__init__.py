"""Layer types, and the one registry that maps a spec's `type` to its class."""

from __future__ import annotations

from .adaptive import AdaptivePool
from .attention import SelfAttention
from .base import ACTIVATIONS, Layer
from .channels import ChannelShuffle, ChannelSlice, LayerNorm, LayerScale, Multiply
from .conv import Conv2d
from .dense import RBF, Dense
from .merge import Add, Concat
from .norm import BatchNorm, Dropout, GroupNorm
from .simple import Activation, Flatten
from .tokens import ClassToken, PositionEmbedding, SelectToken, Tokens
from .window import Pool, Subsample

# The one registry: a spec's `type` to its class. A new type is one line here.
LAYER_TYPES: dict[str, type[Layer]] = {
    cls.type_name: cls
    for cls in (
        Conv2d,
        Subsample,
        Pool,
        Dense,
        RBF,
        Flatten,
        Activation,
        Add,
        Concat,
        BatchNorm,
        Dropout,
        LayerNorm,
        GroupNorm,
        LayerScale,
        Multiply,
        ChannelSlice,
        ChannelShuffle,
        AdaptivePool,
        Tokens,
        ClassToken,
        PositionEmbedding,
        SelectToken,
        SelfAttention,
    )
}

__all__ = [
    "ACTIVATIONS",
    "LAYER_TYPES",
    "RBF",
    "Activation",
    "AdaptivePool",
    "Add",
    "BatchNorm",
    "ChannelShuffle",
    "ChannelSlice",
    "ClassToken",
    "Concat",
    "Conv2d",
    "Dense",
    "Dropout",
    "Flatten",
    "Layer",
    "LayerNorm",
    "LayerScale",
    "Multiply",
    "Pool",
    "PositionEmbedding",
    "SelectToken",
    "SelfAttention",
    "Subsample",
    "Tokens",
]
