"""What other counting tools would print, each as an exact formula over the census.

Every rule below was read from the tool's source at the version named (file:line of
that version); none was fitted to a figure. A tool's total is Σ coefficient·term over
its rules; a census term a tool has no rule for counts zero, and `ignores` says where
the source leaves it out. Batch 1, models in eval mode, as each tool's users run them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .census import Census, LayerCensus


@dataclass(frozen=True)
class Rule:
    """coefficient·term, and where in the tool's source the charge is made."""

    term: str
    coefficient: int
    where: str
    note: str = ""


@dataclass(frozen=True)
class Ignored:
    """A census term the tool charges nothing for, and why (from its source)."""

    term: str
    where: str


@dataclass(frozen=True)
class Future:
    """The tool's rule for a layer type lenetcalc does not model yet."""

    layer: str
    rule: str
    where: str


@dataclass(frozen=True)
class Tool:
    """One peer tool's convention."""

    key: str
    name: str
    figure: str
    unit: str
    version: str
    source: str
    per_layer: bool
    rules: tuple[Rule, ...]
    ignores: tuple[Ignored, ...] = ()
    bugs: tuple[str, ...] = ()
    future: tuple[Future, ...] = ()


def total(tool: Tool, c: Census) -> int:
    """The tool's total on the census: Σ coefficient·term."""
    return sum(r.coefficient * c[r.term] for r in tool.rules)


def layer_value(tool: Tool, row: LayerCensus) -> int:
    """The tool's figure for one layer (its module and any fused activation module)."""
    return sum(r.coefficient * row.terms.get(r.term, 0) for r in tool.rules)


def beyond_w(tool: Tool, c: Census) -> tuple[tuple[int, str, int], ...]:
    """total − W as (coefficient, term, count) triples, zero counts dropped."""
    parts = []
    for r in tool.rules:
        coefficient = r.coefficient - 1 if r.term == "W" else r.coefficient
        if coefficient and c[r.term]:
            parts.append((coefficient, r.term, c[r.term]))
    return tuple(parts)


def ignored_here(tool: Tool, c: Census) -> tuple[tuple[Ignored, int], ...]:
    """The tool's zero-charged terms that this network actually has."""
    return tuple((i, c[i.term]) for i in tool.ignores if c[i.term])


def find(key: str) -> Tool:
    """The tool named `key` (a key of TOOLS)."""
    return TOOLS[key]


_PT = "ptflops/pytorch_ops.py"
_PE = "ptflops/pytorch_engine.py"
_TS = "torchscan/modules"
_TH = "thop/vision/basic_hooks.py"

_FLOPCOUNTER = Tool(
    key="flopcounter",
    name="torch FlopCounterMode",
    figure="get_total_flops()",
    unit="FLOPs",
    version="torch 2.x (read at pytorch 0140b62; measured 2.13)",
    source="torch/utils/flop_counter.py",
    per_layer=False,
    rules=(
        Rule(
            "W",
            2,
            "flop_counter.py conv_flop_count, mm_flop, addmm_flop",
            "2 per MAC; addmm_flop and conv_flop ignore the bias",
        ),
    ),
    ignores=(
        Ignored("B", "flop_counter.py addmm_flop / conv_flop_count: bias ignored"),
        Ignored("BN", "no formula registered for aten batch norm ops"),
        Ignored("ReLU", "no formula for aten.relu"),
        Ignored("MaxPool", "no formula for pooling"),
        Ignored("GAP", "no formula for aten.mean / adaptive_avg_pool2d"),
        Ignored("F.GAP", "no formula for aten.mean / adaptive_avg_pool2d"),
        Ignored("ADD", "no formula for aten.add"),
    ),
    future=(
        Future("layer norm", "0 (no formula)", "flop_counter.py flop_registry"),
        Future("GELU", "0 (no formula)", "flop_counter.py flop_registry"),
        Future("attention (SDPA)", "4·b·h·s_q·s_k·d (two bmm)", "flop_counter.py sdpa_flop_count"),
        Future(
            "attention (MultiheadAttention)",
            "2·MACs of its linear/bmm ops",
            "flop_counter.py mm_flop, bmm_flop, baddbmm_flop",
        ),
        Future("element-wise multiply", "0 (no formula for aten.mul)", "flop_counter.py"),
    ),
)

