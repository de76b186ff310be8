"""The model zoo against torchvision's published parameter counts and MACs.

(That each verifies within the default memory limit: test_verify.test_every_builtin_verifies.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import report_of

# (spec, torchvision num_params, torchvision "_ops" in GFLOPS: conv + linear MACs)
ZOO = [
    ("alexnet", 61_100_840, 0.714),
    ("vgg16", 138_357_544, 15.47),
    ("resnet18", 11_689_512, 1.814),
    ("resnet50", 25_557_032, 4.089),
    ("mobilenetv2", 3_504_872, 0.301),
    ("googlenet", 6_624_904, 1.498),
]


@pytest.mark.parametrize(("name", "params", "gmacs"), ZOO)
def test_trainable_params_equal_torchvision(name: str, params: int, gmacs: float) -> None:
    assert report_of(name).totals.trainable_params == params


@pytest.mark.parametrize(("name", "params", "gmacs"), ZOO)
def test_macs_within_one_percent_of_published(name: str, params: int, gmacs: float) -> None:
    macs = report_of(name).totals.macs
    assert abs(macs / 1e9 - gmacs) / gmacs < 0.01
    assert round(macs / 1e9, len(str(gmacs).split(".")[1])) == gmacs  # to the digits published


def test_resnet50_structure() -> None:
    report = report_of("resnet50")
    by = {r.name: r for r in report.layers}
    assert by["layer1.0.downsample"].trainable_params == 64 * 256  # 1x1, no bias
    assert "layer1.1.downsample" not in by  # left out: the add reads the block input
    assert by["layer1.1.add"].inputs == ("layer1.1.bn3", "layer1.0.relu3")
    assert by["layer4.2.relu3"].output_shape == (2048, 7, 7)
    assert by["fc"].trainable_params == (2048 + 1) * 1000


def test_mobilenetv2_residuals_only_where_shapes_match() -> None:
    adds = [r.name for r in report_of("mobilenetv2").layers if r.type == "add"]
    # Repeats after the first of each stage with n > 1: 1 + 2 + 3 + 2 + 2 = 10.
    assert len(adds) == 10
    assert "stage2.1.add" in adds and "stage2.0.add" not in adds


@pytest.mark.parametrize(("name", "params", "gmacs"), ZOO)
def test_zoo_page_quotes_the_reported_figures(name: str, params: int, gmacs: float) -> None:
    page = (Path(__file__).parent.parent / "docs" / "zoo.md").read_text(encoding="utf-8")
    row = next(line for line in page.splitlines() if line.startswith(f"| `{name}` |"))
    totals = report_of(name).totals
    assert f"| {totals.trainable_params:,} | {totals.macs:,} | {gmacs} |" in row
