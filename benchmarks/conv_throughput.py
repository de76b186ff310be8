"""The engine's forward pass against the same GEMMs run back to back in plain NumPy.

For each model (default VGG-16 and ResNet-50): one forward pass through the layers'
`witness_forward` (weights made beforehand, as the engine's own loop does), against the
matrix products the convolutions and dense layers reduce to (kernels @ im2col columns,
same shapes, operands made beforehand). The two are interleaved, medians of --runs.
Target: the forward pass runs at >= 90% of the GEMMs' rate. Also reports which BLAS
kernel ran (OPENBLAS_CORETYPE may force an older one on this machine).

    python benchmarks/conv_throughput.py [--runs 5] [--models vgg16,resnet50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from timing import machine

from lenetcalc.layers.conv import Conv2d
from lenetcalc.layers.dense import Dense
from lenetcalc.spec import catalog
from lenetcalc.spec.network import Network
from lenetcalc.witness.engine import inputs

Array = np.ndarray[Any, Any]


def blas() -> str:
    """The BLAS library, its kernel (architecture) and threads, as threadpoolctl sees them."""
    forced = {
        k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ
    }
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return f"BLAS unknown (install threadpoolctl); forced: {forced or 'nothing'}"
    found = [
        f"{i['internal_api']} {i.get('version')} kernel {i.get('architecture')},"
        f" {i['num_threads']} threads"
        for i in threadpool_info()
        if i["user_api"] == "blas"
    ]
    return f"{'; '.join(found)}; forced: {forced or 'nothing'}"


def forward(network: Network) -> tuple[Callable[[], None], list[tuple[Array, Array]], int]:
    """A forward pass over made weights, the GEMM operands it implies, and its MACs."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, *network.input_shape), dtype=np.float32)
    values = network.values(x)
    params, gemms, macs = [], [], 0
    for i, layer in enumerate(network.layers):
        x = layer.witness_merge(values.read(i))
        p = layer.witness_params(tuple(x.shape[1:]), rng)
        y, m = layer.witness_forward(x, p)
        params.append(p)
        macs += m
        gemms += _gemms(layer, x, y, rng)
        values.store(i, y.astype(np.float32, copy=False))

    def run() -> None:
        live = network.values(rng.standard_normal((1, *network.input_shape), dtype=np.float32))
        for i, layer in enumerate(network.layers):
            y, _ = layer.witness_forward(layer.witness_merge(inputs(live, i)), params[i])
            live.store(i, y.astype(np.float32, copy=False))

    return run, gemms, macs


def _gemms(
    layer: object, x: Array, y: Array, rng: np.random.Generator
) -> list[tuple[Array, Array]]:
    """The products a conv (per group) or dense layer amounts to, as random operands."""
    if isinstance(layer, Conv2d) and layer.connection_table is None:
        g, (kh, kw) = layer.groups, layer.kernel
        k = x.shape[1] // g * kh * kw
        a = rng.standard_normal((g, layer.filters // g, k), dtype=np.float32)
        b = rng.standard_normal((g, k, y.shape[2] * y.shape[3]), dtype=np.float32)
        return [(a, b)]
    if isinstance(layer, Dense):
        n = x.reshape(x.shape[0], -1).shape[1]
        a = rng.standard_normal((x.shape[0], n), dtype=np.float32)
        return [(a, rng.standard_normal((n, layer.units), dtype=np.float32))]
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--models", default="vgg16,resnet50")
    args = parser.parse_args()
    print(machine())
    print(blas())
    for model in args.models.split(","):
        run, gemms, macs = forward(catalog.resolve(model))
        gemm_macs = sum(a.size * b.shape[-1] for a, b in gemms)  # (g, m, k) @ (g, k, n)

        def products(pairs: list[tuple[Array, Array]] = gemms) -> None:
            for a, b in pairs:
                _ = a @ b

        walls: dict[str, list[float]] = {"forward": [], "gemms": []}
        for _ in range(args.runs):
            for name, fn in (("forward", run), ("gemms", products)):
                start = time.perf_counter()
                fn()
                walls[name].append(time.perf_counter() - start)
        f, g = statistics.median(walls["forward"]), statistics.median(walls["gemms"])
        rounds = [b / a for a, b in zip(walls["forward"], walls["gemms"], strict=True)]
        print(
            f"{model}: forward {macs / 1e9:.2f} GMAC in {f * 1000:.0f} ms"
            f" [{min(walls['forward']) * 1000:.0f}-{max(walls['forward']) * 1000:.0f}]"
            f" = {macs / f / 1e9:.1f} GMAC/s; the same GEMMs ({gemm_macs / 1e9:.2f} GMAC)"
            f" {g * 1000:.0f} ms [{min(walls['gemms']) * 1000:.0f}-"
            f"{max(walls['gemms']) * 1000:.0f}]"
            f" = {gemm_macs / g / 1e9:.1f} GMAC/s"
        )
        print(
            f"  forward rate / GEMM rate: {(macs / f) / (gemm_macs / g):.2f}"
            f" (per round {min(rounds):.2f}-{max(rounds):.2f}; target >= 0.90)"
        )


if __name__ == "__main__":
    main()
