"""Tables people read: full when piped, fitted to a terminal by importance, a totals block.

Terminal cases run the real command on a pseudo-terminal 60, 80 or 120 columns wide.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from terminal import run_tty

Run = Callable[..., Result]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def screen(*args: str, columns: int) -> list[str]:
    out, code = run_tty(*args, columns=columns)
    assert code == 0, out
    return ANSI.sub("", out).splitlines()


def header_of(lines: list[str]) -> list[str]:
    """The column headers of the first table on screen (the line above the rule)."""
    rule = next(i for i, line in enumerate(lines) if line.startswith(" ─"))
    return lines[rule - 1].split()


def test_piped_output_is_the_whole_table() -> None:
    # A real pipe, with a narrow COLUMNS exported: nothing may be hidden from the file.
    code = "from lenetcalc.cli import main; main()"
    out = subprocess.run(
        [sys.executable, "-c", code, "summary", "resnet50"],
        capture_output=True,
        text=True,
        env={"COLUMNS": "80", "NO_COLOR": "1", "PATH": ""},
        check=True,
    ).stdout
    header = out.splitlines()[2].split()
    for name in ("Inputs", "MACs", "FLOPs", "Non-trainable", "RF", "Jump", "Memory"):
        assert name in header
    assert "Hidden" not in out
    assert "4,089,184,256" in out  # ResNet-50's MACs, as torchvision publishes: 4.09 G


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_rows_never_wrap_on_a_terminal(columns: int) -> None:
    for args in (
        ("summary", "resnet50"),
        ("summary", "lenet5"),
        ("verify", "resnet18"),
        ("compare", "lenet5", "lenet5-modern", "lenet5-mnist"),
    ):
        lines = screen(*args, columns=columns)
        assert max(len(line) for line in lines) <= columns, (args, columns)
        if columns == 120 and args[0] == "verify":
            assert "Connections" in header_of(lines)


def test_a_modern_network_keeps_macs_and_flops_before_connections() -> None:
    lines = screen("summary", "resnet50", columns=80)
    header = header_of(lines)
    assert header[:3] == ["Layer", "Type", "Output"] and "MACs" in header and "FLOPs" in header
    assert "Connections" not in header
    note = " ".join(lines[lines.index(next(x for x in lines if x.startswith("Hidden"))) :][:4])
    assert "Hidden to fit 80 columns: Inputs, Non-trainable, Connections, RF, Jump," in note
    assert "--columns" in note and "redirect the output to a file" in note
    assert "4.09 G" in "\n".join(lines)  # human units on a terminal too narrow for digits


def test_a_paper_style_network_keeps_connections() -> None:
    header = header_of(screen("summary", "lenet5", columns=60))
    assert header[:4] == ["Layer", "Output", "Trainable", "Connections"]


def test_nested_names_show_as_a_tree() -> None:
    lines = screen("summary", "resnet50", columns=120)
    at = lines.index("  layer1")
    assert lines[at + 1] == "    0"
    assert lines[at + 2].startswith("      conv1 ")


def test_long_names_are_cut_with_an_ellipsis(write_spec: Callable[..., Path]) -> None:
    name = "a_very_long_layer_name_that_no_sixty_column_terminal_can_hold_whole"
    path = write_spec(f"name: t\ninput: [1, 8, 8]\nlayers:\n  - {{name: {name}, type: flatten}}\n")
    lines = screen("summary", str(path), columns=60)
    assert max(len(line) for line in lines) <= 60
    cut = next(line for line in lines if line.startswith("  a_very_long"))
    assert "…" in cut and "64" in cut  # cut to 24 characters; the output shape stays


def test_columns_chosen_by_name(run: Run) -> None:
    out = run("summary", "resnet50", "--columns", "name,output,params,macs").output
    assert out.splitlines()[2].split() == ["Layer", "Output", "Params", "MACs"]
    assert "  fc   " in out and "2,049,000" in out  # 2048·1000 + 1000
    bad = run("summary", "lenet5", "--columns", "name,macz")
    assert bad.exit_code == 2 and "no column 'macz'; did you mean 'macs'?" in bad.output


def test_totals_block_shows_params_as_torchinfo_counts_them(run: Run) -> None:
    out = run("summary", "resnet50").output
    rows = {line[:36].strip(): line[36:].split() for line in out.splitlines() if line[:2] == "  "}
    assert rows["Total params"] == ["25,610,152"]
    assert rows["Non-trainable params"][0] == "53,120"  # 2 running statistics x 26,560 BN maps
    assert rows["Total params as torchinfo counts"][0] == "25,557,032"  # 25,610,152 - 53,120
    assert rows["MACs"][0] == "4,089,184,256"
    # torchinfo 1.8 prints for resnet50 at (1, 3, 224, 224): Input size (MB): 0.60,
    # Forward/backward pass size (MB): 177.83.
    assert rows["Input size (MB)"] == ["0.60"]  # 3·224·224·4 bytes
    assert rows["Forward/backward pass size (MB)"][0] == "177.83"
    assert rows["Params size (MB)"][0] == "102.44"  # 25,610,152·4 bytes
    assert "FLOPs (2×MAC + bias + pooling)" in out


def test_totals_follow_dtype_and_batch(run: Run) -> None:
    out = run("summary", "resnet50", "--dtype", "float16", "--batch", "4").output
    assert "Totals (float16, batch 4; MB = 10^6 bytes)" in out
    assert re.search(r"Input size \(MB\)\s+1\.20\s", out)  # 4·3·224·224·2 = 1,204,224 bytes


def test_units_and_shares(run: Run) -> None:
    human = run("summary", "resnet50", "--units", "human").output
    assert re.search(r"Total params\s+25\.6 M", human)
    out = run("summary", "lenet5", "--share").output
    c5 = next(line for line in out.splitlines() if line.startswith("  C5 "))
    assert "79.1%" in c5  # params 48,120 / 60,840
    assert "Params %" in out and "MACs %" in out


def test_folded_rows_read_inputs_at_their_level(run: Run) -> None:
    out = run("summary", "resnet18", "--depth", "1", "--columns", "name,type,inputs,output").output
    layer2 = next(line for line in out.splitlines() if line.startswith("  layer2 "))
    assert "block basic x2   layer1   " in layer2 and "relu" not in layer2  # not layer1.1.relu2


def test_legend_explains_the_shape_notation(run: Run) -> None:
    out = run("summary", "lenet5").output
    assert "64@112x112 is 64 maps of 112 x 112 values (channels x height x width)" in out


def test_compare_keeps_every_delta_labelled_with_its_variant() -> None:
    lines = screen("compare", "lenet5", "lenet5-modern", "lenet5-mnist", columns=60)
    header = header_of(lines)
    groups = lines[lines.index(next(x for x in lines if x.startswith(" ─"))) - 2].split()
    assert header == ["Figure", "value", "Δ", "Δ"]
    assert groups == ["lenet5", "lenet5-modern", "lenet5-mnist"]
    assert any("-15,574" in line for line in lines)  # 44,426 - 60,000


def test_folding_keeps_the_network_totals(run: Run) -> None:
    out = run("summary", "resnet50", "--depth", "1").output
    assert re.search(r"Non-trainable params\s+53,120\s+batch-norm running statistics", out)
    assert re.search(r"Forward/backward pass size \(MB\)\s+177\.83", out)


def test_verify_hides_columns_without_offering_an_option_it_lacks() -> None:
    lines = screen("verify", "resnet18", columns=80)
    # Connections stays: three long names (downsample_bn) lose their last characters.
    assert header_of(lines) == ["Layer", "Output", "Trainable", "Connections", "MACs"]
    assert sum("downsample_…" in line for line in lines) == 3
    note = " ".join(line.strip() for line in lines if line.strip())
    assert "Hidden to fit 80 columns: Non-trainable, Products." in note
    assert "--columns" not in note and "widen the terminal" in note


def test_names_give_way_before_a_figure_on_a_narrow_terminal() -> None:
    lines = screen("summary", "resnet50", columns=40)
    assert header_of(lines) == ["Layer", "Output", "Trainable"]
    table = lines[: next(i for i, line in enumerate(lines) if line.startswith("Hidden"))]
    assert len(table) > 100 and max(len(line) for line in table) <= 40  # every row fits


def test_the_rule_never_outgrows_the_terminal() -> None:
    lines = screen("summary", "lenet5", columns=20)
    rule = next(line for line in lines if "─" in line)
    assert len(rule) <= 20


def test_a_narrow_compare_still_shows_a_changed_input_shape() -> None:
    lines = screen("compare", "lenet5", "lenet5-modern", "lenet5-mnist", columns=60)
    assert "value" not in header_of(lines)[2:]  # the variants' own values are hidden
    row = next(line for line in lines if line.strip().startswith("input shape"))
    assert row.split()[-2:] == ["1@32x32", "1@28x28"]  # MNIST's 28x28 input, in its Δ column


def test_room_left_by_hiding_is_given_back_to_a_hidden_figure() -> None:
    # The bars column is wide: hiding down to it leaves room for MACs, the most important
    # figure that fits again (Trainable's header alone is too wide for what is left).
    lines = screen("summary", "resnet50", "--depth", "1", "--bars", "macs", columns=60)
    assert header_of(lines)[:3] == ["Layer", "Output", "MACs"]
    table = lines[: next(i for i, line in enumerate(lines) if line.startswith("Hidden"))]
    assert max(len(line) for line in table) <= 60


def test_shares_of_a_zero_total_are_blank_total_included(
    run: Callable[..., Result], write_spec: Callable[..., Path]
) -> None:
    path = write_spec(
        "name: z\ninput: [2, 4, 4]\nlayers:\n"
        "  - {name: p, type: pool, mode: max, kernel: 2}\n  - {name: f, type: flatten}\n"
    )
    out = run("summary", str(path), "--share", "--columns", "name,params,params_share").output
    total = next(line for line in out.splitlines() if line.strip().startswith("Total"))
    assert total.split() == ["Total", "0"]  # no 100% of nothing
    assert "100.0%" in run("summary", "lenet5", "--share").output
