"""The `lenetcalc` command: thin commands over the library, one error boundary."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from click.decorators import FC
from click.shell_completion import CompletionItem

from . import api
from .errors import LenetcalcError, one_line
from .present import explain
from .present.columns import parse as parse_columns
from .present.documents import (
    compare_document,
    explain_document,
    summary_document,
    verify_document,
)
from .present.files import atomic_write
from .present.formats import FORMATS, Document, write
from .present.progress import progress_line
from .present.summary import UNITS, View
from .report import memory
from .report.figures import METRICS
from .spec import catalog
from .spec.network import Network
from .units import parse_bytes
from .witness import verify


def examples(*commands: str) -> str:
    """An epilog listing example command lines, kept as written (`\\b`)."""
    return "\b\nExamples:\n" + "\n".join(f"  lenetcalc {c}" for c in commands)


def complete_spec(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Built-in names that start with what was typed, then file names."""
    names = [n for n in catalog.builtin_names() if n.startswith(incomplete)]
    return [CompletionItem(n) for n in names] + [CompletionItem(incomplete, type="file")]


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


@click.group(
    cls=_Group, invoke_without_command=True, epilog=examples("summary lenet5",
    "summary resnet50 --columns name,output,params,macs", "specs show lenet5 > my-net.yaml"),
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)  # fmt: skip
@click.version_option(package_name="lenetcalc")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Account for a neural network layer by layer: shapes, parameters, connections,
    MACs, FLOPs and receptive fields, from a YAML spec.

    SPEC is a path to a YAML file or the name of a built-in spec (see `lenetcalc specs`).
    Exit codes: 0 success, 1 verification failed, 2 invalid spec or usage.
    """
    if ctx.invoked_subcommand is None:  # bare `lenetcalc`: the help, as asked for
        click.echo(ctx.get_help())


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
    """Print a document in `fmt`. The terminal table fits a terminal's width; written to
    a pipe or a file it is the full table, however wide."""
    if fmt != "table" or fmt in doc.prose:
        click.echo(write(doc, fmt), nl=False)
    elif not sys.stdout.isatty():
        click.echo(_plain(write(doc, fmt)), nl=False)
    else:
        from rich.console import Console  # only the terminal format loads Rich

        console = Console()  # per invocation: it reads the terminal's width now
        console.print(write(doc, fmt, console.width))


def _note(message: str) -> None:
    """A remark about how SPEC was read, on stderr, where the output is not."""
    click.echo(f"Note: {message}", err=True)


def _load(spec: str, assignments: tuple[str, ...]) -> Network:
    return api.load(spec, _overrides(assignments), _note)


def _analyses(
    specs: tuple[str, ...], assignments: tuple[str, ...], dtype: str = "float32", batch: int = 1
) -> list[tuple[Any, memory.Memory]]:
    """Each SPEC loaded, analysed and sized."""
    out = []
    for spec in specs:
        network = _load(spec, assignments)
        report = api.analyze(network)
        out.append((report, api.memory(network, dtype, batch)))
    return out


dtype_option = click.option(
    "--dtype", type=click.Choice(list(memory.DTYPES)), default="float32", show_default=True,
    help="Element type for the memory estimates.",
)  # fmt: skip
batch_option = click.option(
    "--batch", type=click.IntRange(min=1), default=1, show_default=True,
    help="Batch size for the memory estimates.",
)  # fmt: skip


columns_option = click.option(
    "--columns", metavar="NAMES", help="Only these columns, in this order, e.g."
    " name,output,params,macs (names: see the figures in docs/conventions.md).",
)  # fmt: skip
units_option = click.option(
    "--units", type=click.Choice(UNITS),
    help="exact digits, or human (25.6 M, 4.09 G). Default: exact, human on a narrow terminal.",
)  # fmt: skip


@main.command(
    epilog=examples(
        "summary lenet5",
        "summary resnet50 --depth 1 --units human",
        "summary my-net.yaml --columns name,output,params,macs -f csv",
    )
)
@click.argument("spec", shell_complete=complete_spec)
@format_option()
@click.option("--verify", "check", is_flag=True, help="Also cross-check with the NumPy engine.")
@click.option("--depth", type=click.IntRange(min=1), help="Fold rows to block level: 1 = layer1.")
@columns_option
@units_option
@click.option("--share", is_flag=True, help="Add each layer's share of the params and MACs.")
@dtype_option
@batch_option
@set_option
@click.pass_context
def summary(
    ctx: click.Context, spec: str, fmt: str, check: bool, depth: int | None,
    columns: str | None, units: str | None, share: bool, dtype: str, batch: int,
    assignments: tuple[str, ...],
) -> None:  # fmt: skip
    """Per-layer figures, totals and memory for SPEC."""
    network = _load(spec, assignments)
    report = api.analyze(network)
    result = api.verify(network) if check else None
    estimate = api.memory(network, dtype, batch)
    view = replace(_view(columns, units, share), depth=depth)
    _emit(summary_document([(report, estimate)], view, verification=result), fmt)
    if result and fmt == "csv":
        click.echo(tables_verdict(result), err=True)
    if result and not result.agrees:
        ctx.exit(1)


def _view(columns: str | None, units: str | None, share: bool, separators: bool = True) -> View:
    keys = parse_columns(columns) if columns else None
    return View(keys, units or "exact", share, separators)


def tables_verdict(result: verify.Verification) -> str:
    """The verification's one-line verdict (stderr, where the output is data)."""
    from .present.tables import verdict

    return verdict(result)


