"""A Report as JSON-ready data: the machine-readable contract of `--format json`."""

from __future__ import annotations

from typing import Any

from .analysis import COUNTS, Counts, LayerRecord, Report

SCHEMA_VERSION = 1


def _counts(c: Counts) -> dict[str, int]:
    return {"params": c.params, **{name: getattr(c, name) for name in COUNTS}}


def _layer(r: LayerRecord) -> dict[str, Any]:
    rf = {"size": list(r.rf_size), "jump": list(r.rf_jump)} if r.rf_size and r.rf_jump else None
    return {
        "name": r.name,
        "type": r.type,
        "input_shape": list(r.input_shape),
        "output_shape": list(r.output_shape),
        **_counts(r),
        "receptive_field": rf,
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """Name, shapes, per-layer figures and totals; shapes exclude the batch."""
    return {
        "schema_version": SCHEMA_VERSION,
        "name": report.name,
        "description": report.description,
        "source": report.source,
        "input_shape": list(report.input_shape),
        "output_shape": list(report.output_shape),
        "layers": [_layer(r) for r in report.layers],
        "totals": _counts(report.totals),
    }
