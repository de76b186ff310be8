"""Layer types, and the one registry that maps a spec's `type` to its class."""

from __future__ import annotations

from .adaptive import AdaptivePool
from .attention import SelfAttention
from .base import ACTIVATIONS, Layer
from .channels import ChannelShuffle, ChannelSlice, LayerNorm, LayerScale, Multiply
from .conv import Conv2d
from .dense import RBF, Dense
from .merge import Add, Concat
from .norm import BatchNorm, Dropout
from .simple import Activation, Flatten
from .tokens import ClassToken, PositionEmbedding, SelectToken, Tokens
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
    "layernorm": LayerNorm,
    "layer_scale": LayerScale,
    "multiply": Multiply,
    "channel_slice": ChannelSlice,
    "channel_shuffle": ChannelShuffle,
    "adaptive_pool": AdaptivePool,
    "tokens": Tokens,
    "class_token": ClassToken,
    "position_embedding": PositionEmbedding,
    "select_token": SelectToken,
    "attention": SelfAttention,
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
