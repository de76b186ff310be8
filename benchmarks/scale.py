"""Analysis cost against depth: whole-process `summary` of flat generated specs.

Flat specs, one conv2d layer per line in flow style (1,000 to 100,000 layers), against
PyYAML's C loader reading the same file (whole process, `yaml.load(..., CSafeLoader)`).
Targets: the cost per layer (time less a 1-layer spec's, over the layers) flat within
20% from 1,000 to 100,000 layers; 10,000 layers summarised as table, JSON and --depth 1
in at most 2x the C loader's time. Runs are interleaved; medians and spreads.

    python benchmarks/scale.py [--runs 5] [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from timing import compile_package, interleaved, lenetcalc, machine, ratio

LAYER = "  - {{name: c{i}, type: conv2d, filters: 3, kernel: 3, padding: 1}}\n"


def flat_spec(folder: Path, layers: int) -> Path:
    """A spec of `layers` conv2d layers, one per line."""
    path = folder / f"flat-{layers}.yaml"
    head = f"name: flat-{layers}\ninput: [3, 32, 32]\nlayers:\n"
    path.write_text(head + "".join(LAYER.format(i=i) for i in range(layers)), encoding="utf-8")
    return path


def c_loader(path: Path) -> list[str]:
    """A process that reads `path` with PyYAML's C loader, and nothing else."""
    code = f"import yaml; yaml.load(open({str(path)!r}), Loader=yaml.CSafeLoader)"
    return [sys.executable, "-c", code]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    compile_package()
    tool, folder = lenetcalc(), Path(tempfile.mkdtemp())
    print(machine())
    one = flat_spec(folder, 1)
    big = flat_spec(folder, 10_000)
    commands = {
        "C loader, 10,000 layers": c_loader(big),
        "summary (table), 10,000": [*tool, "summary", str(big)],
        "summary -f json, 10,000": [*tool, "summary", str(big), "-f", "json"],
        "summary --depth 1, 10,000": [*tool, "summary", str(big), "--depth", "1"],
    }
    samples = interleaved(commands, args.runs)
    for name, sample in samples.items():
        print(sample.line(name))
    loader = samples["C loader, 10,000 layers"]
    for name in list(commands)[1:]:
        print(f"  {name} / C loader: {ratio(samples[name], loader)} (target <= 2x)")

    sizes = [int(s) for s in args.sizes.split(",")]
    json_runs = {str(n): [*tool, "summary", str(flat_spec(folder, n)), "-f", "json"] for n in sizes}
    per_size = interleaved(
        {"1": [*tool, "summary", str(one), "-f", "json"], **json_runs}, args.runs
    )
    base_wall = statistics.median(per_size["1"].wall)
    base_cpu = statistics.median(per_size["1"].cpu)
    print(f"summary -f json of a 1-layer spec: {base_wall:.3f} s wall, {base_cpu:.3f} s cpu")
    for n in sizes:
        s = per_size[str(n)]
        wall = (statistics.median(s.wall) - base_wall) / n * 1e6
        cpu = (statistics.median(s.cpu) - base_cpu) / n * 1e6
        print(
            s.line(f"summary -f json, {n:,} layers") + f"  {wall:.0f} us/layer wall, {cpu:.0f} cpu"
        )


if __name__ == "__main__":
    main()
