"""The optional `torch` field: which PyTorch call implements a layer.

Hook-based counters (torchinfo, thop, ptflops, torch-scan) see `nn.Module`s only, and
ptflops also patches some `F.*` functions; tracing counters (fvcore, FlopCounterMode,
ptflops' aten backend) see the operator whatever its spelling. So the same network counts
differently depending on whether its global pool is `nn.AdaptiveAvgPool2d` or
`F.adaptive_avg_pool2d`. A layer may name its call; the default is torchvision's habit,
the first entry of `torch_calls(layer)`.
"""

from __future__ import annotations

from ..layers import Layer
from ..layers.conv import Conv2d
from ..layers.simple import Activation
from ..layers.window import Pool
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
    "gelu": ("nn.GELU", "F.gelu"),  # ConvNeXt's and ViT's MLPs: nn.GELU
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
    # ViT's encoder norms are nn.LayerNorm; ConvNeXt's stem, downsampling and head norms
    # are torchvision's LayerNorm2d (a subclass: tools that match the exact type miss it).
    "layernorm": ("nn.LayerNorm", "LayerNorm2d"),
    "attention": ("nn.MultiheadAttention",),
    # Squeeze-excitation gates and ConvNeXt's layer scale are `scale * x` in forward.
    "multiply": ("*", "torch.mul"),
    "layer_scale": ("*", "torch.mul"),
    # ViT: torch.cat of the expanded class token; `x + self.pos_embedding`; `x[:, 0]`.
    "class_token": ("torch.cat",),
    "position_embedding": ("+",),
    "select_token": ("x[:, i]",),
    "tokens": ("reshape+permute",),
    # ShuffleNet v2: x.chunk(2, dim=1) and view/transpose/view.
    "channel_slice": ("chunk",),
    "channel_shuffle": ("view+transpose",),
}


def torch_calls(layer: Layer) -> tuple[str, ...]:
    """The calls that can implement `layer`, torchvision's habit first."""
    # Loaded here, not at the top: the registry loads layer families only when a spec uses
    # them, and every spec is read through this module.
    from ..layers.adaptive import AdaptivePool

    if isinstance(layer, Activation):
        return ACTIVATION_CALLS[layer.function]
    if isinstance(layer, Pool):
        calls = _MAX if layer.mode == "max" else _AVG
        # torchvision's global pools are adaptive: AdaptiveAvgPool2d((1, 1)).
        if not layer.global_pool:
            return calls
        # ShuffleNet v2 pools with x.mean([2, 3]).
        return calls[2:] + calls[:2] + (("Tensor.mean",) if layer.mode == "avg" else ())
    if isinstance(layer, AdaptivePool):  # always adaptive: the module first, as torchvision
        return (_MAX if layer.mode == "max" else _AVG)[2:]
    if layer.type_name == "batchnorm":
        return ("nn.BatchNorm2d", "nn.BatchNorm1d")
    if isinstance(layer, Conv2d) and _pointwise(layer):
        # ConvNeXt's MLP is nn.Linear on channels-last maps: a 1x1 conv's figures.
        return ("nn.Conv2d", "nn.Linear")
    return _FIXED.get(layer.type_name, ("none",))


def _pointwise(layer: Conv2d) -> bool:
    """A 1x1 conv with stride 1, no padding, groups or table: a per-position Linear."""
    plain = layer.groups == 1 and layer.connection_table is None
    # A 1x1 kernel: "same" and "valid" both pad nothing.
    unpadded = layer.padding in ((0, 0), "same", "valid")
    return plain and unpadded and layer.kernel == (1, 1) and layer.stride == (1, 1)


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
