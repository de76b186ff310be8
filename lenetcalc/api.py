"""The Python API: load a spec, analyse it, verify it, compare variants.

The `lenetcalc` command is a thin layer over exactly these functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import LenetcalcError
from .report.analysis import Report
from .spec.network import Network
from .witness import DEFAULT_MAX_MEMORY

if TYPE_CHECKING:  # verify and compare load only when called
    from .report.compare import Comparison
    from .report.memory import Memory
    from .witness.verify import Progress, Verification

Spec = str | Path | Mapping[str, Any] | Network


def load(
    spec: Spec,
    overrides: Mapping[str, str] | None = None,
    note: Callable[[str], None] | None = None,
) -> Network:
    """A validated network from a built-in name, a path, YAML text or a dict.

    `overrides` are `--set` pairs (`{"width": "32", "input": "1x28x28"}`); `note` hears
    when a missing `NAME.yaml` falls back to the built-in NAME.
    """
    from .spec import catalog
    from .spec.reader import load_text
    from .spec.source import load_file

    if isinstance(spec, Network):
        if overrides:
            raise LenetcalcError(
                "overrides apply while a spec is read: pass the spec, not a Network"
            )
        return spec
    overrides = _as_text(overrides or {})
    if isinstance(spec, Mapping):
        return load_text(_dumped(spec), "<dict>", overrides)
    if isinstance(spec, Path):
        return load_file(spec, str(spec), overrides)
    if not isinstance(spec, str):
        raise TypeError(
            "spec must be a built-in name, a path, YAML text, a mapping or a Network,"
            f" not {type(spec).__name__}"
        )
    if not spec.strip():
        raise LenetcalcError("the spec is empty: give a built-in name, a path or YAML text")
    if _yaml_text(spec):
        return load_text(spec, "<text>", overrides)
    return catalog.resolve(spec, overrides, note)


def _as_text(overrides: Mapping[str, object]) -> dict[str, str]:
    """Overrides as the command line gives them: 32 as "32", True as "true"."""

    def text(value: object) -> str:
        return str(value).lower() if isinstance(value, bool) else str(value)

    return {name: text(value) for name, value in overrides.items()}


def _dumped(spec: Mapping[str, Any]) -> str:
    """A dict spec as YAML text, so that it is read, checked and located like a file."""
    import yaml

    try:
        return yaml.safe_dump(dict(spec), sort_keys=False)
    except yaml.YAMLError as e:  # a value YAML cannot write: numpy.int64, an object
        raise LenetcalcError(f"the dict holds a value that is not plain YAML: {e}") from None


def _at_least(name: str, value: int, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise LenetcalcError(f"{name} must be an integer >= {low}, got {value!r}")


def _yaml_text(spec: str) -> bool:
    """Whether a string is a spec's YAML rather than a name or path: several lines, or
    one line of a mapping (`name: t` or `{name: t, ...}`) that is no existing file."""
    if "\n" in spec:
        return True
    from .spec.source import found

    return (": " in spec or spec.lstrip().startswith("{")) and not found(Path(spec))


def analyze(spec: Spec) -> Report:
    """Every figure of every layer, and the totals."""
    from .report.analysis import analyze as analyze_network

    return analyze_network(load(spec))


def memory(spec: Spec, dtype: str = "float32", batch: int = 1) -> Memory:
    """Parameter, inference and training memory at `dtype` and `batch`."""
    from .report.memory import DTYPES, estimate

    if not isinstance(dtype, str) or dtype not in DTYPES:
        raise LenetcalcError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    _at_least("batch", batch, 1)
    network = load(spec)
    return estimate(network, analyze(network), dtype, batch)


def verify(
    spec: Spec,
    batch: int = 1,
    seed: int = 0,
    max_memory: int = DEFAULT_MAX_MEMORY,
    progress: Progress | None = None,
) -> Verification:
    """Run the network in the NumPy engine and compare every measured figure."""
    from .witness.verify import verify as run

    _at_least("batch", batch, 1)
    _at_least("seed", seed, 0)
    _at_least("max_memory", max_memory, 1)
    network = load(spec)
    return run(network, analyze(network), batch, seed, max_memory, progress)


def compare(*specs: Spec | Report, by_layer: bool = False, metric: str = "params") -> Comparison:
    """Two or more variants side by side; the first is the baseline for every delta."""
    from .report import compare as comparing
    from .report.figures import METRICS

    if len(specs) < 2:
        raise LenetcalcError("compare needs at least two specs (the first is the baseline)")
    if metric not in METRICS:
        raise LenetcalcError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")
    reports = [spec if isinstance(spec, Report) else analyze(spec) for spec in specs]
    if by_layer:
        return comparing.compare_layers(reports, metric)
    return comparing.compare_totals(reports)
