"""export: paper-ready Markdown, CSV, JSON and LaTeX, written atomically."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:]


def test_latex_escapes_special_characters() -> None:
    from lenetcalc.present.escape import latex

    assert latex("a_b & 50% #1 {x}") == r"a\_b \& 50\% \#1 \{x\}"


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


# ---- -o: modes, links, odd targets, formats, interruptions ----------------------------


@pytest.fixture
def umask_027() -> Iterator[None]:
    previous = os.umask(0o027)
    yield
    os.umask(previous)


def test_an_existing_file_keeps_its_mode(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "t.md"
    target.write_text("old\n")
    target.chmod(0o640)
    assert run("export", "lenet5", "-o", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and "60,000" in target.read_text()


def test_a_new_file_honours_the_umask(run: Run, tmp_path: Path, umask_027: None) -> None:
    target = tmp_path / "t.md"
    assert run("export", "lenet5", "-o", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # 0666 & ~027, not mkstemp's 0600


@pytest.mark.parametrize("exists", [True, False], ids=["to a file", "dangling"])
def test_a_symlink_is_written_through(run: Run, tmp_path: Path, exists: bool) -> None:
    real, link = tmp_path / "real.md", tmp_path / "link.md"
    if exists:
        real.write_text("old\n")
    link.symlink_to(real.name)
    assert run("export", "lenet5", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == "real.md"
    assert "60,000" in real.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "real.md"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "is a directory; name a file to write"),
        (lambda p: os.mkfifo(p), "is a FIFO, not a regular file"),
        (None, "is a device or socket, not a regular file"),
    ],
    ids=["directory", "FIFO", "device"],
)
def test_odd_targets_are_refused(run: Run, tmp_path: Path, make: Any, message: str) -> None:
    target = tmp_path / "t.md"
    if make:
        make(target)
    else:
        target = Path("/dev/null")
    result = run("export", "lenet5", "-o", str(target))
    assert result.exit_code == 2 and result.output == f"Error: {target}: {message}" + (
        ": export writes files (use -o - or no -o for standard output)\n"
        if "regular" in message
        else "\n"
    )


def test_dash_is_standard_output(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("export", "lenet5", "-o", "-", "-f", "csv")
    assert result.exit_code == 0 and result.output.startswith("network,row,layer,type,")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "options", "start"),
    [
        ("t.csv", (), "network,row,layer,type,"),
        ("t.CSV", ("-f", "csv"), "network,row,layer,type,"),
        ("t.tex", (), "% lenet5: input 1@32x32\n\\begin{tabular}"),
        ("t.json", (), '{\n  "schema_version": 1,\n  "networks": ['),
        ("t.md", (), "### lenet5: input 1@32x32"),
        ("t.txt", (), "### lenet5: input 1@32x32"),  # no format implied: the default
        ("t.txt", ("-f", "latex"), "% lenet5"),
    ],
)
def test_the_format_follows_the_extension(
    run: Run, tmp_path: Path, name: str, options: tuple[str, ...], start: str
) -> None:
    target = tmp_path / name
    assert run("export", "lenet5", "-o", str(target), *options).exit_code == 0
    assert target.read_text().startswith(start)


def test_a_format_contradicting_the_extension_is_refused(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    result = run("export", "lenet5", "-o", str(target), "-f", "latex")
    assert result.exit_code == 2
    assert "the name says csv but --format is latex" in result.output
    assert not target.exists()


def test_ctrl_c_while_writing_leaves_the_old_file(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "t.md"
    target.write_text("old\n")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    result = run("export", "lenet5", "-o", str(target))
    assert result.exit_code == 130 and target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.md"]


def test_a_failed_write_is_exit_2_and_leaves_the_old_file(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "t.md"
    target.write_text("old\n")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run("export", "lenet5", "-o", str(target))
    assert result.exit_code == 2
    assert result.output == f"Error: {target}: cannot write: No space left on device\n"
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["t.md"]


_SIGTERM_MIDWAY = """
import os, signal, sys
from lenetcalc.cli import main
os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGTERM)  # arrives mid-write
main(["export", "lenet5", "-o", sys.argv[1]])
"""


def test_sigterm_while_writing_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "t.md"
    target.write_text("old\n")
    done = subprocess.run(
        [sys.executable, "-c", _SIGTERM_MIDWAY, str(target)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 143 and done.stderr == "Terminated.\n"
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["t.md"]


def test_an_output_path_too_long_for_the_system_is_a_clean_error(
    run: Callable[..., Result],
) -> None:
    long = "/tmp/" + "x" * 300 + "/table.md"  # ENAMETOOLONG before any folder check
    result = run("export", "lenet5", "-o", long)
    assert result.exit_code == 2 and "cannot write: File name too long" in result.output


def test_a_file_name_just_under_the_limit_is_written(run: Run, tmp_path: Path) -> None:
    target = tmp_path / ("c" * 246 + ".md")  # 249 bytes: legal, though its temporary is longer
    assert run("export", "lenet5", "-o", str(target)).exit_code == 0 and target.is_file()
