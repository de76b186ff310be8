"""The optional `torch` field: which PyTorch call implements a layer.

Hook-based counters (torchinfo, thop, ptflops, torch-scan) see `nn.Module`s only, and
ptflops also patches some `F.*` functions; tracing counters (fvcore, FlopCounterMode,
ptflops' aten backend) see the operator whatever its spelling. So the same network counts
differently depending on whether its global pool is `nn.AdaptiveAvgPool2d` or
`F.adaptive_avg_pool2d`. A layer may name its call; the default is torchvision's habit,
the first entry of `torch_calls(layer)`.
"""

from __future__ import annotations

from ..layers import Activation, Layer, Pool
from ..layers.adaptive import AdaptivePool
from .fields import Fields

# Per activation function: its module, then its functional spelling.
ACTIVATION_CALLS: dict[str, tuple[str, ...]] = {
    "identity": ("nn.Identity",),
    "relu": ("nn.ReLU", "F.relu"),
    "relu6": ("nn.ReLU6", "F.relu6"),
    "tanh": ("nn.Tanh", "torch.tanh"),
    "sigmoid": ("nn.Sigmoid", "torch.sigmoid"),
    "softmax": ("nn.Softmax", "F.softmax"),
    "hardswish": ("nn.Hardswish", "F.hardswish"),
    "hardsigmoid": ("nn.Hardsigmoid", "F.hardsigmoid"),
    "silu": ("nn.SiLU", "F.silu"),
    "scaled_tanh": ("none",),  # LeCun's 1.7159·tanh(2x/3): no PyTorch module
}

_MAX = ("nn.MaxPool2d", "F.max_pool2d", "nn.AdaptiveMaxPool2d", "F.adaptive_max_pool2d")
_AVG = ("nn.AvgPool2d", "F.avg_pool2d", "nn.AdaptiveAvgPool2d", "F.adaptive_avg_pool2d")

# Layer types whose call does not depend on their fields.
_FIXED: dict[str, tuple[str, ...]] = {
    "conv2d": ("nn.Conv2d",),
    "dense": ("nn.Linear",),
    "dropout": ("nn.Dropout",),
    "flatten": ("torch.flatten", "nn.Flatten"),
    "add": ("+", "torch.add"),  # torchvision's residuals are `out += identity`
    "concat": ("torch.cat",),
    "subsample": ("none",),  # LeCun's trainable subsampling has no PyTorch module
    "rbf": ("none",),
}


def torch_calls(layer: Layer) -> tuple[str, ...]:
    """The calls that can implement `layer`, torchvision's habit first."""
    if isinstance(layer, Activation):
        return ACTIVATION_CALLS[layer.function]
    if isinstance(layer, Pool):
        calls = _MAX if layer.mode == "max" else _AVG
        # torchvision's global pools are adaptive: AdaptiveAvgPool2d((1, 1)).
        return calls[2:] + calls[:2] if layer.global_pool else calls
    if isinstance(layer, AdaptivePool):  # always adaptive: the module first, as torchvision
        return (_MAX if layer.mode == "max" else _AVG)[2:]
    if layer.type_name == "batchnorm":
        return ("nn.BatchNorm2d", "nn.BatchNorm1d")
    return _FIXED.get(layer.type_name, ("none",))


def torch_call(layer: Layer) -> str:
    """The call that implements `layer`: its `torch` field, else torchvision's habit."""
    return layer.torch or torch_calls(layer)[0]


def fused_activation_call(function: str) -> str:
    """A conv's or dense layer's `activation:` is a separate module in torchvision."""
    return ACTIVATION_CALLS[function][0]


def torch_field(f: Fields, layer: Layer) -> str:
    """The layer's optional `torch` field, checked against the calls its type allows."""
    if "torch" not in f.raw:
        return ""
    return f.choice("torch", list(torch_calls(layer)))
