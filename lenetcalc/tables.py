"""Report data to neutral tables of strings: the one place numbers become text."""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import Report
from .shapes import Shape
from .verify import Check, Verification, format_bytes

FLOP_LEGEND = (
    "Connections: LeCun's count, one per weight use on an in-bounds input plus one per bias use.",
    "MACs: multiply-accumulates of weighted sums, bias excluded, padded taps included.",
    "FLOPs: 2 per MAC (RBF: 3) + 1 per bias add + pooling window ops;"
    " activation functions not counted.",
    "RF / Jump: receptive field size and spacing of neighbouring units, in input pixels.",
)


@dataclass(frozen=True)
class Column:
    """A column header; numeric columns are right-aligned."""

    header: str
    numeric: bool = False
    # Narrow terminals hide the highest-ranked columns first; 0 is never hidden.
    hide_rank: int = 0


@dataclass(frozen=True)
class Table:
    """Rows of strings ready for any renderer; `total` is the closing totals row."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None = None
    notes: tuple[str, ...] = ()
    # (row, column) of cells to highlight, e.g. figures that failed verification.
    flagged: frozenset[tuple[int, int]] = frozenset()


def fmt_int(n: int, separators: bool = True) -> str:
    """An exact integer, with thousands separators unless asked not to."""
    return f"{n:,}" if separators else str(n)


def fmt_shape(shape: Shape) -> str:
    """LeCun's notation: maps@height x width (6@28x28), or a vector's length."""
    if len(shape) == 3:
        return f"{shape[0]}@{shape[1]}x{shape[2]}"
    return "x".join(str(d) for d in shape)


def fmt_pair(pair: tuple[int, int] | None) -> str:
    """A receptive-field pair: one number when square, "-" when undefined."""
    if pair is None:
        return "-"
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}x{pair[1]}"


SUMMARY_COLUMNS = (
    Column("Layer"),
    Column("Type"),
    Column("Output"),
    Column("Trainable", numeric=True),
    Column("Fixed", numeric=True, hide_rank=1),
    Column("Connections", numeric=True),
    Column("MACs", numeric=True, hide_rank=6),
    Column("FLOPs", numeric=True, hide_rank=5),
    Column("RF", numeric=True, hide_rank=2),
    Column("Jump", numeric=True, hide_rank=3),
    Column("Activations", numeric=True, hide_rank=4),
)


def summary_table(report: Report, separators: bool = True) -> Table:
    """The per-layer table of a report, with a totals row, totals line and legend."""

    def num(n: int) -> str:
        return fmt_int(n, separators)

    rows = tuple(
        (
            r.name,
            r.type,
            fmt_shape(r.output_shape),
            num(r.trainable_params),
            num(r.non_trainable_params),
            num(r.connections),
            num(r.macs),
            num(r.flops),
            fmt_pair(r.rf_size),
            fmt_pair(r.rf_jump),
            num(r.activations),
        )
        for r in report.layers
    )
    t = report.totals
    total = ("Total", "", fmt_shape(report.output_shape), num(t.trainable_params),
             num(t.non_trainable_params), num(t.connections), num(t.macs), num(t.flops),
             "", "", num(t.activations))  # fmt: skip
    title = f"{report.name}: input {fmt_shape(report.input_shape)}"
    return Table(title, SUMMARY_COLUMNS, rows, total, (totals_line(report), *FLOP_LEGEND))


def totals_line(report: Report) -> str:
    """One sentence with the headline totals."""
    t = report.totals
    return (
        f"Params: {fmt_int(t.params)} ({fmt_int(t.trainable_params)} trainable,"
        f" {fmt_int(t.non_trainable_params)} fixed). Connections: {fmt_int(t.connections)}."
        f" MACs: {fmt_int(t.macs)}. FLOPs: {fmt_int(t.flops)}."
    )


VERIFY_COLUMNS = (
    Column("Layer"),
    Column("Output"),
    Column("Trainable", numeric=True),
    Column("Fixed", numeric=True),
    Column("Connections", numeric=True),
    Column("MACs", numeric=True),
)


def _check_cell(check: Check) -> str:
    def show(value: int | tuple[int, ...]) -> str:
        return fmt_shape(value) if isinstance(value, tuple) else fmt_int(value)

    if check.agrees:
        return f"{show(check.analytic)} ✓"
    return f"{show(check.analytic)} ≠ {show(check.measured)} ✗"


def verify_table(v: Verification) -> Table:
    """Analytic against measured, per layer and figure, with the verdict below."""
    rows = tuple((layer.name, *(_check_cell(c) for c in layer.checks)) for layer in v.layers)
    flagged = frozenset(
        (i, j + 1)
        for i, layer in enumerate(v.layers)
        for j, check in enumerate(layer.checks)
        if not check.agrees
    )
    title = f"{v.name}: formulas (left) against the NumPy engine"
    return Table(title, VERIFY_COLUMNS, rows, None, (verdict(v),), flagged)


def verdict(v: Verification) -> str:
    """One line: do the formulas and the engine agree?"""
    checks = v.checks
    run = (
        f"NumPy engine, batch {v.batch}, seed {v.seed}, est. peak {format_bytes(v.estimated_bytes)}"
    )
    if v.agrees:
        return f"Verified: all {len(checks)} figures agree with the {run}."
    wrong = sum(not c.agrees for c in checks)
    return f"NOT verified: {wrong} of {len(checks)} figures disagree with the {run}."
