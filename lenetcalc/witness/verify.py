"""Compare the analytic report with what the NumPy engine measures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import LenetcalcError
from ..report.analysis import Report
from ..report.memory import witness_peak_bytes
from ..spec.network import Network
from ..units import format_bytes
from . import CHECKED, DEFAULT_MAX_MEMORY

# Told (index, count, name) before the engine runs each layer.
Progress = Callable[[int, int, str], None]


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


def verify(
    network: Network,
    report: Report,
    batch: int = 1,
    seed: int = 0,
    max_memory: int = DEFAULT_MAX_MEMORY,
    progress: Progress | None = None,
) -> Verification:
    """Run the engine (after checking its memory estimate) and compare every figure."""
    estimate = witness_peak_bytes(network, report, batch)
    if estimate > max_memory:
        need = f"verify {network.name} would need about {format_bytes(estimate)} (estimated peak)"
        if estimate > 2**50:  # no machine has a pebibyte of memory
            raise MemoryLimitError(f"{need}: no machine can run it; reduce the sizes")
        raise MemoryLimitError(
            f"{need}, over the {format_bytes(max_memory)} limit: raise it with --max-memory"
            f" {format_bytes(2 * estimate).replace(' ', '')} or use a smaller --batch"
        )
    from . import engine  # NumPy is imported only when a verification runs

    observations = engine.run(network, batch, seed, progress)
    layers = tuple(
        LayerChecks(r.name, tuple(Check(f, getattr(r, f), getattr(o, f)) for f in CHECKED))
        for r, o in zip(report.layers, observations, strict=True)
    )
    return Verification(network.name, batch, seed, layers, estimate)
