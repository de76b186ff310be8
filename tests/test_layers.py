"""Each layer type's figures on small cases worked by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lenetcalc.report.analysis import LayerRecord

from conftest import spec


def only(layers: str, input_shape: str = "[1, 32, 32]") -> LayerRecord:
    return spec(layers, input_shape).layers[-1]


def test_conv_with_stride_and_no_bias() -> None:
    r = only(
        "  - {name: c, type: conv2d, filters: 4, kernel: 3, stride: 2, bias: false}", "[2, 9, 9]"
    )
    assert r.output_shape == (4, (9 - 3) // 2 + 1, 4)  # 4@4x4
    assert r.trainable_params == 4 * 3 * 3 * 2
    assert r.connections == 72 * 4 * 4  # every weight, every position, no bias
    assert r.macs == 3 * 3 * 2 * 4 * 4 * 4
    assert r.flops == 2 * r.macs


def test_padded_conv_counts_only_in_bounds_taps() -> None:
    # 1@5x5, one 3x3 filter, padding 1 -> 5x5. Worked by hand over the output grid:
    # 4 corners see 2x2 inputs, 12 edge units see 2x3, 9 interior units see 3x3.
    r = only("  - {name: c, type: conv2d, filters: 1, kernel: 3, padding: 1}", "[1, 5, 5]")
    assert r.output_shape == (1, 5, 5)
    assert r.connections == (4 * 4 + 12 * 6 + 9 * 9) + 25  # weights in bounds + biases
    assert r.connections == 194
    assert r.macs == 9 * 25  # implementations multiply the padded zeros too
    assert r.trainable_params == 10


def test_same_padding_stride_2_pads_after_like_tensorflow() -> None:
    # 6 rows, kernel 3, stride 2: out ceil(6/2) = 3, padding (0, 1). Rows read per output:
    # 0-2, 2-4, 4-5 (row 6 is padding) -> 3 + 3 + 2 = 8 in-bounds taps per axis.
    r = only(
        "  - {name: c, type: conv2d, filters: 4, kernel: 3, stride: 2, padding: same}", "[2, 6, 6]"
    )
    assert r.output_shape == (4, 3, 3)
    assert r.connections == 2 * 4 * 8 * 8 + 4 * 3 * 3  # 548
    assert r.macs == 3 * 3 * 2 * 4 * 3 * 3


def test_pair_kernel_and_padding() -> None:
    r = only(
        "  - {name: c, type: conv2d, filters: 2, kernel: [3, 1], padding: [1, 0]}", "[1, 4, 4]"
    )
    assert r.output_shape == (2, 4, 4)
    assert r.trainable_params == 2 * (3 * 1 + 1)
    # Height taps in bounds: 3 + 4 + 3 = 10 per column; width taps: 4 columns x 1.
    assert r.connections == 2 * 10 * 4 + 2 * 16


def test_subsample_is_lecuns_trainable_subsampling() -> None:
    r = only("  - {name: s, type: subsample}", "[6, 28, 28]")
    assert r.output_shape == (6, 14, 14)
    assert r.trainable_params == 6 * (1 + 1)  # a coefficient and a bias per map
    assert r.connections == (2 * 2 + 1) * 6 * 14 * 14
    assert r.macs == 2 * 2 * 6 * 14 * 14
    assert r.flops == 2 * r.macs + 6 * 14 * 14


def test_pools_have_no_params_and_count_window_ops() -> None:
    avg = only("  - {name: p, type: pool, mode: avg, kernel: 3, stride: 2}", "[3, 7, 7]")
    mx = only("  - {name: p, type: pool, mode: max, kernel: 3, stride: 2}", "[3, 7, 7]")
    assert avg.output_shape == mx.output_shape == (3, 3, 3)
    assert avg.params == avg.connections == avg.macs == 0
    assert avg.flops == 9 * 27  # 8 adds + 1 scaling multiply per output
    assert mx.flops == 8 * 27  # 8 comparisons per output


def test_dense_flattens_implicitly() -> None:
    r = only("  - {name: d, type: dense, units: 10}", "[16, 5, 5]")
    assert r.output_shape == (10,)
    assert r.trainable_params == r.connections == (400 + 1) * 10
    assert r.macs == 4000
    assert r.flops == 2 * 4000 + 10


def test_rbf_prototypes_can_be_trainable() -> None:
    r = only("  - {name: o, type: rbf, units: 10, trainable: true}", "[84]")
    assert (r.trainable_params, r.non_trainable_params) == (840, 0)
    assert r.flops == 3 * 840  # subtract, square, accumulate


def test_flatten_and_activation_cost_nothing() -> None:
    report = spec(
        "  - {name: a, type: activation, function: scaled_tanh}\n  - {name: f, type: flatten}",
        "[2, 3, 4]",
    )
    a, f = report.layers
    assert a.output_shape == (2, 3, 4)
    assert f.output_shape == (24,)
    assert a.params + a.connections + a.macs + a.flops + f.params + f.flops == 0
    assert f.activations == 24


def test_vector_input_has_no_receptive_field() -> None:
    r = only("  - {name: d, type: dense, units: 3}", "[5]")
    assert r.rf_size is None
    assert r.activations == 3


def test_huge_sizes_stay_exact() -> None:
    r = only("  - {name: d, type: dense, units: 1000000000000}", "[1000000000000]")
    assert r.trainable_params == (10**12 + 1) * 10**12  # beyond 64 bits, exact


def brute_force_taps(size: int, kernel: int, stride: int, pad: int) -> int:
    """Count in-bounds window taps over all output positions, one by one."""
    out = (size + 2 * pad - kernel) // stride + 1
    return sum(1 for o in range(out) for t in range(kernel) if 0 <= o * stride - pad + t < size)


@settings(max_examples=150, deadline=None)
@given(
    size=st.integers(1, 12),
    kernel=st.integers(1, 5),
    stride=st.integers(1, 3),
    pad=st.integers(0, 3),
    filters=st.integers(1, 3),
    channels=st.integers(1, 3),
)
def test_padded_connections_match_a_brute_force_count(
    size: int, kernel: int, stride: int, pad: int, filters: int, channels: int
) -> None:
    if kernel > size + 2 * pad:
        return
    r = only(
        f"  - {{name: c, type: conv2d, filters: {filters}, kernel: {kernel},"
        f" stride: {stride}, padding: {pad}}}",
        f"[{channels}, {size}, {size}]",
    )
    out = (size + 2 * pad - kernel) // stride + 1
    taps = brute_force_taps(size, kernel, stride, pad)
    assert r.connections == channels * filters * taps * taps + filters * out * out


def test_depthwise_and_grouped_conv() -> None:
    dw = only(
        "  - {name: d, type: conv2d, filters: 32, kernel: 3, padding: 1, groups: 32}",
        "[32, 10, 10]",
    )
    assert dw.trainable_params == 32 * (3 * 3 * 1 + 1)  # each filter reads its one map
    assert dw.macs == 3 * 3 * 1 * 32 * 10 * 10
    grouped = only("  - {name: g, type: conv2d, filters: 6, kernel: 3, groups: 2}", "[4, 5, 5]")
    assert grouped.trainable_params == 6 * (3 * 3 * (4 // 2) + 1)
    assert grouped.connections == grouped.trainable_params * 3 * 3  # no padding


def test_dilated_conv_span_and_receptive_field() -> None:
    r = only("  - {name: d, type: conv2d, filters: 1, kernel: 3, dilation: 2}", "[1, 7, 7]")
    assert r.output_shape == (1, 7 - (2 * (3 - 1) + 1) + 1, 3)  # span 5
    assert r.rf_size == (1 + (3 - 1) * 2, 5)
    # Padded and dilated: rows read per output row 0..6 with taps at -2, 0, +2.
    p = only(
        "  - {name: d, type: conv2d, filters: 1, kernel: 3, dilation: 2, padding: 2}", "[1, 7, 7]"
    )
    taps = sum(sum(0 <= o - 2 + 2 * t < 7 for t in range(3)) for o in range(7))  # 5+5+3+3+3
    assert p.connections == taps * taps + 7 * 7


def test_batchnorm_and_dropout() -> None:
    bn = only("  - {name: b, type: batchnorm}", "[16, 5, 5]")
    assert (bn.trainable_params, bn.non_trainable_params) == (2 * 16, 2 * 16)
    assert bn.connections == bn.flops == 2 * 16 * 5 * 5
    assert bn.macs == 0
    drop = only("  - {name: d, type: dropout, rate: 0.5}", "[10]")
    assert drop.params + drop.flops + drop.connections == 0


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "pad", "floor_out", "ceil_out"),
    [
        (5, 2, 2, 0, 2, 3),  # (5 − 2)/2 = 1.5: floor 1 + 1, ceil 2 + 1
        (6, 3, 2, 0, 2, 3),
        (2, 1, 2, 0, 1, 1),  # the ceil window would start at 2, outside: dropped
        (7, 3, 2, 1, 4, 4),  # exact: no difference
    ],
)
def test_ceil_mode_pool(
    size: int, kernel: int, stride: int, pad: int, floor_out: int, ceil_out: int
) -> None:
    layer = (
        f"  - {{name: p, type: pool, mode: max, kernel: {kernel}, stride: {stride}, padding: {pad}"
    )
    shape = f"[1, {size}, {size}]"
    assert only(layer + "}", shape).output_shape[1] == floor_out
    assert only(layer + ", ceil_mode: true}", shape).output_shape[1] == ceil_out


def test_global_pool() -> None:
    r = only("  - {name: g, type: pool, mode: avg, global: true}", "[512, 7, 7]")
    assert r.output_shape == (512, 1, 1)
    assert r.flops == 7 * 7 * 512
    assert r.rf_size == (7, 7)
