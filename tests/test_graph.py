"""Branches: inputs, add and concat, through analysis, explain, verify and errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from lenetcalc.report.analysis import analyze
from lenetcalc.spec.reader import load_text
from lenetcalc.witness.verify import verify

from conftest import RESIDUAL, spec


def test_residual_and_concat_figures() -> None:
    report = spec(RESIDUAL, "[3, 16, 16]")
    by = {r.name: r for r in report.layers}
    assert by["sum"].inputs == ("stem", "b")
    assert by["sum"].flops == (2 - 1) * 8 * 16 * 16
    assert by["sum"].params == by["sum"].connections == by["sum"].macs == 0
    assert by["side"].input_shape == (8, 16, 16)  # reads stem, not sum
    assert by["cat"].input_shape == by["cat"].output_shape == (8 + 4 + 3, 16, 16)
    assert by["fc"].trainable_params == (15 * 16 * 16 + 1) * 10
    # RF where branches meet: the widest input (b: 3 -> 5 -> 7), not the 1x1 side branch.
    assert by["cat"].rf_size == (7, 7)


def test_branches_verify() -> None:
    network = load_text(f"name: r\ninput: [3, 16, 16]\nlayers:\n{RESIDUAL}", "r.yaml")
    result = verify(network, analyze(network), batch=2)
    assert result.agrees and len(result.checks) == 6 * 7


def test_inputs_column_only_for_branched_networks(
    run: Callable[..., Result], write_spec: Callable[..., Path]
) -> None:
    out = run(
        "summary", str(write_spec(f"name: r\ninput: [3, 16, 16]\nlayers:\n{RESIDUAL}"))
    ).output
    assert "Inputs" in out and "sum, side, input" in out
    assert "Inputs" not in run("summary", "lenet5").output


@pytest.mark.parametrize(
    ("layers", "where", "message"),
    [
        (
            "  - {name: a, type: conv2d, filters: 4, kernel: 3}\n"
            "  - {name: s, type: add, inputs: [a, input]}\n",
            "5:34",
            "add needs inputs of one shape, but 'a' is 4@6x6 and 'input' is 3@8x8",
        ),
        (
            "  - {name: a, type: flatten, inputs: [b]}\n  - {name: b, type: flatten}\n",
            "4:39",
            "input 'b' is defined further down",
        ),
        ("  - {name: a, type: flatten, inputs: a}\n", "4:38", "input 'a' is this layer"),
        (
            "  - {name: conv, type: flatten}\n  - {name: x, type: flatten, inputs: [cnv]}\n",
            "5:39",
            "input 'cnv' is not a layer of this spec; did you mean 'conv'?",
        ),
        (
            "  - {name: a, type: flatten}\n"
            "  - {name: b, type: dense, units: 2, inputs: [a, input]}\n",
            "5:46",
            "dense reads one input, got 2",
        ),
        ("  - {name: a, type: add, inputs: [input]}\n", "4:34", "add merges two or more inputs"),
        (
            "  - {name: a, type: flatten}\n  - {name: c, type: concat, inputs: [a, input]}\n",
            "5:37",
            "concat joins along channels",
        ),
        ("  - {name: a, type: flatten, inputs: 7}\n", "4:38", "must be a layer name or a list"),
    ],
)
def test_graph_errors(
    run: Callable[..., Result],
    write_spec: Callable[..., Path],
    layers: str,
    where: str,
    message: str,
) -> None:
    path = write_spec(f"name: g\ninput: [3, 8, 8]\nlayers:\n{layers}")
    result = run("summary", str(path))
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {path}:{where}:"), result.output
    assert message in result.output
