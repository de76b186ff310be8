"""Derivations: every figure of a layer as the arithmetic that produces it.

The expressions come from the very layer methods that `analyze` evaluates, so a
derivation and the reported figure cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..errors import LenetcalcError
from ..expr import Expr, Named, Num, total
from ..report.analysis import Step, record, walk
from ..spec.fields import suggest
from ..spec.network import Network
from .escape import markdown, markdown_code, visible
from .tables import fmt_int, fmt_shape

FIGURES = ("shape", "params", "connections", "macs", "flops", "rf")
LABELS = {"connections": "connections", "macs": "MACs", "flops": "FLOPs"}
# The symbol a figure goes by inside other figures' formulas.
_SYMBOL = {"trainable params": "params", "MACs": "MACs"}
_DIMENSIONS = {1: ("length",), 3: ("maps", "H_out", "W_out")}


@dataclass(frozen=True)
class Derivation:
    """One figure: its label, the expression that computes it, and its `where` lines."""

    label: str
    expr: Expr
    where: tuple[Derivation, ...] = ()

    def chain(self) -> list[str]:
        """Symbols, numbers, evaluated operands, result: each step once, in order."""
        steps = [
            self.expr.render(symbolic=True),
            self.expr.render(fmt=fmt_int),
            self.expr.partial(fmt_int) or "",
            fmt_int(self.expr.value()),
        ]
        out: list[str] = []
        for step in steps:
            if step and step not in out:
                out.append(step)
        return out


def _with_where(label: str, expr: Expr, seen: set[str]) -> Derivation:
    """A derivation plus the named sub-expressions not yet derived in this section."""
    where = []
    for named in expr.named():
        if named.sym in seen or isinstance(named.inner, Named | Num):
            continue
        seen.add(named.sym)
        where.append(Derivation(named.sym, named.inner))
    seen.update((label, _SYMBOL.get(label, label)))
    return Derivation(label, expr, tuple(where))


@dataclass(frozen=True)
class Section:
    """A heading and the derivations under it, grouped by figure."""

    title: str
    figures: dict[str, list[Derivation]]


def explain(network: Network, layers: list[str], figures: list[str]) -> list[Section]:
    """Sections for the requested layers (all, after the totals, when none is named)."""
    steps = list(walk(network))
    names = [s.layer.name for s in steps]
    for name in layers:
        if name not in names:
            raise LenetcalcError(
                f"{network.name} has no layer '{name}'{suggest(name, names)}"
                f" (layers: {', '.join(names)})"
            )
    wanted = [f for f in FIGURES if f in figures] or list(FIGURES)
    chosen = [s for s in steps if s.layer.name in layers] if layers else steps
    sections = [] if layers else [_totals(network.name, steps, wanted)]
    return sections + [_layer(s, wanted) for s in chosen]


def _layer(step: Step, wanted: list[str]) -> Section:
    title = (
        f"{step.layer.name} ({step.layer.type_name}):"
        f" {fmt_shape(step.input_shape)} -> {fmt_shape(step.output_shape)}"
    )
    seen: set[str] = set()
    figures = {
        figure: [_with_where(label, expr, seen) for label, expr in _figure(step, figure)]
        for figure in wanted
    }
    return Section(title, {f: ds for f, ds in figures.items() if ds})


def _figure(step: Step, figure: str) -> Iterator[tuple[str, Expr]]:
    layer, x = step.layer, step.input_shape
    if figure == "shape":
        dims = layer.output_shape(x)
        yield from zip(_DIMENSIONS[len(dims)], dims, strict=True)
    elif figure == "params":
        yield ("trainable params", layer.trainable_params(x))
        yield ("fixed params", layer.fixed_params(x))
    elif figure in ("connections", "macs", "flops"):
        yield (LABELS[figure], getattr(layer, figure)(x))
    elif figure == "rf" and step.rf_out is not None:
        for i, axis in enumerate(("height", "width")):
            yield (f"RF {axis}", step.rf_out.size[i])
        for i, axis in enumerate(("height", "width")):
            yield (f"jump {axis}", step.rf_out.jump[i])


# Which counts make up each figure's totals, and how each total is labelled.
_TOTALS = {
    "params": (("trainable_params", "trainable params"), ("non_trainable_params", "fixed params")),
    "connections": (("connections", "connections"),),
    "macs": (("macs", "MACs"),),
    "flops": (("flops", "FLOPs"),),
}


def _totals(name: str, steps: list[Step], wanted: list[str]) -> Section:
    """Each total as the sum of the layers' figures (zero terms left out)."""
    records = [record(s) for s in steps]
    figures: dict[str, list[Derivation]] = {}
    for figure in wanted:
        for count, label in _TOTALS.get(figure, ()):
            terms = [Num(getattr(r, count), r.name) for r in records if getattr(r, count)]
            figures.setdefault(figure, []).append(Derivation(f"total {label}", total(terms)))
    return Section(f"{name}: totals", figures)


def _lines(sections: list[Section]) -> Iterator[tuple[str, str | Derivation]]:
    """The document's parts in order: section titles, figures, their where-lines, ends."""
    for section in sections:
        yield ("section", section.title)
        for derivations in section.figures.values():
            for d in derivations:
                yield ("figure", d)
                yield from (("where", w) for w in d.where)
        yield ("end", "")


def to_text(sections: list[Section]) -> str:
    """Plain text: a block per section, a line per figure, `where` lines beneath."""
    shapes = {"section": "{}", "figure": "  {}: {}", "where": "      where {} = {}", "end": ""}
    return "\n".join(_render(sections, shapes, lambda d: visible(" = ".join(d.chain())), visible))


def to_markdown(sections: list[Section], heading: str) -> str:
    """A walkthrough document: formulas in code spans, results in bold."""
    intro = [
        f"# {heading}",
        "",
        "Each line reads: the formula in symbols = the same with this layer's numbers ="
        " the result. Symbols: k kernel, s stride, p padding, C input maps, H×W input size,"
        " r/j receptive field and jump; figures are defined in conventions.md.",
        "",
    ]
    shapes = {"section": "## {}\n", "figure": "- **{}**: {}", "where": "  - where **{}**: {}",
              "end": ""}  # fmt: skip
    return "\n".join([*intro, *_render(sections, shapes, _md_chain, markdown)])


def _render(
    sections: list[Section], shapes: dict[str, str], chain: Callable[[Derivation], str],
    escape: Callable[[str], str],
) -> Iterator[str]:  # fmt: skip
    """Each line of the document. Names from the spec are made safe for the format by
    `escape` (titles, labels) and by `chain` (the arithmetic)."""
    for kind, part in _lines(sections):
        if isinstance(part, Derivation):
            yield shapes[kind].format(escape(part.label), chain(part))
        else:
            yield shapes[kind].format(escape(part))


def _md_chain(d: Derivation) -> str:
    *steps, result = d.chain()
    return " = ".join([*(markdown_code(s) for s in steps), f"**{markdown(result)}**"])
