"""compare: deltas on data, alignment by layer name, every output format read back."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from click.testing import Result

from lenetcalc.report.compare import Delta, align, compare_layers, compare_totals

from conftest import parse_markdown_table, report_of

Run = Callable[..., Result]
VARIANTS = ("lenet5", "lenet5-modern", "lenet5-mnist")
REPORTS = [report_of(name) for name in VARIANTS]


def test_totals_deltas_against_the_first_spec() -> None:
    rows = {row.label: row for row in compare_totals(REPORTS).rows}
    params = rows["trainable_params"]
    assert params.values == (60_000, 61_706, 44_426)
    assert params.deltas[0] is None
    assert params.deltas[1] == Delta(61_706 - 60_000, 100 * 1_706 / 60_000)
    assert params.deltas[2] == Delta(44_426 - 60_000, 100 * -15_574 / 60_000)
    assert rows["connections"].deltas[1].absolute == 423_038 - 340_908
    assert rows["depth"].values == (7, 7, 8)
    assert rows["input_shape"].values == ((1, 32, 32), (1, 32, 32), (1, 28, 28))
    assert rows["input_shape"].deltas == (None, None, None)


def test_zero_baseline_has_no_percent() -> None:
    rows = {row.label: row for row in compare_totals(REPORTS[1:]).rows}
    assert rows["non_trainable_params"].deltas[1] == Delta(0, None)


def test_by_layer_aligns_names_and_keeps_unique_layers() -> None:
    result = compare_layers(REPORTS, "params")
    rows = {row.label: row for row in result.rows}
    assert [row.label for row in result.rows] == [
        "C1",
        "S2",
        "C3",
        "S4",
        "flatten",
        "F5",
        "C5",
        "F6",
        "OUTPUT",
    ]
    assert rows["C3"].values == (1_516, 2_416, 2_416)
    assert rows["C3"].deltas[1] == Delta(900, 100 * 900 / 1_516)
    assert rows["F5"].values == (None, None, 120 * (256 + 1))
    assert rows["C5"].values == (48_120, 48_120, None)
    assert rows["C5"].deltas[2] is None
    assert rows["C3"].shapes == ((16, 10, 10), (16, 10, 10), (16, 8, 8))


@pytest.mark.parametrize(
    ("lists", "expected"),
    [
        ([["a", "b", "c"], ["a", "x", "c"]], ["a", "x", "b", "c"]),  # after the last shared
        ([["a", "b"], ["z", "a", "b", "y"]], ["z", "a", "b", "y"]),
        ([["a"], ["p", "q"]], ["p", "q", "a"]),
    ],
)
def test_align(lists: list[list[str]], expected: list[str]) -> None:
    assert align(lists) == expected


def test_markdown_parses_back_with_numbers(run: Run) -> None:
    out = run("compare", *VARIANTS, "--by-layer", "-f", "markdown").output
    header, *body = parse_markdown_table(out)
    assert all(len(row) == len(header) == 1 + 2 + 4 + 4 for row in body)
    c3 = next(row for row in body if row[0] == "C3")
    assert int(c3[2].replace(",", "")) == 1_516
    assert int(c3[4].replace(",", "")) == 2_416
    assert c3[5] == "+900"


def test_csv_reads_back_as_raw_integers(run: Run) -> None:
    rows = list(csv.DictReader(io.StringIO(run("compare", *VARIANTS, "-f", "csv").output)))
    params = next(r for r in rows if r["Figure"] == "trainable params")
    assert int(params["lenet5 value"]) == 60_000
    assert int(params["lenet5-mnist Δ"]) == -15_574
    assert float(params["lenet5-modern Δ%"]) == pytest.approx(100 * 1_706 / 60_000, abs=1e-4)


def test_json_gives_rows_and_deltas_as_data(run: Run) -> None:
    data = json.loads(
        run("compare", *VARIANTS, "--by-layer", "--metric", "macs", "-f", "json").output
    )
    assert data["baseline"] == "lenet5" and data["metric"] == "macs"
    c3 = next(row for row in data["rows"] if row["layer"] == "C3")
    assert c3["values"] == [150_000, 240_000, 153_600]
    assert c3["deltas"][1] == {"absolute": 90_000, "percent": 60.0}
    assert c3["output_shapes"][2] == [16, 8, 8]


def test_compare_needs_two_specs(run: Run) -> None:
    result = run("compare", "lenet5")
    assert result.exit_code == 2
    assert "at least two specs" in result.output


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("-f", "table"), "compare_variants.txt"),
        (("-f", "markdown"), "compare_variants.md"),
        (("-f", "json"), "compare_variants.json"),
        (("--by-layer", "-f", "table"), "compare_variants_by_layer.txt"),
    ],
)
def test_golden_compare(
    run: Run, golden: Callable[[str, str], None], args: tuple[str, ...], name: str
) -> None:
    golden(name, run("compare", *VARIANTS, *args).output)


def test_a_set_one_spec_lacks_names_that_spec(run: Run) -> None:
    # --set applies to every spec compared: the error says which one has no such variable.
    result = run("compare", "resnet18", "lenet5", "--set", "size=100")
    assert result.exit_code == 2
    assert "Error: built-in lenet5: --set size: the spec has no variable 'size'" in result.output


def test_by_layer_folds_to_blocks_with_depth(run: Run) -> None:
    args = ("compare", "resnet18", "resnet50", "--by-layer", "--depth", "1", "--metric", "macs")
    rows = json.loads(run(*args, "-f", "json").output)["rows"]
    assert [r["layer"] for r in rows][4:8] == ["layer1", "layer2", "layer3", "layer4"]
    # Folded rows sum their layers: ResNet-18's fc is 512·1000 MACs, its total 1,814,073,344.
    assert sum(r["values"][0] for r in rows) == 1_814_073_344
    assert run("compare", "resnet18", "resnet50", "--depth", "1").exit_code == 2  # no --by-layer
