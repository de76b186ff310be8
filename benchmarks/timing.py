"""Timing helpers shared by the benchmarks: medians, quiet runs, the lenetcalc command."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable


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
    env = {"NO_COLOR": "1", "COLUMNS": "120"}
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)


def lenetcalc() -> list[str]:
    """The installed console script, else `python -m lenetcalc`."""
    script = shutil.which("lenetcalc")
    return [script] if script else [sys.executable, "-m", "lenetcalc"]
