"""The `lenetcalc` command: thin commands over the library, one error boundary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from .errors import LenetcalcError, one_line
from .present import explain, render, tables
from .present.diagram.bars import with_bars
from .present.diagram.mermaid import markdown_section
from .present.export import EXPORT_FORMATS, export_text
from .present.files import atomic_write
from .present.jsonout import comparison_to_dict, report_to_dict, verification_to_dict
from .report import compare, memory
from .report.analysis import analyze, fold
from .spec import catalog
from .witness import verify


class SpecProblem(click.ClickException):
    """A library error shown as one line with exit code 2 (bad input or usage)."""

    exit_code = 2


class _Group(click.Group):
    """Turns every LenetcalcError raised by a command into a one-line error, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LenetcalcError as e:
            raise SpecProblem(one_line(str(e))) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lenetcalc")
def main() -> None:
    """Account for a neural network layer by layer: shapes, parameters, connections,
    MACs, FLOPs and receptive fields, from a YAML spec.

    SPEC is a path to a YAML file or the name of a built-in spec (see `lenetcalc specs`).
    Exit codes: 0 success, 1 verification failed, 2 invalid spec or usage.
    """


FORMATS = click.Choice(["table", "json", "markdown", "csv"])

set_option = click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a spec variable (repeatable); input=CxHxW replaces the input shape.",
)


def _overrides(assignments: tuple[str, ...]) -> dict[str, str]:
    """`--set` pairs as a mapping; a pair without `=` is a usage error."""
    pairs = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{item}' is not NAME=VALUE", param_hint="--set")
        pairs[name.strip()] = value.strip()
    return pairs


def _print_table(table: tables.Table) -> None:
    console = Console()
    console.print(render.to_rich(table, console.width))


def _emit(table: tables.Table, fmt: str) -> None:
    """Print a neutral table as a Rich table, Markdown or CSV."""
    if fmt == "table":
        _print_table(table)
    elif fmt == "markdown":
        click.echo(render.to_markdown(table), nl=False)
    else:
        click.echo(render.to_csv(table), nl=False)


@main.command()
@click.argument("spec")
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--verify", "check", is_flag=True, help="Also cross-check with the NumPy engine.")
@click.option("--depth", type=click.IntRange(min=1), help="Fold rows to block level: 1 = layer1.")
@click.option("--dtype", type=click.Choice(list(memory.DTYPES)), default="float32",
              show_default=True, help="Element type for the memory estimates.")  # fmt: skip
@click.option("--batch", type=click.IntRange(min=1), default=1, show_default=True,
              help="Batch size for the memory estimates.")  # fmt: skip
@click.option("--bars", type=click.Choice(["params", "macs"]), is_flag=False, flag_value="params",
              help="A bar per layer: share of params (--bars) or MACs (--bars=macs).")  # fmt: skip
@set_option
@click.pass_context
def summary(
    ctx: click.Context, spec: str, fmt: str, check: bool, depth: int | None, dtype: str,
    batch: int, bars: str | None, assignments: tuple[str, ...],
) -> None:  # fmt: skip
    """Per-layer figures, totals and memory for SPEC."""
    network = catalog.resolve(spec, _overrides(assignments))
    report = analyze(network)
    result = verify.verify(network, report) if check else None
    estimate = memory.estimate(network, report, dtype, batch)
    if depth is not None:
        report = fold(report, depth)
    if fmt == "json":
        data = report_to_dict(report, estimate)
        if result:
            data["verification"] = verification_to_dict(result)
        click.echo(json.dumps(data, indent=2))
    else:
        table = tables.summary_table(report, estimate, separators=fmt != "csv")
        _emit(with_bars(table, report, bars) if bars else table, fmt)
    if result and fmt != "json":
        if not result.agrees:
            _print_table(tables.verify_table(result))
        click.echo(tables.verdict(result), err=fmt == "csv")
    if result and not result.agrees:
        ctx.exit(1)


@main.command("specs")
def list_specs() -> None:
    """List the built-in specs, one line each."""
    for name in catalog.builtin_names():
        click.echo(f"{name:16} {catalog.load_builtin(name).description}")


@main.command("explain")
@click.argument("spec")
@click.argument("layers", nargs=-1)
@click.option(
    "--figure", "figures", multiple=True, type=click.Choice(explain.FIGURES),
    help="Only these figures (repeatable). Default: all.",
)  # fmt: skip
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True)  # fmt: skip
@set_option
def explain_command(
    spec: str, layers: tuple[str, ...], figures: tuple[str, ...], fmt: str,
    assignments: tuple[str, ...],
) -> None:  # fmt: skip
    """Show the arithmetic behind each figure of SPEC, or of the named LAYERS.

    With no LAYERS, the totals come first, each as the sum of the layers' figures.
    """
    network = catalog.resolve(spec, _overrides(assignments))
    sections = explain.explain(network, list(layers), list(figures))
    if fmt == "markdown":
        heading = f"{network.name}: every figure, derived"
        click.echo(explain.to_markdown(sections, heading), nl=False)
    else:
        click.echo(explain.to_text(sections), nl=False)


