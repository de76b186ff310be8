"""The `lenetcalc` command: thin commands over the library, one error boundary."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.console import Console

from . import catalog, explain, render, tables
from .analysis import analyze
from .errors import LenetcalcError
from .serialize import report_to_dict


class SpecProblem(click.ClickException):
    """A library error shown as one line with exit code 2 (bad input or usage)."""

    exit_code = 2


class _Group(click.Group):
    """Turns every LenetcalcError raised by a command into a one-line error, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LenetcalcError as e:
            raise SpecProblem(str(e)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lenetcalc")
def main() -> None:
    """Account for a neural network layer by layer: shapes, parameters, connections,
    MACs, FLOPs and receptive fields, from a YAML spec.

    SPEC is a path to a YAML file or the name of a built-in spec (see `lenetcalc specs`).
    Exit codes: 0 success, 2 invalid spec or usage.
    """


FORMATS = click.Choice(["table", "json", "markdown", "csv"])


@main.command()
@click.argument("spec")
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
def summary(spec: str, fmt: str) -> None:
    """Per-layer figures and totals for SPEC."""
    report = analyze(catalog.resolve(spec))
    if fmt == "json":
        click.echo(json.dumps(report_to_dict(report), indent=2))
    elif fmt == "table":
        console = Console()
        console.print(render.to_rich(tables.summary_table(report), console.width))
    elif fmt == "markdown":
        click.echo(render.to_markdown(tables.summary_table(report)), nl=False)
    else:
        click.echo(render.to_csv(tables.summary_table(report, separators=False)), nl=False)


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
def explain_command(spec: str, layers: tuple[str, ...], figures: tuple[str, ...], fmt: str) -> None:
    """Show the arithmetic behind each figure of SPEC, or of the named LAYERS.

    With no LAYERS, the totals come first, each as the sum of the layers' figures.
    """
    network = catalog.resolve(spec)
    sections = explain.explain(network, list(layers), list(figures))
    if fmt == "markdown":
        heading = f"{network.name}: every figure, derived"
        click.echo(explain.to_markdown(sections, heading), nl=False)
    else:
        click.echo(explain.to_text(sections), nl=False)
