"""Each command's result as a `Document`: the tables people read and the data JSON holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..report import peers
from ..report.analysis import Report
from ..report.census import Census
from ..report.compare import Comparison
from ..report.memory import Memory
from ..witness.verify import Verification
from . import explain, jsonout, peertables, tables
from .formats import Document

if TYPE_CHECKING:  # compare is loaded by the compare command alone
    from ..report.compare import Comparison


def summary_document(
    analyses: list[tuple[Report, Memory]],
    separators: bool = True,
    collection: bool = False,
    verification: Verification | None = None,
    bars: str | None = None,
) -> Document:
    """Per-layer tables with totals, one per network; JSON is one report, or a collection
    (`{"networks": [...]}`) for `export`."""

    def data() -> dict[str, object]:
        if collection:
            return {"networks": [jsonout.report_to_dict(r, m) for r, m in analyses]}
        out = jsonout.report_to_dict(*analyses[0])
        if verification is not None:
            out["verification"] = jsonout.verification_to_dict(verification)
        return out

    shown = [tables.summary_table(r, m, separators) for r, m in analyses]
    if bars is not None:  # one column of shares of params or MACs (summary --bars)
        from .diagram.bars import with_bars

        shown = [with_bars(t, r, bars) for t, (r, _) in zip(shown, analyses, strict=True)]
    if verification is not None and not verification.agrees:
        shown.append(tables.verify_table(verification))
    elif verification is not None:
        last = shown[-1]
        shown[-1] = tables.with_notes(last, (tables.verdict(verification),))
    return Document(
        tuple(shown),
        data,
        flat=lambda: tables.stacked(
            [(r.name, tables.summary_table(r, m, separators=False)) for r, m in analyses]
        ),
    )


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
    return Document(
        (explain.derivation_table(sections, heading),),
        lambda: explain.to_dict(sections, heading),
        prose={
            "table": lambda: explain.to_text(sections),
            "markdown": lambda: explain.to_markdown(sections, heading),
        },
    )


def _tool_data(tool: peers.Tool, c: Census) -> dict[str, object]:
    out = peertables.reconcile_to_dict(c)
    out["tools"] = [t for t in out["tools"] if t["tool"] == tool.key]
    return out


def as_tool_document(tool: peers.Tool, c: Census, report: Report) -> Document:
    """What `tool` would print for the network (summary --as TOOL)."""
    return Document(
        (peertables.as_tool_table(tool, c, report),),
        lambda: _tool_data(tool, c),
        flat=lambda: peertables.as_tool_table(tool, c, report, separators=False),
    )


def reconcile_document(c: Census) -> Document:
    """Each peer tool's total, and its difference from W by census term."""
    return Document((peertables.reconcile_table(c),), lambda: peertables.reconcile_to_dict(c))


def rules_document() -> Document:
    """Every tool's rules, what each counts as zero, and what each prints as params."""
    shown = peertables.rule_tables()
    return Document(shown, lambda: {"rules": [jsonout.table_to_dict(t) for t in shown]})


def explain_tool_document(tool: peers.Tool, c: Census) -> Document:
    """The formula behind a tool's figure (explain --as TOOL), term by term."""
    text = peertables.explain_tool(tool, c)
    return Document(
        (peertables.reconcile_table(c),),
        lambda: _tool_data(tool, c),
        prose={"table": lambda: text, "markdown": lambda: text},
    )
