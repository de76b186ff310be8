"""A first spec in five minutes: built-ins to copy, forgiving input, help that shows how."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from lenetcalc import api
from lenetcalc.cli import complete_spec, main, summary
from lenetcalc.present.progress import progress_line

Run = Callable[..., Result]
COMMANDS = ("summary", "explain", "verify", "compare", "export", "specs", "reconcile", "diagram")


@pytest.mark.parametrize("words", [("specs", "show", "lenet5"), ("specs", "lenet5")])
def test_specs_show_prints_a_builtin_to_copy(run: Run, words: tuple[str, ...]) -> None:
    result = run(*words)
    assert result.exit_code == 0
    assert yaml.safe_load(result.output)["name"] == "lenet5"
    assert "connection_table" in result.output


def test_specs_still_lists(run: Run) -> None:
    assert any(line.startswith("lenet5 ") for line in run("specs").output.splitlines())


def test_a_copied_builtin_runs_as_a_file(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(run("specs", "show", "lenet5").output, encoding="utf-8")
    data = json.loads(run("summary", str(path), "-f", "json").output)
    assert data["totals"]["connections"] == 340_908


def test_name_dot_yaml_falls_back_to_the_builtin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["summary", "lenet5.yaml", "-f", "json"])
    assert result.exit_code == 0
    assert "no such file here; using the built-in spec lenet5" in result.stderr
    assert json.loads(result.stdout)["totals"]["trainable_params"] == 60_000


def test_a_folder_named_like_a_builtin_does_not_shadow_it_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lenet5").mkdir()
    result = CliRunner().invoke(main, ["summary", "lenet5", "-f", "json"])
    assert result.exit_code == 0 and "not the folder ./lenet5" in result.stderr


def test_errors_inside_a_builtin_name_the_builtin(run: Run) -> None:
    result = run("summary", "lenet5", "--set", "input=1x4x4")
    assert result.exit_code == 2
    assert result.output.startswith("Error: built-in lenet5:")
    assert "lenet5.yaml" not in result.output


def test_channels_last_input_gets_the_order_explained(write_spec: Callable[..., Path]) -> None:
    path = write_spec(
        "name: k\ninput: [32, 32, 1]\nlayers:\n"
        "  - {name: C1, type: conv2d, filters: 6, kernel: 5}\n"
    )
    result = CliRunner().invoke(main, ["summary", str(path)])
    assert result.exit_code == 2
    assert "previous layer" not in result.output
    assert "channels x height x width" in result.output and "[1, 32, 32]" in result.output


def test_channels_last_input_that_fits_still_gets_a_warning(
    write_spec: Callable[..., Path],
) -> None:
    path = write_spec(
        "name: k\ninput: [224, 224, 3]\nlayers:\n"
        "  - {name: c, type: conv2d, filters: 32, kernel: 3}\n"
    )
    result = CliRunner().invoke(main, ["summary", str(path), "-f", "csv"])
    assert result.exit_code == 0  # 224 maps of 224x3 is a valid input, and counted as such
    assert "did you mean [3, 224, 224]?" in result.stderr and "Warning" not in result.stdout
    # Channels first: 3 maps, 4 maps of 4x4 after a few pools, and vectors get no warning.
    for shape in ("[3, 224, 224]", "[512, 4, 4]", "[6, 1, 1]", "[10]"):
        kernel = 1 if shape != "[10]" else None
        layer = f"conv2d, filters: 2, kernel: {kernel}" if kernel else "dense, units: 2"
        path.write_text(f"name: k\ninput: {shape}\nlayers:\n  - {{name: c, type: {layer}}}\n")
        assert CliRunner().invoke(main, ["summary", str(path)]).stderr == "", shape


def test_input_written_as_c_x_h_x_w(run: Run, write_spec: Callable[..., Path]) -> None:
    path = write_spec(
        "name: k\ninput: 1x32x32\nlayers:\n  - {name: C1, type: conv2d, filters: 6, kernel: 5}\n"
    )
    data = json.loads(run("summary", str(path), "-f", "json").output)
    assert data["layers"][0]["connections"] == 122_304  # 6·(5·5 + 1)·28·28


def test_an_activation_as_a_type_points_at_the_activation_field(
    run: Run, write_spec: Callable[..., Path]
) -> None:
    path = write_spec("name: k\ninput: [10]\nlayers:\n  - {name: out, type: softmax}\n")
    result = run("summary", str(path))
    assert result.exit_code == 2 and "write `activation: softmax`" in result.output
    # The advice works as given: a layer of type activation with function softmax.
    assert "`type: activation` with `function: softmax`" in result.output
    path.write_text(
        "name: k\ninput: [10]\nlayers:\n  - {name: out, type: activation, function: softmax}\n"
    )
    assert run("summary", str(path)).exit_code == 0


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_shows_examples(run: Run, command: str) -> None:
    out = run(command, "--help").output
    examples = [line for line in out.splitlines() if line.strip().startswith("lenetcalc ")]
    assert 2 <= len(examples) <= 3, out


def test_bare_command_prints_help_to_stdout() -> None:
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0 and "Commands:" in result.stdout
    commands = result.stdout.split("Commands:")[1]
    assert "..." not in commands  # no short help cut off


def test_max_memory_has_a_size_metavar(run: Run) -> None:
    assert "--max-memory SIZE" in run("verify", "--help").output


def test_completion_offers_builtins_then_files() -> None:
    ctx = summary.make_context("summary", ["x"], resilient_parsing=True)
    items = complete_spec(ctx, summary.params[0], "lenet5-m")
    assert [i.value for i in items[:2]] == ["lenet5-mnist", "lenet5-modern"]
    assert items[-1].type == "file"


def test_completion_through_the_shell_protocol(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_LENETCALC_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", "lenetcalc summary res")
    monkeypatch.setenv("COMP_CWORD", "2")
    result = CliRunner().invoke(main, [], prog_name="lenetcalc")
    assert "plain,resnet18" in result.output and "plain,resnet50" in result.output


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_verify_shows_progress_on_a_terminal_only() -> None:
    # delay 0: every layer is shown, however fast the machine (the CLI waits half a second).
    screen = _Terminal()
    with progress_line(screen, delay=0) as tell:
        assert tell is not None
        api.verify("lenet5", progress=tell)
    shown = screen.getvalue().split("\r")
    assert shown[1:3] == ["verifying layer 1/7 C1", "verifying layer 2/7 S2"]
    assert shown[7] == "verifying layer 7/7 OUTPUT" and shown[8:] == [" " * 26, ""]  # erased
    with progress_line(io.StringIO(), delay=0) as tell:  # a pipe or a file: nothing
        assert tell is None


def test_a_missing_input_and_tab_indentation_say_what_to_do(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    missing.write_text("name: t\nlayers:\n  - {name: d, type: dense, units: 3}\n", "utf-8")
    assert "missing required field 'input'" in run("summary", str(missing)).output
    tabs = tmp_path / "tabs.yaml"
    tabs.write_text("name: t\ninput: [4]\nlayers:\n\t- {name: d, type: dense, units: 3}\n", "utf-8")
    assert "never tabs" in run("summary", str(tabs)).output
    # An error at the end of the stream is one line past the last: still one clean line.
    unclosed = tmp_path / "unclosed.yaml"
    unclosed.write_text('name: t\ninput: [4]\nlayers: "\n', "utf-8")
    result = run("summary", str(unclosed))
    assert result.exit_code == 2
    assert (
        result.output == f"Error: {unclosed}:4:1: not valid YAML: found unexpected end of stream\n"
    )


def test_csv_folds_with_depth_as_the_tables_do(run: Run) -> None:
    rows = run("summary", "resnet18", "--depth", "1", "-f", "csv").output.splitlines()
    # conv1 bn1 relu maxpool layer1..layer4 avgpool flatten fc, then the totals row
    assert len(rows) == 1 + 11 + 1


def test_specs_show_needs_a_name(run: Run) -> None:
    result = run("specs", "show")
    assert result.exit_code == 2 and "name one built-in spec" in result.output
