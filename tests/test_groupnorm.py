"""groupnorm: nn.GroupNorm's figures, worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from lenetcalc.errors import SpecError
from lenetcalc.witness.arrays import Param

from conftest import spec


def test_groupnorm_figures_by_hand() -> None:
    # 32 groups over 64 maps of 56x56, as in a ResNet with GroupNorm.
    (gn,) = spec("  - {name: gn, type: groupnorm, groups: 32}\n", "[64, 56, 56]").layers
    assert gn.output_shape == (64, 56, 56)
    assert gn.trainable_params == (1 + 1) * 64  # a scale and a shift per channel
    assert gn.non_trainable_params == 0  # statistics come from each sample
    assert gn.connections == 2 * 64 * 56 * 56  # one scale use, one shift use per element
    assert gn.macs == 0
    assert gn.flops == 7 * 64 * 56 * 56


def test_groups_must_divide_the_maps() -> None:
    with pytest.raises(SpecError, match="3 groups do not divide the 64 input maps"):
        spec("  - {name: gn, type: groupnorm, groups: 3}\n", "[64, 8, 8]")


def test_each_group_is_normalised_over_its_maps_and_positions() -> None:
    from lenetcalc.spec.reader import load_text

    text = "name: t\ninput: [4, 1, 2]\nlayers:\n  - {name: gn, type: groupnorm, groups: 2}\n"
    (gn,) = load_text(text, "t.yaml").layers
    # Group 0 holds maps 0-1 (values 0, 2, 4, 6), group 1 maps 2-3 (10, 10, 10, 30).
    x = np.array([[[[0, 2]], [[4, 6]], [[10, 10]], [[10, 30]]]], np.float32)
    ones = {
        "scale": Param(np.ones(4, np.float32), True),
        "shift": Param(np.zeros(4, np.float32), True),
    }
    y, macs = gn.witness_forward(x, ones)
    # Group 0: mean 3, variance (9 + 1 + 1 + 9) / 4 = 5; group 1: mean 15, variance 75.
    expected = [
        [(0 - 3) / 5**0.5, (2 - 3) / 5**0.5],
        [(4 - 3) / 5**0.5, (6 - 3) / 5**0.5],
        [-5 / 75**0.5, -5 / 75**0.5],
        [-5 / 75**0.5, 15 / 75**0.5],
    ]
    assert y[0, :, 0, :] == pytest.approx(np.array(expected), abs=1e-3)
    assert macs == 0
