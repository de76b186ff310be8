"""A report as the tables people read: per-layer rows, then a totals block like torchinfo's.

Numbers become text here (through `tables`), in exact digits or human units (25.6 M).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..report.analysis import LayerRecord, Report, fold
from ..report.figures import figure
from ..report.headline import Headline, headline
from ..report.memory import Memory
from . import columns
from .tables import (
    Column,
    Table,
    branched,
    fmt_count,
    fmt_int,
    fmt_mb,
    fmt_pair,
    fmt_percent,
    fmt_shape,
    fmt_size,
    legend,
)

UNITS = ("exact", "human")


@dataclass(frozen=True)
class View:
    """How a summary is shown: which columns, in what units, with shares or not."""

    columns: tuple[str, ...] | None = None  # None: the default for the network
    units: str = "exact"
    share: bool = False
    separators: bool = True  # exact digits with thousands separators
    depth: int | None = None  # fold rows to this many parts of their dotted names


Cell = Callable[[LayerRecord], str]


def _cells(report: Report, memory: Memory | None, view: View) -> dict[str, Cell]:
    """How each column's cell reads a layer record."""

    def num(n: int) -> str:
        return fmt_count(n, view.units, view.separators)

    t, names = report.totals, {r.name for r in report.layers}
    return {
        "name": lambda r: r.name,
        "type": lambda r: r.type,
        "inputs": lambda r: ", ".join(_at_level(name, names) for name in r.inputs),
        "input_shape": lambda r: fmt_shape(r.input_shape),
        "output_shape": lambda r: fmt_shape(r.output_shape),
        "params": lambda r: num(r.params),
        "trainable_params": lambda r: num(r.trainable_params),
        "non_trainable_params": lambda r: num(r.non_trainable_params),
        "connections": lambda r: num(r.connections),
        "macs": lambda r: num(r.macs),
        "product_macs": lambda r: num(r.product_macs),
        "flops": lambda r: num(r.flops),
        "rf_size": lambda r: fmt_pair(r.rf_size),
        "rf_jump": lambda r: fmt_pair(r.rf_jump),
        "activations": lambda r: num(r.activations),
        "activation_bytes": lambda r: (
            fmt_size(memory.activation_bytes(r), view.separators) if memory else ""
        ),
        "params_share": lambda r: fmt_percent(r.params, t.params),
        "macs_share": lambda r: fmt_percent(r.macs, t.macs),
    }


def _at_level(name: str, shown: set[str]) -> str:
    """An input named at the level of the rows shown: `layer1.1.relu2` reads as `layer1`
    when the rows are folded to blocks."""
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in shown:
            return ".".join(parts[:n])
    return name


def _total_cells(report: Report, view: View) -> dict[str, str]:
    t = report.totals

    def num(n: int) -> str:
        return fmt_count(n, view.units, view.separators)

    additive = (
        "trainable_params",
        "non_trainable_params",
        "connections",
        "macs",
        "product_macs",
        "flops",
        "activations",
    )
    out = {k: num(getattr(t, k)) for k in additive}
    out.update(
        name="Total",
        output_shape=fmt_shape(report.output_shape),
        params=num(t.params),
        params_share=fmt_percent(t.params, t.params),  # 100.0%, or blank for a total of 0
        macs_share=fmt_percent(t.macs, t.macs),
    )
    return out


def keys_for(report: Report, view: View) -> tuple[str, ...]:
    """The columns this view shows for this report."""
    return view.columns or columns.default(report, view.share, branched(report))


def layers_table(report: Report, memory: Memory | None, view: View | None = None) -> Table:
    """One row per layer (or folded block), and a totals row."""
    view = view or View()
    report = fold(report, view.depth) if view.depth else report
    keys = keys_for(report, view)
    ranks = columns.hide_ranks(keys, columns.paper_style(report), view.columns is not None)
    cols = tuple(_column(k, ranks[k]) for k in keys)
    cells = _cells(report, memory, view)
    rows = tuple(tuple(cells[k](r) for k in keys) for r in report.layers)
    totals = _total_cells(report, view)
    total = tuple(totals.get(k, "") for k in keys)
    title = f"{report.name}: input {fmt_shape(report.input_shape)}"
    return Table(title, cols, rows, total, choosable=True)


def _column(key: str, rank: int) -> Column:
    f = figure(key)
    numeric = bool(f.unit) and key not in ("output_shape", "input_shape")
    return Column(f.header, numeric, hide_rank=rank, key=key, tree=key == "name")


def totals_table(report: Report, memory: Memory | None, view: View | None = None) -> Table:
    """The totals block: params three ways, MACs and FLOPs with their convention, and the
    sizes (given a memory estimate); the legend below."""
    view = view or View()
    h = headline(report, memory)

    def num(n: int) -> str:
        return fmt_count(n, view.units, view.separators)

    rows = [
        ("Trainable params", num(h.trainable_params), ""),
        ("Non-trainable params", num(h.non_trainable_params), _fixed_note(h)),
        ("Total params", num(h.params), ""),
    ]
    if h.running_statistics:
        rows.append(
            (
                "Total params as torchinfo counts",
                num(h.torchinfo_params),
                "nn.Parameters only: running statistics are buffers",
            )
        )
    rows += [
        ("Connections (LeCun)", num(h.connections), ""),
        ("MACs", num(h.macs), "multiply-accumulates, bias excluded"),
        *_products(report, num),
        ("FLOPs (2×MAC + bias + pooling)", num(h.flops), "activation functions not counted"),
    ]
    title = "Totals"
    if memory is not None:
        rows += _sizes(h, memory)
        title = f"Totals ({memory.dtype}, batch {memory.batch}; MB = 10^6 bytes)"
    columns_ = (Column("", key="label"), Column("", numeric=True), Column("", key="note"))
    return Table(title, columns_, tuple(rows), notes=legend())


def _products(report: Report, num: Callable[[int], str]) -> list[tuple[str, str, str]]:
    """Activation-product MACs (attention's QKᵀ and AV) and all MACs, where there are any."""
    t = report.totals
    if not t.product_macs:
        return []
    return [
        ("Activation-product MACs", num(t.product_macs), "activation x activation (attention)"),
        ("All MACs", num(t.macs + t.product_macs), "weighted sums + activation products"),
    ]


def _fixed_note(h: Headline) -> str:
    if not h.non_trainable_params:
        return ""
    if h.running_statistics == h.non_trainable_params:
        return "batch-norm running statistics"
    if not h.running_statistics:
        return "fixed values (e.g. RBF prototypes)"
    return f"incl. {fmt_int(h.running_statistics)} batch-norm running statistics"


def _sizes(h: Headline, memory: Memory) -> list[tuple[str, str, str]]:
    training = memory.training_bytes
    return [
        ("Input size (MB)", fmt_mb(h.input_bytes), ""),
        (
            "Forward/backward pass size (MB)",
            fmt_mb(h.forward_backward_bytes),
            "outputs of layers with params, and their gradients",
        ),
        ("Params size (MB)", fmt_mb(h.param_bytes), "all params, running statistics included"),
        ("Estimated total size (MB)", fmt_mb(h.total_bytes), "input + forward/backward + params"),
        (
            "Inference activations, peak (MB)",
            fmt_mb(memory.inference_peak_bytes),
            "alive at once along the graph",
        ),
        (
            "Training, SGD-momentum (MB)",
            fmt_mb(training["sgd-momentum"]),
            "weights, gradients, optimiser state, activations",
        ),
        ("Training, Adam (MB)", fmt_mb(training["adam"]), ""),
    ]
