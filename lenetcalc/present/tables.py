"""Report data to neutral tables of strings: the one place numbers become text."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from ..geometry import Shape
from ..report.analysis import Report
from ..report.figures import figure
from ..report.memory import Memory
from ..units import format_bytes
from ..witness.verify import CHECKED, Check, Verification

if TYPE_CHECKING:  # compare is loaded by the compare command alone
    from ..report.compare import Comparison, Delta, Value

T = TypeVar("T")

# The definitions printed under a summary table.
LEGEND_KEYS = ("output_shape", "connections", "macs", "flops")


def legend() -> tuple[str, ...]:
    """One line per figure whose meaning is not obvious from its header."""
    lines = [f"{figure(k).header}: {figure(k).definition}" for k in LEGEND_KEYS]
    rf, jump = figure("rf_size"), figure("rf_jump")
    lines.append(f"{rf.header} / {jump.header}: {rf.definition[:-1]}; {jump.definition.lower()}")
    return tuple(lines)


@dataclass(frozen=True)
class Column:
    """A column header; numeric columns are right-aligned."""

    header: str
    numeric: bool = False
    # Narrow terminals hide the highest-ranked columns first; 0 is never hidden.
    hide_rank: int = 0
    # Columns of one variant share a group, shown above (Rich) or before the header.
    group: str = ""

    @property
    def title(self) -> str:
        """Group and header on one line, for Markdown and CSV."""
        return f"{self.group} {self.header}".strip()


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
    """LeCun's notation: maps@height x width (6@28x28), tokens x features (197x768), or a
    vector's length."""
    if len(shape) == 3:
        return f"{shape[0]}@{shape[1]}x{shape[2]}"
    return "x".join(str(d) for d in shape)


def fmt_pair(pair: tuple[int, int] | None) -> str:
    """A receptive-field pair: one number when square, "-" when undefined."""
    if pair is None:
        return "-"
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}x{pair[1]}"


def figure_column(key: str, hide_rank: int = 0) -> Column:
    """The column of a figure, its header from the table of figures."""
    f = figure(key)
    return Column(f.header, numeric=bool(f.unit) and key != "output_shape", hide_rank=hide_rank)


SUMMARY_KEYS = ("name", "type", "inputs", "output_shape", "trainable_params",
                "non_trainable_params", "connections", "macs", "product_macs", "flops", "rf_size",
                "rf_jump", "activations", "activation_bytes")  # fmt: skip
# Narrow terminals hide the highest rank first; 0 is never hidden.
_HIDE_RANK = {"inputs": 2, "macs": 3, "product_macs": 3, "flops": 4, "non_trainable_params": 5,
              "rf_size": 6, "rf_jump": 7, "activations": 8, "activation_bytes": 9}  # fmt: skip
SUMMARY_COLUMNS = tuple(figure_column(k, _HIDE_RANK.get(k, 0)) for k in SUMMARY_KEYS)


def branched(report: Report) -> bool:
    """Whether any layer reads something other than the layer just above it."""
    above = ["input", *(r.name for r in report.layers)]
    return any(r.inputs != (prev,) for prev, r in zip(above, report.layers, strict=False))


def fmt_bytes(n: int, separators: bool = True) -> str:
    """Bytes in binary units for reading (1.5 MiB), or exact for machines."""
    return format_bytes(n) if separators else str(n)


def summary_table(report: Report, memory: Memory, separators: bool = True) -> Table:
    """The per-layer table of a report, with a totals row, totals and memory lines, legend.

    A network with branches gets an Inputs column after Type.
    """

    def num(n: int) -> str:
        return fmt_int(n, separators)

    rows = tuple(
        (
            r.name,
            r.type,
            ", ".join(r.inputs),
            fmt_shape(r.output_shape),
            num(r.trainable_params),
            num(r.non_trainable_params),
            num(r.connections),
            num(r.macs),
            num(r.product_macs),
            num(r.flops),
            fmt_pair(r.rf_size),
            fmt_pair(r.rf_jump),
            num(r.activations),
            fmt_bytes(memory.activation_bytes(r), separators),
        )
        for r in report.layers
    )
    t = report.totals
    total = ("Total", "", "", fmt_shape(report.output_shape), num(t.trainable_params),
             num(t.non_trainable_params), num(t.connections), num(t.macs), num(t.product_macs),
             num(t.flops), "", "", num(t.activations), "")  # fmt: skip
    title = f"{report.name}: input {fmt_shape(report.input_shape)}"
    notes = (totals_line(report, separators), memory_line(memory, separators), *legend())
    table = Table(title, SUMMARY_COLUMNS, rows, total, notes)
    if not t.product_macs:  # the column only for networks that multiply activations
        table = without_column(table, SUMMARY_KEYS.index("product_macs"))
    return table if branched(report) else without_column(table, 2)


