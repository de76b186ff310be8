"""Hostile and broken input: one-line located errors, bounded resources, nothing lost."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lenetcalc.spec import source

from attacks import (
    LIMIT_MEGABYTES,
    LIMIT_SECONDS,
    RESOURCE_CASES,
    Attack,
    Measured,
    measured,
    measured_in_one_process,
)
from mutate import mutate, run_case, template

Run = Callable[..., Result]
Write = Callable[..., Path]
HEAD = "name: t\ninput: [1, 32, 32]\nlayers:\n"


def one_error(result: Result) -> str:
    """The single error line of a failed run (exit 2, no traceback)."""
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


# (bytes of the file, expected location suffix after the folder, message fragment)
FILES = [
    ("name: caf\xe9\n".encode("latin-1"), "spec.yaml", "not UTF-8 text (bad byte at offset 9)"),
    (b"name: x\x00\n", "spec.yaml", "binary data (NUL byte)"),
    (b"", "spec.yaml", "the file is empty"),
    (b"# only a comment\n\n", "spec.yaml", "the file is empty"),
    (b"<html><body>not yaml</body></html>\n", "spec.yaml:1:1", "a spec must be a mapping"),
    (b"name: x\x7f\n", "spec.yaml:1:8", "character U+007F is not allowed"),
    (b"name: x\n\tinput: [1]\n", "spec.yaml:2:1", "not valid YAML"),
    (b"\xef\xbb\xbf" + HEAD.encode() + b"  - {name: f, type: flatten}\n", "", ""),  # BOM is fine
]


@pytest.mark.parametrize(("data", "where", "message"), FILES)
def test_file_level_problems(
    run: Run, tmp_path: Path, data: bytes, where: str, message: str
) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(data)
    result = run("summary", str(path))
    if not message:
        assert result.exit_code == 0, result.output
        return
    line = one_error(result)
    assert line.startswith(f"Error: {tmp_path}/{where}"), line
    assert message in line


def test_unreadable_file(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(HEAD)

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(source, "open", refuse, raising=False)  # root reads anything: simulate
    assert "cannot read the file: Permission denied" in one_error(run("summary", str(path)))


# (layers YAML, location "line:column", message fragment): valid YAML that is not a spec
SPECS = [
    ("name: t\ninput: [1, 32, 32]\nlayers: {a: 1}\n", "3:9", "must be a non-empty list"),
    ("name: t\ninput: [1, 32, 32]\nlayer: []\n", "3:1", "did you mean 'layers'?"),
    ("input: [1, 32, 32]\nlayers: []\n", "1:1", "missing required field 'name'"),
    ("name: t\ninput: [0, 32, 32]\nlayers: []\n", "2:8", "positive integers"),
    (HEAD + "  - {name: c, type: conv2d, filters: 6, kernel: five}\n", "4:49", "got 'five'"),
    (HEAD + "  - {name: c, type: conv2d, filters: 0, kernel: 5}\n", "4:38", "integer >= 1, got 0"),
    (HEAD + "  - {name: c, type: conv2d, filters: -3, kernel: 5}\n", "4:38", "got -3"),
    (
        HEAD + "  - {name: c, type: conv2d, filters: 6, kernel: 5, padding: -1}\n",
        "4:61",
        "integer >= 0",
    ),
    (HEAD + "  - {name: c, type: conv2d, filters: 6, kernel: 5, stride: 0}\n", "4:60", "got 0"),
    (
        HEAD + "  - {name: c, type: conv2d, filters: 6, kernel: 40}\n",
        "4:49",
        "kernel height 40 does not fit the input height 32",
    ),
    (
        HEAD + "  - {name: c, type: conv2d, filters: 6, kernel: 5, bias: maybe}\n",
        "4:58",
        "must be true or false",
    ),
    (
        HEAD
        + "  - {name: c, type: conv2d, filters: 2, kernel: 5, connection_table: [[0, 0], [0]]}\n",
        "4:71",
        "distinct input-map indices",
    ),
    (
        HEAD + "  - {name: c, type: conv2d, filters: 1, kernel: 5, connection_table: [[7]]}\n",
        "4:71",
        "reads input map 7, but the input has maps 0..0",
    ),
    (HEAD + "  - {name: x, type: activation, function: swish}\n", "4:43", "expected one of"),
    (HEAD + "  - {type: flatten}\n", "4:5", "missing required field 'name'"),
    (HEAD + "  - {name: '', type: flatten}\n", "4:12", "non-empty string"),
]


@pytest.mark.parametrize(("text", "where", "message"), SPECS)
def test_invalid_specs(run: Run, write_spec: Write, text: str, where: str, message: str) -> None:
    path = write_spec(text)
    line = one_error(run("summary", str(path)))
    assert line.startswith(f"Error: {path}:{where}:"), line
    assert message in line


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "  - !!python/object/apply:os.system ['echo pwned']\n",
        HEAD + "  - !!python/object:os.system {}\n",
        "name: !!python/name:os.system\ninput: [1]\nlayers: []\n",
        "name: !custom x\ninput: [1]\nlayers: []\n",
        "name: t\ninput: !!set {1: null}\nlayers: []\n",
    ],
)
def test_code_execution_tags_are_refused(run: Run, write_spec: Write, text: str) -> None:
    assert "unsupported YAML tag" in one_error(run("summary", str(write_spec(text))))


@pytest.mark.parametrize(
    ("expression", "refusal"),
    [
        ('__import__("os").system("x")', "is not allowed (call)"),
        ("name.__class__", "is not allowed (attribute)"),
        ("[1][0]", "is not allowed (subscript)"),
        ("2 ** 99999", "is not allowed (binop)"),
        ("'a' * 1000000000", "text can only be joined with +"),
        ("nope + 1", "unknown name 'nope'"),
    ],
)
def test_expressions_cannot_run_code(
    run: Run, write_spec: Write, expression: str, refusal: str
) -> None:
    quoted = expression.replace('"', '\\"')
    text = HEAD + f'  - {{name: c, type: conv2d, filters: "${{{quoted}}}", kernel: 3}}\n'
    line = one_error(run("summary", str(write_spec(text))))
    assert refusal in line and "layer c:" in line, line


def test_names_with_markup_and_newlines_stay_inert(run: Run, write_spec: Write) -> None:
    text = 'name: "[/]"\ninput: [4]\nlayers:\n  - {name: "[bold]x[/]", type: dense, units: 2}\n'
    result = run("summary", str(write_spec(text)))
    assert result.exit_code == 0 and "[bold]x[/]" in result.output
    bad = 'name: t\ninput: [4]\nlayers:\n  - {name: "a\\nb", type: dense, units: 2, "k\\ny": 1}\n'
    assert r"layer a\nb: unknown field 'k\ny'" in one_error(run("summary", str(write_spec(bad))))


# ---- resource attacks: each finishes within 2 s and 200 MB, in a process of its own --


IN_SUITE = [a for a in RESOURCE_CASES if a.in_suite]


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Measured]:
    """Every in-suite attack, run one after another in one fresh process."""
    folder = tmp_path_factory.mktemp("attacks")
    runs = []
    for n, attack in enumerate(IN_SUITE):
        path = attack.path or str(folder / f"case{n}.yaml")
        if not attack.path:
            Path(path).write_text(attack.text, encoding="utf-8")
        runs.append([attack.command, path, *attack.options])
    return dict(zip([a.label for a in IN_SUITE], measured_in_one_process(runs), strict=True))


@pytest.mark.parametrize("attack", IN_SUITE, ids=[a.label for a in IN_SUITE])
def test_resource_attacks_end_cleanly_within_bounds(
    attacked: dict[str, Measured], attack: Attack
) -> None:
    m = attacked[attack.label]
    if attack.message:
        assert m.code == 2 and attack.message in m.stderr, m.stderr[:500]
        assert len(m.stderr.splitlines()) == 1 and m.stderr.startswith("Error: "), m.stderr
    else:
        assert m.code == 0, m.stderr[-500:]
    assert m.seconds < LIMIT_SECONDS, f"{attack.label}: {m.seconds:.2f} s"
    assert m.megabytes < LIMIT_MEGABYTES, f"{attack.label}: {m.megabytes:.0f} MB"


def test_gigantic_dimensions_stay_exact_and_verify_refuses(write_spec: Write) -> None:
    t = 10**12
    path = write_spec(
        f"name: g\ninput: [{t}, {t}, {t}]\nlayers:\n"
        f"  - {{name: c, type: conv2d, filters: {t}, kernel: {t}, padding: {t}}}\n"
    )
    m = measured("summary", str(path), "-f", "json")
    assert m.code == 0 and m.seconds < LIMIT_SECONDS and m.megabytes < LIMIT_MEGABYTES
    done = subprocess.run(
        [sys.executable, "-m", "lenetcalc", "summary", str(path), "-f", "json"],
        capture_output=True,
        text=True,
    )
    layer = json.loads(done.stdout)["layers"][0]
    assert layer["output_shape"] == [t, 2 * t + 1, 2 * t + 1]  # (t + 2t − t)/1 + 1
    assert layer["trainable_params"] == (t * t * t + 1) * t  # exact beyond 64 bits
    m = measured("verify", str(path))
    assert m.code == 2 and "reduce the sizes" in m.stderr and m.seconds < LIMIT_SECONDS


# ---- nothing lost -------------------------------------------------------------------


def test_reading_never_modifies_the_input(run: Run, write_spec: Write) -> None:
    path = write_spec(HEAD + "  - {name: c, type: conv2d, filters: 6, kernel: 5}\n")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    for args in (("summary",), ("explain",), ("verify",), ("export",)):
        run(*args, str(path))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_bad_spec_never_touches_the_output_file(
    run: Run, write_spec: Write, tmp_path: Path
) -> None:
    out = tmp_path / "table.md"
    out.write_text("the old table\n")
    bad = write_spec(HEAD + "  - {name: c, type: conv9d}\n", "bad.yaml")
    one_error(run("export", str(bad), "-o", str(out)))
    assert out.read_text() == "the old table\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "table.md"]


# ---- fuzzing ------------------------------------------------------------------------


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_fuzzed_specs_end_in_success_or_a_clean_error(rng: random.Random) -> None:
    message = run_case(mutate(rng))  # any other exception fails the test
    if message is not None:
        assert "\n" not in message
        assert message.startswith("fuzz.yaml"), message


def test_fuzzing_reaches_many_distinct_errors() -> None:
    # A fuzzer that reaches few errors is weak: 300 seeded cases, on their own (in any order).
    rng = random.Random(0)
    messages = {template(m) for m in (run_case(mutate(rng)) for _ in range(300)) if m}
    assert len(messages) >= 25, sorted(messages)


def _giant(write_spec: Write) -> Path:
    g = 10**100
    return write_spec(
        f"name: g\ninput: [{g}, {g}, {g}]\nlayers:\n"
        f"  - {{name: c, type: conv2d, filters: {g}, kernel: {g}}}\n"
    )


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("export", "-f", "csv"), str(10**400 + 10**100)),  # g·(g·g·g + 1), plain
        (("export", "-f", "json"), str(10**400 + 10**100)),
        (("export", "-f", "latex"), f"{10**400 + 10**100:,}"),
        (("export", "-f", "markdown"), f"{10**400 + 10**100:,}"),
        (("explain", "--figure", "params"), f"= {10**400 + 10**100:,}"),
        (("summary", "-f", "markdown"), f"{10**400 + 10**100:,}"),
        (("summary", "-f", "csv"), f",{4 * 10**100}\n"),  # float32 bytes of g·1·1 outputs
    ],
)
def test_gigantic_figures_print_exactly_in_every_format(
    run: Run, write_spec: Write, args: tuple[str, ...], shown: str
) -> None:
    command, *options = args
    result = run(command, str(_giant(write_spec)), *options)
    assert result.exit_code == 0 and shown in result.output


def test_verify_refuses_a_gigantic_network_cleanly(run: Run, write_spec: Write) -> None:
    assert "reduce the sizes" in one_error(run("verify", str(_giant(write_spec))))
