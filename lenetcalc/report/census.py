"""One census of a network: the counts every peer tool's total is a formula over.

Each term is a count of elements or operations that some tool charges for (or
pointedly does not). A term is split by how PyTorch implements the layer: a module
(`nn.ReLU`) or a functional call (`F.relu`), because hook-based tools see only the first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from math import prod
from types import MappingProxyType

from ..layers import Layer
from ..layers.adaptive import AdaptivePool
from ..layers.attention import SelfAttention
from ..layers.conv import Conv2d
from ..layers.dense import Dense
from ..layers.simple import Activation
from ..layers.window import Pool
from ..spec.network import Network
from ..spec.torchcalls import fused_activation_call, torch_call
from .analysis import LayerRecord, Report, prefix_groups


@dataclass(frozen=True)
class Term:
    """A census term: its key (as formulas print it) and what it counts."""

    key: str
    meaning: str


# Activation terms are keyed by the PyTorch call: module ("ReLU") or functional ("F.relu").
_ACTS = (
    ("ReLU", "F.relu"),
    ("ReLU6", "F.relu6"),
    ("Tanh", "torch.tanh"),
    ("Sigmoid", "torch.sigmoid"),
    ("Softmax", "F.softmax"),
    ("Hardswish", "F.hardswish"),
    ("Hardsigmoid", "F.hardsigmoid"),
    ("SiLU", "F.silu"),
    ("GELU", "F.gelu"),
)

TERMS: tuple[Term, ...] = (
    Term("W", "conv + linear weight MACs, bias excluded"),
    Term("OUT", "conv + linear output elements"),
    Term("B", "bias additions (output elements of conv/linear layers with a bias)"),
    Term(
        "LinearPos",
        "W + B less the params of each nn.Linear applied at several positions (tokens,"
        " channels-last maps): what counting a Linear once per sample leaves out",
    ),
    Term("BN", "batch-norm input elements"),
    Term("BNC", "batch-norm channels"),
    *(Term(m, f"elements through an nn.{m} module") for m, _ in _ACTS),
    *(Term(f, f"elements through a functional {f}") for _, f in _ACTS),
    Term("SoftmaxRows", "vectors an nn.Softmax normalises (thop charges 3n - 1 per vector)"),
    Term("LayerNorm", "nn.LayerNorm input elements"),
    Term("LayerNorm2d", "input elements of torchvision's LayerNorm2d (ConvNeXt), an nn.LayerNorm"),
    Term("LNRows", "vectors a layer norm normalises"),
    Term("LNC", "features per vector, summed over layer-norm modules (half their params)"),
    Term("MHA.W", "nn.MultiheadAttention projection weight MACs, 4·T·D² (bias excluded)"),
    Term("MHA.B", "nn.MultiheadAttention projection bias additions, 4·T·D"),
    Term("MHA.Q", "query elements nn.MultiheadAttention scales by 1/√d, T·D"),
    Term("ATT", "attention products q·kᵀ and weights·v, activation by activation MACs, 2·T²·D"),
    Term("SMX", "attention scores softmaxed, heads·T²"),
    Term("SMXRows", "rows of attention scores, heads·T"),
    Term("MHA", "nn.MultiheadAttention calls"),
    Term("MUL", "elements multiplied by the `*` operator (squeeze-excitation gate, layer scale)"),
    Term("torch.mul", "elements multiplied by torch.mul"),
    Term("MaxPool", "nn.MaxPool2d input elements"),
    Term("MaxPoolOut", "nn.MaxPool2d output elements"),
    Term("AvgPool", "nn.AvgPool2d input elements"),
    Term("AvgPoolOut", "nn.AvgPool2d output elements"),
    Term("F.pool", "input elements of F.max_pool2d / F.avg_pool2d calls"),
    Term("GAP", "nn.AdaptiveAvgPool2d input elements"),
    Term("GAPOut", "nn.AdaptiveAvgPool2d output elements"),
    Term(
        "GAPTrunc",
        "thop's int() of (in/out + 1)·out computed in float64, less the exact in + out:"
        " −1 where the product falls just below a whole number",
    ),
    Term("F.GAP", "F.adaptive_avg_pool2d input elements"),
    Term("GMP", "nn.AdaptiveMaxPool2d input elements"),
    Term("F.GMP", "F.adaptive_max_pool2d input elements"),
    Term("MEAN", "input elements of a global pool by Tensor.mean (ShuffleNet v2)"),
    Term(
        "TSPool", "torch-scan's pool charge: out·(k-1) max, out·(k+1) avg, k as the module holds it"
    ),
    Term(
        "ADD",
        "residual-add elements by the `+` operator (one per element per extra input),"
        " and ViT's position-embedding add",
    ),
    Term("torch.add", "residual-add elements by torch.add"),
    Term("CAT", "concatenated elements"),
    Term("DROPOUT", "nn.Dropout input elements (p > 0)"),
    Term("NOTORCH", "MACs of layers with no PyTorch equivalent (subsample, RBF)"),
    Term("PARAMS", "trainable parameters"),
    Term("P.MHA", "parameters of nn.MultiheadAttention modules"),
    Term("P.LN2d", "parameters of LayerNorm2d modules"),
    Term(
        "P.direct",
        "parameters a container module holds itself: ViT's class token and position"
        " embedding, ConvNeXt's layer scale",
    ),
)
TERM_KEYS = tuple(t.key for t in TERMS)


@dataclass(frozen=True)
class LayerCensus:
    """One layer's census: the PyTorch call(s) behind it and its nonzero terms."""

    name: str
    calls: tuple[str, ...]
    terms: Mapping[str, int]


