"""Invariants every report satisfies, checked on data for every built-in spec."""

from __future__ import annotations

from math import prod

import pytest

from lenetcalc.analysis import COUNTS
from lenetcalc.catalog import builtin_names

from conftest import report_of


@pytest.mark.parametrize("name", builtin_names())
def test_rows_sum_to_totals(name: str) -> None:
    report = report_of(name)
    for figure in COUNTS:
        assert getattr(report.totals, figure) == sum(getattr(r, figure) for r in report.layers)


@pytest.mark.parametrize("name", builtin_names())
def test_shapes_chain_and_counts_are_consistent(name: str) -> None:
    report = report_of(name)
    assert report.layers[0].input_shape == report.input_shape
    for before, after in zip(report.layers, report.layers[1:], strict=False):
        assert after.input_shape == before.output_shape
    for r in report.layers:
        assert r.params == r.trainable_params + r.non_trainable_params
        assert r.activations == prod(r.output_shape)
        assert r.flops >= 2 * r.macs or r.type == "pool"
    assert report.output_shape == report.layers[-1].output_shape


def test_builtins_are_listed() -> None:
    assert builtin_names() == ["lenet5", "lenet5-mnist", "lenet5-modern"]
