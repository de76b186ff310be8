"""The NumPy engine as an independent witness: it agrees, and it can disagree."""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
import pytest
from click.testing import Result
from hypothesis import assume, given, reject, settings
from hypothesis import strategies as st

from lenetcalc.errors import SpecError
from lenetcalc.expr import Num
from lenetcalc.layers import Layer
from lenetcalc.layers.conv import Conv2d
from lenetcalc.layers.dense import RBF, Dense
from lenetcalc.layers.window import Subsample
from lenetcalc.report.analysis import analyze
from lenetcalc.report.memory import witness_peak_bytes
from lenetcalc.spec.catalog import builtin_names
from lenetcalc.spec.reader import load_text
from lenetcalc.witness import engine
from lenetcalc.witness.arrays import Param
from lenetcalc.witness.verify import Verification, verify

Run = Callable[..., Result]


def verified(layers: str, input_shape: str) -> Verification:
    network = load_text(f"name: t\ninput: {input_shape}\nlayers:\n{layers}", "t.yaml")
    return verify(network, analyze(network), batch=2)


def disagreements(v: Verification) -> list[tuple[str, object, object]]:
    return [(c.figure, c.analytic, c.measured) for c in v.checks if not c.agrees]


@pytest.mark.parametrize("name", builtin_names())
def test_every_builtin_verifies(run: Run, name: str) -> None:
    result = run("verify", name, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["agree"] and data["disagreements"] == 0
    assert data["figures_checked"] == 6 * len(data["layers"])  # CHECKED: six figures


def test_c3_engine_performs_only_the_tables_macs() -> None:
    network = load_text(
        "name: t\ninput: [6, 14, 14]\nlayers:\n  - name: C3\n    type: conv2d\n"
        "    filters: 2\n    kernel: 5\n    connection_table: [[0, 1, 2], [0, 1, 2, 3, 4, 5]]\n",
        "t.yaml",
    )
    (obs,) = engine.run(network)
    assert obs.macs == 5 * 5 * (3 + 6) * 10 * 10  # not the dense 5·5·6·2·10·10
    assert obs.trainable_params == 25 * 9 + 2


@pytest.mark.parametrize(
    ("cls", "method", "spec", "figure"),
    [
        (Conv2d, "connections", "lenet5", "connections"),
        (Subsample, "trainable_params", "lenet5", "trainable_params"),
        (Dense, "macs", "lenet5-mnist", "macs"),
        (RBF, "non_trainable_params", "lenet5", "non_trainable_params"),
    ],
)
def test_a_wrong_formula_is_caught(
    run: Run, monkeypatch: pytest.MonkeyPatch, cls: type, method: str, spec: str, figure: str
) -> None:
    right = getattr(cls, method)
    monkeypatch.setattr(cls, method, lambda self, x: right(self, x) + Num(1))
    result = run("verify", spec)
    assert result.exit_code == 1
    assert "≠" in result.output and "NOT verified" in result.output
    data = json.loads(run("verify", spec, "-f", "json").output)
    wrong = {f for layer in data["layers"] for f, c in layer["checks"].items() if not c["agree"]}
    assert wrong == {figure}


def test_summary_verify_marks_and_fails(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    ok = run("summary", "lenet5", "--verify")
    assert ok.exit_code == 0
    assert "Verified: all 42 figures agree" in ok.output
    right = Conv2d.macs
    monkeypatch.setattr(Conv2d, "macs", lambda self, x: right(self, x) * 2)
    bad = run("summary", "lenet5", "--verify")
    assert bad.exit_code == 1
    assert "NOT verified: 3 of 42" in bad.output


def test_memory_guard_refuses_before_allocating(run: Run) -> None:
    result = run("verify", "lenet5", "--batch", "100000")
    assert result.exit_code == 2
    assert "over the 4 GiB limit: raise it with --max-memory" in result.output


def test_memory_estimate_covers_the_im2col_matrix() -> None:
    network = load_text(
        "name: t\ninput: [64, 224, 224]\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 64, kernel: 3, padding: 1}\n",
        "t.yaml",
    )
    window = 224 * 224 * 64 * 9 * 4  # the (H_out·W_out, C·k·k) float32 matrix
    assert witness_peak_bytes(network, analyze(network), 1) > window


# ---- the forward pass against outputs computed by hand --------------------------------


def layer_of(layers: str, input_shape: str) -> Layer:
    return load_text(f"name: t\ninput: {input_shape}\nlayers:\n{layers}", "t.yaml").layers[0]


def test_conv_3x3_by_hand() -> None:
    conv = layer_of("  - {name: c, type: conv2d, filters: 1, kernel: 3}", "[1, 4, 4]")
    x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    params = {
        "weight": Param(np.ones((1, 1, 3, 3), np.float32), True),
        "bias": Param(np.array([0.5], np.float32), True),
    }
    y, macs = conv.witness_forward(x, params)
    # Top-left window: 0+1+2 + 4+5+6 + 8+9+10 = 45, then shifts of 1 (+9) and 4 (+36).
    assert y[0, 0].tolist() == [[45.5, 54.5], [81.5, 90.5]]
    assert macs == 9 * 4


def test_subsampling_window_by_hand() -> None:
    sub = layer_of("  - {name: s, type: subsample}", "[1, 2, 2]")
    x = np.array([[[[1, 2], [3, 4]]]], np.float32)
    params = {
        "coefficient": Param(np.array([0.5], np.float32), True),
        "bias": Param(np.array([1.0], np.float32), True),
    }
    y, _ = sub.witness_forward(x, params)
    assert y.tolist() == [[[[(1 + 2 + 3 + 4) * 0.5 + 1]]]]  # identity activation


def test_rbf_distance_by_hand() -> None:
    rbf = layer_of("  - {name: o, type: rbf, units: 2}", "[3]")
    x = np.array([[1, 2, 3]], np.float32)
    params = {"prototypes": Param(np.array([[1, 0, 3], [0, 0, 0]], np.float32), False)}
    y, _ = rbf.witness_forward(x, params)
    assert y.tolist() == [[0 + 2**2 + 0, 1 + 4 + 9]]


def test_scaled_tanh_and_max_pool_by_hand() -> None:
    pool = layer_of("  - {name: p, type: pool, mode: max, kernel: 2}", "[1, 2, 4]")
    x = np.array([[[[1, 5, -1, -2], [3, 2, -3, -4]]]], np.float32)
    y, _ = pool.witness_forward(x, {})
    assert y.tolist() == [[[[5, -1]]]]
    act = layer_of("  - {name: a, type: activation, function: scaled_tanh}", "[1]")
    y, _ = act.witness_forward(np.array([[1.5]]), {})
    assert y[0, 0] == pytest.approx(1.7159 * np.tanh(1.0))


# ---- property tests: analytic and measured agree over random hyper-parameters -------

sizes = st.integers(1, 11)
paddings = st.one_of(st.integers(0, 2), st.sampled_from(["same", "valid"]))


@settings(max_examples=60, deadline=None)
@given(
    size=sizes,
    channels=st.integers(1, 4),
    filters=st.integers(1, 4),
    kernel=st.integers(1, 4),
    stride=st.integers(1, 3),
    padding=paddings,
    bias=st.booleans(),
    data=st.data(),
)
def test_conv_property(
    size: int,
    channels: int,
    filters: int,
    kernel: int,
    stride: int,
    padding: object,
    bias: bool,
    data: st.DataObject,
) -> None:
    pad = padding if isinstance(padding, int) else 0
    assume(padding == "same" or kernel <= size + 2 * pad)
    table = ""
    if data.draw(st.booleans()):
        rows = data.draw(
            st.lists(
                st.sets(st.integers(0, channels - 1), min_size=1),
                min_size=filters,
                max_size=filters,
            )
        )
        table = f", connection_table: {[sorted(r) for r in rows]}"
    v = verified(
        f"  - {{name: c, type: conv2d, filters: {filters}, kernel: {kernel}, stride: {stride},"
        f" padding: {padding}, bias: {str(bias).lower()}{table}}}",
        f"[{channels}, {size}, {size + 1}]",
    )
    assert disagreements(v) == []


@settings(max_examples=40, deadline=None)
@given(
    size=st.integers(2, 12),
    kernel=st.integers(1, 3),
    stride=st.integers(1, 3),
    mode=st.sampled_from(["avg", "max"]),
    padding=paddings,
)
def test_pool_and_subsample_property(
    size: int, kernel: int, stride: int, mode: str, padding: object
) -> None:
    pad = padding if isinstance(padding, int) else 0
    assume(kernel <= size and 2 * pad <= kernel)
    layers = (
        f"  - {{name: p, type: pool, mode: {mode}, kernel: {kernel}, stride: {stride},"
        f" padding: {padding}}}\n"
        f"  - {{name: s, type: subsample, kernel: {kernel}, stride: {stride}}}\n"
    )
    try:
        v = verified(layers, f"[2, {size}, {size}]")
    except SpecError:
        reject()  # the pooled map is too small for the subsampling window
    assert disagreements(v) == []


@settings(max_examples=30, deadline=None)
@given(
    shape=st.sampled_from(["[7]", "[2, 3, 4]"]),
    units=st.integers(1, 6),
    bias=st.booleans(),
    trainable=st.booleans(),
)
def test_dense_rbf_flatten_activation_property(
    shape: str, units: int, bias: bool, trainable: bool
) -> None:
    layers = (
        "  - {name: a, type: activation, function: tanh}\n"
        f"  - {{name: d, type: dense, units: {units}, bias: {str(bias).lower()}}}\n"
        "  - {name: f, type: flatten}\n"
        f"  - {{name: o, type: rbf, units: 3, trainable: {str(trainable).lower()}}}\n"
    )
    assert disagreements(verified(layers, shape)) == []


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(3, 12),
    group_maps=st.integers(1, 3),
    groups=st.integers(1, 3),
    per_group=st.integers(1, 2),
    kernel=st.integers(1, 3),
    stride=st.integers(1, 2),
    dilation=st.integers(1, 3),
    padding=paddings,
)
def test_grouped_dilated_conv_property(
    size: int,
    group_maps: int,
    groups: int,
    per_group: int,
    kernel: int,
    stride: int,
    dilation: int,
    padding: object,
) -> None:
    pad = padding if isinstance(padding, int) else 0
    assume(padding == "same" or dilation * (kernel - 1) + 1 <= size + 2 * pad)
    v = verified(
        f"  - {{name: c, type: conv2d, filters: {groups * per_group}, kernel: {kernel},"
        f" stride: {stride}, dilation: {dilation}, padding: {padding}, groups: {groups}}}\n"
        "  - {name: bn, type: batchnorm}\n  - {name: d, type: dropout, rate: 0.2}\n",
        f"[{groups * group_maps}, {size}, {size + 2}]",
    )
    assert disagreements(v) == []


@settings(max_examples=40, deadline=None)
@given(
    size=st.integers(2, 12),
    kernel=st.integers(1, 3),
    stride=st.integers(1, 3),
    pad=st.integers(0, 1),
    mode=st.sampled_from(["avg", "max"]),
)
def test_ceil_mode_and_global_pool_property(
    size: int, kernel: int, stride: int, pad: int, mode: str
) -> None:
    assume(kernel <= size + 2 * pad and 2 * pad <= kernel)
    v = verified(
        f"  - {{name: p, type: pool, mode: {mode}, kernel: {kernel}, stride: {stride},"
        f" padding: {pad}, ceil_mode: true}}\n"
        f"  - {{name: g, type: pool, mode: {mode}, global: true}}\n"
        "  - {name: f, type: flatten}\n  - {name: bn, type: batchnorm}\n",
        f"[3, {size}, {size + 1}]",
    )
    assert disagreements(v) == []