def with_notes(table: Table, notes: tuple[str, ...]) -> Table:
    """The same table with more notes below it."""
    return replace(table, notes=(*table.notes, *notes))


def without_column(table: Table, index: int) -> Table:
    """The same table less one column (flagged cells are not moved: use before flagging)."""
    total = _drop(table.total, index) if table.total else None
    rows = tuple(_drop(row, index) for row in table.rows)
    return Table(table.title, _drop(table.columns, index), rows, total, table.notes)


def _drop(cells: tuple[T, ...], index: int) -> tuple[T, ...]:
    return cells[:index] + cells[index + 1 :]


def memory_line(memory: Memory, separators: bool = True) -> str:
    """One sentence with the memory estimates (conventions.md defines them)."""

    def size(n: int) -> str:
        return fmt_bytes(n, separators)

    training = memory.training_bytes
    return (
        f"Memory ({memory.dtype}, batch {memory.batch}): parameters {size(memory.param_bytes)};"
        f" inference activations {size(memory.inference_peak_bytes)} at peak; training about"
        f" {size(training['sgd-momentum'])} with SGD-momentum, {size(training['adam'])} with Adam."
    )


def totals_line(report: Report, separators: bool = True) -> str:
    """One sentence with the headline totals."""
    t = report.totals

    def num(n: int) -> str:
        return fmt_int(n, separators)

    products = ""
    if t.product_macs:
        whole = num(t.macs + t.product_macs)
        products = f" Activation-product MACs: {num(t.product_macs)} (all MACs: {whole})."
    return (
        f"Params: {num(t.params)} ({num(t.trainable_params)} trainable,"
        f" {num(t.non_trainable_params)} non-trainable). Connections: {num(t.connections)}."
        f" MACs: {num(t.macs)}.{products} FLOPs: {num(t.flops)}."
    )


VERIFY_COLUMNS = (figure_column("name"), *(figure_column(key) for key in CHECKED))


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
    run = f"NumPy engine, batch {v.batch}, seed {v.seed}, est. peak {fmt_bytes(v.estimated_bytes)}"
    if v.agrees:
        return f"Verified: all {len(checks)} figures agree with the {run}."
    wrong = sum(not c.agrees for c in checks)
    return f"NOT verified: {wrong} of {len(checks)} figures disagree with the {run}."


def _value(value: Value, separators: bool) -> str:
    if value is None:
        return "—" if separators else ""
    return fmt_shape(value) if isinstance(value, tuple) else fmt_int(value, separators)


def _delta_cells(delta: Delta | None, separators: bool) -> tuple[str, str]:
    """Absolute and percent change, signed; blank where there is nothing to compare."""
    if delta is None:
        return ("", "")
    sign = "+" if delta.absolute > 0 and separators else ""  # CSV keeps raw integers
    absolute = sign + fmt_int(delta.absolute, separators)
    if delta.percent is None:
        return (absolute, "")
    percent = f"{delta.percent:+.1f}%" if separators else f"{delta.percent:.4f}"
    return (absolute, percent)


def comparison_table(c: Comparison, separators: bool = True) -> Table:
    """A comparison as one table: the baseline's values, then value, Δ and Δ% per variant."""
    by_layer = c.view == "by-layer"
    metric = figure(c.metric).name if c.metric else ""
    columns = [Column("Layer" if by_layer else "Figure")]
    for i, name in enumerate(c.variants):
        if by_layer:
            columns.append(Column("output", hide_rank=2, group=name))
        columns.append(Column(metric or "value", numeric=True, group=name))
        if i:
            columns += [
                Column("Δ", numeric=True, hide_rank=1, group=name),
                Column("Δ%", numeric=True, hide_rank=3, group=name),
            ]
    rows = []
    for row in c.rows:
        cells = [row.label if by_layer else figure(row.label).name]
        for i, value in enumerate(row.values):
            if by_layer:
                cells.append(_value(row.shapes[i], separators))
            cells.append(_value(value, separators))
            if i:
                cells += _delta_cells(row.deltas[i], separators)
        rows.append(tuple(cells))
    what = f"{metric} by layer" if by_layer else "totals"
    title = f"Comparison of {what}: {c.variants[0]} (baseline) vs {', '.join(c.variants[1:])}"
    notes = [f"Δ: difference from the baseline, {c.variants[0]} (the first spec)."]
    if by_layer:
        notes.append("Rows are aligned by layer name; — marks a layer a variant does not have.")
    return Table(title, tuple(columns), tuple(rows), None, tuple(notes))


def stacked(tables: list[tuple[str, Table]]) -> Table:
    """Several tables as one, with a leading Network column (totals become rows)."""
    first = tables[0][1]
    rows = tuple(
        (name, *row)
        for name, table in tables
        for row in (*table.rows, *((table.total,) if table.total else ()))
    )
    return Table("", (Column("Network"), *first.columns), rows)
