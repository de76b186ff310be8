"""LeCun et al. (1998), section II-B: every figure of LeNet-5, to the unit."""

from __future__ import annotations

import pytest

from conftest import report_of

LENET5 = report_of("lenet5")
BY_NAME = {r.name: r for r in LENET5.layers}

# (layer, output shape, trainable params, connections), the arithmetic written out.
PAPER = [
    ("C1", (6, 28, 28), 6 * (5 * 5 * 1 + 1), 6 * (5 * 5 * 1 + 1) * 28 * 28),
    ("S2", (6, 14, 14), 6 * 2, 6 * (2 * 2 + 1) * 14 * 14),
    # Table I: 6 maps read 3 S2 maps, 9 read 4, 1 reads all 6.
    ("C3", (16, 10, 10), 6 * (25 * 3 + 1) + 9 * (25 * 4 + 1) + (25 * 6 + 1), 1516 * 10 * 10),
    ("S4", (16, 5, 5), 16 * 2, 16 * (2 * 2 + 1) * 5 * 5),
    ("C5", (120, 1, 1), 120 * (5 * 5 * 16 + 1), 120 * (5 * 5 * 16 + 1) * 1 * 1),
    ("F6", (84,), 84 * (120 + 1), 84 * (120 + 1)),
    ("OUTPUT", (10,), 0, 10 * 84),
]


def test_paper_values_are_the_published_ones() -> None:
    published = (
        [156, 12, 1516, 32, 48120, 10164, 0],
        [122304, 5880, 151600, 2000, 48120, 10164, 840],
    )
    assert [p for _, _, p, _ in PAPER] == published[0]
    assert [c for _, _, _, c in PAPER] == published[1]


@pytest.mark.parametrize(("name", "shape", "params", "connections"), PAPER)
def test_layer(name: str, shape: tuple[int, ...], params: int, connections: int) -> None:
    record = BY_NAME[name]
    assert record.output_shape == shape
    assert record.trainable_params == params
    assert record.connections == connections


def test_totals() -> None:
    assert LENET5.totals.trainable_params == 60_000
    assert LENET5.totals.connections == 340_908


def test_rbf_prototypes_are_fixed_parameters() -> None:
    assert BY_NAME["OUTPUT"].non_trainable_params == 10 * 84
    assert LENET5.totals.params == 60_000 + 840


@pytest.mark.parametrize(
    ("name", "macs", "published"),
    [
        ("C1", 5 * 5 * 1 * 6 * 28 * 28, 117_600),
        ("C3", 5 * 5 * 60 * 10 * 10, 150_000),  # 60 entries in Table I
        ("C5", 5 * 5 * 16 * 120, 48_000),
        ("F6", 120 * 84, 10_080),
    ],
)
def test_macs(name: str, macs: int, published: int) -> None:
    assert macs == published
    assert BY_NAME[name].macs == macs


def test_receptive_field_of_c5_is_the_whole_32x32_input() -> None:
    # 1 -> C1 5 -> S2 6 (jump 2) -> C3 6+4·2=14 -> S4 14+1·2=16 (jump 4) -> C5 16+4·4=32
    assert [BY_NAME[n].rf_size for n in ("C1", "S2", "C3", "S4", "C5")] == [
        (5, 5),
        (6, 6),
        (14, 14),
        (16, 16),
        (32, 32),
    ]
    assert BY_NAME["S4"].rf_jump == (4, 4)
