"""What other counting tools would print, each as an exact formula over the census.

Every rule below was read from the tool's source at the version named (file:line of
that version); none was fitted to a figure. A tool's total is Σ coefficient·term over
its rules; a census term a tool has no rule for counts zero, and `ignores` says where
the source leaves it out. Batch 1, models in eval mode, as each tool's users run them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .census import Census, LayerCensus
from .tool_names import TOOL_KEYS


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
    # The tool warns "not supported" and marks its total partial, a lower bound.
    partial: bool = False


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
    # What the tool prints as the network's parameter count; None if it prints none.
    params: tuple[Rule, ...] | None = None


def total(tool: Tool, c: Census) -> int:
    """The tool's total on the census: Σ coefficient·term."""
    return sum(r.coefficient * c[r.term] for r in tool.rules)


def layer_value(tool: Tool, row: LayerCensus) -> int:
    """The tool's figure for one layer (its module and any fused activation module)."""
    return sum(r.coefficient * row.terms.get(r.term, 0) for r in tool.rules)


def params_total(tool: Tool, c: Census) -> int | None:
    """The parameter count the tool prints, or None if it prints none."""
    if tool.params is None:
        return None
    return sum(r.coefficient * c[r.term] for r in tool.params)


def partial_on(tool: Tool, c: Census) -> tuple[str, ...]:
    """The terms present in this network that make the tool report a lower bound only."""
    return tuple(i.term for i in tool.ignores if i.partial and c[i.term])


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

_TI = "torchinfo"
_FV = "fvcore/nn"
_ALL_PARAMS = (Rule("PARAMS", 1, "sum of p.numel() over model.parameters()"),)

