"""Compare the analytic report with what the NumPy engine measures."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from ..errors import LenetcalcError
from ..report.analysis import LayerRecord, Report
from ..report.memory import live_bytes
from ..spec.network import Network

# The figures the engine measures, in display order.
CHECKED = ("output_shape", "trainable_params", "non_trainable_params", "connections", "macs")
DEFAULT_MAX_MEMORY = 4 * 2**30


@dataclass(frozen=True)
class Check:
    """One figure of one layer: the formula's value and the engine's."""

    figure: str
    analytic: int | tuple[int, ...]
    measured: int | tuple[int, ...]

    @property
    def agrees(self) -> bool:
        """Whether the two are exactly equal."""
        return self.analytic == self.measured


@dataclass(frozen=True)
class LayerChecks:
    """Every checked figure of one layer."""

    name: str
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class Verification:
    """The outcome of cross-checking a whole network."""

    name: str
    batch: int
    seed: int
    layers: tuple[LayerChecks, ...]
    estimated_bytes: int

    @property
    def checks(self) -> list[Check]:
        """All checks, layer by layer."""
        return [c for layer in self.layers for c in layer.checks]

    @property
    def agrees(self) -> bool:
        """True when every figure matches."""
        return all(c.agrees for c in self.checks)


class MemoryLimitError(LenetcalcError):
    """The engine would need more memory than allowed."""


PROCESS_BYTES = 64 * 2**20  # the interpreter, NumPy and lenetcalc themselves


def estimate_peak_bytes(network: Network, report: Report, batch: int) -> int:
    """An upper estimate of the engine's peak memory, from the analytic shapes.

    While a layer runs: every activation still alive along the graph and a padded copy of
    its input (float32, whole batch), the window matrix of a convolution, and its
    parameters twice; the counting pass needs the same for one sample in float64. The
    largest layer's need, plus the process itself.
    """
    layers = {layer.name: layer for layer in network.layers}
    live = live_bytes(network, report, batch, 4)
    worst = 0
    for r, alive in zip(report.layers, live, strict=True):
        window = _window_elements(layers[r.name], r)
        forward = alive + 4 * (batch * (prod(r.input_shape) + window) + 2 * r.params)
        counting = 8 * (prod(r.input_shape) + window + r.activations + r.params)
        worst = max(worst, forward, counting)
    return worst + PROCESS_BYTES


def _window_elements(layer: object, r: LayerRecord) -> int:
    """Elements of the window matrix a layer builds per sample (im2col, gathers)."""
    if r.type == "conv2d":
        if getattr(layer, "connection_table", None) is None:
            return r.macs // r.output_shape[0]  # (H_out·W_out, C·k_h·k_w)
        return 2 * r.macs  # gathered windows and per-pair products
    return r.macs if r.type == "subsample" else 0


def verify(
    network: Network, report: Report, batch: int = 1, seed: int = 0,
    max_memory: int = DEFAULT_MAX_MEMORY,
) -> Verification:  # fmt: skip
    """Run the engine (after checking its memory estimate) and compare every figure."""
    estimate = estimate_peak_bytes(network, report, batch)
    if estimate > max_memory:
        need = f"verify {network.name} would need about {format_bytes(estimate)} (estimated peak)"
        if estimate > 2**50:  # no machine has a pebibyte of memory
            raise MemoryLimitError(f"{need}: no machine can run it; reduce the sizes")
        raise MemoryLimitError(
            f"{need}, over the {format_bytes(max_memory)} limit: raise it with --max-memory"
            f" {format_bytes(2 * estimate).replace(' ', '')} or use a smaller --batch"
        )
    from . import engine  # NumPy is imported only when a verification runs

    observations = engine.run(network, batch, seed)
    layers = tuple(
        LayerChecks(r.name, tuple(Check(f, getattr(r, f), getattr(o, f)) for f in CHECKED))
        for r, o in zip(report.layers, observations, strict=True)
    )
    return Verification(network.name, batch, seed, layers, estimate)


def format_bytes(n: int) -> str:
    """Bytes in binary units: 512 B, 3.2 MiB, 4 GiB."""
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if size < 1024 or unit == "PiB":
            return f"{size:.0f} {unit}" if size == int(size) else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def parse_bytes(text: str) -> int:
    """`8GiB`, `512MiB`, `2GB` or a plain byte count."""
    units = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
             "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}  # fmt: skip
    cleaned = text.strip().upper().replace(" ", "")
    number = cleaned.rstrip("KMGTIB")
    try:
        value = float(number)
    except ValueError:
        value = -1.0
    unit = cleaned[len(number) :]
    if value <= 0 or unit not in units:
        raise LenetcalcError(f"'{text}' is not a memory size: write e.g. 8GiB, 512MiB or 2GB")
    return int(value * units[unit])
