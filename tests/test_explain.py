"""explain: every printed step of arithmetic re-evaluates to the figure in the report."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from click.testing import Result

from lenetcalc.present.explain import Derivation, explain
from lenetcalc.report.analysis import LayerRecord
from lenetcalc.spec.catalog import builtin_names, load_builtin

from conftest import report_of

_ARITHMETIC = re.compile(r"^[0-9+\-*/() ]+$")


def evaluate(text: str) -> int:
    """Evaluate printed arithmetic: 1,516 · − / ⌊ ⌋ become Python integer operators."""
    python = (
        text.replace(",", "")
        .replace("·", "*")
        .replace("−", "-")
        .replace(" / ", "//")
        .replace("⌊", "((")
        .replace("⌋", "))")
    )
    assert _ARITHMETIC.match(python), f"not plain arithmetic: {text!r}"
    return int(eval(python, {"__builtins__": {}}))  # checked above: digits and operators only


def figure_of(record: LayerRecord, label: str) -> int:
    """The report's number for a derivation label."""
    names = ("tokens", "features") if len(record.output_shape) == 2 else ("maps", "H_out", "W_out")
    shape = dict(zip(names, record.output_shape, strict=False))
    rf = {}
    if record.rf_size and record.rf_jump:
        rf = {
            "RF height": record.rf_size[0],
            "RF width": record.rf_size[1],
            "jump height": record.rf_jump[0],
            "jump width": record.rf_jump[1],
        }
    return {
        **shape,
        **rf,
        "length": record.output_shape[0],
        "trainable params": record.trainable_params,
        "non-trainable params": record.non_trainable_params,
        "connections": record.connections,
        "MACs": record.macs,
        "activation-product MACs": record.product_macs,
        "FLOPs": record.flops,
    }[label]


def check_steps(d: Derivation) -> None:
    """Every numeric step of the chain, and of its where-lines, equals the result."""
    _symbolic, *numeric = d.chain()
    for step in numeric:
        assert evaluate(step) == d.expr.value(), (d.label, step)
    for w in d.where:
        check_steps(w)


@pytest.mark.parametrize("name", builtin_names())
def test_every_derivation_reevaluates_to_the_reported_figure(name: str) -> None:
    report = report_of(name)
    sections = explain(load_builtin(name), [], [])
    totals, layers = sections[0], sections[1:]
    assert len(layers) == len(report.layers)
    checked = 0
    for section, record in zip(layers, report.layers, strict=True):
        for derivations in section.figures.values():
            for d in derivations:
                check_steps(d)
                assert d.expr.value() == figure_of(record, d.label), (record.name, d.label)
                checked += 1
    # Per layer: each output dimension, 2 params, connections, MACs, FLOPs, 4 RF figures.
    # Attention also explains its activation-product MACs.
    expected = sum(
        len(r.output_shape) + 5 + (4 if r.rf_size else 0) + (1 if r.product_macs else 0)
        for r in report.layers
    )
    assert checked == expected
    sums = {d.label: d.expr.value() for ds in totals.figures.values() for d in ds}
    assert sums["total trainable params"] == report.totals.trainable_params
    assert sums["total connections"] == report.totals.connections
    assert sums["total FLOPs"] == report.totals.flops


@pytest.mark.parametrize(
    ("layer", "expected"),
    [
        ("C1", "trainable params: (k_h·k_w·C_in + bias)·filters = (5·5·1 + 1)·6 = 26·6 = 156"),
        ("C1", "connections: params·H_out·W_out = 156·28·28 = 122,304"),
        ("C1", "H_out: ⌊(H + 2·p_h − k_h) / s_h⌋ + 1 = (32 + 2·0 − 5) / 1 + 1 = 27 + 1 = 28"),
        ("S2", "connections: (k_h·k_w + 1)·C·H_out·W_out = (2·2 + 1)·6·14·14 = 5·6·14·14 = 5,880"),
        # The paper's four groups: 6 maps read 3 contiguous S2 maps, 6 read 4 contiguous,
        # 3 read 4 non-contiguous, 1 reads all six.
        ("C3", "n(3 contiguous)·(k_h·k_w·3 + bias) + n(4 contiguous)·(k_h·k_w·4 + bias)"),
        ("C3", "n(4 non-contiguous)·(k_h·k_w·4 + bias) + n(all six)·(k_h·k_w·6 + bias)"),
        (
            "C3",
            "= 6·(5·5·3 + 1) + 6·(5·5·4 + 1) + 3·(5·5·4 + 1) + 1·(5·5·6 + 1)"
            " = 456 + 606 + 303 + 151 = 1,516",
        ),
        ("OUTPUT", "non-trainable params: n_in·units = 84·10 = 840"),
    ],
)
def test_lenet5_derivations_read_like_the_hand_working(
    run: Callable[..., Result], layer: str, expected: str
) -> None:
    result = run("explain", "lenet5", layer)
    assert result.exit_code == 0
    assert expected in result.output


def test_padded_conv_shows_in_bounds_counts_per_axis(
    run: Callable[..., Result], write_spec: Callable[..., object]
) -> None:
    path = write_spec(
        "name: p\ninput: [1, 5, 5]\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 1, kernel: 3, padding: 1}\n"
    )
    out = run("explain", str(path), "--figure", "connections").output
    assert "= 1·1·13·13 + 1·5·5 = 169 + 25 = 194" in out
    assert "where taps_h = 4 + 5 + 4 = 13" in out


def test_totals_come_first_and_figures_filter(run: Callable[..., Result]) -> None:
    out = run("explain", "lenet5", "--figure", "params").output
    assert out.startswith("lenet5: totals\n  total trainable params: C1 + S2 + C3")
    assert "= 60,000" in out
    assert "connections" not in out


def test_unknown_layer_is_a_usage_error(run: Callable[..., Result]) -> None:
    result = run("explain", "lenet5", "C7x")
    assert result.exit_code == 2
    assert "has no layer 'C7x'" in result.output


def test_csv_values_are_raw_integers_for_a_spreadsheet(run: Callable[..., Result]) -> None:
    rows = run("explain", "lenet5", "C1", "-f", "csv").output.splitlines()
    # C1: 156 params · 28 · 28 positions = 122,304 connections; 5·5·1·6·28·28 = 117,600 MACs
    assert rows[6].endswith(",params·H_out·W_out = 156·28·28,122304")
    assert rows[7].endswith(",MACs,k_h·k_w·C_in·filters·H_out·W_out = 5·5·1·6·28·28,117600")


def test_a_layer_that_keeps_positions_states_its_inputs_field(run: Callable[..., Result]) -> None:
    out = run("explain", "resnet18", "bn1", "--figure", "rf").output
    # bn1 has no kernel: its field is conv1's 7x7 (jump 2), stated, not re-derived.
    assert "RF height: r_h = 7" in out and "jump width: j_w = 2" in out
    assert "(7 − 1)" not in out
