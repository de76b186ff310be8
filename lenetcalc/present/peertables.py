"""Peer tools' figures as tables, formulas and JSON: what `--as` and `reconcile` print."""

from __future__ import annotations

from typing import Any

from ..report.analysis import Report
from ..report.census import TERMS, Census
from ..report.peers import (
    TOOLS,
    Tool,
    beyond_w,
    ignored_here,
    layer_value,
    params_total,
    partial_on,
    total,
)
from .jsonout import SCHEMA_VERSION
from .tables import Column, Table, fmt_int

_MEANING = {t.key: t.meaning for t in TERMS}
# Terms that size a charge rather than being an operation of their own.
AUXILIARY = frozenset({"OUT", "BNC", "MaxPoolOut", "AvgPoolOut", "GAPOut", "SoftmaxRows"})


def _product(coefficient: int, term: str, count: int) -> str:
    """'2·BN (22,227,968)': a term with its coefficient and the product's value."""
    k = abs(coefficient)
    return f"{'' if k == 1 else f'{k}·'}{term} ({fmt_int(k * count)})"


def signed_sum(parts: tuple[tuple[int, str, int], ...]) -> str:
    """Terms joined with + and −; '0' when there are none."""
    text = ""
    for coefficient, term, count in parts:
        sign = "−" if coefficient < 0 else "+"
        item = _product(coefficient, term, count)
        text = f"{'− ' if sign == '−' else ''}{item}" if not text else f"{text} {sign} {item}"
    return text or "0"


def as_tool_table(tool: Tool, c: Census, report: Report, separators: bool = True) -> Table:
    """What `tool` would print for the network: per layer where it reports per layer, else
    its one figure (fvcore's total(), say)."""
    title = f"{c.name} as {tool.name} reports it"
    notes = (
        f"{tool.name}, {tool.version}: {tool.figure} = {formula(tool)}.",
        *status_notes(tool, c),
        *(f"Known bug: {bug}." for bug in tool.bugs),
    )
    if not tool.per_layer:
        one = (Column("Reported"), Column(tool.unit, True))
        return Table(title, one, ((tool.figure, shown_total(tool, c, separators)),), None, notes)
    columns = (
        Column("Layer"),
        Column("PyTorch calls"),
        Column(f"{tool.figure} ({tool.unit})", True),
    )
    rows = tuple(
        (row.name, ", ".join(row.calls), fmt_int(layer_value(tool, row), separators))
        for row in c.layers
    )
    total = ("Total", "", shown_total(tool, c, separators))
    return Table(title, columns, rows, total, notes)


# `--as TOOL -f csv`: one header whatever the tool, the unit in its own column.
TIDY_HEADERS = ("network", "row", "layer", "pytorch_calls", "tool", "status", "unit", "value")


def as_tool_tidy(tool: Tool, c: Census) -> Table:
    """What `tool` would print, for a spreadsheet: raw integers, a row per layer where the
    tool reports per layer, then its total (`partial`: a lower bound)."""
    status = "partial" if partial_on(tool, c) else "complete"
    head = (c.name, "layer")
    rows = [
        (
            *head,
            row.name,
            ";".join(row.calls),  # as summary's CSV lists inputs
            tool.key,
            status,
            tool.unit,
            str(layer_value(tool, row)),
        )
        for row in (c.layers if tool.per_layer else ())
    ]
    rows.append((c.name, "total", "", "", tool.key, status, tool.unit, str(total(tool, c))))
    return Table("", tuple(Column(h) for h in TIDY_HEADERS), tuple(rows))


def shown_total(tool: Tool, c: Census, separators: bool = True) -> str:
    """The total as the tool shows it: '≥' before a partial report's lower bound."""
    return f"{'≥' if partial_on(tool, c) else ''}{fmt_int(total(tool, c), separators)}"


def status_notes(tool: Tool, c: Census) -> tuple[str, ...]:
    """Whether the total is partial, and the parameter count the tool prints."""
    notes = []
    missing = partial_on(tool, c)
    if missing:
        notes.append(
            f"{tool.name}: partial, a lower bound; it warns 'not supported' and counts zero"
            f" for {', '.join(missing)}."
        )
    params, ours = params_total(tool, c), c["PARAMS"]
    if params is None:
        notes.append(f"{tool.name} prints no parameter count.")
    elif params == ours:
        notes.append(f"Parameters: {fmt_int(params)}, as lenetcalc counts them.")
    else:
        parts = tuple((r.coefficient, r.term, c[r.term]) for r in tool.params or () if c[r.term])
        notes.append(
            f"Parameters: {tool.name} prints {fmt_int(params)}, not {fmt_int(ours)}:"
            f" {signed_sum(parts)}."
        )
    return tuple(notes)


def formula(tool: Tool) -> str:
    """The tool's total as a formula over census terms: 'W + 2·BN + GAP'."""
    text = ""
    for r in tool.rules:
        k = abs(r.coefficient)
        item = f"{'' if k == 1 else f'{k}·'}{r.term}"
        if not text:
            text = f"−{item}" if r.coefficient < 0 else item
        else:
            text += f" {'−' if r.coefficient < 0 else '+'} {item}"
    return text


