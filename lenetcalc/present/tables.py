"""Report data to neutral tables of strings: the one place numbers become text."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from ..geometry import Shape
from ..report.analysis import Report
from ..report.figures import figure
from ..units import format_bytes
from ..witness import CHECKED

if TYPE_CHECKING:  # compare and verify are loaded by their commands alone
    from ..report.compare import Comparison, Delta, Value
    from ..witness.verify import Check, Verification

T = TypeVar("T")

# The definitions printed under a summary table.
LEGEND_KEYS = ("output_shape", "connections", "macs", "flops")


SHAPES = (
    "Shapes are per sample, batch not shown: 64@112x112 is 64 maps of 112 x 112 values"
    " (channels x height x width); 1000 is a vector of 1,000 values."
)


def legend() -> tuple[str, ...]:
    """One line per figure whose meaning is not obvious from its header."""
    lines = [SHAPES, *(f"{figure(k).header}: {figure(k).definition}" for k in LEGEND_KEYS[1:])]
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
    key: str = ""  # the figure it shows, when it is one
    tree: bool = False  # dotted names, indented by nesting level on a terminal

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
    # Whether the command that shows it takes --columns (the hidden-columns note says so).
    choosable: bool = False


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
    numeric = bool(f.unit) and key != "output_shape"
    return Column(f.header, numeric, hide_rank=hide_rank, key=key, tree=key == "name")


def branched(report: Report) -> bool:
    """Whether any layer reads something other than the layer just above it."""
    above = ["input", *(r.name for r in report.layers)]
    return any(r.inputs != (prev,) for prev, r in zip(above, report.layers, strict=False))


def fmt_bytes(n: int, separators: bool = True) -> str:
    """Bytes in binary units for reading (1.5 MiB), or exact for machines."""
    return format_bytes(n) if separators else str(n)


def with_notes(table: Table, notes: tuple[str, ...]) -> Table:
    """The same table with more notes below it."""
    return replace(table, notes=(*table.notes, *notes))


def fmt_size(n: int, separators: bool = True) -> str:
    """Bytes in binary units for reading (1.5 MiB), or exact for machines."""
    return format_bytes(n) if separators else str(n)


def fmt_mb(n: int) -> str:
    """Bytes as decimal megabytes with two decimals, as torchinfo prints them.

    Integer arithmetic (half up): exact at any size, past a float's range too.
    """
    hundredths = (n + 5_000) // 10_000
    return f"{hundredths // 100:,}.{hundredths % 100:02d}"


def fmt_percent(part: int, whole: int) -> str:
    """A share of a total, one decimal; blank when the total is zero."""
    if not whole:
        return ""
    tenths = (1000 * part + whole // 2) // whole  # integer: exact for any size
    return f"{tenths // 10}.{tenths % 10}%"


_PREFIXES = ("k", "M", "G", "T", "P", "E")


def fmt_human(n: int) -> str:
    """Three significant digits and an SI prefix: 25.6 M, 4.09 G; exact below 1,000."""
    if abs(n) < 1000:
        return str(n)
    value, prefix = float(n) if n.bit_length() < 1000 else float("inf"), ""
    for prefix in _PREFIXES:
        value /= 1000
        if abs(value) < 999.5 or prefix == _PREFIXES[-1]:
            break
    if value == float("inf") or abs(value) >= 999.5:
        return f"{n:.3g}" if n.bit_length() < 1000 else fmt_int(n)  # past exa: exact digits
    digits = 0 if abs(value) >= 99.95 else 1 if abs(value) >= 9.995 else 2
    return f"{value:.{digits}f} {prefix}"


def fmt_count(n: int, units: str = "exact", separators: bool = True) -> str:
    """A count in exact digits or human units (`--units`)."""
    return fmt_human(n) if units == "human" else fmt_int(n, separators)


# On a narrow terminal, verify keeps shapes and parameters longest, as summary does.
_VERIFY_RANK = {
    "trainable_params": 1,
    "macs": 2,
    "connections": 3,
    "non_trainable_params": 4,
    "product_macs": 5,
}
VERIFY_COLUMNS = (
    figure_column("name"),
    *(figure_column(key, _VERIFY_RANK.get(key, 0)) for key in CHECKED),
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
    # The deltas are the point: shapes go first, then Δ%, then a variant's own value;
    # the baseline's value and every Δ stay. Each Δ is labelled with its variant.
    columns = [Column("Layer" if by_layer else "Figure", tree=by_layer)]
    for i, name in enumerate(c.variants):
        if by_layer:
            columns.append(Column("output", hide_rank=3, group=name))
        columns.append(Column(metric or "value", numeric=True, hide_rank=1 if i else 0, group=name))
        if i:
            columns += [
                Column("Δ", numeric=True, group=name),
                Column("Δ%", numeric=True, hide_rank=2, group=name),
            ]
    rows, reshaped = [], False
    for row in c.rows:
        cells = [row.label if by_layer else figure(row.label).name]
        for i, value in enumerate(row.values):
            if by_layer:
                cells.append(_value(row.shapes[i], separators))
            cells.append(_value(value, separators))
            if i:
                cells += _delta_cells(row.deltas[i], separators)
                if separators and isinstance(value, tuple) and value != row.values[0]:
                    cells[-2] = _value(value, separators)  # a shape's Δ: the shape it became
                    reshaped = True
        rows.append(tuple(cells))
    what = f"{metric} by layer" if by_layer else "totals"
    title = f"Comparison of {what}: {c.variants[0]} (baseline) vs {', '.join(c.variants[1:])}"
    shapes = "; for a shape, the variant's shape where it differs" if reshaped else ""
    notes = [f"Δ: difference from the baseline, {c.variants[0]} (the first spec){shapes}."]
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
