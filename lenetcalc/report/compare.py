"""Several reports side by side: aligned rows, each variant's delta from the first."""

from __future__ import annotations

from dataclasses import dataclass

from ..geometry import Shape
from .analysis import Report
from .figures import METRICS

Value = int | Shape | None  # None: the layer is absent from that variant


@dataclass(frozen=True)
class Delta:
    """A variant's difference from the baseline; no percent when the baseline is 0."""

    absolute: int
    percent: float | None


@dataclass(frozen=True)
class Row:
    """One aligned row: a value per variant, and a delta per non-baseline variant."""

    label: str  # a figure key (totals) or a layer name (by layer)
    values: tuple[Value, ...]
    deltas: tuple[Delta | None, ...]
    shapes: tuple[Shape | None, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """Variants (the first is the baseline) and their aligned rows."""

    variants: tuple[str, ...]
    view: str  # "totals" or "by-layer"
    metric: str | None
    rows: tuple[Row, ...]


def _delta(base: Value, value: Value) -> Delta | None:
    if not isinstance(base, int) or not isinstance(value, int):
        return None
    diff = value - base
    return Delta(diff, 100.0 * diff / base if base else None)


def _row(label: str, values: list[Value], shapes: tuple[Shape | None, ...] = ()) -> Row:
    deltas = (None, *(_delta(values[0], v) for v in values[1:]))
    return Row(label, tuple(values), deltas, shapes)


# The whole-network figures `compare` shows, by key in the table of figures.
TOTAL_KEYS = (
    "trainable_params",
    "non_trainable_params",
    "connections",
    "macs",
    "flops",
    "input_shape",
    "output_shape",
    "activations",
    "depth",
)


def _total(report: Report, key: str) -> Value:
    if key == "depth":
        return len(report.layers)
    if key in ("input_shape", "output_shape"):
        return getattr(report, key)  # type: ignore[no-any-return]
    return getattr(report.totals, key)  # type: ignore[no-any-return]


def compare_totals(reports: list[Report]) -> Comparison:
    """Whole-network figures of each variant."""
    rows = [_row(key, [_total(r, key) for r in reports]) for key in TOTAL_KEYS]
    return Comparison(tuple(r.name for r in reports), "totals", None, tuple(rows))


def align(name_lists: list[list[str]]) -> list[str]:
    """All layer names in one order: the baseline's, with each other variant's extra
    layers inserted after the last layer it shares with what came before."""
    order = list(name_lists[0])
    for names in name_lists[1:]:
        at = 0
        for name in names:
            if name in order:
                at = order.index(name) + 1
            else:
                order.insert(at, name)
                at += 1
    return order


def compare_layers(reports: list[Report], metric: str) -> Comparison:
    """One figure per layer per variant, rows aligned by layer name."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}")
    by_name = [{rec.name: rec for rec in r.layers} for r in reports]
    rows = []
    for name in align([[rec.name for rec in r.layers] for r in reports]):
        records = [layers.get(name) for layers in by_name]
        values: list[Value] = [getattr(rec, metric) if rec else None for rec in records]
        shapes = tuple(rec.output_shape if rec else None for rec in records)
        rows.append(_row(name, values, shapes))
    return Comparison(tuple(r.name for r in reports), "by-layer", metric, tuple(rows))