@dataclass(frozen=True)
class Census:
    """The census of a network: per layer, and totals over all terms."""

    name: str
    layers: tuple[LayerCensus, ...]
    totals: Mapping[str, int]

    def __getitem__(self, key: str) -> int:
        return self.totals[key]

    def folded(self, depth: int) -> Census:
        """Rows folded to the first `depth` parts of their dotted names (as `summary
        --depth` folds): terms summed, the distinct calls in order."""
        keys, spans = prefix_groups([row.name for row in self.layers], depth)
        rows = tuple(
            _merged(key, self.layers[start:end])
            for key, (start, end) in zip(keys, spans, strict=True)
        )
        return replace(self, layers=rows)


def _merged(name: str, rows: tuple[LayerCensus, ...]) -> LayerCensus:
    if len(rows) == 1:
        return replace(rows[0], name=name)
    calls = tuple(dict.fromkeys(call for row in rows for call in row.calls))
    terms: dict[str, int] = {}
    for row in rows:
        for key, n in row.terms.items():
            terms[key] = terms.get(key, 0) + n
    return LayerCensus(name, calls, MappingProxyType(terms))


def census(network: Network, report: Report) -> Census:
    """Count every term for every layer of `network` (analysed as `report`)."""
    rows = tuple(
        _layer(layer, rec) for layer, rec in zip(network.layers, report.layers, strict=True)
    )
    totals = {key: sum(r.terms.get(key, 0) for r in rows) for key in TERM_KEYS}
    return Census(network.name, rows, MappingProxyType(totals))


def _layer(layer: Layer, rec: LayerRecord) -> LayerCensus:
    call = torch_call(layer)
    counter = _COUNTERS.get(layer.type_name, _nothing)
    terms = dict(counter(layer, rec, call))
    if rec.trainable_params:
        terms["PARAMS"] = rec.trainable_params
    calls = [call]
    fused = getattr(layer, "activation", "identity")
    if fused != "identity":
        # torchvision applies it as a separate module on the layer's output.
        calls.append(fused_activation_call(fused))
        _add(terms, _activation_terms(calls[-1], rec.output_shape))
    return LayerCensus(layer.name, tuple(calls), MappingProxyType(terms))


Counts = dict[str, int]


def _add(into: Counts, more: Counts) -> None:
    for key, value in more.items():
        into[key] = into.get(key, 0) + value


