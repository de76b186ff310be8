"""Convolution throughput of the NumPy engine against a plain NumPy matmul.

Runs VGG-16's first block (3->64->64 channels, 3x3, padding 1, 224x224, batch 1)
through the engine and reports achieved GMAC/s next to the GMAC/s (GFLOP/s / 2) of
a float32 matmul of the same shape as the block's largest im2col product, in one run.
Target: the engine reaches at least half the matmul rate. Also times the whole
process of `lenetcalc verify lenet5`.

    python benchmarks/conv_throughput.py [--runs 5]
"""

from __future__ import annotations

import argparse

import numpy as np
from timing import lenetcalc, median_seconds, run_quietly

from lenetcalc.spec.reader import load_text
from lenetcalc.witness import engine

VGG_BLOCK1 = """
name: vgg16-block1
input: [3, 224, 224]
layers:
  - {name: conv1_1, type: conv2d, filters: 64, kernel: 3, padding: 1, activation: relu}
  - {name: conv1_2, type: conv2d, filters: 64, kernel: 3, padding: 1, activation: relu}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    network = load_text(VGG_BLOCK1, "vgg16-block1")
    macs = sum(o.macs for o in engine.run(network))  # measured by the engine itself
    forward = median_seconds(lambda: _forward_only(network), runs)

    rng = np.random.default_rng(0)
    a = rng.standard_normal((224 * 224, 64 * 9), dtype=np.float32)
    b = rng.standard_normal((64 * 9, 64), dtype=np.float32)
    matmul = median_seconds(lambda: a @ b, runs)
    matmul_gmacs = a.shape[0] * a.shape[1] * b.shape[1] / matmul / 1e9

    engine_gmacs = macs / forward / 1e9
    print(f"VGG-16 block 1 forward: {macs:,} MACs in {forward * 1000:.0f} ms (median of {runs})")
    print(f"engine conv:   {engine_gmacs:6.1f} GMAC/s")
    print(f"numpy matmul:  {matmul_gmacs:6.1f} GMAC/s (GFLOP/s / 2), {a.shape} @ {b.shape}")
    print(f"ratio: {engine_gmacs / matmul_gmacs:.2f} of the matmul rate (target >= 0.5)")

    whole = median_seconds(lambda: run_quietly([*lenetcalc(), "verify", "lenet5"]), runs)
    print(f"lenetcalc verify lenet5, whole process: {whole * 1000:.0f} ms (median of {runs})")


def _forward_only(network: object) -> None:
    """One forward pass of every layer, without the counting passes."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, *network.input_shape), dtype=np.float32)  # type: ignore[attr-defined]
    for layer in network.layers:  # type: ignore[attr-defined]
        x, _ = layer.witness_forward(x, layer.witness_params(x.shape[1:], rng))


if __name__ == "__main__":
    main()
