"""Memory estimates, worked by hand."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import Result

from lenetcalc.errors import LenetcalcError
from lenetcalc.report.analysis import analyze
from lenetcalc.report.memory import estimate
from lenetcalc.spec.catalog import load_builtin
from lenetcalc.spec.reader import load_text
from lenetcalc.units import format_bytes, parse_bytes

from conftest import RESIDUAL, report_of


def test_lenet5_memory() -> None:
    network = load_builtin("lenet5")
    m = estimate(network, analyze(network))
    assert m.param_bytes == 60_840 * 4
    # A chain: the peak is the largest input + output pair, S2's 6@28x28 + 6@14x14.
    assert m.inference_peak_bytes == (4_704 + 1_176) * 4
    stored = (8_094 + 32 * 32) * 4  # every layer's output and the input
    assert m.training_bytes["sgd"] == 60_840 * 4 + 60_000 * 4 + stored
    assert m.training_bytes["sgd-momentum"] == m.training_bytes["sgd"] + 60_000 * 4
    assert m.training_bytes["adam"] == m.training_bytes["sgd"] + 2 * 60_000 * 4


def test_live_tensors_along_branches() -> None:
    network = load_text(f"name: r\ninput: [3, 16, 16]\nlayers:\n{RESIDUAL}", "r.yaml")
    m = estimate(network, analyze(network))
    # At `cat`, still alive: input (768, read by cat), sum (2,048), side (1,024), and the
    # output (3,840); stem was freed after `side`, its last reader.
    assert m.inference_peak_bytes == (768 + 2_048 + 1_024 + 3_840) * 4


def test_dtype_and_batch(run: Callable[..., Result]) -> None:
    base = json.loads(run("summary", "resnet18", "-f", "json").output)["memory"]
    half = json.loads(
        run("summary", "resnet18", "-f", "json", "--dtype", "float16", "--batch", "8").output
    )["memory"]
    assert half["param_bytes"] * 2 == base["param_bytes"]
    assert half["inference_peak_bytes"] == base["inference_peak_bytes"] * 8 // 2
    layer = json.loads(run("summary", "resnet18", "-f", "json").output)["layers"][0]
    assert layer["activation_bytes"] == 64 * 112 * 112 * 4


def test_folded_rows_sum_activation_memory(run: Callable[..., Result]) -> None:
    rows = json.loads(run("summary", "resnet18", "-f", "json", "--depth", "1").output)["layers"]
    layer1 = next(r for r in rows if r["name"] == "layer1")
    members = [r for r in report_of("resnet18").layers if r.name.startswith("layer1.")]
    assert layer1["activation_bytes"] == sum(r.activations for r in members) * 4


@pytest.mark.parametrize(
    ("n", "shown"),
    [
        (512, "512 B"),
        (1_536, "1.5 KiB"),  # 1,536 / 1,024 = 1.5 exactly
        (1_280, "1.2 KiB"),  # 12.5 tenths: half to even, down
        (1_792, "1.8 KiB"),  # 17.5 tenths: half to even, up
        (4 * 2**30, "4 GiB"),
        (336, "336 B"),
        (240_000, "234.4 KiB"),  # 2,343.75 tenths
        (7 * 2**49, "3.5 PiB"),
        (10**24 * 2**50 + 2**48, "1000000000000000000000000.2 PiB"),  # past a float's digits
    ],
)
def test_byte_sizes_are_rounded_exactly(n: int, shown: str) -> None:
    assert format_bytes(n) == shown


@pytest.mark.parametrize(
    ("text", "n"),
    [("1.001KB", 1_001), ("8GiB", 8 * 2**30), ("2GB", 2 * 10**9), ("512 MiB", 2**29), ("1B", 1)],
)
def test_memory_sizes_are_read_exactly(text: str, n: int) -> None:
    assert parse_bytes(text) == n  # 1.001 x 1,000 through a float is 1000.9999999999999


@pytest.mark.parametrize(
    "text", ["0", "0.4B", "0.0001KB", "-1", "1e999", "nan", "8 parsecs", "8G", "8Gi", "1KI"]
)
def test_sizes_under_a_byte_are_no_memory_size(text: str) -> None:
    with pytest.raises(LenetcalcError, match="is not a memory size"):
        parse_bytes(text)
