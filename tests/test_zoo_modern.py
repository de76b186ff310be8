"""Modern built-ins and their siblings against torchvision, to the unit.

Parameters are torchvision's `num_params`; MACs are the conv and linear weighted sums
(bias excluded) that PyTorch's FlopCounterMode counts for the model at 3x224x224, i.e.
its FLOPs / 2, measured once with torchvision 0.29 (never a dependency of the tests).
The sibling specs under tests/specs/ differ from a built-in only in variables or in the
list of block instances: a new family member needs no new code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lenetcalc.report.analysis import analyze
from lenetcalc.spec.catalog import load_builtin, resolve

from conftest import report_of

SPECS = Path(__file__).parent / "specs"

# (spec, torchvision params, weighted-sum MACs, activation-product MACs, published "GFLOPS")
MODERN = [
    ("efficientnet_b0", 5_288_548, 385_814_752, 0, 0.386),
    ("convnext_tiny", 28_589_128, 4_455_531_264, 0, 4.456),
    ("shufflenet_v2_x1_0", 2_278_604, 144_907_992, 0, 0.145),
    ("regnet_y_400mf", 4_344_144, 401_842_848, 0, 0.402),
    ("mobilenet_v3_large", 5_483_032, 216_589_760, 0, 0.217),
    # 12 blocks · 2 products (QKᵀ, AV) · 197 tokens · 197 tokens · 768 features.
    ("vit_b_16", 86_567_656, 16_848_500_736, 12 * 2 * 197 * 197 * 768, 17.564),
]
SIBLINGS = [
    ("efficientnet_b1", 7_794_184, 569_651_680, 0),
    ("convnext_small", 50_223_688, 8_683_712_256, 0),
    ("shufflenet_v2_x0_5", 1_366_792, 40_476_448, 0),
    ("regnet_x_400mf", 5_495_976, 413_812_608, 0),
    ("mobilenet_v3_small", 2_542_856, 56_510_400, 0),
    # 50 tokens (7·7 patches + the class token).
    ("vit_b_32", 88_224_232, 4_363_106_304, 12 * 2 * 50 * 50 * 768),
    # Written on 6 December by a reviewer from the built-ins, with no code change, and
    # checked against torchvision 0.29.1: sum(p.numel()) and FlopCounterMode's total / 2.
    ("efficientnet_b2", 9_109_994, 993_561_872, 0),  # at 260x260
    ("regnet_y_800mf", 6_432_512, 833_856_256, 0),
    ("resnext50_32x4d", 25_028_904, 4_230_479_872, 0),
    ("wide_resnet50_2", 68_883_240, 11_398_021_120, 0),
    ("densenet121", 7_978_856, 2_834_161_664, 0),
    ("squeezenet1_1", 1_235_496, 349_151_936, 0),  # ceil-mode pools
    ("inception_v3", 23_834_568, 5_713_216_096, 0),  # at 299x299, no auxiliary classifier
]


@pytest.mark.parametrize(("name", "params", "macs", "products", "published"), MODERN)
def test_modern_builtins_equal_torchvision(
    name: str, params: int, macs: int, products: int, published: float
) -> None:
    totals = report_of(name).totals
    assert totals.trainable_params == params
    assert totals.macs == macs
    assert totals.product_macs == products
    # torchvision's published figure counts every MAC, activation products included.
    digits = len(str(published).split(".")[1])
    assert round((totals.macs + totals.product_macs) / 1e9, digits) == published


def test_vit_b_16_total_is_the_published_17_564_g() -> None:
    totals = report_of("vit_b_16").totals
    assert totals.product_macs == 715_327_488
    assert totals.macs + totals.product_macs == 17_563_828_224


@pytest.mark.parametrize(("name", "params", "macs", "products"), SIBLINGS)
def test_a_sibling_spec_needs_no_new_code(name: str, params: int, macs: int, products: int) -> None:
    totals = analyze(resolve(str(SPECS / f"{name}.yaml"))).totals
    assert (totals.trainable_params, totals.macs, totals.product_macs) == (params, macs, products)


def test_siblings_differ_from_their_builtin_only_in_values() -> None:
    # The same blocks and layer types: B1 changes only the repeats of B0's stages.
    b0 = {r.type for r in report_of("efficientnet_b0").layers}
    b1 = {r.type for r in analyze(resolve(str(SPECS / "efficientnet_b1.yaml"))).layers}
    assert b0 == b1


# torchvision's AdaptiveAvgPool2d keeps AlexNet's and VGG-16's classifiers whatever the
# input; MACs measured from torchvision at each size.
ADAPTIVE = [
    ("alexnet", 224, 61_100_840, 714_188_480),
    ("alexnet", 256, 61_100_840, 927_124_160),
    ("alexnet", 320, 61_100_840, 1_442_722_496),
    ("vgg16", 224, 138_357_544, 15_470_264_320),
    ("vgg16", 256, 138_357_544, 20_168_212_480),
    ("vgg16", 320, 138_357_544, 31_443_288_064),
]


@pytest.mark.parametrize(("name", "size", "params", "macs"), ADAPTIVE)
def test_adaptive_pooling_keeps_the_classifier(
    name: str, size: int, params: int, macs: int
) -> None:
    report = analyze(load_builtin(name, {"input": f"3x{size}x{size}"}))
    assert (report.totals.trainable_params, report.totals.macs) == (params, macs)


def test_vgg16_at_256_pools_8x8_to_7x7_with_overlapping_windows() -> None:
    report = analyze(load_builtin("vgg16", {"input": "3x256x256"}))
    pool = next(r for r in report.layers if r.name == "avgpool")
    assert pool.input_shape == (512, 8, 8) and pool.output_shape == (512, 7, 7)
    # Windows [0,2) [1,3) ... [6,8): 7 windows of 2 per axis, 4 taps each.
    assert pool.flops == 512 * (7 * 2) * (7 * 2)
    fc6 = next(r for r in report.layers if r.name == "fc6")
    assert fc6.trainable_params == (512 * 7 * 7 + 1) * 4096  # as at 224


def test_se_gates_broadcast_in_efficientnet() -> None:
    by = {r.name: r for r in report_of("efficientnet_b0").layers}
    gate = by["stage2.0.se_scale"]
    assert gate.inputs == ("stage2.0.dw_silu", "stage2.0.se_fc2")
    assert gate.output_shape == (96, 56, 56) and gate.macs == 0
    assert by["stage2.0.se_fc1"].trainable_params == 16 // 4 * (96 + 1)  # squeeze: inp / 4


def test_shufflenet_units_split_or_read_everything() -> None:
    by = {r.name: r for r in report_of("shufflenet_v2_x1_0").layers}
    assert "stage2.0.keep" not in by  # the downsampling unit has no split
    assert by["stage2.0.branch2_pw1"].inputs == ("maxpool",)
    assert by["stage2.1.keep"].output_shape == (58, 28, 28)
    assert by["stage2.1.concat"].inputs == ("stage2.1.keep", "stage2.1.branch2_relu2")


@pytest.mark.parametrize(("name", "params", "macs", "products", "published"), MODERN)
def test_zoo_page_quotes_the_modern_figures(
    name: str, params: int, macs: int, products: int, published: float
) -> None:
    page = (Path(__file__).parent.parent / "docs" / "zoo.md").read_text(encoding="utf-8")
    row = next(line for line in page.splitlines() if line.startswith(f"| `{name}` |"))
    assert f"| {params:,} | {macs:,} | {products:,} | {published} |" in row


def test_efficientnet_b1_at_its_evaluation_size_is_the_published_0_687_g() -> None:
    network = resolve(str(SPECS / "efficientnet_b1.yaml"), {"size": "240"})
    assert analyze(network).totals.macs == 686_802_832
