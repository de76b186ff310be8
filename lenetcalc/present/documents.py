"""Each command's result as a `Document`: the tables people read and the data JSON holds."""

from __future__ import annotations

from dataclasses import replace

from ..report.analysis import Report
from ..report.compare import Comparison
from ..report.memory import Memory
from ..witness.verify import Verification
from . import explain, jsonout, tables
from .formats import Document
from .summary import View, layers_table, totals_table
from .tables import Table
from .tidy import tidy_table


def summary_document(
    analyses: list[tuple[Report, Memory]],
    view: View | None = None,
    collection: bool = False,
    verification: Verification | None = None,
) -> Document:
    """Per-layer tables and a totals block, one pair per network; JSON is one report, or a
    collection (`{"networks": [...]}`) for `export`; CSV is one tidy table."""
    shown_view = view or View()

    def data() -> dict[str, object]:
        if collection:
            return jsonout.collection_to_dict(analyses)
        out = jsonout.report_to_dict(*analyses[0], depth=shown_view.depth)
        if verification is not None:
            out["verification"] = jsonout.verification_to_dict(verification)
        return out

    def shown(units: str) -> tuple[Table, ...]:
        v = replace(shown_view, units=units)
        out = [t for r, m in analyses for t in (layers_table(r, m, v), totals_table(r, m, v))]
        if verification is not None and not verification.agrees:
            out.append(tables.verify_table(verification))
        elif verification is not None:
            out[-1] = tables.with_notes(out[-1], (tables.verdict(verification),))
        return tuple(out)

    narrow = None if shown_view.units == "human" else (lambda: shown("human"))
    return Document(shown(shown_view.units), data, flat=lambda: tidy_table(analyses), narrow=narrow)


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
