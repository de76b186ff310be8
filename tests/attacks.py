"""Resource attacks: hostile specs and sources, each run in a process of its own.

Shared by tests/test_hostile.py (each case within 2 s and 200 MB) and by
benchmarks/resources.py (prints time and peak RSS per case).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

LIMIT_SECONDS = 2.0
LIMIT_MEGABYTES = 200

_MEASURE = """
import resource, runpy, sys
sys.argv = ["lenetcalc", *sys.argv[1:]]
code = 0
try:
    runpy.run_module("lenetcalc", run_name="__main__")
except SystemExit as e:
    code = e.code
use = resource.getrusage(resource.RUSAGE_SELF)
# VmHWM is this program's own peak: ru_maxrss would also count the RSS of the forked
# parent (pytest), which exec does not reset, and make the bound depend on test order.
with open("/proc/self/status") as status:
    kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(f"MEASURED {code} {kb} {use.ru_utime + use.ru_stime}", file=sys.stderr)
"""


@dataclass(frozen=True)
class Measured:
    """How one run of the CLI ended and what it cost."""

    code: int
    seconds: float  # CPU time of the process (user + system): steady on a busy machine
    wall: float
    megabytes: float
    stderr: str
    stdout: str


def measured(*args: str, stdin: bytes | None = None) -> Measured:
    """Exit code, CPU and wall seconds, peak RSS and output of `lenetcalc ARGS`, run in a
    new process (start-up included)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], capture_output=True, input=stdin, timeout=60
    )
    wall = time.perf_counter() - start
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, err  # the process itself must not crash
    *lines, last = err.strip().splitlines()
    _, code, kb, cpu = last.split()
    out = done.stdout.decode("utf-8", "replace")
    return Measured(int(code), float(cpu), wall, int(kb) / 1024, "\n".join(lines), out)


_MEASURE_EACH = """
import json, resource, sys
from click.testing import CliRunner
from lenetcalc.cli import main
results = []
for args in json.loads(sys.stdin.read()):
    before = resource.getrusage(resource.RUSAGE_SELF)
    result = CliRunner().invoke(main, args)
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    results.append([result.exit_code, cpu, kb / 1024, result.output])
print(json.dumps(results))
"""


def measured_in_one_process(runs: list[list[str]]) -> list[Measured]:
    """Each `lenetcalc ARGS` of `runs`, one after another in one new process: exit code,
    CPU seconds of that run, and the process's peak RSS so far (an upper bound of the
    run's own). Cheaper than a process per run; benchmarks/resources.py uses one each."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE_EACH],
        input=json.dumps(runs).encode(),
        capture_output=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return [
        Measured(code, cpu, cpu, mb, out, out) for code, cpu, mb, out in json.loads(done.stdout)
    ]


@dataclass(frozen=True)
class Attack:
    """A hostile input: spec text (or a path such as /dev/zero), a command, what must happen."""

    label: str
    message: str  # a fragment of the one-line error; "" when the run must succeed
    text: str = ""
    path: str = ""
    command: str = "summary"
    options: tuple[str, ...] = ()
    in_suite: bool = True  # False: measured by benchmarks/resources.py only (slow, not hostile)


HEAD = "name: t\ninput: [4]\n"


def alias_bomb() -> str:
    """Ten levels of ten aliases each: 10^10 values once expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def merge_bomb() -> str:
    """The same with `<<` merge keys, which PyYAML's own merging copies before counting."""
    keys = ", ".join(f"k{j}: 1" for j in range(10))
    lines = [f"a0: &a0 {{{keys}}}"]
    lines += [
        f"a{i}: &a{i} {{<<: [{', '.join([f'*a{i - 1}'] * 10)}], x{i}: 1}}" for i in range(1, 12)
    ]
    return "\n".join(lines) + "\n"


def splice_doubling() -> str:
    """Each variable splices the previous one twice: 2^40 characters if unbounded."""
    lines = [HEAD + "vars:", "  v0: " + "x" * 190]
    lines += [f'  v{i}: "${{v{i - 1}}}${{v{i - 1}}}"' for i in range(1, 41)]
    return "\n".join([*lines, "layers:", '  - {name: "${v40}", type: flatten}']) + "\n"


def splice_wide() -> str:
    """One name with 30,000 references to a 190-character variable (a 5.7 MB name)."""
    refs = "${v}" * 30_000
    return HEAD + f'vars: {{v: {"y" * 190}}}\nlayers:\n  - {{name: "{refs}", type: flatten}}\n'


def repeated_block(layers: str, repeat: int) -> str:
    """A block with the given layers (flow YAML list), instantiated `repeat` times."""
    instance = f"{{block: b, name: s, repeat: {repeat}}}"
    return HEAD + f"blocks:\n  b:\n    layers: {layers}\nlayers:\n  - {instance}\n"


def chain(n: int) -> str:
    """A plain chain of n dense layers."""
    rows = "".join(f"  - {{name: d{i}, type: dense, units: 4}}\n" for i in range(n))
    return HEAD + "layers:\n" + rows


GIANT = 10**100
RESOURCE_CASES = [
    Attack("alias bomb (10^10 values)", "after alias expansion", alias_bomb()),
    Attack("merge-key bomb (10^12 values)", "after alias expansion", merge_bomb()),
    Attack(
        "100,000 nested brackets",
        "nested deeper than 64 levels",
        "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    ),
    Attack(
        "deep block nesting",
        "nested deeper than 64 levels",
        "".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "v\n",
    ),
    Attack("a 17 MiB file", "larger than the 16 MiB limit", "# " + "x" * 17 * 2**20 + "\n"),
    Attack("/dev/zero", "larger than the 16 MiB limit", path="/dev/zero"),
    Attack("/dev/urandom", "larger than the 16 MiB limit", path="/dev/urandom"),
    Attack(
        "300,000 values",
        "more than 200,000 YAML values",
        "v: [" + ",".join(["1"] * 300_000) + "]\n",
    ),
    Attack(
        "empty block repeated 10^9 times", "non-empty list of 'layers'", repeated_block("[]", 10**9)
    ),
    Attack(
        "block repeated 10^9 times",
        "more than 100,000 layers",
        repeated_block("[{name: d, type: dense, units: 4}]", 10**9),
    ),
    Attack(
        "block over 50,000 values repeated 9,000 times",
        "more than 2,000,000 values",
        repeated_block(
            "[{name: d, type: dense, units: 4, x: [" + ",".join(["1"] * 50_000) + "]}]", 9_000
        ),
    ),
    Attack("${} splicing, doubling", "longer than 1,000 characters", splice_doubling()),
    Attack("${} splicing, 30,000 references", "longer than 1,000 characters", splice_wide()),
    Attack(
        "a 5,000-digit integer",
        "integer with more than 100 digits",
        HEAD.replace("[4]", f"[{'7' * 5000}]") + "layers: []\n",
    ),
    Attack(
        "10,000-layer chain, summary as JSON",
        "",
        chain(10_000),
        options=("-f", "json"),
        in_suite=False,
    ),
    Attack("10,000-layer chain, explain", "", chain(10_000), command="explain", in_suite=False),
    Attack("2,000-layer chain, explain (a 2,000-term sum)", "", chain(2_000), command="explain"),
    Attack(
        "10^100-sized layer, summary",
        "",
        f"name: g\ninput: [{GIANT}, {GIANT}, {GIANT}]\nlayers:\n"
        f"  - {{name: c, type: conv2d, filters: {GIANT}, kernel: {GIANT}}}\n",
    ),
]
