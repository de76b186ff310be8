"""Bad specs: one line naming file:line:column (and the layer), exit code 2, no traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

HEAD = "name: t\ninput: [1, 32, 32]\nlayers:\n"

# (spec text, expected location prefix, expected message fragment)
CASES = [
    (
        HEAD + "  - name: C1\n    type: conv\n    filters: 6\n",
        "spec.yaml:5:11: layer C1:",
        "did you mean 'conv2d'?",
    ),
    (
        HEAD + "  - name: C1\n    type: conv2d\n    filters: 6.5\n    kernel: 5\n",
        "spec.yaml:6:14: layer C1:",
        "'filters' must be an integer >= 1, got 6.5",
    ),
    (
        HEAD + "  - name: C1\n    type: conv2d\n    filters: true\n    kernel: 5\n",
        "spec.yaml:6:14: layer C1:",
        "got True",
    ),
    (
        HEAD + "  - name: C1\n    type: conv2d\n    kernel: 5\n",
        "spec.yaml:4:5: layer C1:",
        "missing required field 'filters'",
    ),
    (
        HEAD + "  - name: C1\n    type: conv2d\n    filters: 6\n    kernal: 5\n",
        "spec.yaml:7:5: layer C1:",
        "is 'kernal' a typo for it?",
    ),
    (
        HEAD + "  - {name: C1, type: conv2d, filters: 6, kernel: 5, strid: 2}\n",
        "spec.yaml:4:53: layer C1:",
        "unknown field 'strid' for type conv2d; did you mean 'stride'?",
    ),
    (
        HEAD + "  - {name: C1, type: conv2d, filters: 6, kernel: 5, padding: sam}\n",
        "spec.yaml:4:62: layer C1:",
        "did you mean 'same'?",
    ),
    (
        "name: t\ninput: [1, 28, 28]\nlayers:\n"
        "  - {name: C1, type: conv2d, filters: 6, kernel: 5}\n"
        "  - {name: S2, type: pool, mode: avg, kernel: 2}\n"
        "  - {name: C3, type: conv2d, filters: 16, kernel: 5}\n"
        "  - {name: S4, type: pool, mode: avg, kernel: 2}\n"
        "  - {name: C5, type: conv2d, filters: 120, kernel: 5}\n",
        "spec.yaml:8:52: layer C5:",
        "kernel height 5 does not fit the input height 4",
    ),
    (
        HEAD
        + "  - {name: C3, type: conv2d, filters: 3, kernel: 5, connection_table: [[0], [0]]}\n",
        "spec.yaml:4:71: layer C3:",
        "connection table has 2 rows, expected 3 (one per filter)",
    ),
    (
        HEAD
        + "  - {name: C3, type: conv2d, filters: 2, kernel: 5, connection_table: [[0], [1]]}\n",
        "spec.yaml:4:77: layer C3:",
        "row 1 reads input map 1, but the input has maps 0..0",
    ),
    (
        HEAD + "  - {name: C3, type: conv2d, filters: 1, kernel: 5, connection_table: [[]]}\n",
        "spec.yaml:4:72: layer C3:",
        "row 0 must be a non-empty list",
    ),
    (
        HEAD + "  - {name: A, type: flatten}\n  - {name: A, type: flatten}\n",
        "spec.yaml:5:12: layer #2:",
        "duplicate layer name 'A'",
    ),
    (
        HEAD + "  - {name: F, type: flatten}\n  - {name: P, type: pool, mode: max, kernel: 2}\n",
        "spec.yaml:5:5: layer P:",
        "pool needs a channels x height x width input",
    ),
    (HEAD + "  - conv2d\n", "spec.yaml:4:5:", "layer #1 must be a mapping"),
    ("name: t\ninput: [1, 32, 32]\nlayers: conv\n", "spec.yaml:3:9:", "non-empty list of layers"),
    ("name: t\ninput: [1, 32, 32, 3]\nlayers: []\n", "spec.yaml:2:8:", "field 'input' must be"),
    ("- a\n- b\n", "spec.yaml:1:1:", "a spec must be a mapping"),
    ("name: t\ninput: [1, 32, 32\nlayers:\n", "spec.yaml:3:7:", "not valid YAML"),
    ("name: t\nname: u\n", "spec.yaml:2:1:", "duplicate key 'name'"),
    (
        HEAD + "  - !!python/object/apply:os.system [echo]\n",
        "spec.yaml:4:5:",
        "unsupported YAML tag",
    ),
    ("", "spec.yaml:", "the file is empty"),
    (  # every layer left out: nothing to account for (it used to crash analysis)
        "name: t\ninput: [1, 8, 8]\nblocks:\n  b:\n    layers:\n"
        "      - {name: c, type: conv2d, filters: 5, kernel: 1}\n"
        "layers:\n  - {block: b, name: x, when: false}\n",
        "spec.yaml:8:3:",
        "no layers are left once `when` has left some out",
    ),
    (  # `input` is the network's input: a layer of that name would hide it
        HEAD + "  - {name: input, type: conv2d, filters: 5, kernel: 1}\n",
        "spec.yaml:4:12: layer #1:",
        "'input' names the network's input: call this layer otherwise",
    ),
    (
        "name: t\ninput: [1, 8, 8]\nblocks:\n  b:\n    layers:\n"
        "      - {name: c, type: conv2d, filters: 5, kernel: 1}\n"
        "layers:\n  - {block: b, name: input}\n",
        "spec.yaml:8:22:",
        "'input' names the network's input: call this instance otherwise",
    ),
]


@pytest.mark.parametrize(("text", "where", "message"), CASES)
def test_bad_spec_is_one_located_line(
    run: Callable[..., Result], write_spec: Callable[..., Path], text: str, where: str, message: str
) -> None:
    path = write_spec(text)
    result = run("summary", str(path))
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith(f"Error: {path.parent}/{where}"), line
    assert message in line


def test_missing_file_and_unknown_builtin(run: Callable[..., Result], tmp_path: Path) -> None:
    missing = run("summary", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2
    assert "nope.yaml: cannot read the file" in missing.output
    unknown = run("summary", "lenet")
    assert unknown.exit_code == 2
    assert "did you mean 'lenet5'?" in unknown.output


def test_directory_and_binary(run: Callable[..., Result], tmp_path: Path) -> None:
    assert "is a directory" in run("summary", str(tmp_path)).output
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = run("summary", str(binary))
    assert result.exit_code == 2
    assert "not UTF-8 text" in result.output


def test_alias_bomb_is_refused(run: Callable[..., Result], write_spec: Callable[..., Path]) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    result = run("summary", str(write_spec("\n".join(lines) + "\n")))
    assert result.exit_code == 2
    assert "after alias expansion" in result.output


def test_bad_format_is_a_usage_error(run: Callable[..., Result]) -> None:
    result = run("summary", "lenet5", "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of" in result.output
