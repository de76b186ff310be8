"""Whole-process start-up of `lenetcalc summary lenet5` against bare `python -c pass`.

Runs the two commands alternately (so machine noise hits both alike) and reports the
median of each and their ratio. Target: ratio under 10.

    python benchmarks/startup.py [--runs 21]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def timed(command: list[str]) -> float:
    """Seconds one run of `command` takes, output discarded."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env={"NO_COLOR": "1"})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    script = shutil.which("lenetcalc")
    tool = [script] if script else [sys.executable, "-m", "lenetcalc"]
    bare = [sys.executable, "-c", "pass"]
    timed([*tool, "summary", "lenet5"])  # warm the file cache
    pairs = [(timed(bare), timed([*tool, "summary", "lenet5"])) for _ in range(runs)]
    bare_median = statistics.median(b for b, _ in pairs)
    tool_median = statistics.median(t for _, t in pairs)
    print(f"python -c pass           median {bare_median * 1000:7.1f} ms  ({runs} runs)")
    print(f"lenetcalc summary lenet5 median {tool_median * 1000:7.1f} ms  ({runs} runs)")
    print(f"ratio {tool_median / bare_median:.1f}x (target < 10x)")


if __name__ == "__main__":
    main()
