"""Invariants every report satisfies, checked on data for every built-in spec."""

from __future__ import annotations

from math import prod

import pytest

from lenetcalc.report.analysis import COUNTS
from lenetcalc.spec.catalog import builtin_names

from conftest import report_of


@pytest.mark.parametrize("name", builtin_names())
def test_rows_sum_to_totals(name: str) -> None:
    report = report_of(name)
    for figure in COUNTS:
        assert getattr(report.totals, figure) == sum(getattr(r, figure) for r in report.layers)


@pytest.mark.parametrize("name", builtin_names())
def test_shapes_chain_and_counts_are_consistent(name: str) -> None:
    report = report_of(name)
    outputs = {"input": report.input_shape, **{r.name: r.output_shape for r in report.layers}}
    for r in report.layers:
        if len(r.inputs) == 1:  # merge layers combine several; checked in test_graph
            assert r.input_shape == outputs[r.inputs[0]]
    for r in report.layers:
        assert r.params == r.trainable_params + r.non_trainable_params
        assert r.activations == prod(r.output_shape)
        assert r.flops >= 2 * r.macs or r.type == "pool"
    assert report.output_shape == report.layers[-1].output_shape


def test_builtins_are_listed() -> None:
    assert {"lenet5", "lenet5-mnist", "lenet5-modern", "resnet18"} <= set(builtin_names())
