"""Nothing raw reaches the terminal or a file: names are escaped for each output format."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from rich.cells import cell_len

from lenetcalc.present import escape

Run = Callable[..., Result]
Write = Callable[..., Path]

# ESC sequences (clear screen, OSC title), the 8-bit CSI, BEL, CR, newline, a bidi override,
# and each format's metacharacters; then a double-width name.
HOSTILE = r"a\e[2J\e]0;owned\a\x9b31m\rX\u202eb\n|c&_*`<"
SHOWN = r"a\x1b[2J\x1b]0;owned\x07\x9b31m\rX\u202eb\n|c&_*`<"
NET = r"net\n\\input{evil}\e[1m|"
SPEC = f"""\
name: "{NET}"
input: [4]
layers:
  - {{name: "{HOSTILE}", type: dense, units: 3}}
  - {{name: "漢字の層", type: dense, units: 2}}
"""


@pytest.fixture
def hostile(write_spec: Write) -> str:
    return str(write_spec(SPEC))


def raw_controls(text: str) -> list[str]:
    """Characters a terminal or a reader would act on (newline between lines is fine)."""
    return [ch for ch in text if not ch.isprintable() and ch != "\n"]


@pytest.mark.parametrize(
    "args",
    [
        ("summary",),
        ("summary", "-f", "markdown"),
        ("summary", "-f", "csv"),
        ("explain",),
        ("explain", "-f", "markdown"),
        ("verify",),
        ("export", "-f", "latex"),
        ("export", "-f", "markdown"),
        ("export", "-f", "csv"),
        ("compare", "lenet5"),
    ],
    ids=" ".join,
)
def test_no_control_character_reaches_the_output(run: Run, hostile: str, args: tuple) -> None:
    command, *options = args
    result = run(command, *options, hostile)
    assert result.exit_code == 0, result.output
    assert raw_controls(result.output) == []
    assert "x1b" in result.output  # shown escaped (each format escapes the backslash its way)


def test_a_newline_in_a_name_does_not_split_a_table_row(run: Run, hostile: str) -> None:
    out = run("summary", hostile).output.splitlines()
    assert [line.split()[0] for line in out if "dense" in line] == [SHOWN, "漢字の層"]


def test_double_width_names_keep_the_columns_aligned(run: Run, hostile: str) -> None:
    lines = run("summary", hostile).output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Layer"))
    table = [lines[header], *(line for line in lines if "dense" in line)]
    # Every row ends with a right-aligned number: the same width in terminal cells.
    # 漢字の層 is 4 characters but 8 cells; counting characters misaligns it by 4.
    assert len({cell_len(line) for line in table}) == 1, table
    assert len({len(line) for line in table}) == 2


def test_markdown_pipes_are_escaped_so_columns_stay_put(run: Run, hostile: str) -> None:
    out = run("export", hostile).output
    layers_table = out.split("### Totals")[0]  # the totals block is a table of its own
    rows = [line for line in layers_table.splitlines() if line.startswith("|")]
    # an unescaped | is a column separator: every row has as many as the header
    assert len({line.replace("\\|", "").count("|") for line in rows}) == 1
    assert r"\|c\&\_\*\`\<" in out


def test_latex_comments_cannot_be_broken_out_of(run: Run, hostile: str) -> None:
    out = run("export", "-f", "latex", hostile).output
    lines = out.splitlines()
    assert lines[0] == r"% net\n\input{evil}\x1b[1m|: input 4"
    assert not any(line.startswith("\\input") for line in lines)
    assert r"a\textbackslash{}x1b[2J" in out and r"\_\textbackslash{}" not in out
    # | < > would print as an em dash and inverted marks in OT1: spelled out as text.
    assert r"b\textbackslash{}n\textbar{}c\&\_*`\textless{}" in out


def test_latex_rows_never_start_as_an_option_and_bars_keep_their_percent(
    run: Run, write_spec: Write
) -> None:
    path = write_spec(
        "name: t\ninput: [4]\nlayers:\n  - {name: '[e]', type: dense, units: 3}\n"
        "  - {name: '*s', type: dense, units: 2}\n"
    )
    out = run("export", str(path), "-f", "latex").output
    # After the row above's \\, a row starting [ or * would read as \\[..] or \\*.
    assert "\n{}[e] & dense" in out and "\n{}*s & dense" in out
    bars = run("summary", "lenet5", "--bars", "macs", "-f", "latex").output
    assert "& 35.3\\% \\\\" in bars and not any(0x2580 <= ord(c) < 0x25A0 for c in bars)


def test_csv_round_trips_the_visible_name(run: Run, hostile: str) -> None:
    rows = list(csv.reader(io.StringIO(run("export", "-f", "csv", hostile).output)))
    assert [row[2] for row in rows[1:]] == [SHOWN, "漢字の層", ""]  # layer; then the totals
    assert rows[1][0] == r"net\n\input{evil}\x1b[1m|"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H_out", "H_out"),  # inside a word, _ cannot start emphasis
        ("_x_", r"\_x\_"),
        ("a|b", r"a\|b"),
        ("**b**", r"\*\*b\*\*"),
        ("[l](u)", r"\[l\](u)"),
        ("<script>", r"\<script>"),
        ("6@14x14 -> 16@10x10", "6@14x14 -> 16@10x10"),
        ("a\nb", r"a\\nb"),  # the escape's own backslash is escaped for Markdown
    ],
)
def test_markdown_escape(text: str, expected: str) -> None:
    assert escape.markdown(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("k_h", "`k_h`"), ("a`b", "``a`b``"), ("`x", "`` `x ``"), ("a\x1bb", r"`a\x1bb`")],
)
def test_markdown_code_spans_take_a_longer_fence(text: str, expected: str) -> None:
    assert escape.markdown_code(text) == expected


def test_widths_are_terminal_cells() -> None:
    assert escape.width("漢字") == 4 and escape.width("e\u0301") == 1
    assert escape.pad("漢字", 6) == "漢字  " and escape.pad("1", 3, right=True) == "  1"


def test_mermaid_labels_show_controls_escaped_not_as_entities(run: Run, hostile: str) -> None:
    out = run("export", "-f", "markdown", "--diagram", hostile).output
    chart = out[out.index("flowchart") :]
    # Mermaid draws #27; as a real ESC and #8238; as a real right-to-left override.
    for code in (0x1B, 0x9B, 0x07, 0x0D, 0x0A, 0x202E):
        assert f"#{code};" not in chart
    assert "#92;x1b" in chart  # the backslash of \x1b as an entity: shown, not obeyed
