"""Shared fixtures: a CLI runner with a fixed terminal, spec loading helpers, golden files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lenetcalc.cli import main
from lenetcalc.report.analysis import Report, analyze
from lenetcalc.spec.catalog import load_builtin
from lenetcalc.spec.reader import load_text

GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/* from current output"
    )


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Invoke the CLI as a user would, with no colour and a 160-column terminal."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.delenv("FORCE_COLOR", raising=False)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args))

    return invoke


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str | Path, str], None]:
    """The one golden mechanism: compare text with a golden file (a name in tests/golden/,
    or a path such as a generated doc), or rewrite it under `pytest --update-golden`."""
    update = request.config.getoption("--update-golden")

    def check(name: str | Path, text: str) -> None:
        path = name if isinstance(name, Path) else GOLDEN / name
        if update:
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text, f"{path.name} differs (--update-golden)"

    return check


def report_of(name: str) -> Report:
    """The report of a built-in spec."""
    return analyze(load_builtin(name))


def spec(layers: str, input_shape: str = "[1, 32, 32]") -> Report:
    """Analyse a one-off spec given its `layers:` YAML (flow style lines)."""
    text = f"name: t\ninput: {input_shape}\nlayers:\n{layers}"
    return analyze(load_text(text, "t.yaml"))


@pytest.fixture
def write_spec(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write spec text to a file in a temporary folder and return its path."""

    def write(text: str, name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


# A small branched spec: a residual add and a three-way concat (one reads the input).
RESIDUAL = """\
  - {name: stem, type: conv2d, filters: 8, kernel: 3, padding: 1}
  - {name: a, type: conv2d, filters: 8, kernel: 3, padding: 1}
  - {name: b, type: conv2d, filters: 8, kernel: 3, padding: 1}
  - {name: sum, type: add, inputs: [stem, b]}
  - {name: side, type: conv2d, filters: 4, kernel: 1, inputs: stem}
  - {name: cat, type: concat, inputs: [sum, side, input]}
  - {name: fc, type: dense, units: 10}
"""


def parse_markdown_table(text: str) -> list[list[str]]:
    """The cells of the first Markdown table in text (header, then body; rule dropped)."""
    all_lines = text.splitlines()
    start = next(i for i, line in enumerate(all_lines) if line.startswith("|"))
    lines = []
    for line in all_lines[start:]:
        if not line.startswith("|"):
            break
        lines.append(line)
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    assert all(set(cell) <= set("-:") for cell in rows[1]), "second line must be the rule"
    return [rows[0], *rows[2:]]
