"""The `lenetcalc` command: thin commands over the library, one error boundary."""

from __future__ import annotations

import gc
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from click.decorators import FC

from .errors import LenetcalcError, one_line
from .present import explain
from .present.documents import (
    compare_document,
    explain_document,
    summary_document,
    verify_document,
)
from .present.formats import FORMATS, Document, write
from .report import memory
from .report.analysis import analyze, fold
from .report.figures import METRICS
from .spec import catalog
from .units import parse_bytes
from .witness import verify


class SpecProblem(click.ClickException):
    """A library error shown as one line with exit code 2 (bad input or usage)."""

    exit_code = 2


class _Group(click.Group):
    """Turns every LenetcalcError raised by a command into a one-line error, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _no_cycle_collection():
                return super().invoke(ctx)
        except LenetcalcError as e:
            raise SpecProblem(one_line(str(e))) from None


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector off while a command runs, and on again after.

    Loading a spec allocates millions of small objects and few cycles; each full collection
    walks every one of them, which made the cost per layer grow with depth (0.13 ms flat
    without it, 0.26 ms at 15,000 layers with it). Reference counting still frees memory.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lenetcalc")
def main() -> None:
    """Account for a neural network layer by layer: shapes, parameters, connections,
    MACs, FLOPs and receptive fields, from a YAML spec.

    SPEC is a path to a YAML file or the name of a built-in spec (see `lenetcalc specs`).
    Exit codes: 0 success, 1 verification failed, 2 invalid spec or usage.
    """


def format_option(default: str = "table") -> Callable[[FC], FC]:
    """`-f/--format`, with the same names in every command."""
    return click.option(
        "-f", "--format", "fmt", type=click.Choice(FORMATS), default=default,
        show_default=True, help="Output format.",
    )  # fmt: skip


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


def _emit(doc: Document, fmt: str) -> None:
    """Print a document in `fmt`: text as is, the terminal table through Rich."""
    if fmt != "table" or fmt in doc.prose:
        click.echo(write(doc, fmt), nl=False)
        return
    from rich.console import Console  # only the terminal format loads Rich

    console = Console()  # per invocation: it reads the terminal's width now
    console.print(write(doc, fmt, console.width))


def _analyses(
    specs: tuple[str, ...], assignments: tuple[str, ...], dtype: str = "float32", batch: int = 1
) -> list[tuple[Any, memory.Memory]]:
    """Each SPEC loaded, analysed and sized."""
    out = []
    for spec in specs:
        network = catalog.resolve(spec, _overrides(assignments))
        report = analyze(network)
        out.append((report, memory.estimate(network, report, dtype, batch)))
    return out


dtype_option = click.option(
    "--dtype", type=click.Choice(list(memory.DTYPES)), default="float32", show_default=True,
    help="Element type for the memory estimates.",
)  # fmt: skip
batch_option = click.option(
    "--batch", type=click.IntRange(min=1), default=1, show_default=True,
    help="Batch size for the memory estimates.",
)  # fmt: skip


@main.command()
@click.argument("spec")
@format_option()
@click.option("--verify", "check", is_flag=True, help="Also cross-check with the NumPy engine.")
@click.option("--depth", type=click.IntRange(min=1), help="Fold rows to block level: 1 = layer1.")
@dtype_option
@batch_option
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
    shown = fold(report, depth) if depth is not None else report
    _emit(summary_document([(shown, estimate)], verification=result), fmt)
    if result and fmt == "csv":
        click.echo(tables_verdict(result), err=True)
    if result and not result.agrees:
        ctx.exit(1)


def tables_verdict(result: verify.Verification) -> str:
    """The verification's one-line verdict (stderr, where the output is data)."""
    from .present.tables import verdict

    return verdict(result)


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
@format_option()
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
    _emit(explain_document(sections, f"{network.name}: every figure, derived"), fmt)


@main.command("verify")
@click.argument("spec")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for inputs and weights.")
@click.option("--batch", type=click.IntRange(min=1), default=1, show_default=True,
              help="Batch size the engine runs.")  # fmt: skip
@click.option("--max-memory", default="4GiB", show_default=True, metavar="SIZE",
              help="Refuse to run when the estimated peak exceeds this (e.g. 8GiB).")  # fmt: skip
@format_option()
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
    limit = parse_bytes(max_memory)
    result = verify.verify(network, analyze(network), batch, seed, limit)
    _emit(verify_document(result), fmt)
    if not result.agrees:
        ctx.exit(1)


@main.command("compare")
@click.argument("specs", nargs=-1, required=True)
@click.option("--by-layer", is_flag=True, help="One row per layer, aligned by layer name.")
@click.option("--metric", type=click.Choice(METRICS), default="params", show_default=True,
              help="The figure shown per layer with --by-layer.")  # fmt: skip
@format_option()
@set_option
def compare_command(
    specs: tuple[str, ...], by_layer: bool, metric: str, fmt: str, assignments: tuple[str, ...]
) -> None:
    """Put two or more SPECS side by side; the first is the baseline for every delta."""
    if len(specs) < 2:
        raise click.UsageError("compare needs at least two specs (the first is the baseline)")
    from .report import compare  # loaded by this command alone: start-up is per command

    reports = [report for report, _ in _analyses(specs, assignments)]
    if by_layer:
        result = compare.compare_layers(reports, metric)
    else:
        result = compare.compare_totals(reports)
    _emit(compare_document(result), fmt)


@main.command("export")
@click.argument("specs", nargs=-1, required=True)
@format_option(default="markdown")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here (atomically) instead of to standard output.")  # fmt: skip
@click.option("--no-separators", is_flag=True, help="Plain integers: 60000, not 60,000.")
@dtype_option
@batch_option
@set_option
def export_command(
    specs: tuple[str, ...], fmt: str, output: Path | None, no_separators: bool, dtype: str,
    batch: int, assignments: tuple[str, ...],
) -> None:  # fmt: skip
    """Paper-ready per-layer tables with totals for each of SPECS."""
    analyses = _analyses(specs, assignments, dtype, batch)
    doc = summary_document(analyses, separators=not no_separators, collection=True)
    text = write(doc, fmt, width=None)
    if not isinstance(text, str):  # the terminal layout, written out as plain text
        text = _plain(text)
    if output is None:
        click.echo(text, nl=False)
    else:
        from .present.files import atomic_write  # tempfile and shutil: this path alone

        atomic_write(output, text)
        click.echo(f"wrote {output}", err=True)


def _plain(renderable: Any) -> str:
    """A Rich renderable as plain text, at its natural width."""
    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=10_000, no_color=True).print(renderable)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
