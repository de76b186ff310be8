"""The per-layer columns a summary can show: chosen by name, ranked by importance.

Every column is a figure of the one table of figures (`report/figures.py`); `--columns`
names them by key or by header (`output`, `params`, `macs`). On a narrow terminal the
least important columns are hidden first, and what matters depends on the network:
shape, parameters, MACs and FLOPs for a modern network; connections right after the
parameters for a paper-style one (connection tables, trainable subsampling, RBF).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import LenetcalcError
from ..report.analysis import LayerRecord, Report
from ..report.figures import FIGURES, figure
from ..spec.fields import suggest

# What `summary` shows by default, in order ("inputs" only for a network with branches).
DEFAULT = (
    "name",
    "type",
    "inputs",
    "output_shape",
    "trainable_params",
    "non_trainable_params",
    "connections",
    "macs",
    "product_macs",
    "flops",
    "rf_size",
    "rf_jump",
    "activations",
    "activation_bytes",
)
# `--share`: each layer's share of the network's params and MACs, as ptflops shows.
SHARES = ("params_share", "macs_share")
# Every per-layer column there is.
AVAILABLE = (
    "name",
    "type",
    "inputs",
    "input_shape",
    "output_shape",
    "params",
    "trainable_params",
    "non_trainable_params",
    "connections",
    "macs",
    "product_macs",
    "flops",
    "rf_size",
    "rf_jump",
    "activations",
    "activation_bytes",
    *SHARES,
)

# Most important first; name and output shape are never hidden.
_MODERN = (
    "trainable_params",
    "params",
    "macs",
    "product_macs",
    "flops",
    "type",
    "params_share",
    "macs_share",
    "connections",
    "non_trainable_params",
    "activation_bytes",
    "activations",
    "inputs",
    "input_shape",
    "rf_size",
    "rf_jump",
)
_PAPER = (
    "trainable_params",
    "params",
    "connections",
    "macs",
    "product_macs",
    "flops",
    "type",
    "params_share",
    "macs_share",
    "non_trainable_params",
    "rf_size",
    "rf_jump",
    "activations",
    "activation_bytes",
    "inputs",
    "input_shape",
)
_NEVER_HIDDEN = ("name", "output_shape")
# Layer types only LeCun-style networks have: their readers count connections.
PAPER_TYPES = frozenset({"subsample", "rbf"})


def paper_style(report: Report) -> bool:
    """Whether the network is paper-style: subsampling, RBF, or a sparse connection table.

    A table shows as a convolution with fewer parameters than a full one could have.
    """
    return any(r.type in PAPER_TYPES or _sparse(r) for r in report.layers)


def _sparse(r: LayerRecord) -> bool:
    # A full or grouped convolution has the same weights (and bias) per filter, so its
    # parameters are a multiple of its filters; LeNet-5's C3 table gives 1,516 for 16.
    return r.type == "conv2d" and r.trainable_params % r.output_shape[0] != 0


def hide_ranks(keys: Sequence[str], paper: bool, chosen: bool = False) -> dict[str, int]:
    """Each column's hide rank: the highest is hidden first, 0 never.

    Columns the user chose with `--columns` are hidden from the last named backwards.
    """
    if chosen:
        return {k: 0 if k in _NEVER_HIDDEN else i + 1 for i, k in enumerate(keys)}
    order = _PAPER if paper else _MODERN
    return {k: 0 if k in _NEVER_HIDDEN else order.index(k) + 1 for k in keys}


def _names() -> dict[str, str]:
    """Every accepted column name, by key, header and a few short forms."""
    names = {}
    for f in FIGURES:
        if f.key in AVAILABLE:
            names[f.key] = f.key
            names[f.header.lower().replace(" ", "_")] = f.key
    names.update(
        output="output_shape",
        input="input_shape",
        memory="activation_bytes",
        rf="rf_size",
        jump="rf_jump",
        trainable="trainable_params",
        fixed="non_trainable_params",
    )
    return names


def parse(text: str) -> tuple[str, ...]:
    """`--columns name,output,params,macs` as figure keys, in the order given."""
    names = _names()
    keys: list[str] = []
    for word in (w.strip().lower() for w in text.split(",")):
        if not word:
            continue
        if word not in names:
            listed = ", ".join(sorted({k for k in names.values()}))
            raise LenetcalcError(
                f"--columns: no column '{word}'{suggest(word, list(names))} (columns: {listed})"
            )
        if names[word] not in keys:
            keys.append(names[word])
    if not keys:
        raise LenetcalcError("--columns: name at least one column, e.g. name,output,params,macs")
    return tuple(keys)


def header(key: str) -> str:
    """The column header of a figure."""
    return figure(key).header


def default(report: Report, share: bool, branched: bool) -> tuple[str, ...]:
    """The columns `summary` shows for this report when none are chosen."""
    keys = [k for k in DEFAULT if k != "inputs" or branched]
    if not report.totals.product_macs:  # only networks that multiply activations
        keys.remove("product_macs")
    if share:
        at = keys.index("flops") + 1
        keys[at:at] = SHARES
    return tuple(keys)