_FVCORE = Tool(
    key="fvcore",
    name="fvcore FlopCountAnalysis",
    figure="total()",
    unit="FLOPs (1 FMA = 1)",
    version="fvcore 0.1.5 (facebookresearch/fvcore 2dae1af)",
    source="fvcore/nn/jit_handles.py, fvcore/nn/flop_count.py",
    per_layer=False,
    rules=(
        Rule(
            "W", 1, "jit_handles.py:150 conv_flop_count, :99 linear_flop_jit", "bias never counted"
        ),
        Rule("BN", 2, "jit_handles.py:251 batchnorm_flop_jit", "eval: 2 per element, affine"),
        Rule(
            "GAP",
            1,
            "flop_count.py:42 aten::adaptive_avg_pool2d elementwise_flop_counter(1, 0)",
            "one per input element",
        ),
        Rule("F.GAP", 1, "flop_count.py:42 (a traced op: module or functional alike)"),
    ),
    ignores=(
        Ignored(
            "B",
            "jit_handles.py:127 conv_flop_count: 'addition and bias is ignored'",
        ),
        Ignored("ReLU", "jit_analysis.py:65 aten::relu in _IGNORED_OPS"),
        Ignored("F.relu", "jit_analysis.py:65 aten::relu in _IGNORED_OPS"),
        Ignored("ReLU6", "aten::hardtanh has no handle: unsupported, warned, zero"),
        Ignored("Tanh", "aten::tanh has no handle: unsupported, zero"),
        Ignored("Softmax", "aten::softmax has no handle: unsupported, zero"),
        Ignored("MaxPool", "aten::max_pool2d has no handle: unsupported, zero"),
        Ignored("AvgPool", "aten::avg_pool2d has no handle: unsupported, zero"),
        Ignored("ADD", "aten::add_ has no handle: unsupported, zero"),
        Ignored("DROPOUT", "jit_analysis.py:42 aten::dropout in _IGNORED_OPS"),
    ),
    future=(
        Future("layer norm", "5·elements (affine), 4 without", "jit_handles.py:230"),
        Future("GELU", "0 (aten::gelu unsupported)", "flop_count.py:26 _DEFAULT_SUPPORTED_OPS"),
        Future(
            "attention (SDPA)",
            "0 (aten::scaled_dot_product_attention unsupported)",
            "flop_count.py:26",
        ),
        Future(
            "attention (MultiheadAttention)",
            "MACs of its traced linear/bmm/matmul ops",
            "jit_handles.py:99, :113, :217",
        ),
        Future("element-wise multiply", "0 (aten::mul unsupported)", "flop_count.py:26"),
    ),
)

_PTFLOPS_ATEN = Tool(
    key="ptflops-aten",
    name="ptflops backend=aten",
    figure="get_model_complexity_info(..., backend='aten')",
    unit="MACs",
    version="ptflops 0.7.5 (sovrasov/flops-counter.pytorch v0.7.5, 3c5c3e3)",
    source="ptflops/aten_ops.py",
    per_layer=True,
    rules=(
        Rule("W", 1, "aten_ops.py:71 conv_flop_count, :36 addmm_flop"),
        Rule("B", 1, "aten_ops.py:94 conv bias; :52 addmm bias"),
    ),
    ignores=(
        Ignored("BN", "aten_ops.py:109 ATEN_OPS_MAPPING has no batch norm"),
        Ignored("ReLU", "aten_ops.py:109 ATEN_OPS_MAPPING: mm, matmul, addmm, bmm, convolution"),
        Ignored("MaxPool", "aten_ops.py:109 no pooling"),
        Ignored("GAP", "aten_ops.py:109 no pooling"),
        Ignored("F.GAP", "aten_ops.py:109 no pooling"),
        Ignored("ADD", "aten_ops.py:109 no element-wise ops"),
    ),
    future=(
        Future("layer norm", "0", "aten_ops.py:109"),
        Future("GELU", "0", "aten_ops.py:109"),
        Future("attention", "MACs of its mm/bmm/addmm (SDPA: 0)", "aten_ops.py:23, :57"),
        Future("element-wise multiply", "0", "aten_ops.py:109"),
    ),
)