def _nothing(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    return {}


def _weighted(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    # Our MACs of a conv or dense layer are exactly its weight MACs, bias excluded.
    out = prod(rec.output_shape)
    bias = out if getattr(layer, "bias", False) else 0
    terms = {"W": rec.macs, "OUT": out, "B": bias}
    if call == "nn.Linear":
        # W + B is the params once per position; LinearPos is all but the first.
        terms["LinearPos"] = rec.macs + bias - rec.trainable_params
    return terms


def _batchnorm(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    return {"BN": prod(rec.input_shape), "BNC": rec.input_shape[0]}


def _activation(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    return _activation_terms(call, rec.input_shape)


def _activation_terms(call: str, shape: tuple[int, ...]) -> Counts:
    key = call.removeprefix("nn.")
    if key not in TERM_KEYS:
        return {}  # identity, LeCun's scaled tanh: nothing any tool charges
    terms = {key: prod(shape)}
    if key == "Softmax":
        # nn.Softmax(dim=1): one vector per position of the other dimensions.
        terms["SoftmaxRows"] = prod(shape) // shape[0]
    return terms


def _pool(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    """Pools, global pools and adaptive pools, by the call that implements them."""
    assert isinstance(layer, Pool | AdaptivePool)
    n_in, n_out = prod(rec.input_shape), prod(rec.output_shape)
    if call == "Tensor.mean":
        return {"MEAN": n_in}
    if call.startswith("F."):
        functional = {"F.adaptive_avg_pool2d": "F.GAP", "F.adaptive_max_pool2d": "F.GMP"}
        return {functional.get(call, "F.pool"): n_in}
    name = call.removeprefix("nn.")
    keys = {"MaxPool2d": "MaxPool", "AvgPool2d": "AvgPool", "AdaptiveAvgPool2d": "GAP"}
    key = keys.get(name, "GMP")
    terms = {key: n_in, f"{key}Out": n_out, "TSPool": _torchscan_pool(layer, rec, name)}
    if key == "GAP":
        terms["GAPTrunc"] = _thop_adaptive_count(rec) - (n_in + n_out)
    return {k: v for k, v in terms.items() if k in TERM_KEYS}


def _thop_adaptive_count(rec: LayerRecord) -> int:
    """thop's count_adap_avgpool, float for float: int((∏ in/out + 1) · out elements),
    the ratios and product in float64 as torch.DoubleTensor holds them. (8/7)² falls just
    below 64/49, so an 8x8 map pooled to 7x7 counts 112 where in + out is 113."""
    (c, h, w), (_, ho, wo) = rec.input_shape, rec.output_shape
    kernel = (h / ho) * (w / wo)
    return int((kernel + 1) * (c * ho * wo))


def _torchscan_pool(layer: Pool | AdaptivePool, rec: LayerRecord, name: str) -> int:
    """torch-scan's MACs (and FLOPs) of a pool module (modules/macs.py)."""
    n_out = prod(rec.output_shape)
    if name.startswith("Adaptive"):
        # Adaptive: the window is in // out per axis (in divisible by out), a tuple.
        (_, h, w), (_, ho, wo) = rec.input_shape, rec.output_shape
        k = _adaptive_window(h, ho) * _adaptive_window(w, wo)
        return n_out * (k - 1 + (2 if name == "AdaptiveAvgPool2d" else 0))
    # torchvision passes a square kernel as an int k, which torch-scan reads as k, not k·k.
    assert isinstance(layer, Pool)  # an adaptive pool is always an Adaptive* module
    kh, kw = rec_kernel(layer, rec)
    k = kh if kh == kw else kh * kw
    return n_out * (k - 1 + (2 if name == "AvgPool2d" else 0))


def _adaptive_window(size: int, out: int) -> int:
    return size // out if size % out == 0 else size - out * (size // out) + 1


def rec_kernel(layer: Pool, rec: LayerRecord) -> tuple[int, int]:
    """The pool's kernel: the whole map for a global pool."""
    if layer.global_pool:
        return (rec.input_shape[1], rec.input_shape[2])
    return layer.kernel


def _add_layer(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    extra = (len(layer.inputs) - 1) * prod(rec.output_shape)
    return {"ADD" if call == "+" else "torch.add": extra}


def _concat(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    return {"CAT": prod(rec.output_shape)}


def _dropout(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    return {"DROPOUT": prod(rec.input_shape) if getattr(layer, "rate", 0) > 0 else 0}


def _layernorm(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    n = prod(rec.input_shape)
    # Over a map's channels at each position, else over the last axis.
    c = rec.input_shape[0] if len(rec.input_shape) == 3 else rec.input_shape[-1]
    if call == "LayerNorm2d":
        return {"LayerNorm2d": n, "LNRows": n // c, "LNC": c, "P.LN2d": rec.trainable_params}
    return {"LayerNorm": n, "LNRows": n // c, "LNC": c}


def _attention(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    assert isinstance(layer, SelfAttention)
    t, d = rec.input_shape
    h = layer.heads
    return {
        "MHA.W": rec.macs,
        "MHA.B": 4 * t * d if layer.bias else 0,
        "MHA.Q": t * d,
        "ATT": rec.product_macs,
        "SMX": h * t * t,
        "SMXRows": h * t,
        "MHA": 1,
        "P.MHA": rec.trainable_params,
    }


def _multiply(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    terms = {"MUL" if call == "*" else "torch.mul": prod(rec.output_shape)}
    if rec.trainable_params:  # layer scale: a parameter of the block, not of a module
        terms["P.direct"] = rec.trainable_params
    return terms


def _class_token(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    return {"CAT": prod(rec.output_shape), "P.direct": rec.trainable_params}


def _position_embedding(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    return {"ADD": prod(rec.output_shape), "P.direct": rec.trainable_params}


def _notorch(layer: Layer, rec: LayerRecord, call: str) -> Counts:
    return {"NOTORCH": rec.macs}


_COUNTERS: dict[str, Callable[[Layer, LayerRecord, str], Counts]] = {
    Conv2d.type_name: _weighted,
    Dense.type_name: _weighted,
    "batchnorm": _batchnorm,
    Activation.type_name: _activation,
    Pool.type_name: _pool,
    AdaptivePool.type_name: _pool,
    "add": _add_layer,
    "concat": _concat,
    "dropout": _dropout,
    "subsample": _notorch,
    "rbf": _notorch,
    "layernorm": _layernorm,
    SelfAttention.type_name: _attention,
    "multiply": _multiply,
    "layer_scale": _multiply,
    "class_token": _class_token,
    "position_embedding": _position_embedding,
}
