"""Whole-process start-up of `lenetcalc summary lenet5` against bare `python -c pass`.

Runs the two commands alternately (so machine noise hits both alike) and reports the
median of each and their ratio. Target: ratio under 10.

    python benchmarks/startup.py [--runs 21]
"""

from __future__ import annotations

import argparse
import statistics
import sys

from timing import lenetcalc, median_seconds, run_quietly


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    tool = [*lenetcalc(), "summary", "lenet5"]
    bare = [sys.executable, "-c", "pass"]
    run_quietly(tool)  # warm the file cache
    pairs = [
        (median_seconds(lambda: run_quietly(bare), 1), median_seconds(lambda: run_quietly(tool), 1))
        for _ in range(runs)
    ]
    bare_median = statistics.median(b for b, _ in pairs)
    tool_median = statistics.median(t for _, t in pairs)
    print(f"python -c pass           median {bare_median * 1000:7.1f} ms  ({runs} runs)")
    print(f"lenetcalc summary lenet5 median {tool_median * 1000:7.1f} ms  ({runs} runs)")
    print(f"ratio {tool_median / bare_median:.1f}x (target < 10x)")


if __name__ == "__main__":
    main()
