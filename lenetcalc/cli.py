"""The `lenetcalc` command: thin commands over the library, one error boundary."""

from __future__ import annotations

import gc
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.decorators import FC

from . import api
from .errors import LenetcalcError, one_line
from .present.columns import parse as parse_columns
from .present.documents import (
    as_tool_document,
    compare_document,
    explain_document,
    explain_tool_document,
    reconcile_document,
    rules_document,
    summary_document,
    verify_document,
)
from .present.escape import visible
from .present.formats import FORMATS, Document, format_for, write
from .present.progress import progress_line
from .present.summary import UNITS, View
from .report import memory
from .report.analysis import Report, analyze, fold
from .report.figures import EXPLAINED, METRICS
from .report.tool_names import TOOL_KEYS
from .spec import catalog
from .spec.network import Network
from .units import format_bytes, parse_bytes
from .witness import DEFAULT_MAX_MEMORY

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from .witness.verify import Verification


def examples(*commands: str) -> str:
    """An epilog listing example command lines, kept as written (`\\b`)."""
    return "\b\nExamples:\n" + "\n".join(f"  lenetcalc {c}" for c in commands)


def complete_spec(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Built-in names that start with what was typed, then file names."""
    from click.shell_completion import CompletionItem  # only when a shell asks

    names = [n for n in catalog.builtin_names() if n.startswith(incomplete)]
    return [CompletionItem(n) for n in names] + [CompletionItem(incomplete, type="file")]


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
    " ('lenetcalc --debug COMMAND ...' shows the traceback)"
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
            with _no_cycle_collection():
                return super().invoke(ctx)
        except LenetcalcError as e:
            raise SpecProblem(one_line(str(e))) from None
        except BrokenPipeError:  # `lenetcalc specs | head`: the reader left; no error
            _silence_stdout()
            raise click.exceptions.Exit(141) from None
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
            click.echo(
                f"Internal error: {type(e).__name__}: {one_line(str(e))}; {_REPORT}.", err=True
            )
            raise click.exceptions.Exit(EXIT_INTERNAL) from None
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush of a closed pipe is quiet."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test runner's buffer)
        pass


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


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """--version, from the package's one version string. (click's version_option would
    translate its help text at import, loading gettext's locale machinery for nothing.)"""
    if value and not ctx.resilient_parsing:
        from . import __version__

        click.echo(f"lenetcalc, version {__version__}")
        ctx.exit()


@click.group(
    cls=_Group,
    invoke_without_command=True,
    epilog=examples(
        "summary lenet5",
        "summary resnet50 --columns name,output,params,macs",
        "specs show lenet5 > my-net.yaml",
    ),
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Account for a neural network layer by layer: shapes, parameters, connections,
    MACs, FLOPs and receptive fields, from a YAML spec.

    SPEC is a path to a YAML file, `-` for standard input, or the name of a built-in spec
    (see `lenetcalc specs`).

    Exit codes: 0 success, 1 verification found a disagreement, 2 invalid spec or usage,
    3 internal error (a bug: please report it), 130 interrupted (Ctrl-C), 141 the reader of
    the output went away (a closed pipe), 143 terminated.
    """
    if ctx.invoked_subcommand is None:  # bare `lenetcalc`: the help, as asked for
        click.echo(ctx.get_help())


def format_option(default: str = "table") -> Callable[[FC], FC]:
    """`-f/--format`, with the same names in every command."""
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=default,
        show_default=True,
        help="Output format.",
    )


set_option = click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a spec variable (repeatable); input=CxHxW replaces the input shape.",
)


as_option = click.option(
    "--as",
    "as_tool",
    type=click.Choice(TOOL_KEYS),
    help="Print what this peer tool would report (summary), or its formula (explain).",
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


def _memory_size(ctx: click.Context, param: click.Parameter, text: str) -> int:
    """`--max-memory` in bytes (units.parse_bytes); a bad size is a usage error."""
    try:
        return parse_bytes(text)
    except LenetcalcError as e:
        raise click.BadParameter(str(e)) from None


def _emit(doc: Document, fmt: str) -> None:
    """Print a document in `fmt`. The terminal table fits a terminal's width; written to
    a pipe or a file it is the full table, however wide."""
    if fmt != "table" or fmt in doc.prose:
        click.echo(write(doc, fmt), nl=False)
    elif not sys.stdout.isatty():
        click.echo(write(doc, fmt).plain(), nl=False)  # plain text: no Rich is loaded
    else:
        from rich.console import Console  # only a terminal loads Rich

        console = Console()  # per invocation: it reads the terminal's width now
        console.print(write(doc, fmt, console.width).rich(console.width))


def _note(message: str) -> None:
    """A remark about how SPEC was read, on stderr, where the output is not."""
    click.echo(f"Note: {message}", err=True)


def _load(spec: str, assignments: tuple[str, ...]) -> Network:
    """SPEC loaded with the --set overrides; notes and warnings go to stderr, here only."""
    network = api.load(spec, _overrides(assignments), _note)
    for name in network.unread():
        click.echo(
            f"Warning: {spec}: layer {name}: no layer reads its output (counted anyway)", err=True
        )
    if hint := network.input_order_hint():
        click.echo(f"Warning: {spec}: {hint}", err=True)
    return network


def _analyses(
    networks: list[Network], dtype: str = "float32", batch: int = 1
) -> list[tuple[Report, memory.Memory]]:
    """Each network analysed and sized."""
    out = []
    for network in networks:
        report = api.analyze(network)
        out.append((report, api.memory(network, dtype, batch)))
    return out


depth_option = click.option(
    "--depth", type=click.IntRange(min=1), help="Fold rows to block level: 1 = layer1."
)
dtype_option = click.option(
    "--dtype",
    type=click.Choice(list(memory.DTYPES)),
    default="float32",
    show_default=True,
    help="Element type for the memory estimates.",
)
batch_option = click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Batch size for the memory estimates.",
)


columns_option = click.option(
    "--columns",
    metavar="NAMES",
    help="Only these columns, in this order, e.g."
    " name,output,params,macs (names: see the figures in docs/conventions.md). Shapes"
    " the tables people read; CSV and JSON always carry every figure.",
)
units_option = click.option(
    "--units",
    type=click.Choice(UNITS),
    help="exact digits, or human (25.6 M, 4.09 G). Default: exact, human on a narrow terminal.",
)


@main.command(
    epilog=examples(
        "summary lenet5",
        "summary resnet50 --depth 1 --units human",
        "summary my-net.yaml --columns name,output,params,macs -f markdown",
    )
)
@click.argument("spec", shell_complete=complete_spec)
@format_option()
@click.option("--verify", "check", is_flag=True, help="Also cross-check with the NumPy engine.")
@depth_option
@columns_option
@units_option
@click.option(
    "--share",
    is_flag=True,
    help="Add each layer's share of the params and MACs (tables; CSV and JSON carry the counts).",
)
@dtype_option
@batch_option
@click.option(
    "--bars",
    type=click.Choice(["params", "macs"]),
    help="Add a bar column: each layer's share of params or of MACs.",
)
@set_option
@as_option
@click.pass_context
def summary(
    ctx: click.Context,
    spec: str,
    fmt: str,
    check: bool,
    depth: int | None,
    columns: str | None,
    units: str | None,
    share: bool,
    dtype: str,
    batch: int,
    bars: str | None,
    assignments: tuple[str, ...],
    as_tool: str | None,
) -> None:
    """Per-layer figures, totals and memory for SPEC."""
    network = _load(spec, assignments)
    report = api.analyze(network)
    if as_tool is not None:
        from .report.census import census
        from .report.peers import TOOLS

        counted = census(network, report)
        counted = counted.folded(depth) if depth else counted
        _emit(as_tool_document(TOOLS[as_tool], counted, report), fmt)
        return
    result = api.verify(network) if check else None
    estimate = api.memory(network, dtype, batch)
    view = replace(_view(columns, units, share), depth=depth)
    _emit(summary_document([(report, estimate)], view, verification=result, bars=bars), fmt)
    if result and fmt == "csv":
        click.echo(tables_verdict(result), err=True)
    if result and not result.agrees:
        ctx.exit(1)


def _view(columns: str | None, units: str | None, share: bool, separators: bool = True) -> View:
    keys = parse_columns(columns) if columns else None
    return View(keys, units or "exact", share, separators)


def tables_verdict(result: Verification) -> str:
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
    if len(names) > 1 or (words[:1] == ("show",) and not names):
        raise click.UsageError("name one built-in spec, e.g. `lenetcalc specs show lenet5`")
    if names:
        click.echo(catalog.builtin_text(names[0]), nl=False)
        return
    names = catalog.builtin_names()
    width = max(map(len, names)) + 2
    for name in names:
        click.echo(f"{name:{width}}{catalog.load_builtin(name).description}")


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
    "--figure",
    "figures",
    multiple=True,
    type=click.Choice(EXPLAINED),
    help="Only these figures (repeatable). Default: all.",
)
@format_option()
@set_option
@as_option
def explain_command(
    spec: str,
    layers: tuple[str, ...],
    figures: tuple[str, ...],
    fmt: str,
    assignments: tuple[str, ...],
    as_tool: str | None,
) -> None:
    """Show the arithmetic behind each figure of SPEC, or of the named LAYERS.

    With no LAYERS, the totals come first, each as the sum of the layers' figures.
    With --as TOOL, the formula behind that tool's total for the whole network instead.
    """
    if as_tool is not None and (layers or figures):
        raise click.UsageError(
            "--as explains the tool's total for the whole network: drop the LAYERS and"
            " --figure, or see a layer's value with 'summary SPEC --as TOOL'"
        )
    network = _load(spec, assignments)
    if as_tool is not None:
        report = analyze(network)
        from .report.census import census
        from .report.peers import TOOLS

        _emit(explain_tool_document(TOOLS[as_tool], census(network, report)), fmt)
        return
    from .present.explain import explain

    sections = explain(network, list(layers), list(figures))
    _emit(explain_document(sections, f"{network.name}: every figure, derived"), fmt)


@main.command(
    "verify",
    short_help="Cross-check every figure with the NumPy engine.",
    epilog=examples(
        "verify lenet5", "verify resnet18 --batch 2 --seed 1", "verify my-net.yaml -f json"
    ),
)
@click.argument("spec", shell_complete=complete_spec)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Seed for inputs and weights.",
)
@click.option(
    "--batch",
    type=click.IntRange(min=1, max=2**31),
    default=1,
    show_default=True,
    help="Batch size the engine runs.",
)
@click.option(
    "--max-memory",
    default=format_bytes(DEFAULT_MAX_MEMORY),
    show_default=True,
    metavar="SIZE",
    callback=_memory_size,
    help="Refuse to run when the estimated peak exceeds this (e.g. 8GiB).",
)
@format_option()
@set_option
@click.pass_context
def verify_command(
    ctx: click.Context,
    spec: str,
    seed: int,
    batch: int,
    max_memory: int,
    fmt: str,
    assignments: tuple[str, ...],
) -> None:
    """Run SPEC in the NumPy engine and compare every measured figure with the formulas.

    Exit code 0 when all agree, 1 when any figure disagrees.
    """
    network = _load(spec, assignments)
    with progress_line() as progress:
        result = api.verify(network, batch, seed, max_memory, progress)
    _emit(verify_document(result), fmt)
    if not result.agrees:
        ctx.exit(1)


@main.command(
    "compare",
    short_help="Put specs side by side, with deltas.",
    epilog=examples(
        "compare lenet5 lenet5-modern lenet5-mnist",
        "compare lenet5 lenet5-modern --by-layer --metric macs",
        "compare resnet18 resnet50 --by-layer --depth 1 -f json",
    ),
)
@click.argument("specs", nargs=-1, required=True, shell_complete=complete_spec)
@click.option("--by-layer", is_flag=True, help="One row per layer, aligned by layer name.")
@depth_option
@click.option(
    "--metric",
    type=click.Choice(METRICS),
    default="params",
    show_default=True,
    help="The figure shown per layer with --by-layer.",
)
@format_option()
@set_option
def compare_command(
    specs: tuple[str, ...],
    by_layer: bool,
    depth: int | None,
    metric: str,
    fmt: str,
    assignments: tuple[str, ...],
) -> None:
    """Put two or more SPECS side by side; the first is the baseline for every delta."""
    if len(specs) < 2:
        raise click.UsageError("compare needs at least two specs (the first is the baseline)")
    if depth and not by_layer:
        raise click.UsageError("--depth folds the rows of --by-layer: add --by-layer")
    networks = [_load(spec, assignments) for spec in specs]
    reports = [api.analyze(network) for network in networks]
    reports = [fold(r, depth) for r in reports] if depth else reports
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
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Default: from the -o extension (.md .csv .json .tex) or markdown.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True, path_type=Path),
    help="Write here (atomically); - or no -o is standard output.",
)
@click.option("--no-separators", is_flag=True, help="Plain integers: 60000, not 60,000.")
@depth_option
@dtype_option
@batch_option
@click.option(
    "--diagram",
    is_flag=True,
    help="Markdown only: add a Mermaid flowchart and any connection tables.",
)
@set_option
def export_command(
    specs: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    no_separators: bool,
    depth: int | None,
    dtype: str,
    batch: int,
    diagram: bool,
    assignments: tuple[str, ...],
) -> None:
    """Paper-ready per-layer tables with totals for each of SPECS."""
    if output is not None and str(output) == "-":
        output = None
    fmt = format_for(output, fmt)
    if diagram and fmt != "markdown":
        raise click.UsageError("--diagram goes with --format markdown")
    networks = [_load(spec, assignments) for spec in specs]
    analyses = _analyses(networks, dtype, batch)
    view = View(separators=not no_separators, depth=depth)
    doc = summary_document(analyses, view, collection=True)
    text = write(doc, fmt, width=None)
    if not isinstance(text, str):  # the terminal layout, written out as plain text
        text = text.plain()
    if diagram:
        from .present.diagram.mermaid import markdown_section

        pairs = zip(analyses, networks, strict=True)
        text += "".join("\n" + markdown_section(r, net, depth) for (r, _), net in pairs)
    _deliver(output, text)


# --- Peer tools: what torchinfo, fvcore, thop, ptflops, torch-scan, FlopCounterMode print.


@main.command(
    "reconcile",
    short_help="What other FLOP counters print, and why they differ.",
    epilog=examples("reconcile resnet50", "reconcile vit_b_16 -f markdown", "reconcile --rules"),
)
@click.argument("spec", required=False, shell_complete=complete_spec)
@format_option()
@click.option("--rules", is_flag=True, help="Print every tool's rules instead (no SPEC).")
@set_option
def reconcile_command(
    spec: str | None, fmt: str, rules: bool, assignments: tuple[str, ...]
) -> None:
    """Each peer tool's total for SPEC, and how it differs from W (the conv and linear weight
    MACs, bias excluded), term by term of the census."""
    if rules and (spec is not None or assignments):
        raise click.UsageError("--rules prints every tool's rules: give it no SPEC or --set")
    if rules:
        _emit(rules_document(), fmt)
        return
    if spec is None:
        raise click.UsageError("give a SPEC, or --rules")
    network = _load(spec, assignments)
    from .report.census import census

    _emit(reconcile_document(census(network, analyze(network))), fmt)


@main.command(
    "diagram",
    short_help="Draw the network as SVG, PNG or PDF.",
    epilog=examples(
        "diagram lenet5 -o lenet5.svg",
        "diagram resnet18 --style graph --depth 1 -o resnet18.png",
        "diagram vgg16 --style profile -o vgg16.pdf",
    ),
)
@click.argument("spec", shell_complete=complete_spec)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here; the suffix (.svg, .png, .pdf) picks the format. Default: SVG"
    " to standard output.",
)
@click.option(
    "--style",
    type=click.Choice(["lenet", "graph", "profile"]),
    help="lenet: stacks of maps as in the LeNet-5 paper (default for chains);"
    " graph: layered graph (default when the network branches); profile: params"
    " and MACs per layer, log scale.",
)
@click.option("--depth", type=click.IntRange(min=1), help="One node per block: 1 = layer1.")
@click.option(
    "--label",
    type=click.Choice(["shape", "params", "macs"]),
    default="shape",
    show_default=True,
    help="The figure shown under each output shape.",
)
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light", show_default=True)
@click.option(
    "--width",
    type=click.IntRange(min=50, max=20_000),
    help="Output width in pixels: the whole picture scales to it.",
)
@click.option(
    "--font-size",
    type=click.FloatRange(min=4, max=72),
    default=12.0,
    show_default=True,
    help="Text size in pixels; boxes and gaps grow with it (the picture scales).",
)
@set_option
def diagram_command(
    spec: str,
    output: Path | None,
    style: str | None,
    depth: int | None,
    label: str,
    theme: str,
    width: int | None,
    font_size: float,
    assignments: tuple[str, ...],
) -> None:
    """Draw SPEC as an SVG, PNG or PDF picture."""
    from .present.diagram import draw  # drawing libraries load for this command only

    fmt = output.suffix.lower().lstrip(".") if output else "svg"
    if fmt not in draw.FORMATS:
        raise click.BadParameter(f"'{output}' should end in .svg, .png or .pdf", param_hint="-o")
    network = _load(spec, assignments)
    options = draw.Options(style, depth, label, theme, width, font_size)
    data = draw.render(draw.figure(network, analyze(network), options), fmt, options)
    _deliver(output, data)


def _deliver(output: Path | None, data: str | bytes) -> None:
    """Output to stdout, or written whole to the file `output` (atomically)."""
    if output is None:
        click.echo(data if isinstance(data, str) else data.decode("utf-8"), nl=False)
        return
    from .present.files import atomic_write  # tempfile and shutil: this path alone

    atomic_write(output, data)
    click.echo(f"wrote {visible(str(output))}", err=True)