@main.command(
    "specs",
    short_help="List the built-in specs, or print one.",
    epilog=examples("specs", "specs show lenet5", "specs show lenet5 > my-net.yaml"),
)
@click.argument("words", nargs=-1, metavar="[show] [NAME]", shell_complete=complete_spec)
def list_specs(words: tuple[str, ...]) -> None:
    """List the built-in specs, or print one's YAML to start a spec from."""
    names = [w for w in words if w != "show"] if words[:1] == ("show",) else list(words)
    if len(names) > 1:
        raise click.UsageError("name one built-in spec, e.g. `lenetcalc specs show lenet5`")
    if names:
        click.echo(catalog.builtin_text(names[0]), nl=False)
        return
    for name in catalog.builtin_names():
        click.echo(f"{name:16} {catalog.load_builtin(name).description}")


@main.command(
    "explain",
    short_help="Show the arithmetic behind each figure.",
    epilog=examples(
        "explain lenet5 C3",
        "explain lenet5 --figure connections",
        "explain resnet18 --format markdown > derivation.md",
    ),
)
@click.argument("spec", shell_complete=complete_spec)
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
    network = _load(spec, assignments)
    sections = explain.explain(network, list(layers), list(figures))
    _emit(explain_document(sections, f"{network.name}: every figure, derived"), fmt)


@main.command(
    "verify",
    short_help="Cross-check every figure with the NumPy engine.",
    epilog=examples(
        "verify lenet5", "verify resnet18 --batch 2 --seed 1", "verify my-net.yaml -f json"
    ),
)
@click.argument("spec", shell_complete=complete_spec)
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
    network = _load(spec, assignments)
    with progress_line() as progress:
        result = api.verify(network, batch, seed, parse_bytes(max_memory), progress)
    _emit(verify_document(result), fmt)
    if not result.agrees:
        ctx.exit(1)


@main.command(
    "compare",
    short_help="Put specs side by side, with deltas.",
    epilog=examples(
        "compare lenet5 lenet5-modern lenet5-mnist",
        "compare lenet5 lenet5-modern --by-layer --metric macs",
        "compare resnet18 resnet50 -f json",
    ),
)
@click.argument("specs", nargs=-1, required=True, shell_complete=complete_spec)
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
    reports = [report for report, _ in _analyses(specs, assignments)]
    _emit(compare_document(api.compare(*reports, by_layer=by_layer, metric=metric)), fmt)


@main.command(
    "export",
    short_help="Paper-ready tables for one or more specs.",
    epilog=examples(
        "export lenet5 > lenet5.md",
        "export lenet5 resnet18 -f csv -o tables.csv",
        "export lenet5 lenet5-mnist -f latex --dtype float16",
    ),
)
@click.argument("specs", nargs=-1, required=True, shell_complete=complete_spec)
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
    view = View(separators=not no_separators)
    doc = summary_document(analyses, view, collection=True)
    text = write(doc, fmt, width=None)
    if not isinstance(text, str):  # the terminal layout, written out as plain text
        text = _plain(text)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
        click.echo(f"wrote {output}", err=True)


def _plain(renderable: Any) -> str:
    """A Rich renderable as plain text, at its natural width."""
    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=10_000, no_color=True).print(renderable)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
