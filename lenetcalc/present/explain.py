"""Derivations: every figure of a layer as the arithmetic that produces it.

The expressions come from the very layer methods that `analyze` evaluates, so a
derivation and the reported figure cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import LenetcalcError
from ..expr import Expr, Named, Num, total
from ..report.analysis import Step, record, walk
from ..report.figures import EXPLAINED
from ..report.figures import figure as figure_of
from ..spec.fields import suggest
from ..spec.network import Network
from .escape import markdown, markdown_code, visible
from .jsonout import SCHEMA_VERSION
from .tables import Column, Table, fmt_int, fmt_shape

FIGURES = EXPLAINED
# The symbol a figure goes by inside other figures' formulas.
_SYMBOL = {"trainable params": "params", "MACs": "MACs"}
_DIMENSIONS = {1: ("length",), 2: ("tokens", "features"), 3: ("maps", "H_out", "W_out")}


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
    # A connection table drawn as the paper's Table I (diagram.grid), shown with params.
    grid: tuple[str, ...] = ()


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
    table = getattr(step.layer, "connection_table", None)
    shown: tuple[str, ...] = ()
    if table and "params" in wanted:
        inputs = ", ".join(step.inputs)
        from .diagram import grid  # Table I as a grid, only where there is a table

        shown = tuple(grid.to_text(table, step.input_shape[0], step.layer.name, inputs))
    return Section(title, {f: ds for f, ds in figures.items() if ds}, shown)


def _figure(step: Step, figure: str) -> Iterator[tuple[str, Expr]]:
    layer, x = step.layer, step.input_shape
    if figure == "shape":
        dims = layer.output_shape(x)
        yield from zip(_DIMENSIONS[len(dims)], dims, strict=True)
    elif figure == "params":
        for key in ("trainable_params", "non_trainable_params"):
            yield (figure_of(key).name, getattr(layer, key)(x))
    elif figure in ("connections", "macs", "flops"):
        yield (figure_of(figure).name, getattr(layer, figure)(x))
        products = layer.product_macs(x)
        if figure == "macs" and products.value():  # only layers that multiply activations
            yield (figure_of("product_macs").name, products)
    elif figure == "rf" and step.rf_out is not None:
        for i, axis in enumerate(("height", "width")):
            yield (f"RF {axis}", step.rf_out.size[i])
        for i, axis in enumerate(("height", "width")):
            yield (f"jump {axis}", step.rf_out.jump[i])


# Which additive figures make up each explained figure's totals.
_TOTALS = {
    "params": ("trainable_params", "non_trainable_params"),
    "connections": ("connections",),
    "macs": ("macs", "product_macs"),
    "flops": ("flops",),
}


def _totals(name: str, steps: list[Step], wanted: list[str]) -> Section:
    """Each total as the sum of the layers' figures (zero terms left out)."""
    records = [record(s) for s in steps]
    figures: dict[str, list[Derivation]] = {}
    for figure in wanted:
        for key in _TOTALS.get(figure, ()):
            terms = [Num(getattr(r, key), r.name) for r in records if getattr(r, key)]
            if not terms and key == "product_macs":
                continue  # a network without activation products: no line for them
            label = f"total {figure_of(key).name}"
            figures.setdefault(figure, []).append(Derivation(label, total(terms)))
    return Section(f"{name}: totals", figures)


def _lines(sections: list[Section]) -> Iterator[tuple[str, str | Derivation]]:
    """The document's parts in order: section titles, figures, their where-lines, ends."""
    for section in sections:
        yield ("section", section.title)
        for derivations in section.figures.values():
            for d in derivations:
                yield ("figure", d)
                yield from (("where", w) for w in d.where)
        if section.grid:
            yield ("grid-open", "")
            yield from (("grid", line) for line in section.grid)
            yield ("grid-close", "")
        yield ("end", "")


def to_text(sections: list[Section]) -> str:
    """Plain text: a block per section, a line per figure, `where` lines beneath."""
    shapes = {
        "section": "{}",
        "figure": "  {}: {}",
        "where": "      where {} = {}",
        "end": "",
        "grid": "  {}",
    }
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
    shapes = {
        "section": "## {}\n",
        "figure": "- **{}**: {}",
        "where": "  - where **{}**: {}",
        "end": "",
        "grid-open": "\n```text",
        "grid": "{}",
        "grid-close": "```",
    }
    return "\n".join([*intro, *_render(sections, shapes, _md_chain, markdown)])


def _render(
    sections: list[Section],
    shapes: dict[str, str],
    chain: Callable[[Derivation], str],
    escape: Callable[[str], str],
) -> Iterator[str]:
    """Each line of the document. Names from the spec are made safe for the format by
    `escape` (titles, labels) and by `chain` (the arithmetic)."""
    for kind, part in _lines(sections):
        if kind not in shapes:
            continue  # a part this format does without (text needs no fence)
        if isinstance(part, Derivation):
            yield shapes[kind].format(escape(part.label), chain(part))
        else:
            yield shapes[kind].format(escape(part))


def _md_chain(d: Derivation) -> str:
    *steps, result = d.chain()
    return " = ".join([*(markdown_code(s) for s in steps), f"**{markdown(result)}**"])


def _rows(sections: list[Section], separators: bool) -> Iterator[tuple[str, str, str, str]]:
    def row(title: str, label: str, d: Derivation) -> tuple[str, str, str, str]:
        *steps, _ = d.chain()
        return (title, label, " = ".join(steps), fmt_int(d.expr.value(), separators))

    for section in sections:
        for derivations in section.figures.values():
            for d in derivations:
                yield row(section.title, d.label, d)
                yield from (row(section.title, f"where {w.label}", w) for w in d.where)


def derivation_table(sections: list[Section], heading: str, separators: bool = True) -> Table:
    """Every derivation as a row: section, figure, the arithmetic, the result (raw digits
    without `separators`, for CSV)."""
    columns = (
        Column("Section"),
        Column("Figure"),
        Column("Derivation"),
        Column("Value", numeric=True),
    )
    return Table(heading, columns, tuple(_rows(sections, separators)))


def _derived(figure: str, d: Derivation) -> dict[str, Any]:
    return {
        "figure": figure,
        "label": d.label,
        "steps": d.chain()[:-1],
        "value": d.expr.value(),
        "where": [_derived(figure, w) for w in d.where],
    }


def to_dict(sections: list[Section], heading: str) -> dict[str, Any]:
    """Derivations as JSON-ready data: per section, per figure, the steps and the value."""
    return {
        "schema_version": SCHEMA_VERSION,
        "title": heading,
        "sections": [
            {
                "title": section.title,
                "figures": [
                    _derived(figure, d)
                    for figure, derivations in section.figures.items()
                    for d in derivations
                ],
            }
            for section in sections
        ],
    }