def reconcile_table(c: Census) -> Table:
    """One row per tool: its total, its difference from W, and that difference by term."""
    w = c["W"]
    columns = (
        Column("Tool", key="label"),
        Column("Unit"),
        Column("Total", True),
        Column("Params", True),
        Column("− W", True),
        Column("= difference by census term", key="note"),
        Column("Counted as zero", hide_rank=1, key="note"),
    )
    rows = tuple(
        (
            tool.name,
            tool.unit,
            shown_total(tool, c),
            _params_cell(tool, c),
            fmt_int(total(tool, c) - w),
            signed_sum(beyond_w(tool, c)),
            ", ".join(i.term for i, _ in ignored_here(tool, c)) or "—",
        )
        for tool in TOOLS.values()
    )
    return Table(
        f"{c.name}: what each tool prints, from W = {fmt_int(w)} weight MACs",
        columns,
        rows,
        None,
        _term_notes(c) + _tool_notes(c),
    )


def _params_cell(tool: Tool, c: Census) -> str:
    params = params_total(tool, c)
    return "—" if params is None else fmt_int(params)


def _tool_notes(c: Census) -> tuple[str, ...]:
    """Partial reports and parameter counts that differ from lenetcalc's."""
    notes: list[str] = []
    for tool in TOOLS.values():
        notes.extend(n for n in status_notes(tool, c) if "partial" in n or " not " in n)
    return tuple(notes)


def _term_notes(c: Census) -> tuple[str, ...]:
    """A line per census term this network has: its count and meaning."""
    counted = {r.term for tool in TOOLS.values() for r in (*tool.rules, *(tool.params or ()))}
    counted |= AUXILIARY
    notes = [
        f"{t.key} = {fmt_int(c[t.key])}: {t.meaning}"
        + ("" if t.key in counted else ": no tool counts it")
        for t in TERMS
        if c[t.key]
    ]
    return tuple(notes)


def reconcile_to_dict(c: Census) -> dict[str, Any]:
    """The reconciliation as JSON: census totals, and per tool its total and terms."""
    return {
        "schema_version": SCHEMA_VERSION,
        "network": c.name,
        "census": {t.key: c[t.key] for t in TERMS},
        "tools": [
            {
                "tool": tool.key,
                "name": tool.name,
                "figure": tool.figure,
                "unit": tool.unit,
                "version": tool.version,
                "total": total(tool, c),
                "status": "partial" if partial_on(tool, c) else "complete",
                "params": params_total(tool, c),
                "minus_w": total(tool, c) - c["W"],
                "terms": [
                    {
                        "term": r.term,
                        "coefficient": r.coefficient,
                        "count": c[r.term],
                        "where": r.where,
                    }
                    for r in tool.rules
                ],
                "counted_as_zero": [
                    {"term": i.term, "count": n, "where": i.where, "partial": i.partial}
                    for i, n in ignored_here(tool, c)
                ],
            }
            for tool in TOOLS.values()
        ],
    }


def explain_tool(tool: Tool, c: Census) -> str:
    """The formula behind the tool's figure, with every term's count and source."""
    parts = tuple((r.coefficient, r.term, c[r.term]) for r in tool.rules if c[r.term])
    lines = [
        f"{tool.name} ({tool.version}), {tool.figure} in {tool.unit}:",
        f"  {formula(tool)}",
        f"  = {signed_sum(parts)}",
        f"  = {shown_total(tool, c)}",
        *(f"  {note}" for note in status_notes(tool, c)),
        "  where",
    ]
    for r in (r for r in tool.rules if c[r.term]):
        lines.append(f"    {r.term} = {fmt_int(c[r.term])}: {_MEANING[r.term]}")
        lines.append(f"      charged at {r.where}")
        if r.note:
            lines.append(f"      ({r.note})")
    for i, n in ignored_here(tool, c):
        lines.append(f"  counted as zero: {i.term} = {fmt_int(n)} ({i.where})")
    lines.extend(f"  known bug: {bug}" for bug in tool.bugs)
    return "\n".join(lines) + "\n"


def rules_table() -> Table:
    """Every tool's rules: term, coefficient, where in its source (for the docs)."""
    rows = tuple(
        (tool.name, tool.version, f"{r.coefficient}·{r.term}", _MEANING[r.term], r.where, r.note)
        for tool in TOOLS.values()
        for r in tool.rules
    )
    columns = (
        Column("Tool", key="label"),
        Column("Version read"),
        Column("Charge"),
        Column("Census term"),
        Column("Source"),
        Column("Note"),
    )
    return Table("Rules: each tool's total is the sum of its charges", columns, rows)


def zeros_table() -> Table:
    """What each tool counts as zero, and the known bugs (for the docs)."""
    rows = [(tool.name, i.term, i.where) for tool in TOOLS.values() for i in tool.ignores] + [
        (tool.name, "known bug", bug) for tool in TOOLS.values() for bug in tool.bugs
    ]
    columns = (Column("Tool"), Column("Term"), Column("Why zero (source)"))
    return Table("Counted as zero, and known bugs", columns, tuple(rows))


def params_table() -> Table:
    """What each tool prints as the parameter count (for the docs)."""
    rows = tuple(
        (tool.name, f"{r.coefficient}·{r.term}", _MEANING[r.term], r.where)
        for tool in TOOLS.values()
        for r in tool.params or ()
    )
    columns = (Column("Tool"), Column("Charge"), Column("Census term"), Column("Source"))
    return Table(
        "Parameters: what each tool prints (fvcore and FlopCounterMode print none)", columns, rows
    )


def rule_tables() -> tuple[Table, Table, Table]:
    """The rules, the zeros and bugs, and the parameter counts: docs/peer-conventions.md."""
    return (rules_table(), zeros_table(), params_table())
