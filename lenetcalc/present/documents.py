"""Each command's result as a `Document`: the tables people read and the data JSON holds."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..report.analysis import Report, fold
from ..report.memory import Memory
from . import jsonout, tables
from .formats import Document
from .summary import View, layers_table, totals_table
from .tables import Table
from .tidy import tidy_table

if TYPE_CHECKING:
    from ..report import peers
    from ..report.census import Census  # compare is loaded by the compare command alone
    from ..report.compare import Comparison
    from ..witness.verify import Verification
    from . import explain


def summary_document(
    analyses: list[tuple[Report, Memory]],
    view: View | None = None,
    collection: bool = False,
    verification: Verification | None = None,
    bars: str | None = None,
) -> Document:
    """Per-layer tables and a totals block, one pair per network; JSON is one report, or a
    collection (`{"networks": [...]}`) for `export`; CSV is one tidy table."""
    shown_view = view or View()

    def data() -> dict[str, object]:
        if collection:
            return jsonout.collection_to_dict(analyses, shown_view.depth)
        out = jsonout.report_to_dict(*analyses[0], depth=shown_view.depth)
        if verification is not None:
            out["verification"] = jsonout.verification_to_dict(verification)
        return out

    def shown(units: str) -> tuple[Table, ...]:
        return _summary_tables(analyses, replace(shown_view, units=units), verification, bars)

    narrow = None if shown_view.units == "human" else (lambda: shown("human"))
    return Document(
        shown(shown_view.units),
        data,
        flat=lambda: tidy_table(analyses, shown_view.depth),
        narrow=narrow,
    )


def _summary_tables(
    analyses: list[tuple[Report, Memory]],
    view: View,
    verification: Verification | None,
    bars: str | None,
) -> tuple[Table, ...]:
    """Each network's layer table (with --bars' column) and totals block, then the
    verification's table or verdict."""
    out = []
    for r, m in analyses:
        layers = layers_table(r, m, view)
        if bars is not None:  # a column of shares of params or MACs (summary --bars)
            from .diagram.bars import with_bars

            layers = with_bars(layers, fold(r, view.depth) if view.depth else r, bars)
        out += [layers, totals_table(r, m, view)]
    if verification is not None and not verification.agrees:
        out.append(tables.verify_table(verification))
    elif verification is not None:
        out[-1] = tables.with_notes(out[-1], (tables.verdict(verification),))
    return tuple(out)


def verify_document(v: Verification) -> Document:
    """Formulas against the witness, per layer and figure, with the verdict."""
    return Document((tables.verify_table(v),), lambda: jsonout.verification_to_dict(v))


def compare_document(c: Comparison, separators: bool = True) -> Document:
    """Variants side by side, with each one's deltas from the baseline."""
    return Document(
        (tables.comparison_table(c, separators),),
        lambda: jsonout.comparison_to_dict(c),
        flat=lambda: tables.comparison_table(c, separators=False),
    )


def explain_document(sections: list[explain.Section], heading: str) -> Document:
    """Derivations: as text on a terminal and in Markdown, as rows in CSV and LaTeX."""
    from . import explain

    return Document(
        (explain.derivation_table(sections, heading),),
        lambda: explain.to_dict(sections, heading),
        flat=lambda: explain.derivation_table(sections, heading, separators=False),
        prose={
            "table": lambda: explain.to_text(sections),
            "markdown": lambda: explain.to_markdown(sections, heading),
        },
    )


def _tool_data(tool: peers.Tool, c: Census) -> dict[str, object]:
    from . import peertables

    out = peertables.reconcile_to_dict(c)
    out["tools"] = [t for t in out["tools"] if t["tool"] == tool.key]
    return out


def as_tool_document(tool: peers.Tool, c: Census, report: Report) -> Document:
    """What `tool` would print for the network (summary --as TOOL)."""
    from . import peertables

    return Document(
        (peertables.as_tool_table(tool, c, report),),
        lambda: _tool_data(tool, c),
        flat=lambda: peertables.as_tool_tidy(tool, c),
    )


def reconcile_document(c: Census) -> Document:
    """Each peer tool's total, and its difference from W by census term."""
    from . import peertables

    return Document((peertables.reconcile_table(c),), lambda: peertables.reconcile_to_dict(c))


def rules_document() -> Document:
    """Every tool's rules, what each counts as zero, and what each prints as params."""
    from . import peertables

    shown = peertables.rule_tables()
    return Document(
        shown,
        lambda: {
            "schema_version": jsonout.SCHEMA_VERSION,
            "rules": [jsonout.table_to_dict(t) for t in shown],
        },
    )


def explain_tool_document(tool: peers.Tool, c: Census) -> Document:
    """The formula behind a tool's figure (explain --as TOOL), term by term."""
    from . import peertables

    text = peertables.explain_tool(tool, c)
    return Document(
        (peertables.reconcile_table(c),),
        lambda: _tool_data(tool, c),
        prose={"table": lambda: text, "markdown": lambda: text},
    )
