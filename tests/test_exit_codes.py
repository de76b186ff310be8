"""Exit codes are a contract: 0 ok, 1 verify disagrees, 2 bad input, 3 our bug, 130 Ctrl-C.

And inputs that used to crash now end in one line and exit 2.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from lenetcalc.present.tables import fmt_bytes
from lenetcalc.units import parse_bytes

Run = Callable[..., Result]
Write = Callable[..., Path]
HEAD = "name: t\ninput: [4]\n"
DENSE = "  - {name: d, type: dense, units: 3}\n"


def one_line(result: Result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


# (spec text, message fragment): each used to end in a traceback
SPEC_CRASHES = [
    (
        HEAD + "vars: {w: 3}\nlayers:\n  - {name: d, type: dense, units: \"${'a' < w}\"}\n",
        "cannot compare 'a' with 3",
    ),
    (HEAD + "layers:\n  - {block: {a: 1}, name: x}\n", "'block' must name a block"),
    (
        HEAD + "blocks:\n  b:\n    layers:\n      - {name: d, type: dense, units: 2, inputs: 7}\n"
        "layers:\n  - {block: b, name: x}\n",
        "'inputs' must be a layer name or a list of them, got 7",
    ),
    (
        HEAD
        + "blocks:\n  b:\n    layers:\n      - {name: d, type: dense, units: 2, inputs: '${1}'}\n"
        "layers:\n  - {block: b, name: x}\n",
        "'1' is not a layer above in block 'b'",
    ),
]


@pytest.mark.parametrize(("text", "message"), SPEC_CRASHES)
def test_spec_crashes_are_one_line(run: Run, write_spec: Write, text: str, message: str) -> None:
    assert message in one_line(run("summary", str(write_spec(text))))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("summary", "lenet5", "--set", "input=3x²x2"), "--set input=3x²x2: write CxHxW"),
        (("summary", "lenet5", "--batch", "10**400"), "'10**400' is not a valid integer"),
        (("verify", "lenet5", "--batch", str(10**400)), "--batch"),
        (("verify", "lenet5", "--max-memory", "1e999"), "'1e999' is not a memory size"),
        (("verify", "lenet5", "--max-memory", "inf"), "'inf' is not a memory size"),
        (("verify", "lenet5", "--max-memory", "nan"), "'nan' is not a memory size"),
        (("verify", "lenet5", "--max-memory", "0"), "Invalid value for '--max-memory': '0'"),
        (("summary", "x" * 300), "`lenetcalc specs` lists them"),
        (("summary", "resnet18", "--set", "size=010"), "--set size=010: '010' is not an"),
        (("summary", "x" * 300 + ".yaml"), "cannot read the file: File name too long"),
        (("verify", "lenet5", "--seed", "-1"), "-1 is not in the range x>=0"),
    ],
)
def test_option_crashes_are_usage_errors(run: Run, args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output


def test_a_huge_batch_prints_exact_memory(run: Run) -> None:
    batch = 10**400
    data = json.loads(run("summary", "lenet5", "--batch", str(batch), "-f", "json").output)
    assert data["memory"]["inference_peak_bytes"] % batch == 0  # exact, not a float
    assert run("summary", "lenet5", "--batch", str(batch)).exit_code == 0


@pytest.mark.parametrize(
    ("n", "shown"),
    [
        (1023, "1023 B"),
        (1536, "1.5 KiB"),
        (3 * 2**20, "3 MiB"),
        (2**50 * 10**400, f"{10**400} PiB"),  # past a float: exact, no OverflowError
        (2**50 * 10**400 + 2**49, f"{10**400}.5 PiB"),
    ],
)
def test_bytes_print_exactly_at_any_size(n: int, shown: str) -> None:
    assert fmt_bytes(n) == shown


def test_memory_sizes_parse_as_before() -> None:
    assert parse_bytes("8GiB") == 8 * 2**30 and parse_bytes("2 GB") == 2 * 10**9


# ---- explain and verify on shapes that used to crash ---------------------------------


def _chain(n: int) -> str:
    return (
        HEAD
        + "layers:\n"
        + "".join(f"  - {{name: d{i}, type: dense, units: 4}}\n" for i in range(n))
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (_chain(600), "total trainable params: d0 + d1 + "),  # a 600-term sum
        (
            "name: t\ninput: [1, 1, 1200]\nlayers:\n  - {name: c, type: conv2d, filters: 1,"
            " kernel: [1, 600], dilation: [1, 2]}\n",
            "connections:",
        ),  # 600 taps
        (
            "name: t\ninput: [1, 8, 8]\nlayers:\n  - {name: c, type: conv2d, filters: 1000,"
            " kernel: 3, connection_table: [" + ", ".join(["[0]"] * 1000) + "]}\n",
            "trainable params:",
        ),  # a 1,000-row connection table
    ],
)
def test_explain_prints_long_sums_without_recursion(
    run: Run, write_spec: Write, text: str, line: str
) -> None:
    result = run("explain", str(write_spec(text)))
    assert result.exit_code == 0, result.output[-500:]
    assert line in result.output


def test_explain_sum_of_600_layers_is_right(run: Run, write_spec: Write) -> None:
    out = run("explain", str(write_spec(_chain(600))), "--figure", "params").output
    total = next(line for line in out.splitlines() if "total trainable params" in line)
    assert total.endswith(" = 12,000")  # 600 layers of (4 + 1)·4 = 20
    assert total.count(" + ") == 2 * 599  # d0 + … + d599, then 20 + … + 20


def test_verify_of_an_add_reading_one_layer_twice(run: Run, write_spec: Write) -> None:
    text = HEAD + "layers:\n" + DENSE + "  - {name: s, type: add, inputs: [d, d]}\n"
    result = run("verify", str(write_spec(text)))
    assert result.exit_code == 0 and "Verified: all 12 figures agree" in result.output


# ---- the exit-code contract ------------------------------------------------------------


def test_success_is_0_and_bad_input_is_2(run: Run) -> None:
    assert run("summary", "lenet5").exit_code == 0
    assert run("summary", "no-such-spec").exit_code == 2
    assert run("summary", "lenet5", "--format", "xml").exit_code == 2


def test_a_disagreement_found_by_verify_is_1(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from lenetcalc.witness import engine

    real = engine.count_connections
    monkeypatch.setattr(engine, "count_connections", lambda *a: real(*a) + 1)
    result = run("verify", "lenet5")
    assert result.exit_code == 1 and "NOT verified: 7 of 42 figures disagree" in result.output


def test_an_internal_error_is_3_with_one_line_and_debug_shows_it(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lenetcalc import api

    def broken(*args: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(api, "analyze", broken)
    line = one_line(run("summary", "lenet5"), 3)
    assert line.startswith("Internal error: ZeroDivisionError: division by zero; this is a bug")
    assert "please report it" in line and "--debug" in line
    result = run("--debug", "summary", "lenet5")
    assert isinstance(result.exception, ZeroDivisionError)  # raised, traceback and all


def test_ctrl_c_is_130_not_aborted(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from lenetcalc import api

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "analyze", interrupted)
    result = run("summary", "lenet5")
    assert result.exit_code == 130 and result.output == "Interrupted.\n"


def _wait_until_reading_stdin(pid: int) -> None:
    """Until the process sits in read(0, ...): started, handlers installed, reading the spec."""
    syscall = Path(f"/proc/{pid}/syscall")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if syscall.read_text().startswith("0 0x0 "):  # syscall 0 (read), fd 0
                return
        except OSError:  # no /proc here: give it time instead
            time.sleep(3)
            return
        time.sleep(0.05)


@pytest.mark.parametrize(
    ("sig", "code", "said"),
    [(signal.SIGINT, 130, "Interrupted."), (signal.SIGTERM, 143, "Terminated.")],
)
def test_signals_while_reading_a_pipe(sig: int, code: int, said: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "lenetcalc", "summary", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_until_reading_stdin(proc.pid)
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code and err == f"{said}\n"


def test_a_closed_pipe_is_141_and_quiet() -> None:
    # `lenetcalc specs | head -1`: the reader leaves early; no traceback, no "Internal error".
    done = subprocess.run(
        f"{sys.executable} -m lenetcalc specs | head -1",
        shell=True,
        capture_output=True,
        text=True,
        executable="/bin/bash",
        env={**os.environ, "COLUMNS": "80"},
    )
    assert done.stderr == "" and done.stdout.startswith("alexnet ")
