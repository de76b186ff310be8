"""Variables, blocks, repeats and folding: expansion, overrides and located errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from lenetcalc.report.analysis import COUNTS, fold
from lenetcalc.spec.reader import load_text
from lenetcalc.spec.substitution import ExpressionError, evaluate

from attacks import LIMIT_MEGABYTES, LIMIT_SECONDS, measured
from conftest import report_of

Run = Callable[..., Result]
Write = Callable[..., Path]

SPEC = """\
name: blocks
vars: {width: 8, size: 16}
input: [3, "${size}", "${size}"]
blocks:
  unit:
    params: {width: null, stride: 1, project: false}
    layers:
      - {name: conv, type: conv2d, filters: "${width}", kernel: 3, stride: "${stride}", padding: 1}
      - {name: proj, type: conv2d, filters: "${width}", kernel: 1, stride: "${stride}",
         inputs: in, when: "${project}"}
      - {name: add, type: add, inputs: [conv, proj]}
layers:
  - {name: stem, type: conv2d, filters: "${width}", kernel: 3, padding: 1}
  - {block: unit, name: stage, repeat: 3, width: "${width * 2}", first: {stride: 2, project: true}}
  - {name: head, type: dense, units: 10}
"""


def test_expansion_names_and_shortcuts() -> None:
    network = load_text(SPEC, "b.yaml")
    names = [layer.name for layer in network.layers]
    assert names == [
        "stem",
        "stage.0.conv",
        "stage.0.proj",
        "stage.0.add",
        "stage.1.conv",
        "stage.1.add",  # proj left out: add reads the block input
        "stage.2.conv",
        "stage.2.add",
        "head",
    ]
    by = {layer.name: layer for layer in network.layers}
    assert by["stage.0.add"].inputs == ("stage.0.conv", "stage.0.proj")
    assert by["stage.1.add"].inputs == ("stage.1.conv", "stage.0.add")
    assert by["stage.1.conv"].inputs == ("stage.0.add",)
    assert by["stage.0.conv"].stride == (2, 2) and by["stage.1.conv"].stride == (1, 1)
    assert by["stage.0.conv"].filters == 16  # ${width * 2}


def test_set_overrides_variables_and_input(run: Run, write_spec: Write) -> None:
    path = str(write_spec(SPEC))
    base = json.loads(run("summary", path, "-f", "json").output)
    wide = json.loads(run("summary", path, "-f", "json", "--set", "width=4").output)
    assert base["layers"][0]["trainable_params"] == 8 * (27 + 1)
    assert wide["layers"][0]["trainable_params"] == 4 * (27 + 1)
    small = json.loads(run("summary", path, "-f", "json", "--set", "input=3x8x8").output)
    assert small["input_shape"] == [3, 8, 8]
    bad = run("summary", path, "--set", "widht=3")
    assert bad.exit_code == 2 and "no variable 'widht'; did you mean 'width'?" in bad.output
    assert run("summary", path, "--set", "width").exit_code == 2


def test_depth_folds_with_subtotals() -> None:
    report = report_of("resnet18")
    folded = fold(report, 1)
    assert [r.name for r in folded.layers][4:8] == ["layer1", "layer2", "layer3", "layer4"]
    layer2 = next(r for r in folded.layers if r.name == "layer2")
    members = [r for r in report.layers if r.name.startswith("layer2.")]
    assert layer2.trainable_params == sum(r.trainable_params for r in members) == 525_568
    assert layer2.output_shape == members[-1].output_shape == (128, 28, 28)
    for figure in COUNTS:
        assert sum(getattr(r, figure) for r in folded.layers) == getattr(report.totals, figure)
    assert len(fold(report, 2).layers) == 4 + 8 + 3  # stem, 8 blocks, head


ERRORS = [
    ("  - {block: nope, name: x}\n", "unknown block 'nope'"),
    ("  - {block: unit, name: x}\n", "block 'unit' needs parameter 'width'"),
    ("  - {block: unit, name: x, width: 4, depth: 2}\n", "block 'unit' has no parameter 'depth'"),
    ("  - {block: unit, name: x, width: 4, repeat: 0}\n", "'repeat' must be an integer >= 1"),
    (
        "  - {block: unit, name: x, width: 4, repeat: 1000000000}\n",
        "expands to more than 100,000 layers",
    ),
    ("  - {block: unit, name: x, width: '${wdth}'}\n", "unknown name 'wdth'"),
]


@pytest.mark.parametrize(("entry", "message"), ERRORS)
def test_block_errors(run: Run, write_spec: Write, entry: str, message: str) -> None:
    text = SPEC.split("layers:\n  - {name: stem")[0] + "layers:\n" + entry
    result = run("summary", str(write_spec(text)))
    assert result.exit_code == 2 and message in result.output, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1


def test_error_inside_a_block_points_at_the_block_line(run: Run, write_spec: Write) -> None:
    text = SPEC.replace(
        'filters: "${width}", kernel: 3, stride', 'filters: "${width - 16}", kernel: 3, stride'
    )
    line = run("summary", str(write_spec(text))).output
    assert ":8:" in line and "layer stage.0.conv:" in line and "got 0" in line, line


def test_a_billion_repeats_are_refused_quickly(write_spec: Write) -> None:
    text = SPEC.replace("repeat: 3", "repeat: 1000000000")
    m = measured("summary", str(write_spec(text)))
    assert m.code == 2 and "more than 100,000 layers" in m.stderr
    assert m.seconds < LIMIT_SECONDS and m.megabytes < LIMIT_MEGABYTES


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("9007199254740993 / 1", 9_007_199_254_740_993),  # 2**53 + 1: a float would lose it
        ("width / 5", 9.6),  # 48 / 5
        ("1e30 // 1e29", 10),  # as written, not as binary floats (9.999...)
        ("0.9 * 10", 9),
        ("1 / 3 * 3", 1),
        ("10 / 4", 2.5),  # a true fraction (a rate) comes out as a float
        ("1 / 0", None),
    ],
)
def test_expressions_compute_exactly(expression: str, value: int | float | None) -> None:
    names = {"width": 48}
    if value is None:
        with pytest.raises(ExpressionError):
            evaluate(expression, names)
        return
    result = evaluate(expression, names)
    assert result == value and isinstance(result, type(value))


def test_a_fraction_kept_in_a_variable_stays_exact() -> None:
    ratio = evaluate("1 / 3", {})
    assert ratio == 1 / 3  # a float to the spec's fields (a dropout rate, say)
    # Through floats, (1/3)·96 is 31.999999999999996: no filter count.
    assert evaluate("ratio * width", {"ratio": ratio, "width": 96}) == 32


def test_variables_are_bounded_and_messages_show_plain_numbers() -> None:
    with pytest.raises(ExpressionError, match="more than 100 digits"):
        evaluate("big", {"big": 1e150})  # 151 digits once exact
    with pytest.raises(ExpressionError, match=r"cannot compare 0\.1 with 'a'"):
        evaluate("0.1 < 'a'", {})  # not Fraction(1, 10)


def test_a_true_false_variable_switches_an_instance(run: Run, write_spec: Write) -> None:
    path = write_spec(
        "name: sw\nvars: {use_pool: false}\ninput: [4, 16, 16]\n"
        "blocks:\n  down:\n    layers:\n      - {name: p, type: pool, mode: max, kernel: 2}\n"
        "layers:\n  - {name: c, type: conv2d, filters: 4, kernel: 3, padding: 1}\n"
        "  - {block: down, name: d, when: '${use_pool}'}\n"
        "  - {name: f, type: flatten}\n"
    )
    off = json.loads(run("summary", str(path), "-f", "json").output)
    on = json.loads(run("summary", str(path), "--set", "use_pool=true", "-f", "json").output)
    assert off["output_shape"] == [4 * 16 * 16] and on["output_shape"] == [4 * 8 * 8]


def test_set_reads_a_value_as_the_spec_holds_it(run: Run, write_spec: Write) -> None:
    path = str(
        write_spec(
            "name: w\nvars: {use: false, tag: a1}\ninput: [4, 8, 8]\n"
            "blocks:\n  b:\n    layers:\n      - {name: p, type: pool, mode: max, kernel: 2}\n"
            "layers:\n  - {name: 'n${tag}', type: conv2d, filters: 4, kernel: 1}\n"
            "  - {block: b, name: d, when: '${use}'}\n"
        )
    )
    # A true/false variable takes true or false: "no" would be text, and text is truthy.
    result = run("summary", path, "--set", "use=no")
    assert result.exit_code == 2 and "--set use=no" in result.output
    # A text variable takes any text, digits first included.
    assert "n2b" in run("summary", path, "--set", "tag=2b", "-f", "csv").output


def test_when_takes_true_or_false_only(run: Run, write_spec: Write) -> None:
    path = write_spec(
        "name: w\ninput: [4, 8, 8]\nblocks:\n  b:\n    layers:\n"
        "      - {name: p, type: pool, mode: max, kernel: 2}\n"
        "layers:\n  - {block: b, name: d, when: 'no'}\n"
    )
    result = run("summary", str(path))
    assert result.exit_code == 2 and "'when' must be true or false, got 'no'" in result.output
