"""A Report as JSON-ready data: the machine-readable contract of `--format json`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..report.analysis import COUNTS, Counts, LayerRecord, Report, fold
from ..report.headline import headline
from ..report.memory import Memory
from .tables import Table

if TYPE_CHECKING:  # compare and verify are loaded by their commands alone
    from ..report.compare import Comparison, Delta
    from ..witness.verify import Verification

SCHEMA_VERSION = 1
# The published JSON Schema every command's output follows (docs/json.md).
SCHEMA_FILE = "schemas/lenetcalc.schema.json"


def schema() -> dict[str, Any]:
    """The JSON Schema of `--format json`, as shipped in the package."""
    import json
    from importlib import resources

    text = resources.files("lenetcalc").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _counts(c: Counts) -> dict[str, int]:
    return {"params": c.params, **{name: getattr(c, name) for name in COUNTS}}


def _layer(r: LayerRecord) -> dict[str, Any]:
    rf = {"size": list(r.rf_size), "jump": list(r.rf_jump)} if r.rf_size and r.rf_jump else None
    return {
        "name": r.name,
        "type": r.type,
        "inputs": list(r.inputs),
        "input_shape": list(r.input_shape),
        "output_shape": list(r.output_shape),
        **_counts(r),
        "receptive_field": rf,
    }


def report_to_dict(
    report: Report, memory: Memory | None = None, depth: int | None = None
) -> dict[str, Any]:
    """Name, shapes, per-layer figures and totals (and memory); shapes exclude the batch.

    With `depth`, the layers are folded to blocks (`--depth`); totals stay the network's.
    """
    data = _report(report)
    shown = fold(report, depth) if depth else report
    data["layers"] = [_layer(r) for r in shown.layers]
    if memory is not None:
        for layer, record in zip(data["layers"], shown.layers, strict=True):
            layer["activation_bytes"] = memory.activation_bytes(record)
        sizes = headline(report, memory)
        data["memory"] = {
            "dtype": memory.dtype,
            "batch": memory.batch,
            "param_bytes": memory.param_bytes,
            "input_bytes": sizes.input_bytes,
            "forward_backward_bytes": sizes.forward_backward_bytes,
            "estimated_total_bytes": sizes.total_bytes,
            "inference_peak_bytes": memory.inference_peak_bytes,
            "training_bytes": memory.training_bytes,
        }
    return data


def collection_to_dict(
    analyses: list[tuple[Report, Memory]], depth: int | None = None
) -> dict[str, Any]:
    """Several reports, as `export -f json` writes them (folded to `depth`, if given)."""
    networks = [report_to_dict(r, m, depth) for r, m in analyses]
    return {"schema_version": SCHEMA_VERSION, "networks": networks}


def _report(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "name": report.name,
        "description": report.description,
        "source": report.source,
        "input_shape": list(report.input_shape),
        "output_shape": list(report.output_shape),
        "layers": [_layer(r) for r in report.layers],
        "totals": {
            **_counts(report.totals),
            "running_statistics": headline(report).running_statistics,
        },
    }


def verification_to_dict(v: Verification) -> dict[str, Any]:
    """Per layer and figure: analytic, measured, agree; then the overall verdict."""
    return {
        "schema_version": SCHEMA_VERSION,
        "name": v.name,
        "batch": v.batch,
        "seed": v.seed,
        "estimated_peak_bytes": v.estimated_bytes,
        "agree": v.agrees,
        "figures_checked": len(v.checks),
        "disagreements": sum(not c.agrees for c in v.checks),
        "layers": [
            {
                "name": layer.name,
                "checks": {
                    c.figure: {
                        "analytic": list(c.analytic)
                        if isinstance(c.analytic, tuple)
                        else c.analytic,
                        "measured": list(c.measured)
                        if isinstance(c.measured, tuple)
                        else c.measured,
                        "agree": c.agrees,
                    }
                    for c in layer.checks
                },
            }
            for layer in v.layers
        ],
    }


def _delta(d: Delta | None) -> dict[str, Any] | None:
    if d is None:
        return None
    # Percent to 4 decimals: a figure for people, the absolute delta stays exact.
    percent = None if d.percent is None else round(d.percent, 4)
    return {"absolute": d.absolute, "percent": percent}


def comparison_to_dict(c: Comparison) -> dict[str, Any]:
    """Aligned rows with one value and one delta per variant (the baseline's delta is null)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "variants": list(c.variants),
        "baseline": c.variants[0],
        "view": c.view,
        "metric": c.metric,
        "rows": [
            {
                ("layer" if c.view == "by-layer" else "figure"): row.label,
                "values": [list(v) if isinstance(v, tuple) else v for v in row.values],
                "deltas": [_delta(d) for d in row.deltas],
                **(
                    {"output_shapes": [list(s) if s else None for s in row.shapes]}
                    if row.shapes
                    else {}
                ),
            }
            for row in c.rows
        ],
    }


def table_to_dict(table: Table) -> dict[str, Any]:
    """A neutral table as JSON: its title, and one object per row keyed by header."""
    headers = [c.title for c in table.columns]
    return {
        "title": table.title,
        "rows": [dict(zip(headers, row, strict=True)) for row in table.rows],
    }
