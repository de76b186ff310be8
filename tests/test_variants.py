"""The two tutorial variants of LeNet-5, against their published parameter counts."""

from __future__ import annotations

import pytest

from conftest import report_of


def test_modern_lenet5_has_61706_params() -> None:
    report = report_of("lenet5-modern")
    per_layer = [r.trainable_params for r in report.layers if r.trainable_params]
    assert per_layer == [
        6 * (5 * 5 + 1),  # C1: 156
        16 * (5 * 5 * 6 + 1),  # full C3: 2,416
        120 * (5 * 5 * 16 + 1),  # C5: 48,120
        84 * (120 + 1),  # F6: 10,164
        10 * (84 + 1),  # softmax output: 850
    ]
    assert report.totals.params == 61_706
    assert report.totals.non_trainable_params == 0


def test_keras_mnist_lenet5_has_44426_params() -> None:
    report = report_of("lenet5-mnist")
    by_name = {r.name: r for r in report.layers}
    assert by_name["C1"].output_shape == (6, 24, 24)  # 28 - 5 + 1
    assert by_name["S4"].output_shape == (16, 4, 4)  # (12 - 5 + 1) / 2
    assert by_name["flatten"].output_shape == (16 * 4 * 4,)
    assert by_name["F5"].trainable_params == 120 * (256 + 1)
    assert report.totals.params == 156 + 2416 + 30840 + 10164 + 850 == 44_426


@pytest.mark.parametrize("name", ["lenet5", "lenet5-modern", "lenet5-mnist"])
def test_each_builtin_cites_its_source(name: str) -> None:
    assert len(report_of(name).source) > 40
