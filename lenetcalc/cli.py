"""The `lenetcalc` command: thin commands over the library, one error boundary."""

from __future__ import annotations

import json
import re
import signal
import threading
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from .errors import LenetcalcError, one_line
from .present import explain, render, tables
from .present.escape import visible
from .present.export import EXPORT_FORMATS, export_text
from .present.files import atomic_write, format_for
from .present.jsonout import comparison_to_dict, report_to_dict, verification_to_dict
from .report import compare, memory
from .report.analysis import analyze, fold
from .spec import catalog
from .witness import verify


class SpecProblem(click.ClickException):
    """A library error shown as one line with exit code 2 (bad input or usage)."""

    exit_code = 2


class _Terminated(BaseException):
    """SIGTERM, raised so that cleanups run (no half-written file is left behind)."""


def _terminated(signum: int, frame: object) -> None:
    raise _Terminated


EXIT_INTERNAL = 3
_REPORT = (
    "this is a bug in lenetcalc: please report it with the spec and the command"
    " (--debug shows the traceback)"
)


class _Group(click.Group):
    """The one error boundary: every exception a command raises becomes an exit code.

    LenetcalcError: one line, exit 2. Ctrl-C: 130; SIGTERM: 143. Anything else is our
    bug: one line asking for a report, exit 3, and the traceback only with --debug.
    """

    def invoke(self, ctx: click.Context) -> Any:
        main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
        try:
            return super().invoke(ctx)
        except LenetcalcError as e:
            raise SpecProblem(one_line(str(e))) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            raise click.exceptions.Exit(130) from None
        except _Terminated:
            click.echo("Terminated.", err=True)
            raise click.exceptions.Exit(143) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as e:  # the boundary itself: whatever escaped is a bug
            if ctx.params.get("debug"):
                raise
            click.echo(f"Internal error: {type(e).__name__}: {one_line(str(e))}; {_REPORT}.",
                       err=True)  # fmt: skip
            raise click.exceptions.Exit(EXIT_INTERNAL) from None
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lenetcalc")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def main(debug: bool) -> None:
    """Account for a neural network layer by layer: shapes, parameters, connections,
    MACs, FLOPs and receptive fields, from a YAML spec.

    SPEC is a path to a YAML file, `-` for standard input, or the name of a built-in spec
    (see `lenetcalc specs`).

    Exit codes: 0 success, 1 verification found a disagreement, 2 invalid spec or usage,
    3 internal error (a bug: please report it), 130 interrupted (Ctrl-C), 143 terminated.
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


_MEMORY_SIZE = re.compile(r"\s*\d{1,15}(\.\d{1,6})?\s*([KMGT]i?)?B?\s*", re.IGNORECASE)


def _memory_size(ctx: click.Context, param: click.Parameter, text: str) -> int:
    """`--max-memory` in bytes; digits and a unit only (no 1e999, inf or nan)."""
    if not _MEMORY_SIZE.fullmatch(text):
        raise click.BadParameter(f"'{text}' is not a memory size: write e.g. 8GiB, 512MiB or 2GB")
    return verify.parse_bytes(text)


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
@set_option
@click.pass_context
def summary(
    ctx: click.Context, spec: str, fmt: str, check: bool, depth: int | None, dtype: str,
    batch: int, assignments: tuple[str, ...],
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
        _emit(tables.summary_table(report, estimate, separators=fmt != "csv"), fmt)
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
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed for inputs and weights.")  # fmt: skip
@click.option("--batch", type=click.IntRange(min=1, max=2**31), default=1, show_default=True)
@click.option("--max-memory", default="4GiB", show_default=True, callback=_memory_size,
              help="Refuse to run when the estimated peak exceeds this (e.g. 8GiB).")  # fmt: skip
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)  # fmt: skip
@set_option
@click.pass_context
def verify_command(
    ctx: click.Context, spec: str, seed: int, batch: int, max_memory: int, fmt: str,
    assignments: tuple[str, ...],
) -> None:  # fmt: skip
    """Run SPEC in the NumPy engine and compare every measured figure with the formulas.

    Exit code 0 when all agree, 1 when any figure disagrees.
    """
    network = catalog.resolve(spec, _overrides(assignments))
    result = verify.verify(network, analyze(network), batch, seed, max_memory)
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
@click.option("-f", "--format", "fmt", type=click.Choice(EXPORT_FORMATS),
              help="Default: from the -o extension (.md .csv .json .tex) or markdown.")  # fmt: skip
@click.option("-o", "--output", type=click.Path(allow_dash=True, path_type=Path),
              help="Write here (atomically); - or no -o is standard output.")  # fmt: skip
@click.option("--no-separators", is_flag=True, help="Plain integers: 60000, not 60,000.")
@set_option
def export_command(
    specs: tuple[str, ...], fmt: str | None, output: Path | None, no_separators: bool,
    assignments: tuple[str, ...],
) -> None:  # fmt: skip
    """Paper-ready per-layer tables with totals for each of SPECS."""
    if output is not None and str(output) == "-":
        output = None
    fmt = format_for(output, fmt)
    analyses = []
    for spec in specs:
        network = catalog.resolve(spec, _overrides(assignments))
        report = analyze(network)
        analyses.append((report, memory.estimate(network, report)))
    text = export_text(analyses, fmt, separators=not no_separators)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
        click.echo(f"wrote {visible(str(output))}", err=True)