@main.command("verify")
@click.argument("spec")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for inputs and weights.")
@click.option("--batch", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--max-memory", default="4GiB", show_default=True,
              help="Refuse to run when the estimated peak exceeds this (e.g. 8GiB).")  # fmt: skip
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)  # fmt: skip
@set_option
@click.pass_context
def verify_command(
    ctx: click.Context, spec: str, seed: int, batch: int, max_memory: str, fmt: str,
    assignments: tuple[str, ...],
) -> None:  # fmt: skip
    """Run SPEC in the NumPy engine and compare every measured figure with the formulas.

    Exit code 0 when all agree, 1 when any figure disagrees.
    """
    network = catalog.resolve(spec, _overrides(assignments))
    limit = verify.parse_bytes(max_memory)
    result = verify.verify(network, analyze(network), batch, seed, limit)
    if fmt == "json":
        click.echo(json.dumps(verification_to_dict(result), indent=2))
    else:
        _print_table(tables.verify_table(result))
    if not result.agrees:
        ctx.exit(1)


@main.command("compare")
@click.argument("specs", nargs=-1, required=True)
@click.option("--by-layer", is_flag=True, help="One row per layer, aligned by layer name.")
@click.option("--metric", type=click.Choice(compare.METRICS), default="params", show_default=True,
              help="The figure shown per layer with --by-layer.")  # fmt: skip
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@set_option
def compare_command(
    specs: tuple[str, ...], by_layer: bool, metric: str, fmt: str, assignments: tuple[str, ...]
) -> None:
    """Put two or more SPECS side by side; the first is the baseline for every delta."""
    if len(specs) < 2:
        raise click.UsageError("compare needs at least two specs (the first is the baseline)")
    reports = [analyze(catalog.resolve(spec, _overrides(assignments))) for spec in specs]
    if by_layer:
        result = compare.compare_layers(reports, metric)
    else:
        result = compare.compare_totals(reports)
    if fmt == "json":
        click.echo(json.dumps(comparison_to_dict(result), indent=2))
    else:
        _emit(tables.comparison_table(result, separators=fmt != "csv"), fmt)


@main.command("export")
@click.argument("specs", nargs=-1, required=True)
@click.option("-f", "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="markdown",
              show_default=True)  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here (atomically) instead of to standard output.")  # fmt: skip
@click.option("--no-separators", is_flag=True, help="Plain integers: 60000, not 60,000.")
@click.option("--diagram", is_flag=True,
              help="Markdown only: add a Mermaid flowchart and any connection tables.")  # fmt: skip
@set_option
def export_command(
    specs: tuple[str, ...], fmt: str, output: Path | None, no_separators: bool, diagram: bool,
    assignments: tuple[str, ...],
) -> None:  # fmt: skip
    """Paper-ready per-layer tables with totals for each of SPECS."""
    if diagram and fmt != "markdown":
        raise click.UsageError("--diagram goes with --format markdown")
    analyses, sections = [], []
    for spec in specs:
        network = catalog.resolve(spec, _overrides(assignments))
        report = analyze(network)
        analyses.append((report, memory.estimate(network, report)))
        sections.append(markdown_section(report, network) if diagram else "")
    text = export_text(analyses, fmt, separators=not no_separators) + "".join(
        "\n" + s for s in sections if s
    )
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
        click.echo(f"wrote {output}", err=True)


@main.command("diagram")
@click.argument("spec")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here; the suffix (.svg, .png, .pdf) picks the format. Default: SVG"
              " to standard output.")  # fmt: skip
@click.option("--style", type=click.Choice(["lenet", "graph", "profile"]),
              help="lenet: stacks of maps as in the LeNet-5 paper (default for chains);"
              " graph: layered graph (default when the network branches); profile: params"
              " and MACs per layer, log scale.")  # fmt: skip
@click.option("--depth", type=click.IntRange(min=1), help="One node per block: 1 = layer1.")
@click.option("--label", type=click.Choice(["shape", "params", "macs"]), default="shape",
              show_default=True, help="The figure shown under each output shape.")  # fmt: skip
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light", show_default=True)
@click.option("--width", type=click.IntRange(min=50), help="Output width in pixels (scales).")
@click.option("--font-size", type=click.FloatRange(min=4, max=72), default=12.0,
              show_default=True)  # fmt: skip
@set_option
def diagram_command(
    spec: str, output: Path | None, style: str | None, depth: int | None, label: str,
    theme: str, width: int | None, font_size: float, assignments: tuple[str, ...],
) -> None:  # fmt: skip
    """Draw SPEC as an SVG, PNG or PDF picture."""
    from .present.diagram import draw  # drawing libraries load for this command only

    fmt = output.suffix.lower().lstrip(".") if output else "svg"
    if fmt not in draw.FORMATS:
        raise click.BadParameter(f"'{output}' should end in .svg, .png or .pdf", param_hint="-o")
    network = catalog.resolve(spec, _overrides(assignments))
    options = draw.Options(style, depth, label, theme, width, font_size)
    data = draw.render(draw.figure(network, analyze(network), options), fmt, options)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        atomic_write(output, data)
        click.echo(f"wrote {output}", err=True)