_TORCHINFO = Tool(
    key="torchinfo",
    name="torchinfo summary",
    figure="total_mult_adds",
    unit="MACs",
    version="torchinfo 1.8.0 (TylerYep/torchinfo v1.8.0, 73ed568)",
    source="torchinfo/layer_info.py calculate_macs",
    per_layer=True,
    rules=(
        Rule("W", 1, "layer_info.py:237 Conv: params × output positions; :242 others: params"),
        Rule(
            "B",
            1,
            "layer_info.py:235 'bias' params counted like weights",
            "so conv/linear MACs are LeCun's connections",
        ),
        Rule("BNC", 2, "layer_info.py:242 BatchNorm: its 2·C params, once per sample"),
    ),
    ignores=(
        Ignored("BN", "layer_info.py:233 only parameters are counted: BN is 2·C, not per element"),
        Ignored("ReLU", "layer_info.py:233 no parameters, no MACs"),
        Ignored("MaxPool", "layer_info.py:233 no parameters, no MACs"),
        Ignored("GAP", "layer_info.py:233 no parameters, no MACs"),
        Ignored("ADD", "not a module: invisible to hooks"),
    ),
    future=(
        Future("layer norm", "2·normalized_shape (its params, once)", "layer_info.py:242"),
        Future("GELU", "0 (no params)", "layer_info.py:233"),
        Future(
            "attention (MultiheadAttention)",
            "in_proj_weight, in_proj_bias, out_proj.*: params × batch·seq (output_size[:2])",
            "layer_info.py:244",
        ),
        Future("attention (SDPA)", "0 (functional)", "torchinfo.py apply_hooks: modules only"),
        Future("element-wise multiply", "0", "not a module"),
    ),
)

_THOP = Tool(
    key="thop",
    name="thop profile",
    figure="profile(model, inputs)[0]",
    unit="MACs",
    version="thop 0.1.1 (Lyken17/pytorch-OpCounter 43c064a)",
    source="thop/profile.py register_hooks, thop/vision/basic_hooks.py",
    per_layer=False,
    rules=(
        Rule("W", 1, f"{_TH}:22 count_convNd, :140 count_linear", "bias not counted"),
        Rule("BN", 4, f"{_TH}:60 count_normalization", "calculate_norm 2·n, ×2 if affine"),
        Rule("AvgPoolOut", 1, f"{_TH}:106 count_avgpool", "one per output element"),
        Rule("GAP", 1, f"{_TH}:114 count_adap_avgpool", "(in/out + 1)·out = in + out"),
        Rule("GAPOut", 1, f"{_TH}:114 count_adap_avgpool"),
        Rule("Softmax", 3, f"{_TH}:98 count_softmax", "(exp + add + div) per feature …"),
        Rule("SoftmaxRows", -1, f"{_TH}:98 count_softmax", "… less one add per vector"),
    ),
    ignores=(
        Ignored("B", "calc_func.py:28 calculate_conv2d_flops: bias not counted"),
        Ignored("ReLU", "profile.py:38 nn.ReLU: zero_ops"),
        Ignored("ReLU6", "profile.py:39 nn.ReLU6: zero_ops"),
        Ignored("MaxPool", "profile.py:42 nn.MaxPool2d: zero_ops"),
        Ignored(
            "Tanh",
            "profile.py:21 no rule for nn.Tanh: zero, warned only if report_missing",
        ),
        Ignored("Sigmoid", "profile.py:21 no rule for nn.Sigmoid: silently zero"),
        Ignored("Hardswish", "profile.py:21 no rule for nn.Hardswish: silently zero"),
        Ignored("F.GAP", "functional calls are invisible to module hooks"),
        Ignored("F.relu", "functional calls are invisible to module hooks"),
        Ignored("DROPOUT", "profile.py:54 nn.Dropout: zero_ops"),
        Ignored("ADD", "not a module: invisible to hooks"),
    ),
    bugs=("nn.Tanh, nn.Sigmoid, nn.Hardswish, nn.SiLU have no rule: zero, without a warning",),
    future=(
        Future(
            "layer norm",
            "4·elements if elementwise_affine, else 2·elements",
            f"profile.py:32, {_TH}:60",
        ),
        Future("GELU", "0 (no rule, silent)", "profile.py:21"),
        Future(
            "attention",
            "0 (no rule for nn.MultiheadAttention; functional SDPA invisible)",
            "profile.py:21",
        ),
        Future("element-wise multiply", "0 (not a module)", "profile.py:173 add_hooks"),
    ),
)

