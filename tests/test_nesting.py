"""Nested blocks, block inputs, folding at every level and the unread-layer warning."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from lenetcalc.errors import SpecError
from lenetcalc.report.analysis import analyze, fold
from lenetcalc.spec.budget import MAX_NESTING
from lenetcalc.spec.reader import load_text
from lenetcalc.spec.source import load_file

Run = Callable[..., Result]
Write = Callable[..., Path]
EXAMPLE = Path(__file__).parent.parent / "docs" / "examples" / "nested-blocks.yaml"


def test_nested_names_inputs_and_figures() -> None:
    network = load_file(EXAMPLE)
    by = {layer.name: layer for layer in network.layers}
    cbr = ["conv", "bn", "relu"]
    unit = [f"{branch}.{part}" for branch in "ab" for part in cbr] + ["add"]
    assert list(by) == [
        *(f"stem.{p}" for p in cbr),
        *(f"stage1.unit.{i}.{p}" for i in (0, 1) for p in unit),
        *(f"side.{p}" for p in cbr),
        "join",
        "head",
    ]
    # Branch b names `inputs: in`: both branches of unit 0 read stem, of unit 1 read unit 0.
    assert network.input_names(3) == ("stem.relu",)  # stage1.unit.0.a.conv
    assert by["stage1.unit.0.b.conv"].inputs == ("stem.relu",)
    assert by["stage1.unit.1.b.conv"].inputs == ("stage1.unit.0.add",)
    assert by["stage1.unit.0.add"].inputs == ("stage1.unit.0.a.relu", "stage1.unit.0.b.relu")
    assert by["side.conv"].inputs == ("stem.relu",)  # the instance's `inputs: stem`
    assert by["join"].inputs == ("stage1.unit.1.add", "side.relu")
    totals = analyze(network).totals
    stem = 4 * 3 * 3 * 3 + 2 * 4  # 3x3 conv from 3 maps, no bias; bn scale and shift
    unit_params = 4 * 4 * 3 * 3 + 2 * 4 + 4 * 4 * 1 * 1 + 2 * 4  # branch a 3x3, branch b 1x1
    side = 4 * 4 * 1 * 1 + 2 * 4
    head = (8 * 8 * 8 + 1) * 10  # concat of 4 + 4 maps of 8x8, flattened
    assert totals.trainable_params == stem + 2 * unit_params + side + head == 5_622


FOLDS = [
    # depth, rows as (name, type, inputs, trainable params)
    (
        1,
        [
            ("stem", "block cbr", ("input",), 116),
            ("stage1", "block stage", ("stem",), 352),
            ("side", "block cbr", ("stem",), 24),
            ("join", "concat", ("stage1", "side"), 0),
            ("head", "dense", ("join",), 5_130),
        ],
    ),
    (2, [("stage1.unit", "block unit x2", ("stem.relu",), 352)]),
    (
        3,
        [
            ("stage1.unit.0", "block unit", ("stem.relu",), 176),
            ("stage1.unit.1", "block unit", ("stage1.unit.0",), 176),
            ("join", "concat", ("stage1.unit.1", "side.relu"), 0),
        ],
    ),
    (
        4,
        [
            ("stage1.unit.0.a", "block cbr", ("stem.relu",), 144 + 8),
            ("stage1.unit.0.b", "block cbr", ("stem.relu",), 16 + 8),
            ("stage1.unit.0.add", "add", ("stage1.unit.0.a", "stage1.unit.0.b"), 0),
        ],
    ),
]


@pytest.mark.parametrize(("depth", "rows"), FOLDS)
def test_folding_keeps_block_types_and_folded_inputs(
    depth: int, rows: list[tuple[str, str, tuple[str, ...], int]]
) -> None:
    report = analyze(load_file(EXAMPLE))
    folded = {r.name: r for r in fold(report, depth).layers}
    for name, kind, inputs, params in rows:
        assert (folded[name].type, folded[name].inputs) == (kind, inputs), name
        assert folded[name].trainable_params == params, name
    assert sum(r.trainable_params for r in folded.values()) == report.totals.trainable_params
    assert fold(report, 5).layers == report.layers  # deep enough: nothing folds


def chain(levels: int) -> str:
    """A spec whose blocks nest `levels` deep: b1 holds b2, ..., the last holds a layer."""
    blocks = [
        f"  b{i}:\n    layers:\n      - {{block: b{i + 1}, name: x}}\n" for i in range(1, levels)
    ]
    last = f"  b{levels}:\n    layers:\n      - {{name: f, type: flatten}}\n"
    return (
        "name: n\ninput: [3, 4, 4]\nblocks:\n"
        + "".join(blocks)
        + last
        + ("layers:\n  - {block: b1, name: top}\n")
    )


def test_nesting_depth_limit() -> None:
    deepest = load_text(chain(MAX_NESTING), "n.yaml")
    assert [layer.name for layer in deepest.layers] == ["top" + ".x" * (MAX_NESTING - 1) + ".f"]
    with pytest.raises(SpecError) as refused:
        load_text(chain(MAX_NESTING + 1), "n.yaml")
    # b1 is at line 4, each block takes 3 lines; b8's instance of b9 is on line 4 + 7 * 3 + 2.
    assert str(refused.value) == (
        f"n.yaml:{4 + 7 * 3 + 2}:17: blocks nest more than 8 deep"
        " (b1 -> b2 -> b3 -> b4 -> b5 -> b6 -> b7 -> b8 -> b9)"
    )


CYCLES = [
    (
        "  a:\n    layers:\n      - {block: a, name: again}\n",
        "spec.yaml:6:17: block 'a' uses itself (a -> a): blocks cannot recur",
    ),
    (
        "  a:\n    layers:\n      - {name: f, type: flatten}\n      - {block: b, name: inner}\n"
        "  b:\n    layers:\n      - {block: a, name: outer}\n",
        "spec.yaml:10:17: block 'a' uses itself (a -> b -> a): blocks cannot recur",
    ),
]


@pytest.mark.parametrize(("blocks", "message"), CYCLES)
def test_cycles_are_refused_at_load(run: Run, write_spec: Write, blocks: str, message: str) -> None:
    text = f"name: n\ninput: [3, 4, 4]\nblocks:\n{blocks}layers:\n  - {{name: f, type: flatten}}\n"
    result = run("summary", str(write_spec(text)))
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert result.output.endswith(message + "\n"), result.output


BLOCK = "name: n\ninput: [3, 4, 4]\nblocks:\n  c:\n    layers:\n      - {name: f, type: flatten}\n"
INPUT_ERRORS = [
    (
        "layers:\n  - {name: a, type: flatten}\n  - {block: c, name: x, inputs: nope}\n",
        ":9:33: layer x: input 'nope' is not a layer or block instance above",
    ),
    (
        "layers:\n  - {name: a, type: flatten}\n  - {block: c, name: x, inputs: [a, a]}\n",
        ":9:33: layer x: a block instance reads one layer: 'inputs' names it (the block's 'in')",
    ),
    (
        "  d:\n    layers:\n      - {name: g, type: flatten}\n"
        "      - {block: c, name: y, inputs: h}\n"
        "layers:\n  - {block: d, name: x}\n",
        ":10:37: 'h' is not a layer above in block 'd' (use 'in' for the block's input)",
    ),
]


@pytest.mark.parametrize(("rest", "message"), INPUT_ERRORS)
def test_block_input_errors_say_what_inputs_means(
    run: Run, write_spec: Write, rest: str, message: str
) -> None:
    result = run("summary", str(write_spec(BLOCK + rest)))
    assert result.exit_code == 2 and message in result.output, result.output


def test_block_inputs_at_spec_level_read_an_earlier_layer_or_instance() -> None:
    text = BLOCK + (
        "layers:\n  - {name: a, type: conv2d, filters: 2, kernel: 1}\n"
        "  - {block: c, name: x}\n  - {block: c, name: y, inputs: a}\n"
        "  - {block: c, name: z, inputs: x}\n  - {name: cat, type: concat, inputs: [x, y, z]}\n"
    )
    by = {layer.name: layer for layer in load_text(text, "n.yaml").layers}
    assert by["x.f"].inputs == ("a",) and by["y.f"].inputs == ("a",)
    assert by["z.f"].inputs == ("x.f",)  # an instance's name stands for its output
    assert by["cat"].inputs == ("x.f", "y.f", "z.f")


def test_expansion_stays_bounded_when_blocks_multiply(write_spec: Write) -> None:
    # Eight levels, each repeating the next ten times, would be 10^8 layers.
    blocks = "".join(
        f"  b{i}:\n    layers:\n      - {{block: b{i + 1}, name: x, repeat: 10}}\n"
        for i in range(1, 8)
    )
    leaf = "  b8:\n    layers:\n      - {name: f, type: flatten}\n"
    text = (
        f"name: n\ninput: [3, 4, 4]\nblocks:\n{blocks}{leaf}layers:\n  - {{block: b1, name: t}}\n"
    )
    start = time.perf_counter()
    with pytest.raises(
        SpecError, match=rf"n.yaml:{3 + 8 * 3 + 2}:5: layer t: .* more than 100,000"
    ):
        load_text(text, "n.yaml")
    assert time.perf_counter() - start < 0.5  # a block's size is known at load
    nested_billion = chain(2).replace("name: x}", "name: x, repeat: 1000000000}")
    start = time.perf_counter()
    with pytest.raises(SpecError, match=r"n.yaml:11:5: layer top: the spec expands to more"):
        load_text(nested_billion, "n.yaml")
    assert time.perf_counter() - start < 0.5  # refused before the first copy
    # A repeat known only when expanding (a parameter) is charged as the copies are made.
    late = chain(2).replace("  b1:\n", "  b1:\n    params: {n: 1000000000}\n")
    late = late.replace("name: x}", "name: x, repeat: '${n}'}")
    with pytest.raises(SpecError, match=r"n.yaml:7:\d+: layer top.x: the spec expands to more"):
        load_text(late, "n.yaml")


UNREAD = """\
name: dangling
input: [1, 8, 8]
layers:
  - {name: conv, type: conv2d, filters: 2, kernel: 3}
  - {name: side, type: conv2d, filters: 2, kernel: 1, inputs: input}
  - {name: pool, type: pool, mode: max, kernel: 2, inputs: conv}
"""


def test_unread_layers_are_counted_and_warned_about(run: Run, write_spec: Write) -> None:
    path = str(write_spec(UNREAD))
    assert load_text(UNREAD, "d.yaml").unread() == ("side",)
    result = run("summary", path, "-f", "csv")
    assert result.exit_code == 0
    assert (
        result.stderr
        == f"Warning: {path}: layer side: no layer reads its output (counted anyway)\n"
    )
    assert "side," in result.stdout and "Warning" not in result.stdout
    assert analyze(load_text(UNREAD, "d.yaml")).totals.trainable_params == 2 * (9 + 1) + 2 * (1 + 1)
    assert run("summary", "resnet18").stderr == ""  # every layer of a zoo model is read
