"""export: paper-ready Markdown, CSV, JSON and LaTeX, written atomically."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from lenetcalc.errors import LenetcalcError
from lenetcalc.present.files import atomic_write

from conftest import parse_markdown_table

Run = Callable[..., Result]


def test_markdown_has_a_table_per_spec(run: Run) -> None:
    out = run("export", "lenet5", "lenet5-mnist").output
    assert out.count("### lenet5") == 2
    header, *body = parse_markdown_table(out)
    assert header[:4] == ["Layer", "Type", "Output", "Trainable"]
    assert body[-1][0] == "**Total**" and body[-1][3] == "**60,000**"


def test_no_separators(run: Run) -> None:
    out = run("export", "lenet5", "--no-separators").output
    assert "340908" in out and "340,908" not in out


def test_csv_stacks_specs_with_raw_integers(run: Run) -> None:
    rows = list(
        csv.DictReader(io.StringIO(run("export", "lenet5", "lenet5-modern", "-f", "csv").output))
    )
    totals = {r["network"]: int(r["trainable_params"]) for r in rows if r["row"] == "total"}
    assert totals == {"lenet5": 60_000, "lenet5-modern": 61_706}


def test_json_lists_networks(run: Run) -> None:
    data = json.loads(run("export", "lenet5", "lenet5-mnist", "-f", "json").output)
    assert [n["totals"]["params"] for n in data["networks"]] == [60_840, 44_426]


def check_latex_structure(tex: str) -> None:
    """Balanced tabular and booktabs rules; every row has one & fewer than columns."""
    assert tex.count(r"\begin{tabular}") == tex.count(r"\end{tabular}") >= 1
    for block in re.findall(r"\\begin\{tabular\}\{(\w+)\}(.*?)\\end\{tabular\}", tex, re.S):
        spec, body = block
        rows = [line for line in body.splitlines() if line.endswith(r"\\")]
        assert len(rows) >= 3
        assert all(len(re.findall(r"(?<!\\)&", row)) == len(spec) - 1 for row in rows)
        assert body.count(r"\toprule") == body.count(r"\bottomrule") == 1


def test_latex_compiles_or_is_well_formed(run: Run, tmp_path: Path) -> None:
    tex = run("export", "lenet5", "lenet5-modern", "-f", "latex").output
    check_latex_structure(tex)
    engine = shutil.which("pdflatex")
    if engine is None:
        return  # no TeX engine on this machine: the structural check above stands
    doc = tmp_path / "t.tex"
    doc.write_text(
        "\\documentclass{article}\\usepackage{booktabs}\\usepackage[T1]{fontenc}"
        f"\\begin{{document}}\n{tex}\\end{{document}}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", doc.name],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]


def test_latex_escapes_special_characters() -> None:
    from lenetcalc.present.render import _latex_escape

    assert _latex_escape("a_b & 50% #1 {x}") == r"a\_b \& 50\% \#1 \{x\}"


def test_output_file_is_written(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "table.md"
    result = run("export", "lenet5", "-o", str(target))
    assert result.exit_code == 0
    assert "60,000" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["table.md"]


def test_failure_midway_keeps_the_old_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "table.md"
    target.write_text("old complete table\n", encoding="utf-8")

    def crash(fd: int) -> None:  # the new content is half on disk when this fails
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(LenetcalcError, match="No space left"):
        atomic_write(target, "new table " * 1000)
    assert target.read_text(encoding="utf-8") == "old complete table\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.md"]


def test_interrupt_before_rename_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "a,b\n")
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_a_clean_error(run: Run, tmp_path: Path) -> None:
    result = run("export", "lenet5", "-o", str(tmp_path / "nope" / "t.md"))
    assert result.exit_code == 2
    assert "does not exist" in result.output