_PTFLOPS = Tool(
    key="ptflops",
    name="ptflops backend=pytorch (default)",
    figure="get_model_complexity_info(...)",
    unit="MACs",
    version="ptflops 0.7.5 (sovrasov/flops-counter.pytorch v0.7.5, 3c5c3e3)",
    source="ptflops/pytorch_ops.py, ptflops/pytorch_engine.py",
    per_layer=True,
    rules=(
        Rule("W", 1, f"{_PT}:60 conv_flops_counter_hook, :35 linear_flops_counter_hook"),
        Rule("B", 1, f"{_PT}:88 conv bias, :41 linear bias"),
        Rule("BN", 2, f"{_PT}:51 bn_flops_counter_hook", "×2 if affine"),
        Rule(
            "ReLU",
            2,
            f"{_PT}:277 module hook + {_PE}:350 patched F.relu",
            "nn.ReLU.forward calls F.relu: counted twice",
        ),
        Rule("F.relu", 1, f"{_PE}:350 patched F.relu"),
        Rule("ReLU6", 1, f"{_PT}:281 module hook", "nn.ReLU6 calls F.hardtanh, not patched"),
        Rule("F.relu6", 1, f"{_PE}:353 patched F.relu6"),
        Rule("Softmax", 1, f"{_PE}:381 patched F.softmax", "nn.Softmax has no module hook"),
        Rule("F.softmax", 1, f"{_PE}:381 patched F.softmax"),
        Rule("SiLU", 1, f"{_PE}:390 patched F.silu", "nn.SiLU has no module hook"),
        Rule("F.silu", 1, f"{_PE}:390 patched F.silu"),
        Rule(
            "MaxPool", 2, f"{_PT}:286 pool hook + {_PE}:364 patched F.max_pool2d", "counted twice"
        ),
        Rule("AvgPool", 2, f"{_PT}:285 hook + {_PE}:358 F.avg_pool2d", "counted twice"),
        Rule("F.pool", 1, f"{_PE}:358, :364 patched F.avg_pool2d / F.max_pool2d"),
        Rule(
            "GAP",
            2,
            f"{_PT}:292 pool hook + {_PE}:370 patched F.adaptive_avg_pool2d",
            "counted twice",
        ),
        Rule("F.GAP", 1, f"{_PE}:370 patched F.adaptive_avg_pool2d"),
        Rule("GMP", 2, f"{_PT}:291 hook + {_PE}:376 F.adaptive_max_pool2d", "twice"),
        Rule("F.GMP", 1, f"{_PE}:376 patched F.adaptive_max_pool2d"),
        Rule("torch.add", 1, f"{_PT}:467 torch.add, _elementwise_tensor_flops_hook"),
    ),
    ignores=(
        Ignored("ADD", f"{_PE}:454 patches torch.add and Tensor.add, not the + operator"),
        Ignored("Tanh", f"{_PT}:271 MODULES_MAPPING has no nn.Tanh"),
        Ignored("Sigmoid", f"{_PT}:271 MODULES_MAPPING has no nn.Sigmoid"),
        Ignored("Hardswish", f"{_PT}:271 MODULES_MAPPING has no nn.Hardswish"),
        Ignored("DROPOUT", f"{_PT}:271 MODULES_MAPPING has no nn.Dropout"),
    ),
    bugs=(
        "ReLU and pooling modules are counted twice: once by the module hook, once by the"
        " patched F.relu / F.*_pool2d their forward calls (ReLU6 calls F.hardtanh: once)",
    ),
    future=(
        Future("layer norm", "2·elements if elementwise_affine (bn hook)", f"{_PT}:304"),
        Future("GELU", "2·elements (module hook + patched F.gelu)", f"{_PT}:324, {_PE}:354"),
        Future(
            "attention (MultiheadAttention)",
            "qlen·qdim + 3 projections + bias + heads·(2·q·k·d + q·k) + out proj",
            f"{_PT}:180 multihead_attention_counter_hook",
        ),
        Future("attention (SDPA)", "0 (F.scaled_dot_product_attention not patched)", f"{_PE}:348"),
        Future(
            "element-wise multiply",
            "broadcast elements for torch.mul / Tensor.mul; 0 for *",
            f"{_PT}:465",
        ),
    ),
)

