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
        1_429_078_528, 30_955_673_088, 3_638_342_528, 8_221_876_096, 633_829_856,
    ),
    "flopcounter": (
        1_428_376_960, 30_940_528_640, 3_628_146_688, 8_178_368_512, 601_548_544,
    ),
}  # fmt: skip


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
    rows = [line.split(",") for line in result.output.strip().splitlines()[1:]]
    # C1: 6·24·24·25 weight MACs + 3,456 bias + 2·3,456 ReLU (hook and patched F.relu).
    assert rows[0] == ["C1", "nn.Conv2d + nn.ReLU", str(86_400 + 3_456 + 2 * 3_456)]
    assert sum(int(r[2]) for r in rows[:-1]) == int(rows[-1][2]) == 304_672


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
