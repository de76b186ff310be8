"""A diagram of a network in one call: choose the style, lay it out, write SVG/PNG/PDF.

Importing this module loads drawsvg and grandalf; the CLI imports it inside `diagram`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import LenetcalcError
from ...report.analysis import Report, fold
from ...spec.network import Network
from ..tables import fmt_shape
from . import graph, lenet, profile, raster
from .geometry import Figure
from .nodes import edges, is_chain, nodes
from .svg import render_size, to_svg

STYLES = ("lenet", "graph", "profile")
FORMATS = ("svg", "png", "pdf")
MAX_PIXELS = 100_000_000  # about 400 MB of RGBA in memory


@dataclass(frozen=True)
class Options:
    """What the `diagram` command's options choose."""

    style: str | None = None  # None: lenet for a chain, graph for a branched network
    depth: int | None = None
    label: str = "shape"
    theme: str = "light"
    width: float | None = None
    font_size: float = 12.0


def figure(network: Network, report: Report, options: Options) -> Figure:
    """The laid-out figure for `report` (folded to `options.depth`) in the chosen style."""
    full = nodes(report, network)
    chain = is_chain(edges(report, network), len(full))
    style = options.style or ("lenet" if chain else "graph")
    if options.depth is not None:
        report = fold(report, options.depth)
    shown = nodes(report, network, options.label)
    links = edges(report, network)
    title = f"{report.name}: input {fmt_shape(report.input_shape)}"
    f = options.font_size
    if style == "lenet":
        if any(len(node.dims) == 2 for node in shown):
            raise LenetcalcError(
                f"{report.name} has token sequences: the lenet style draws maps and vectors;"
                " use --style graph or --style profile"
            )
        if not is_chain(links, len(shown)):
            raise LenetcalcError(
                f"{report.name} branches: the lenet style draws chains;"
                " use --style graph, or --depth to fold the branches into blocks"
            )
        return lenet.layout(shown, title, f, {layer.name: layer for layer in network.layers})
    if style == "graph":
        return graph.layout(shown, links, title, f)
    return profile.layout(shown, title, f)


def render(fig: Figure, fmt: str, options: Options) -> bytes:
    """The figure as SVG, PNG or PDF bytes, all from the same SVG."""
    svg = to_svg(fig, options.theme, options.width)
    if fmt == "png":
        width, height = render_size(fig, options.width)
        if width * height > MAX_PIXELS:  # resvg would allocate it all, or abort trying
            raise LenetcalcError(
                f"a {width:,}x{height:,} PNG is over {MAX_PIXELS // 10**6} million pixels:"
                " give a smaller --width or --font-size, fold with --depth, or write SVG"
            )
        return raster.to_png(svg)
    if fmt == "pdf":
        return raster.to_pdf(svg, render_size(fig, options.width))
    return svg.encode("utf-8")