_TS_MACS = Tool(
    key="torchscan",
    name="torchscan summary, macs",
    figure="macs",
    unit="MACs",
    version="torchscan 0.2.0 (frgfm/torch-scan 6431b49, pyproject 0.2.0.dev0)",
    source="torchscan/modules/macs.py module_macs",
    per_layer=True,
    rules=(
        Rule("W", 1, f"{_TS}/macs.py:71 macs_convnd, :53 macs_linear", "bias not counted"),
        Rule("BN", 2, f"{_TS}/macs.py:84 macs_bn", "eval: normalise + scale"),
        Rule(
            "TSPool",
            1,
            f"{_TS}/macs.py:111 macs_maxpool, :120, :129, :141",
            "an int kernel k is read as k, not k·k",
        ),
    ),
    ignores=(
        Ignored("B", f"{_TS}/macs.py:71 macs_convnd: no bias term"),
        Ignored("ReLU", f"{_TS}/macs.py:31 ReLU, ReLU6, Tanh, Sigmoid: 0"),
        Ignored("F.GAP", "functional calls are invisible to module hooks"),
        Ignored("ADD", "not a module: invisible to hooks"),
    ),
    bugs=(
        "pool kernel given as an int k (torchvision's habit) is read as k, not k·k:"
        " MaxPool2d(3) costs out·2, not out·8",
    ),
    future=(
        Future("layer norm", "0 (module_macs: unsupported, warned)", f"{_TS}/macs.py:49"),
        Future("GELU", "0 (unsupported, warned)", f"{_TS}/macs.py:49"),
        Future("attention", "0 (unsupported, warned)", f"{_TS}/macs.py:49"),
        Future("element-wise multiply", "0 (not a module)", f"{_TS}/macs.py:49"),
    ),
)

_TS_FLOPS = Tool(
    key="torchscan-flops",
    name="torchscan summary, module_flops",
    figure="module_flops",
    unit="FLOPs",
    version=_TS_MACS.version,
    source="torchscan/modules/flops.py module_flops",
    per_layer=True,
    rules=(
        Rule(
            "W",
            2,
            f"{_TS}/flops.py:138 flops_convnd, :72 flops_linear",
            "out·(2·C_in·k² − 1): 2k−1 per dot product",
        ),
        Rule("OUT", -1, f"{_TS}/flops.py:138, :72", "(the −1 per output)"),
        Rule("B", 1, f"{_TS}/flops.py:149 conv bias, :77 linear bias"),
        Rule("ReLU", 1, f"{_TS}/flops.py:88 flops_relu"),
        Rule("ReLU6", 2, f"{_TS}/flops.py:106 flops_relu6"),
        Rule("Tanh", 6, f"{_TS}/flops.py:112 flops_tanh"),
        Rule("Sigmoid", 4, f"{_TS}/flops.py:82 flops_sigmoid"),
        Rule("BN", 4, f"{_TS}/flops.py:154 flops_bn", "normalise 2·n + scale 2·n"),
        Rule("BNC", 2, f"{_TS}/flops.py:154 flops_bn", "2 per channel"),
        Rule("DROPOUT", 1, f"{_TS}/flops.py:118 flops_dropout", "p > 0, even in eval"),
        Rule("TSPool", 1, f"{_TS}/flops.py:181, :190, :199, :211", "as macs"),
    ),
    ignores=(
        Ignored("Softmax", f"{_TS}/flops.py:68 unsupported, warned"),
        Ignored("Hardswish", f"{_TS}/flops.py:68 unsupported, warned"),
        Ignored("F.GAP", "functional calls are invisible to module hooks"),
        Ignored("ADD", "not a module: invisible to hooks"),
    ),
    bugs=_TS_MACS.bugs,
    future=(
        Future("layer norm", "6·n + 2·rows + n (weight) + n (bias)", f"{_TS}/flops.py:223"),
        Future("GELU", "0 (unsupported, warned)", f"{_TS}/flops.py:68"),
        Future(
            "attention (MultiheadAttention)",
            "projections + scale + QKᵀ + softmax + AV + out proj",
            f"{_TS}/flops.py:230",
        ),
        Future("attention (SDPA)", "0 (functional)", f"{_TS}/flops.py:68"),
        Future("element-wise multiply", "0 (not a module)", f"{_TS}/flops.py:68"),
    ),
)

TOOLS: dict[str, Tool] = {
    t.key: t
    for t in (
        _TORCHINFO,
        _PTFLOPS_ATEN,
        _PTFLOPS,
        _THOP,
        _FVCORE,
        _TS_MACS,
        _TS_FLOPS,
        _FLOPCOUNTER,
    )
}
