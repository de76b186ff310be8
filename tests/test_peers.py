"""Peer tools' figures: the measured references, and the rules on hand-worked LeNets."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from lenetcalc.report.analysis import analyze
from lenetcalc.report.census import census
from lenetcalc.report.peers import TOOLS, total
from lenetcalc.spec.catalog import load_builtin
from lenetcalc.spec.reader import load_text

NETS = ("alexnet", "vgg16", "resnet18", "resnet50", "mobilenetv2")

# Issue 15: each tool run as its users run it (batch 1, 3x224x224, eval) on
# torchvision-identical models: torchinfo 1.8.0, ptflops 0.7.5, thop 0.1.1, fvcore 0.1.5,
# torchscan 0.2.0, torch 2.13 FlopCounterMode.
MEASURED = {
    "torchinfo": (714_682_664, 15_483_821_032, 1_814_083_944, 4_089_238_376, 300_809_384),
    "ptflops-aten": (714_682_664, 15_483_821_032, 1_814_074_344, 4_089_185_256, 300_775_272),
    "ptflops": (716_441_128, 15_523_225_576, 1_825_313_768, 4_132_436_968, 320_300_008),
    "thop": (714_206_912, 15_470_314_496, 1_824_033_792, 4_133_742_592, 327_486_720),
    "fvcore": (714_197_696, 15_470_289_408, 1_819_065_856, 4_111_512_576, 314_193_216),
    "torchscan": (714_383_552, 15_471_844_864, 1_819_467_776, 4_111_916_032, 314_130_496),
    "torchscan-flops": (
        1_429_078_528,
        30_955_673_088,
        3_638_342_528,
        8_221_876_096,
        633_829_856,
    ),
    "flopcounter": (
        1_428_376_960,
        30_940_528_640,
        3_628_146_688,
        8_178_368_512,
        601_548_544,
    ),
}


@pytest.fixture(scope="module")
def as_json() -> dict[str, dict[str, int]]:
    """`summary NET --as TOOL -f json` totals, one CLI run per network (all tools listed)."""
    from click.testing import CliRunner

    from lenetcalc.cli import main

    totals: dict[str, dict[str, int]] = {}
    for net in NETS:
        out = CliRunner().invoke(main, ["reconcile", net, "-f", "json"]).output
        totals[net] = {t["tool"]: t["total"] for t in json.loads(out)["tools"]}
    return totals


@pytest.mark.parametrize("tool", list(MEASURED))
def test_every_measured_total_is_reproduced(as_json: dict[str, dict[str, int]], tool: str) -> None:
    assert tuple(as_json[net][tool] for net in NETS) == MEASURED[tool]


# /work/ref/figures/peers.json (scripts/peers.py): each tool run as its README shows on
# torchvision 0.29.1's model (weights=None, eval; googlenet aux_logits=False), batch 1,
# 3x224x224, torch 2.14.1 on CPU, torchinfo 1.8.0, ptflops 0.7.5 (both backends), thop
# 0.1.1, fvcore 0.1.5, torchscan 0.2.0. Columns as TOOL_ORDER. "≥" marks torchscan's
# `partial` reports: no value, only `known_value`, the lower bound it prints.
TOOL_ORDER = (
    "torchinfo",
    "ptflops",
    "ptflops-aten",
    "thop",
    "fvcore",
    "torchscan",
    "torchscan-flops",
    "flopcounter",
)
MEASURED_2 = {
    "googlenet": (
        "1,498,391,752",
        "1,513,907,448",
        "1,498,377,192",
        "1,511,332,032",
        "1,504,878,688",
        "1,507,673,888",
        "3,009,291,824",
        "2,996,752,384",
    ),
    "efficientnet_b0": (
        "385,867,108",
        "410,196,896",
        "385,825,092",
        "415,145,024",
        "401,659,392",
        "≥401,669,632",
        "≥794,301,216",
        "771,629,504",
    ),
    "tests/specs/efficientnet_b1.yaml": (
        "569,728,888",
        "603,910,968",
        "569,666,840",
        "610,614,864",
        "591,918,848",
        "≥591,933,712",
        "≥1,171,043,632",
        "1,139,303,360",
    ),
    "convnext_tiny": (
        "322,371,592",
        "4,488,347,368",
        "4,468,966,888",
        "4,464,149,760",
        "4,470,437,376",
        "≥4,455,569,664",
        "≥8,934,932,344",
        "8,911,062,528",
    ),
    "tests/specs/convnext_small.yaml": (
        "411,391,240",
        "8,736,849,640",
        "8,705,276,392",
        "8,697,749,760",
        "8,705,392,128",
        "≥8,683,750,656",
        "≥17,402,139,400",
        "17,367,424,512",
    ),
    "shufflenet_v2_x1_0": (
        "144,925,172",
        "152,387,568",
        "144,908,992",
        "152,708,792",
        "148,808,392",
        "148,958,920",
        "297,321,324",
        "289,815,984",
    ),
    "tests/specs/shufflenet_v2_x0_5.yaml": (
        "40,485,400",
        "44,770,632",
        "40,477,448",
        "44,572,064",
        "42,524,256",
        "42,674,784",
        "85,004,720",
        "80,952,896",
    ),
    "regnet_y_400mf": (
        "401,876,208",
        "418,388,672",
        "401,849,056",
        "418,183,352",
        "410,406,088",
        "410,410,776",
        "819,776,912",
        "803,685,696",
    ),
    "tests/specs/regnet_x_400mf.yaml": (
        "413,851,464",
        "426,144,360",
        "413,813,608",
        "426,527,136",
        "420,179,472",
        "420,179,872",
        "840,176,112",
        "827,625,216",
    ),
    "vit_b_16": (
        "173,232,616",
        "17,606,030,584",
        "16,864,992,232",
        "11,286,254,592",
        "16,867,412,736",
        "≥11,271,124,992",
        "≥35,169,074,134",
        "33,697,001,472",
    ),
    "tests/specs/vit_b_32.yaml": (
        "173,119,720",
        "4,418,839,336",
        "4,367,292,136",
        "2,951,368,704",
        "4,367,906,304",
        "≥2,947,528,704",
        "≥8,826,767,920",
        "8,726,212,608",
    ),
    "mobilenet_v3_large": (
        "216,621,520",
        "231,316,416",
        "216,597,120",
        "234,838,456",
        "226,033,824",
        "≥226,038,840",
        "≥449,369,480",
        "433,179,520",
    ),
    "tests/specs/mobilenet_v3_small.yaml": (
        "56,527,424",
        "60,910,032",
        "56,515,312",
        "62,477,944",
        "59,649,536",
        "≥59,652,408",
        "≥118,059,704",
        "113,020,800",
    ),
}
# The same runs' parameter counts where a tool's differs from the model's (all others
# print the model's). thop sums only modules it has a rule for (see test below).
THOP_PARAMS = {
    "vit_b_16": 58_067_176,
    "tests/specs/vit_b_32.yaml": 59_836_648,
    "convnext_tiny": 28_579_432,
    "tests/specs/convnext_small.yaml": 50_207_080,
}


def _reconcile(spec: str) -> dict[str, dict[str, object]]:
    from click.testing import CliRunner

    from lenetcalc.cli import main

    root = Path(__file__).parent.parent
    target = str(root / spec) if spec.endswith(".yaml") else spec
    out = CliRunner().invoke(main, ["reconcile", target, "-f", "json"]).output
    return {t["tool"]: t for t in json.loads(out)["tools"]}


@pytest.mark.parametrize("spec", list(MEASURED_2))
def test_modern_measured_totals_and_params_are_reproduced(spec: str) -> None:
    tools = _reconcile(spec)
    shown = tuple(
        f"{'≥' if tools[k]['status'] == 'partial' else ''}{tools[k]['total']:,}" for k in TOOL_ORDER
    )
    assert shown == MEASURED_2[spec]
    params = {k: t["params"] for k, t in tools.items() if t["params"] is not None}
    # torchinfo, both ptflops backends and torchscan print params; fvcore's total and
    # FlopCounterMode print none.
    assert set(params) == {
        "torchinfo",
        "ptflops",
        "ptflops-aten",
        "thop",
        "torchscan",
        "torchscan-flops",
    }
    model = tools["torchinfo"]["params"]
    assert params.pop("thop") == THOP_PARAMS.get(spec, model)
    assert set(params.values()) == {model}


def test_thop_params_miss_the_modules_it_has_no_rule_for(run: Callable[..., Result]) -> None:
    # ViT-B/16: 12 nn.MultiheadAttention of 4·(768 + 1)·768 = 2,362,368 params, the class
    # token 768 and the position embedding 197·768 = 151,296 (held by containers):
    # 86,567,656 − 28,348,416 − 152,064 = 58,067,176, what thop prints.
    result = run("reconcile", "vit_b_16", "-f", "markdown")
    flat = " ".join(result.output.split())
    assert (
        "thop profile prints 58,067,176, not 86,567,656: PARAMS (86,567,656)"
        " − P.MHA (28,348,416) − P.direct (152,064)"
    ) in flat


def _attention_census() -> dict[str, int]:
    text = "name: t\ninput: [5, 8]\nlayers:\n  - {name: a, type: attention, heads: 2}\n"
    network = load_text(text, "t.yaml")
    c = census(network, analyze(network))
    return {key: total(TOOLS[key], c) for key in TOOLS}


def test_attention_rules_match_the_hand_working() -> None:
    # T = 5 tokens, D = 8, 2 heads of d = 4. Projections 4·T·D² = 1,280 MACs, biases
    # 4·T·D = 160; q·kᵀ and weights·v 2·T²·D = 400 MACs; scores 2·5·5 = 50 in 2·5 = 10 rows.
    assert _attention_census() == {
        "torchinfo": 0,  # not a leaf module (out_proj is its child): never summed
        "ptflops-aten": 1_280 + 160,  # addmm with bias; CPU SDPA op has no formula
        "ptflops": 40 + 1_280 + 160 + 400 + 50,  # q scaling T·D, projections, heads, softmax
        "thop": 0,  # no rule for nn.MultiheadAttention
        "fvcore": 1_280,  # aten::linear; scaled_dot_product_attention unsupported
        "torchscan": 0,  # unsupported: partial
        # in: 3·T·D·(2D − 1 + 1); 1 + h·T·d; h·T²·(2d − 1); h·T·(3T − 1); h·T·d·(2T − 1);
        # out_proj T·D·(2D − 1) + T·D
        "torchscan-flops": 3 * 40 * 16 + 1 + 40 + 50 * 7 + 10 * 14 + 40 * 9 + 40 * 16,
        "flopcounter": 2 * 1_280,
    }


def test_layer_norm_rules_match_the_hand_working() -> None:
    # 4 maps of 3x3 normalised over channels: n = 36 elements in 9 vectors of 4.
    counts = {}
    for call in ("nn.LayerNorm", "LayerNorm2d"):
        text = (
            f"name: t\ninput: [4, 3, 3]\nlayers:\n  - {{name: n, type: layernorm, torch: {call}}}\n"
        )
        network = load_text(text, "t.yaml")
        c = census(network, analyze(network))
        counts[call] = {key: total(TOOLS[key], c) for key in TOOLS}
    assert counts["nn.LayerNorm"] == {
        "torchinfo": 2 * 4,  # its params, once per sample
        "ptflops-aten": 0,
        "ptflops": 36,  # bn hook: ×2 only for `affine`, which LayerNorm lacks
        "thop": 4 * 36,
        "fvcore": 5 * 36,
        "torchscan": 0,  # unsupported: partial
        "torchscan-flops": 8 * 36 + 2 * 9,
        "flopcounter": 0,
    }
    # The subclass: rules looked up by exact type (thop, ptflops) miss it.
    assert counts["LayerNorm2d"] == {**counts["nn.LayerNorm"], "ptflops": 0, "thop": 0}


@pytest.mark.parametrize("tool", ["torchinfo", "thop", "fvcore"])
def test_summary_as_prints_the_total_under_the_tools_name(
    run: Callable[..., Result], tool: str
) -> None:
    result = run("summary", "resnet50", "--as", tool, "-f", "json")
    assert result.exit_code == 0
    (entry,) = json.loads(result.output)["tools"]
    assert (entry["tool"], entry["total"]) == (tool, MEASURED[tool][NETS.index("resnet50")])
    text = run("summary", "resnet50", "--as", tool).output
    assert f"{MEASURED[tool][3]:,}" in text and TOOLS[tool].name in text


def test_per_layer_column_sums_to_the_total(run: Callable[..., Result]) -> None:
    result = run("summary", "lenet5-mnist", "--as", "ptflops", "-f", "csv")
    header, *lines = result.output.strip().splitlines()
    assert header == "network,row,layer,pytorch_calls,tool,status,unit,value"
    rows = [line.split(",") for line in lines]
    # C1: 6·24·24·25 weight MACs + 3,456 bias + 2·3,456 ReLU (hook and patched F.relu).
    c1 = ["lenet5-mnist", "layer", "C1", "nn.Conv2d;nn.ReLU", "ptflops", "complete", "MACs"]
    assert rows[0] == [*c1, str(86_400 + 3_456 + 2 * 3_456)]
    assert rows[-1][:3] == ["lenet5-mnist", "total", ""]
    assert sum(int(r[-1]) for r in rows[:-1]) == int(rows[-1][-1]) == 304_672


def test_as_folds_with_depth_as_summary_does(run: Callable[..., Result]) -> None:
    rows = run("summary", "resnet18", "--as", "torchinfo", "--depth", "1", "-f", "csv").output
    layers = [line.split(",") for line in rows.strip().splitlines()[1:-1]]
    names = [r[2] for r in layers]
    assert names == [
        "conv1",
        "bn1",
        "relu",
        "maxpool",
        "layer1",
        "layer2",
        "layer3",
        "layer4",
        "avgpool",
        "flatten",
        "fc",
    ]
    # Folding only sums: the rows still add up to the total torchinfo printed for ResNet-18.
    assert sum(int(r[-1]) for r in layers) == MEASURED["torchinfo"][NETS.index("resnet18")]


# LeNet-5 as the Keras MNIST tutorial builds it (1x28x28, ReLU, 2x2 max pools):
#   W   = 6·24·24·25 + 16·8·8·(6·25) + 256·120 + 120·84 + 84·10
#       = 86,400 + 153,600 + 30,720 + 10,080 + 840 = 281,640
#   B   = OUT = 6·24·24 + 16·8·8 + 120 + 84 + 10 = 3,456 + 1,024 + 214 = 4,694
#   ReLU = 3,456 + 1,024 + 120 + 84 = 4,684;  MaxPool in 4,480, out 6·12·12 + 16·4·4 = 1,120
#   Softmax over 10 values, one vector.
MNIST = {
    "torchinfo": 281_640 + 4_694,  # W + B: LeCun's connections
    "ptflops-aten": 281_640 + 4_694,
    "ptflops": 281_640 + 4_694 + 2 * 4_684 + 2 * 4_480 + 10,  # ReLU, pools twice
    "thop": 281_640 + (3 * 10 - 1),  # ReLU and max pool free; softmax 3n - 1
    "fvcore": 281_640,  # relu ignored, max_pool2d and softmax unsupported
    "torchscan": 281_640 + 1_120 * (2 - 1),  # MaxPool2d(2): k read as 2, not 2·2
    "torchscan-flops": 2 * 281_640 - 4_694 + 4_694 + 4_684 + 1_120,
    "flopcounter": 2 * 281_640,
}

# LeNet-5 "modern" (1x32x32, tanh, 2x2 average pools, C5 a 5x5 conv):
#   W = 6·28·28·25 + 16·10·10·150 + 120·400 + 120·84 + 84·10 = 416,520
#   B = OUT = 4,704 + 1,600 + 120 + 120 + 84 + 10 = 6,518 (less OUTPUT's 10 for tanh: 6,508)
#   AvgPool in 4,704 + 1,600 = 6,304, out 1,176 + 400 = 1,576
MODERN = {
    "torchinfo": 416_520 + 6_518,
    "ptflops": 416_520 + 6_518 + 2 * 6_304 + 10,  # Tanh: no rule
    "thop": 416_520 + 1_576 + (3 * 10 - 1),  # Tanh silently zero; avg pool per output
    "fvcore": 416_520,
    "torchscan": 416_520 + 1_576 * (2 - 1 + 2),  # out·(k − 1 + 2), k = 2 read as int
    "torchscan-flops": 2 * 416_520 - 6_518 + 6_518 + 6 * 6_508 + 1_576 * 3,
    "flopcounter": 2 * 416_520,
}


@pytest.mark.parametrize(("net", "expected"), [("lenet5-mnist", MNIST), ("lenet5-modern", MODERN)])
def test_lenet_rules_match_the_hand_working(net: str, expected: dict[str, int]) -> None:
    network = load_builtin(net)
    c = census(network, analyze(network))
    assert {tool: total(TOOLS[tool], c) for tool in expected} == expected


def _pool_census(torch: str) -> dict[str, int]:
    text = (
        "name: t\ninput: [8, 7, 7]\nlayers:\n"
        f"  - {{name: gap, type: pool, mode: avg, global: true, torch: {torch}}}\n"
    )
    network = load_text(text, "t.yaml")
    c = census(network, analyze(network))
    return {key: total(TOOLS[key], c) for key in ("thop", "ptflops", "fvcore", "torchscan")}


def test_a_functional_pool_is_invisible_to_hooks_but_not_to_tracers() -> None:
    # 8·7·7 = 392 inputs, 8 outputs.
    assert _pool_census("nn.AdaptiveAvgPool2d") == {
        "thop": 392 + 8,  # (49 + 1)·8
        "ptflops": 2 * 392,  # module hook + patched F.adaptive_avg_pool2d
        "fvcore": 392,
        "torchscan": 8 * (49 - 1 + 2),
    }
    assert _pool_census("F.adaptive_avg_pool2d") == {
        "thop": 0,
        "ptflops": 392,
        "fvcore": 392,
        "torchscan": 0,
    }


def test_a_torch_call_that_cannot_implement_the_layer_is_a_located_error(
    run: Callable[..., Result], write_spec: Callable[[str], Path]
) -> None:
    path = write_spec(
        "name: t\ninput: [1, 8, 8]\nlayers:\n"
        "  - {name: p, type: pool, mode: max, kernel: 2, torch: nn.AvgPool2d}\n"
    )
    result = run("summary", str(path))
    assert result.exit_code == 2
    assert "spec.yaml:4:" in result.output and "nn.MaxPool2d" in result.output


def test_reconcile_breaks_the_difference_into_terms(run: Callable[..., Result]) -> None:
    result = run("reconcile", "resnet50", "-f", "markdown")
    assert result.exit_code == 0
    # fvcore − W = 2·BN + GAP = 2·11,113,984 + 2048·7·7 = 22,227,968 + 100,352
    flat = " ".join(result.output.split())
    assert "| 22,328,320 | 2·BN (22,227,968) + GAP (100,352) |" in flat
    # No tool counts the residual additions, one per element of each block's output:
    # 3·256·56·56 + 4·512·28·28 + 6·1024·14·14 + 3·2048·7·7
    # = 2,408,448 + 1,605,632 + 1,204,224 + 301,056 = 5,519,360
    assert "ADD = 5,519,360: residual-add elements" in flat and "no tool counts it" in flat


def test_explain_as_shows_the_formula(run: Callable[..., Result]) -> None:
    result = run("explain", "resnet50", "--as", "fvcore")
    assert "W + 2·BN + GAP + F.GAP" in result.output
    assert "= W (4,089,184,256) + 2·BN (22,227,968) + GAP (100,352)" in result.output
    assert "jit_handles.py:251 batchnorm_flop_jit" in result.output


def test_sparse_table_groups_by_fan_in_and_cyclic_contiguity() -> None:
    # Over 4 maps: [3, 0] wraps around (contiguous), [0, 2] does not.
    text = (
        "name: t\ninput: [4, 6, 6]\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 3, kernel: 3,"
        " connection_table: [[0, 1], [3, 0], [0, 2]]}\n"
    )
    layer = load_text(text, "t.yaml").layers[0]
    expr = layer.trainable_params((4, 6, 6))
    assert expr.value() == 2 * (3 * 3 * 2 + 1) + 1 * (3 * 3 * 2 + 1)
    assert expr.render(symbolic=True) == (
        "n(2 contiguous)·(k_h·k_w·2 + bias) + n(2 non-contiguous)·(k_h·k_w·2 + bias)"
    )


def test_a_tool_without_per_layer_figures_shows_its_one_figure(
    run: Callable[..., Result],
) -> None:
    table = run("summary", "resnet50", "--as", "fvcore").output
    assert f"  total()        {MEASURED['fvcore'][3]:,}\n" in table
    rows = run("summary", "resnet50", "--as", "fvcore", "-f", "csv").output.splitlines()
    total = f"resnet50,total,,,fvcore,complete,FLOPs (1 FMA = 1),{MEASURED['fvcore'][3]}"
    assert rows[1:] == [total]


def test_reconcile_rules_refuses_a_spec_it_would_ignore(run: Callable[..., Result]) -> None:
    result = run("reconcile", "lenet5", "--rules")
    assert result.exit_code == 2 and "give it no SPEC or --set" in result.output
    assert run("reconcile", "--rules", "-f", "csv").exit_code == 0


def test_explain_as_refuses_layers_it_would_ignore(run: Callable[..., Result]) -> None:
    result = run("explain", "lenet5", "C3", "--as", "fvcore")
    assert result.exit_code == 2 and "drop the LAYERS and --figure" in result.output


POOL_8_TO_7 = (
    "name: t\ninput: [1, 8, 8]\nlayers:\n  - {name: p, type: adaptive_pool, mode: avg, output: 7}\n"
)


@pytest.mark.parametrize(
    ("spec", "options", "thop"),
    [
        # thop 0.1.1, run on 6 December 2026: nn.AdaptiveAvgPool2d(7) of a 1x8x8 map.
        (POOL_8_TO_7, (), 112),
        ("vgg16", ("--set", "input=3x256x256"), 20_168_270_335),  # VGG-16's 512x8x8 -> 7x7
        ("vgg16", ("--set", "input=3x300x200"), 18_271_262_208),  # rounds to the exact count
    ],
)
def test_thop_truncates_its_adaptive_pool_count_as_thop_does(
    run: Callable[..., Result],
    write_spec: Callable[..., Path],
    spec: str,
    options: tuple[str, ...],
    thop: int,
) -> None:
    # (8/7)² in float64 is just below 64/49: int((1.306... + 1)·49) = int(112.99...) = 112,
    # one short of in + out = 64 + 49.
    target = str(write_spec(spec)) if "\n" in spec else spec
    data = json.loads(run("summary", target, *options, "--as", "thop", "-f", "json").output)
    assert data["tools"][0]["total"] == thop
