"""Analysis cost against depth: whole-process `summary` of generated deep specs.

Writes specs of 100, 1,000 and 10,000 layers (a 5-layer residual block repeated), times
`lenetcalc summary` on each (median of several runs, table and JSON output), and reports
the time per layer. Target: 10,000 layers in under 2 s. Also times `verify resnet50`.

    python benchmarks/scale.py [--runs 5]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from timing import lenetcalc, median_seconds, run_quietly

SPEC = """\
name: deep-{layers}
input: [16, 32, 32]
blocks:
  residual:
    params: {{}}
    layers:
      - {{name: conv, type: conv2d, filters: 16, kernel: 3, padding: 1, bias: false}}
      - {{name: bn, type: batchnorm}}
      - {{name: relu, type: activation, function: relu}}
      - {{name: add, type: add, inputs: [relu, in]}}
      - {{name: out, type: activation, function: relu}}
layers:
  - {{block: residual, name: stage, repeat: {repeats}}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    tool = lenetcalc()
    folder = Path(tempfile.mkdtemp())
    for layers in (100, 1_000, 10_000):
        path = folder / f"deep-{layers}.yaml"
        path.write_text(SPEC.format(layers=layers, repeats=layers // 5), encoding="utf-8")
        table = median_seconds(lambda p=path: run_quietly([*tool, "summary", str(p)]), runs)
        as_json = median_seconds(
            lambda p=path: run_quietly([*tool, "summary", str(p), "-f", "json"]), runs
        )
        print(
            f"{layers:>6} layers: table {table:6.2f} s, json {as_json:6.2f} s"
            f" ({as_json / layers * 1e6:6.1f} us per layer), median of {runs}"
        )
    verify = median_seconds(lambda: run_quietly([*tool, "verify", "resnet50"]), runs)
    print(f"verify resnet50, whole process: {verify:.2f} s (median of {runs})")


if __name__ == "__main__":
    main()
