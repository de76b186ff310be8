"""Time `lenetcalc diagram resnet50` to SVG, whole process, and its parts in process.

ResNet-50 at full depth is the largest built-in graph (175 layers, 16 skip edges).
Target: the whole command under 2 s. Also times googlenet (the widest graph) and the
PNG conversion, for information.

    python benchmarks/diagram.py [--runs 5]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from timing import lenetcalc, median_seconds, run_quietly

from lenetcalc.present.diagram import draw
from lenetcalc.report.analysis import analyze
from lenetcalc.spec.catalog import load_builtin


def in_process(name: str, runs: int) -> None:
    """Median of layout and of SVG writing, separately, and of the PNG conversion."""
    network = load_builtin(name)
    report = analyze(network)
    options = draw.Options()
    fig = draw.figure(network, report, options)
    layout = median_seconds(lambda: draw.figure(network, report, options), runs)
    svg = median_seconds(lambda: draw.render(fig, "svg", options), runs)
    png = median_seconds(lambda: draw.render(fig, "png", options), max(1, runs // 2))
    size = f"{len(fig.nodes)} boxes, {fig.width:.0f}x{fig.height:.0f}"
    print(
        f"  {name:10} layout {layout * 1000:6.0f} ms   SVG {svg * 1000:5.0f} ms"
        f"   PNG {png * 1000:5.0f} ms  ({size})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    out = Path(tempfile.mkdtemp()) / "resnet50.svg"
    command = [*lenetcalc(), "diagram", "resnet50", "-o", str(out)]
    run_quietly(command)  # warm the file cache
    whole = median_seconds(lambda: run_quietly(command), runs)
    verdict = "ok" if whole < 2 else "OVER TARGET"
    print(
        f"lenetcalc diagram resnet50 -o x.svg  median {whole * 1000:6.0f} ms"
        f"  ({runs} runs; target < 2 s: {verdict})"
    )
    print("in process:")
    for name in ("resnet50", "googlenet"):
        in_process(name, runs)


if __name__ == "__main__":
    main()
