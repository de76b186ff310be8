"""`lenetcalc verify MODEL` against a PyTorch process that imports torch, builds the same
model and runs one forward pass, whole process, on every zoo model.

Interleaved runs; medians and spreads of wall time, CPU time and peak RSS. The PyTorch
side runs only when a Python with torch and torchvision is found (--torch-python, else
/work/ref/venv/bin/python, else this interpreter): CI never installs torch, and then
only lenetcalc's side is timed.

    python benchmarks/verify_vs_torch.py [--runs 5] [--models vgg16,resnet50]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

from timing import compile_package, interleaved, lenetcalc, machine, ratio

# What the torch process runs: torchvision's model, or LeNet-5's layers by hand.
TORCH_SCRIPT = """
import sys, torch
from torch import nn
name, c, h, w = sys.argv[1], *map(int, sys.argv[2:5])
torch.manual_seed(0)
if name.startswith("lenet5"):
    model = nn.Sequential(
        nn.Conv2d(c, 6, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Conv2d(6, 16, 5), nn.Tanh(),
        nn.AvgPool2d(2), nn.Conv2d(16, 120, 5 if h == 32 else 4), nn.Tanh(), nn.Flatten(),
        nn.LazyLinear(84), nn.Tanh(), nn.Linear(84, 10),
    )
else:
    import torchvision
    model = getattr(torchvision.models, {"mobilenetv2": "mobilenet_v2"}.get(name, name))()
model.eval()
with torch.no_grad():
    model(torch.randn(1, c, h, w))
"""
ZOO = [
    "lenet5",
    "lenet5-mnist",
    "lenet5-modern",
    "alexnet",
    "vgg16",
    "resnet18",
    "resnet50",
    "mobilenetv2",
]
REF_PYTHON = Path("/work/ref/venv/bin/python")


def torch_python(chosen: str | None) -> str | None:
    """A Python that imports torch and torchvision, or None."""
    candidates = [chosen] if chosen else [str(REF_PYTHON), sys.executable]
    for python in candidates:
        probe = [python, "-c", "import torch, torchvision"]
        if Path(python).exists() and subprocess.run(probe, capture_output=True).returncode == 0:
            return python
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--models", default=",".join(ZOO))
    parser.add_argument("--torch-python")
    args = parser.parse_args()
    from lenetcalc.spec import catalog

    compile_package()
    torch = torch_python(args.torch_python)
    print(machine())
    print(f"torch: {torch or 'not found: lenetcalc side only'}; {args.runs} interleaved runs")
    for model in args.models.split(","):
        shape = catalog.resolve(model).input_shape
        commands = {"lenetcalc": [*lenetcalc(), "verify", model]}
        if torch:
            commands["torch"] = [torch, "-c", TORCH_SCRIPT, model, *map(str, shape)]
        samples = interleaved(commands, args.runs)
        for name, sample in samples.items():
            print(sample.line(f"{model} {name}"))
        if torch:
            ours, theirs = samples["lenetcalc"], samples["torch"]
            rss = statistics.median(ours.rss) / statistics.median(theirs.rss)
            print(f"  lenetcalc / torch: {ratio(ours, theirs)}, peak RSS {rss:.2f}x")


if __name__ == "__main__":
    main()
