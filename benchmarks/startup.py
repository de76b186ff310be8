"""Start-up: `lenetcalc summary lenet5` against its import floor, whole process.

The floor is what the design card's imports cost, `python -c "import click, yaml,
rich.console"`; bare `python -c pass` is shown for scale. The commands run interleaved
(so machine noise hits all alike); medians and spreads of wall and CPU time. Target:
the table summary within 1.3x the floor. Piped, the table is plain text and loads no Rich
(nor does JSON; tests/test_perf.py checks it); on a terminal (a pseudo-terminal here) Rich
renders it, so that run is shown too.

    python benchmarks/startup.py [--runs 21]
"""

from __future__ import annotations

import argparse
import sys

from timing import compile_package, interleaved, lenetcalc, machine, ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    compile_package()  # as an install would: PYTHONDONTWRITEBYTECODE may be set here
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "floor: import click, yaml, rich": [
            sys.executable,
            "-c",
            "import click, yaml, rich.console",
        ],
        "summary lenet5": [*lenetcalc(), "summary", "lenet5"],
        "summary lenet5 -f json": [*lenetcalc(), "summary", "lenet5", "-f", "json"],
        "summary lenet5, on a terminal": [*lenetcalc(), "summary", "lenet5"],
    }
    terminal = frozenset({"summary lenet5, on a terminal"})
    interleaved(commands, 1, terminal)  # warm the file cache
    samples = interleaved(commands, runs, terminal)
    print(machine())
    print(f"{runs} interleaved runs; {' '.join(commands['summary lenet5'])}")
    for name, sample in samples.items():
        print(sample.line(name))
    floor = samples["floor: import click, yaml, rich"]
    print(f"summary lenet5 / floor: {ratio(samples['summary lenet5'], floor)} (target <= 1.3x)")
    print(f"summary -f json / floor: {ratio(samples['summary lenet5 -f json'], floor)}")
    shown = samples["summary lenet5, on a terminal"]
    print(f"summary lenet5 on a terminal / floor: {ratio(shown, floor)} (Rich renders it)")


if __name__ == "__main__":
    main()