_FLOPCOUNTER = Tool(
    key="flopcounter",
    name="torch FlopCounterMode",
    figure="get_total_flops()",
    unit="FLOPs",
    version="torch 2.x (read at pytorch 0140b62 and 2.14.1; measured 2.13, 2.14.1 on CPU)",
    source="torch/utils/flop_counter.py",
    per_layer=False,
    rules=(
        Rule(
            "W",
            2,
            "flop_counter.py conv_flop_count, mm_flop, addmm_flop",
            "2 per MAC; addmm_flop and conv_flop ignore the bias",
        ),
        Rule(
            "MHA.W",
            2,
            "flop_counter.py:171 addmm_flop (torch 2.14.1)",
            "nn.MultiheadAttention's projections run as addmm with grad enabled",
        ),
    ),
    ignores=(
        Ignored("B", "flop_counter.py addmm_flop / conv_flop_count: bias ignored"),
        Ignored(
            "ATT",
            "flop_counter.py:397 sdpa_flop is registered for the flash/efficient/cudnn kernels,"
            " not aten._scaled_dot_product_flash_attention_for_cpu (torch 2.14.1, CPU)",
        ),
        Ignored("LayerNorm", "no formula for aten.native_layer_norm"),
        Ignored("LayerNorm2d", "no formula for aten.native_layer_norm"),
        Ignored("GELU", "no formula for aten.gelu"),
        Ignored("MUL", "no formula for aten.mul"),
        Ignored("BN", "no formula registered for aten batch norm ops"),
        Ignored("ReLU", "no formula for aten.relu"),
        Ignored("MaxPool", "no formula for pooling"),
        Ignored("GAP", "no formula for aten.mean / adaptive_avg_pool2d"),
        Ignored("F.GAP", "no formula for aten.mean / adaptive_avg_pool2d"),
        Ignored("ADD", "no formula for aten.add"),
    ),
    bugs=(
        "under torch.no_grad() nn.MultiheadAttention takes its fused fast path,"
        " aten._native_multi_head_attention, which has no formula: its projections count"
        " zero too (vit_b_16: 22,542,249,984 instead of 33,697,001,472)",
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
        Rule(
            "MHA.W",
            1,
            f"{_FV}/flop_count.py:33 aten::linear, jit_handles.py:99 linear_flop_jit",
            "nn.MultiheadAttention traces to aten::linear: projections counted, bias not",
        ),
        Rule(
            "LayerNorm",
            5,
            f"{_FV}/flop_count.py:38 aten::layer_norm, jit_handles.py:230 norm_flop_counter",
            "5 per element with affine ('a rough estimate')",
        ),
        Rule("LayerNorm2d", 5, f"{_FV}/flop_count.py:38 (F.layer_norm traces alike)"),
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
        Ignored("ATT", "aten::scaled_dot_product_attention has no handle: unsupported, zero"),
        Ignored("GELU", "aten::gelu has no handle: unsupported, zero"),
        Ignored("SiLU", "aten::silu_ has no handle: unsupported, zero"),
        Ignored("MUL", "aten::mul has no handle: unsupported, zero"),
        Ignored("MEAN", "aten::mean has no handle: unsupported, zero"),
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
    params=_ALL_PARAMS,
    rules=(
        Rule("W", 1, "aten_ops.py:71 conv_flop_count, :36 addmm_flop"),
        Rule("B", 1, "aten_ops.py:94 conv bias; :52 addmm bias"),
        Rule("MHA.W", 1, "aten_ops.py:112 aten.addmm: the attention projections"),
        Rule("MHA.B", 1, "aten_ops.py:52 addmm bias"),
    ),
    ignores=(
        Ignored("BN", "aten_ops.py:109 ATEN_OPS_MAPPING has no batch norm"),
        Ignored("ReLU", "aten_ops.py:109 ATEN_OPS_MAPPING: mm, matmul, addmm, bmm, convolution"),
        Ignored("MaxPool", "aten_ops.py:109 no pooling"),
        Ignored("GAP", "aten_ops.py:109 no pooling"),
        Ignored("F.GAP", "aten_ops.py:109 no pooling"),
        Ignored("ADD", "aten_ops.py:109 no element-wise ops"),
        Ignored(
            "ATT",
            "aten_ops.py:109 no aten._scaled_dot_product_flash_attention_for_cpu (CPU SDPA)",
        ),
        Ignored("LayerNorm", "aten_ops.py:109 no layer norm"),
        Ignored("LayerNorm2d", "aten_ops.py:109 no layer norm"),
        Ignored("GELU", "aten_ops.py:109 no activations"),
        Ignored("MUL", "aten_ops.py:109 no element-wise ops"),
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
        Rule("LNC", 2, "layer_info.py:242 LayerNorm, LayerNorm2d: 2·C params, once per sample"),
        Rule(
            "LinearPos",
            -1,
            "layer_info.py:242 Linear: output_size[0]·params, once per sample, not per token",
        ),
    ),
    ignores=(
        Ignored("BN", "layer_info.py:233 only parameters are counted: BN is 2·C, not per element"),
        Ignored("ReLU", "layer_info.py:233 no parameters, no MACs"),
        Ignored("MaxPool", "layer_info.py:233 no parameters, no MACs"),
        Ignored("GAP", "layer_info.py:233 no parameters, no MACs"),
        Ignored("ADD", "not a module: invisible to hooks"),
        Ignored(
            "MHA.W",
            f"{_TI}/model_statistics.py:32 leaf layers only: nn.MultiheadAttention has a child"
            " (out_proj, never called), so its MACs are never summed",
        ),
        Ignored("ATT", "F.scaled_dot_product_attention: not a module"),
        Ignored("LayerNorm", "layer_info.py:233 only parameters are counted: 2·C, not n"),
        Ignored("LayerNorm2d", "layer_info.py:233 only parameters are counted: 2·C, not n"),
        Ignored("GELU", "layer_info.py:233 no parameters, no MACs"),
        Ignored("MUL", "not a module: invisible to hooks"),
    ),
    params=_ALL_PARAMS,
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
        Rule(
            "GAPTrunc", 1, "thop/vision/calc_func.py:69 calculate_adaptive_avg", "int() of a float"
        ),
        Rule("Softmax", 3, f"{_TH}:98 count_softmax", "(exp + add + div) per feature …"),
        Rule("SoftmaxRows", -1, f"{_TH}:98 count_softmax", "… less one add per vector"),
        Rule(
            "LayerNorm",
            4,
            f"profile.py:32 nn.LayerNorm, {_TH}:60 count_normalization",
            "2·n, ×2 if elementwise_affine",
        ),
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
        Ignored(
            "LayerNorm2d",
            "profile.py:180 rules are looked up by exact type(m): the subclass has none",
        ),
        Ignored("GELU", "profile.py:21 no rule for nn.GELU: silently zero"),
        Ignored("SiLU", "profile.py:21 no rule for nn.SiLU: silently zero"),
        Ignored("MHA.W", "profile.py:21 no rule for nn.MultiheadAttention: silently zero"),
        Ignored("ATT", "profile.py:21 no rule for nn.MultiheadAttention: silently zero"),
        Ignored("MUL", "not a module: invisible to hooks"),
    ),
    bugs=(
        "nn.Tanh, nn.Sigmoid, nn.Hardswish, nn.SiLU, nn.GELU, nn.MultiheadAttention have no"
        " rule: zero, without a warning",
        "params are summed only over modules with a rule (profile.py:202 count_parameters):"
        " nn.MultiheadAttention, LayerNorm2d and parameters held by containers are missed",
    ),
    params=(
        Rule("PARAMS", 1, f"{_TH}:11 count_parameters, hooked modules only (profile.py:202)"),
        Rule("P.MHA", -1, "profile.py:21 nn.MultiheadAttention: no rule, no count_parameters"),
        Rule("P.LN2d", -1, "profile.py:180 exact type(m) lookup: LayerNorm2d has no rule"),
        Rule("P.direct", -1, "profile.py:214 dfs_count sums children, never a parent's own"),
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
        Rule("torch.mul", 1, f"{_PT}:465 torch.mul, _elementwise_tensor_flops_hook"),
        Rule(
            "GELU",
            2,
            f"{_PT}:324 module hook + {_PE}:354 patched F.gelu",
            "nn.GELU.forward calls F.gelu: counted twice",
        ),
        Rule("F.gelu", 1, f"{_PE}:354 patched F.gelu"),
        Rule(
            "LayerNorm",
            1,
            f"{_PT}:304 bn_flops_counter_hook",
            "×2 only if module.affine, which LayerNorm does not have (elementwise_affine)",
        ),
        Rule("MHA.W", 1, f"{_PT}:180 multihead_attention_counter_hook: QW, KW, VW, out proj"),
        Rule("MHA.B", 1, f"{_PT}:224 in_proj bias, :239 out proj 'bias is always enabled'"),
        Rule("MHA.Q", 1, f"{_PT}:214 'Q scaling'"),
        Rule("ATT", 1, f"{_PT}:232 QK^T and AV per head"),
        Rule("SMX", 1, f"{_PT}:233 softmax: one per score"),
    ),
    ignores=(
        Ignored("ADD", f"{_PE}:454 patches torch.add and Tensor.add, not the + operator"),
        Ignored("Tanh", f"{_PT}:271 MODULES_MAPPING has no nn.Tanh"),
        Ignored("Sigmoid", f"{_PT}:271 MODULES_MAPPING has no nn.Sigmoid"),
        Ignored("Hardswish", f"{_PT}:271 MODULES_MAPPING has no nn.Hardswish"),
        Ignored("DROPOUT", f"{_PT}:271 MODULES_MAPPING has no nn.Dropout"),
        Ignored(
            "LayerNorm2d",
            f"{_PE}:311 is_supported_instance: exact type(module); F.layer_norm not patched",
        ),
        Ignored("MUL", f"{_PE}:454 patches torch.mul and Tensor.mul, not the * operator"),
        Ignored("MEAN", f"{_PE}:454 Tensor.mean is not patched"),
    ),
    params=_ALL_PARAMS,
    bugs=(
        "ReLU and pooling modules are counted twice: once by the module hook, once by the"
        " patched F.relu / F.*_pool2d their forward calls (ReLU6 calls F.hardtanh: once)",
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
    params=_ALL_PARAMS,
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
        *(
            Ignored(term, f"{_TS}/macs.py:51 'Module type not supported': {why}", partial=True)
            for term, why in (
                ("LayerNorm", "nn.LayerNorm"),
                ("LayerNorm2d", "LayerNorm2d"),
                ("MHA.W", "nn.MultiheadAttention"),
                ("GELU", "nn.GELU"),
                ("SiLU", "nn.SiLU"),
                ("Hardswish", "nn.Hardswish"),
                ("Hardsigmoid", "nn.Hardsigmoid"),
            )
        ),
    ),
    bugs=(
        "pool kernel given as an int k (torchvision's habit) is read as k, not k·k:"
        " MaxPool2d(3) costs out·2, not out·8",
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
    params=_ALL_PARAMS,
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
        Rule("LayerNorm", 8, f"{_TS}/flops.py:205 flops_layernorm", "6·n + weight n + bias n …"),
        Rule("LayerNorm2d", 8, f"{_TS}/flops.py:66 isinstance(nn.LayerNorm): the subclass too"),
        Rule("LNRows", 2, f"{_TS}/flops.py:209", "… + 2 per normalised vector"),
        Rule("MHA.W", 2, f"{_TS}/flops.py:226, :241", "projections 2·in per output, bias included"),
        Rule("ATT", 2, f"{_TS}/flops.py:232 q·kᵀ, :240 weights·v", "(2d − 1)·T² per head, …"),
        Rule("SMX", 2, f"{_TS}/flops.py:237 softmax (3T − 1) per row", "… with scale and softmax"),
        Rule("SMXRows", -1, f"{_TS}/flops.py:237"),
        Rule("MHA", 1, f"{_TS}/flops.py:231 '1 +' one reciprocal square root per call"),
    ),
    ignores=(
        *(
            Ignored(term, f"{_TS}/flops.py:70 'Module type not supported': {why}", partial=True)
            for term, why in (
                ("Softmax", "nn.Softmax"),
                ("GELU", "nn.GELU"),
                ("SiLU", "nn.SiLU"),
                ("Hardswish", "nn.Hardswish"),
                ("Hardsigmoid", "nn.Hardsigmoid"),
            )
        ),
        Ignored("F.GAP", "functional calls are invisible to module hooks"),
        Ignored("ADD", "not a module: invisible to hooks"),
    ),
    bugs=_TS_MACS.bugs,
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

# The CLI offers these names without importing this module (start-up): keep them one list.
if tuple(TOOLS) != TOOL_KEYS:  # pragma: no cover - a programming error, caught by any test
    raise AssertionError(f"tool_names.TOOL_KEYS {TOOL_KEYS} != peers.TOOLS {tuple(TOOLS)}")
