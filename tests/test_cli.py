"""The CLI as a user meets it: formats, the JSON contract, built-ins, help, golden outputs."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from lenetcalc.spec.catalog import builtin_names

Run = Callable[..., Result]


def test_json_contract(run: Run) -> None:
    result = run("summary", "lenet5", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["name"] == "lenet5"
    assert data["input_shape"] == [1, 32, 32]
    keys = {
        "name",
        "type",
        "input_shape",
        "output_shape",
        "params",
        "trainable_params",
        "non_trainable_params",
        "connections",
        "macs",
        "flops",
    }
    for layer in data["layers"]:
        assert keys <= layer.keys()
        assert layer["params"] == layer["trainable_params"] + layer["non_trainable_params"]
    assert data["layers"][2]["output_shape"] == [16, 10, 10]
    assert data["totals"]["trainable_params"] == 60_000
    assert data["totals"]["connections"] == 340_908
    assert data["totals"]["params"] == 60_840


def test_csv_reads_back_with_raw_integers(run: Run) -> None:
    rows = list(csv.DictReader(io.StringIO(run("summary", "lenet5", "-f", "csv").output)))
    assert [r["layer"] for r in rows] == ["C1", "S2", "C3", "S4", "C5", "F6", "OUTPUT", ""]
    assert [r["row"] for r in rows] == ["layer"] * 7 + ["total"]
    assert int(rows[0]["connections"]) == 122_304  # 6·(5·5 + 1)·28·28
    assert int(rows[-1]["trainable_params"]) == 60_000


def test_markdown_table_is_well_formed(run: Run) -> None:
    lines = run("summary", "lenet5-modern", "-f", "markdown").output.splitlines()
    table = [line for line in lines if line.startswith("|")]
    widths = {line.count("|") for line in table}
    assert widths == {13, 4}  # 12 columns per layer row; the totals block has 3
    total = next(line for line in table if "**Total**" in line).split("|")
    assert total[4].strip() == "**61,706**"


def test_table_has_totals_and_legend(run: Run) -> None:
    out = run("summary", "lenet5").output
    assert "340,908" in out and "60,000" in out
    assert "FLOPs: 2 per MAC" in out


def test_builtin_spec_works_from_any_directory(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("summary", "lenet5-mnist", "-f", "json").exit_code == 0


def test_spec_path_works(run: Run, write_spec: Callable[..., Path]) -> None:
    path = write_spec("name: tiny\ninput: [4]\nlayers:\n  - {name: d, type: dense, units: 2}\n")
    data = json.loads(run("summary", str(path), "-f", "json").output)
    assert data["totals"]["params"] == (4 + 1) * 2


def test_specs_lists_builtins_one_line_each(run: Run) -> None:
    lines = run("specs").output.splitlines()
    assert [line.split()[0] for line in lines] == builtin_names()
    assert all(len(line.split()) > 3 for line in lines)  # each has a description


def test_help_lists_commands(run: Run) -> None:
    out = run("--help").output
    assert "summary" in out and "specs" in out


def test_python_dash_m_and_no_numpy_for_summary() -> None:
    code = (
        "import sys, runpy; sys.argv = ['lenetcalc', 'summary', 'lenet5', '-f', 'json'];"
        "\ntry: runpy.run_module('lenetcalc', run_name='__main__')"
        "\nexcept SystemExit as e: assert not e.code, e.code"
        "\nassert 'numpy' not in sys.modules, 'summary imported numpy'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["totals"]["connections"] == 340_908


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("table", "summary_lenet5.txt"),
        ("markdown", "summary_lenet5.md"),
        ("json", "summary_lenet5.json"),
    ],
)
def test_golden_summary(run: Run, golden: Callable[[str, str], None], fmt: str, name: str) -> None:
    golden(name, run("summary", "lenet5", "--format", fmt).output)


# ---- one output path ------------------------------------------------------------------

FORMATS = ("table", "markdown", "csv", "json", "latex")
COMMANDS = (
    ("summary", "lenet5"),
    ("verify", "lenet5"),
    ("explain", "lenet5", "C3"),
    ("compare", "lenet5", "lenet5-mnist"),
    ("export", "lenet5"),
)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_command_speaks_every_format(run: Run, command: tuple[str, ...], fmt: str) -> None:
    result = run(*command, "-f", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        json.loads(result.output)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.output)))
        assert len({len(row) for row in rows}) == 1, "one header, rows of its width"


@pytest.mark.parametrize("fmt", ["markdown", "latex", "csv"])
def test_summary_and_export_write_the_same_bytes(run: Run, fmt: str) -> None:
    assert run("summary", "lenet5", "-f", fmt).output == run("export", "lenet5", "-f", fmt).output


def test_version_is_the_packages_one_version() -> None:
    from click.testing import CliRunner

    import lenetcalc
    from lenetcalc.cli import main

    result = CliRunner().invoke(main, ["--version"])
    assert (
        result.exit_code == 0 and result.output == f"lenetcalc, version {lenetcalc.__version__}\n"
    )
