"""Tidy CSV: one header for every network, one kind of value per column, units in names.

`csv.DictReader` reads every row right: a `network` column, a `row` column that marks
the totals (`total`) apart from the layers (`layer`), receptive fields as integer pairs.
"""

from __future__ import annotations

from ..geometry import Shape
from ..report.analysis import Counts, LayerRecord, Report, fold
from ..report.memory import Memory
from .tables import Column, Table

HEADERS = (
    "network",
    "row",
    "layer",
    "type",
    "inputs",
    "input_shape",
    "output_shape",
    "trainable_params",
    "non_trainable_params",
    "params",
    "connections",
    "macs",
    "product_macs",
    "flops",
    "rf_height_px",
    "rf_width_px",
    "jump_height_px",
    "jump_width_px",
    "activations",
    "memory_bytes",
)


def _shape(shape: Shape) -> str:
    """C x H x W (or a length), digits and `x` only: one kind of value."""
    return "x".join(str(d) for d in shape)


def _counts(c: Counts) -> tuple[str, ...]:
    return tuple(
        str(n)
        for n in (
            c.trainable_params,
            c.non_trainable_params,
            c.params,
            c.connections,
            c.macs,
            c.product_macs,
            c.flops,
        )
    )


def _layer(network: str, r: LayerRecord, memory: Memory) -> tuple[str, ...]:
    rf = (*(r.rf_size or ("", "")), *(r.rf_jump or ("", "")))
    return (
        network,
        "layer",
        r.name,
        r.type,
        ";".join(r.inputs),
        _shape(r.input_shape),
        _shape(r.output_shape),
        *_counts(r),
        *(str(v) for v in rf),
        str(r.activations),
        str(memory.activation_bytes(r)),
    )


def _total(report: Report) -> tuple[str, ...]:
    # Memory per row is one output's bytes; its sum is no memory figure, so it stays blank.
    t = report.totals
    return (
        report.name,
        "total",
        "",
        "",
        "",
        _shape(report.input_shape),
        _shape(report.output_shape),
        *_counts(t),
        "",
        "",
        "",
        "",
        str(t.activations),
        "",
    )


def tidy_table(analyses: list[tuple[Report, Memory]], depth: int | None = None) -> Table:
    """Every network's layers (folded to `depth`, as the other formats) and totals under
    one header."""
    rows = []
    for report, memory in analyses:
        report = fold(report, depth) if depth else report
        rows += [_layer(report.name, r, memory) for r in report.layers]
        rows.append(_total(report))
    return Table("", tuple(Column(h) for h in HEADERS), tuple(rows))
