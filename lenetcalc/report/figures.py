"""The one table of figures: each figure's key, names, unit, definition and anchor.

Tables, JSON, compare, explain and every export read their labels from here, as
fvcore's op table and torchinfo's column settings do; `docs/conventions.md` holds the
full definitions under the anchors named here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One figure the tool prints."""

    key: str  # the JSON key and the attribute of a LayerRecord (or Counts)
    name: str  # in prose and in explain: "trainable params"
    header: str  # a table's column header
    unit: str  # what one unit of it is, for headers like `memory_bytes`
    definition: str  # one line; conventions.md has the full text
    anchor: str  # the heading in docs/conventions.md that defines it
    additive: bool = False  # summed over layers in the totals


def _f(
    key: str,
    name: str,
    header: str,
    unit: str,
    definition: str,
    anchor: str,
    additive: bool = False,
) -> Figure:
    return Figure(key, name, header, unit, definition, anchor, additive)


FIGURES: tuple[Figure, ...] = (
    _f("name", "layer", "Layer", "", "The layer's name in the spec.", "the-figures"),
    _f("type", "type", "Type", "", "The layer type (spec-format.md).", "per-layer-type"),
    _f("inputs", "inputs", "Inputs", "", "The layers it reads.", "the-figures"),
    _f(
        "input_shape",
        "input shape",
        "Input",
        "values",
        "The shape a layer (or the network) reads, in the same notation.",
        "the-figures",
    ),
    _f(
        "output_shape",
        "output shape",
        "Output",
        "values",
        "maps@height x width (6@28x28, no batch), tokens x features (197x768),"
        " or a vector's length.",
        "the-figures",
    ),
    _f(
        "trainable_params",
        "trainable params",
        "Trainable",
        "parameters",
        "Values updated by training: weights, biases, coefficients.",
        "the-figures",
        additive=True,
    ),
    _f(
        "non_trainable_params",
        "non-trainable params",
        "Non-trainable",
        "parameters",
        "Values stored but not trained: running statistics, fixed prototypes.",
        "the-figures",
        additive=True,
    ),
    _f("params", "params", "Params", "parameters", "Trainable plus non-trainable.", "the-figures"),
    _f(
        "connections",
        "connections",
        "Connections",
        "connections",
        "LeCun's count, one per weight use on an in-bounds input plus one per bias use.",
        "the-figures",
        additive=True,
    ),
    _f(
        "macs",
        "MACs",
        "MACs",
        "multiply-accumulates",
        "Multiply-accumulates of weighted sums, bias excluded, padded taps included.",
        "the-figures",
        additive=True,
    ),
    _f(
        "product_macs",
        "activation-product MACs",
        "Products",
        "multiply-accumulates",
        "Multiply-accumulates of two activations (attention's QKᵀ and AV): no weight.",
        "activation-product-macs",
        additive=True,
    ),
    _f(
        "flops",
        "FLOPs",
        "FLOPs",
        "operations",
        "2 per MAC (RBF: 3) + 1 per bias add + pooling window ops;"
        " activation functions not counted.",
        "the-figures",
        additive=True,
    ),
    _f(
        "rf_size",
        "receptive field",
        "RF",
        "pixels",
        "Receptive field size of one unit, in input pixels.",
        "the-figures",
    ),
    _f(
        "rf_jump",
        "jump",
        "Jump",
        "pixels",
        "Spacing of neighbouring units, in input pixels.",
        "the-figures",
    ),
    _f(
        "activations",
        "activations",
        "Activations",
        "values",
        "Values the layer outputs: the product of its output shape.",
        "the-figures",
        additive=True,
    ),
    _f(
        "depth",
        "depth (layers)",
        "Layers",
        "layers",
        "Number of layers in the spec.",
        "the-figures",
    ),
    _f(
        "activation_bytes",
        "memory",
        "Memory",
        "bytes",
        "Bytes of the layer's output for the batch, at the chosen dtype.",
        "memory",
    ),
    _f(
        "params_share",
        "share of params",
        "Params %",
        "percent",
        "The layer's share of the network's params.",
        "the-figures",
    ),
    _f(
        "macs_share",
        "share of MACs",
        "MACs %",
        "percent",
        "The layer's share of the network's MACs.",
        "the-figures",
    ),
)

BY_KEY = {f.key: f for f in FIGURES}
# The figures summed over layers into a report's totals, in report order.
ADDITIVE = tuple(f.key for f in FIGURES if f.additive)
# The figures `compare --by-layer` can show.
METRICS = ("params", "connections", "macs", "flops")


def figure(key: str) -> Figure:
    """The figure with this key."""
    return BY_KEY[key]


# The groups of figures `explain --figure` can show (params covers both kinds).
EXPLAINED = ("shape", "params", "connections", "macs", "flops", "rf")
