"""Timing helpers shared by the benchmarks: interleaved runs, medians and spreads."""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of `fn()` over `runs` runs."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_quietly(command: list[str]) -> None:
    """Run a command with no colour on a 120-column terminal, output discarded."""
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=quiet_env())


def quiet_env() -> dict[str, str]:
    """The environment benchmarks run commands in: no colour, 120 columns."""
    return {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}


def lenetcalc() -> list[str]:
    """The installed console script, else `python -m lenetcalc`."""
    script = shutil.which("lenetcalc")
    return [script] if script else [sys.executable, "-m", "lenetcalc"]


@dataclass
class Sample:
    """One command's runs: wall seconds, CPU seconds (user + system), peak RSS in bytes."""

    wall: list[float]
    cpu: list[float]
    rss: list[int]

    def line(self, label: str) -> str:
        """Median and spread (min-max) of wall and CPU time, and the peak RSS."""
        w, c = self.wall, self.cpu
        return (
            f"{label:<34} wall {statistics.median(w):7.3f} s [{min(w):.3f}-{max(w):.3f}]"
            f"  cpu {statistics.median(c):7.3f} s [{min(c):.3f}-{max(c):.3f}]"
            f"  rss {max(self.rss) / 2**20:6.0f} MiB"
        )


def measure(
    command: Sequence[str], env: Mapping[str, str] | None = None, terminal: bool = False
) -> tuple[float, float, int]:
    """Run once: wall seconds, the child's CPU seconds and its peak RSS (bytes).

    `terminal`: stdout is a 120-column pseudo-terminal, read as it is written, as a user
    at a terminal sees the command (a pipe gets plain text; a terminal gets Rich's).
    On Linux a child's ru_maxrss starts from its parent's peak (carried across exec), so
    the RSS is the child's own only when above this benchmark process's (about 25 MiB).
    """
    leader, out = pty_pair() if terminal else (None, subprocess.DEVNULL)
    start = time.perf_counter()
    process = subprocess.Popen(list(command), stdout=out, env=dict(env or quiet_env()))
    if leader is not None:
        os.close(out)
        drain(leader)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return wall, usage.ru_utime + usage.ru_stime, rss


def pty_pair() -> tuple[int, int]:
    """A pseudo-terminal 120 columns wide: (leader, follower)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 120, 0, 0))
    return leader, follower


def drain(leader: int) -> None:
    """Read a pseudo-terminal until the command closes it (so the command never blocks)."""
    try:
        while os.read(leader, 65536):
            pass
    except OSError:  # the follower closed: the command has ended
        pass
    os.close(leader)


def interleaved(
    commands: Mapping[str, Sequence[str]], runs: int, terminals: frozenset[str] = frozenset()
) -> dict[str, Sample]:
    """Run every command once per round, `runs` rounds, so machine noise hits all alike.
    The commands named in `terminals` write to a pseudo-terminal, the others to nothing."""
    samples = {name: Sample([], [], []) for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            wall, cpu, rss = measure(command, terminal=name in terminals)
            samples[name].wall.append(wall)
            samples[name].cpu.append(cpu)
            samples[name].rss.append(rss)
    return samples


def ratio(a: Sample, b: Sample) -> str:
    """a / b as medians of wall and of CPU time, and the per-round wall ratios' spread."""
    walls = [x / y for x, y in zip(a.wall, b.wall, strict=True)]
    return (
        f"{statistics.median(a.wall) / statistics.median(b.wall):.2f}x wall"
        f" (per round {min(walls):.2f}-{max(walls):.2f}),"
        f" {statistics.median(a.cpu) / statistics.median(b.cpu):.2f}x cpu"
    )


def machine() -> str:
    """Cores, CPU model and load, for the record."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                model,
            )
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {model}, load average {load}; Python {sys.version.split()[0]}"


def compile_package() -> None:
    """Write the package's bytecode, as an install does (PYTHONDONTWRITEBYTECODE may be set)."""
    import compileall

    import lenetcalc

    folder = os.path.dirname(lenetcalc.__file__)
    compileall.compile_dir(folder, quiet=1)
