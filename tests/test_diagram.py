"""Diagrams: every built-in draws in every style that fits it, as valid, tidy pictures.

Geometry is checked on the layout's own data (boxes and text runs), the SVG by parsing
it, the PNG by decoding it.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from click.testing import Result

from lenetcalc.errors import LenetcalcError
from lenetcalc.present.diagram import bars, draw, grid, mermaid, nodes, profile
from lenetcalc.present.diagram.geometry import Box, Figure
from lenetcalc.report.analysis import analyze, fold
from lenetcalc.spec.catalog import builtin_names, load_builtin
from lenetcalc.spec.reader import load_text

import diagramsync
from conftest import report_of

Run = Callable[..., Result]
SVG = "{http://www.w3.org/2000/svg}"
# Chains draw in all three styles; branched networks in graph and profile (and in lenet
# style once --depth folds them into a chain: resnet50 at depth 1).
CASES = [
    (name, style, None)
    for name in builtin_names()
    for style in draw.STYLES
    if style != "lenet" or not any(len(r.inputs) > 1 for r in report_of(name).layers)
] + [("resnet50", "lenet", 1), ("resnet50", "graph", 1), ("googlenet", "graph", 2)]


@cache
def drawn(name: str, style: str, depth: int | None) -> tuple[Figure, str]:
    network = load_builtin(name)
    options = draw.Options(style=style, depth=depth)
    fig = draw.figure(network, analyze(network), options)
    return fig, draw.render(fig, "svg", options).decode("utf-8")


def disjoint(boxes: list[Box]) -> list[tuple[Box, Box]]:
    """Pairs of overlapping boxes (a sweep along x keeps this fast on big graphs)."""
    ordered = sorted(boxes, key=lambda b: b.x)
    clashes = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.x >= a.right:
                break
            if a.overlaps(b):
                clashes.append((a, b))
    return clashes


def test_the_overlap_check_finds_overlaps() -> None:
    a, b, c = Box(0, 0, 10, 10), Box(9, 9, 10, 10), Box(10, 0, 5, 5)  # c only touches a
    assert disjoint([a, b, c]) == [(a, b), (b, c)] or disjoint([a, b, c]) == [(a, b)]
    assert disjoint([a, c]) == []


@pytest.mark.parametrize(("name", "style", "depth"), CASES)
def test_svg_is_valid_and_names_every_layer(name: str, style: str, depth: int | None) -> None:
    fig, svg = drawn(name, style, depth)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == f"0 0 {round(fig.width, 2)} {round(fig.height, 2)}"
    assert "href" not in svg  # self-contained: nothing to fetch
    shown = {t.text for t in root.iter(f"{SVG}text")}
    # SVG collapses runs of spaces, which would break the widths the layout measured.
    assert not [text for text in shown if text and "  " in text]
    report = analyze(load_builtin(name))
    rows = fold(report, depth).layers if depth else report.layers
    # Graph and profile show the name alone; the lenet style as the paper does, "C1: ...".
    labels = shown | {text.split(": ")[0] for text in shown if text}
    assert {r.name for r in rows} <= labels


@pytest.mark.parametrize(("name", "style", "depth"), CASES)
def test_content_inside_view_box_and_nothing_overlaps(
    name: str, style: str, depth: int | None
) -> None:
    fig, _ = drawn(name, style, depth)
    assert fig.extent().inside(Box(0, 0, fig.width, fig.height))
    assert disjoint(fig.nodes) == []
    assert disjoint([t.box for t in fig.texts]) == []


def test_profile_and_graph_draw_one_node_per_row() -> None:
    fig, _ = drawn("lenet5", "graph", None)
    assert len(fig.nodes) == 1 + 7  # the input and C1 ... OUTPUT
    fig, _ = drawn("lenet5", "profile", None)
    assert len(fig.nodes) == 7
    fig, _ = drawn("googlenet", "graph", 2)
    # 13 stem rows (conv1-3 as conv/bn/relu, two pools), 9 Inception blocks of 4 branches
    # and a concat, 2 pools between them, then avgpool, flatten, dropout, fc; plus input.
    assert len(fig.nodes) == 1 + 11 + 9 * 5 + 2 + 4


def test_lenet_style_scales_maps_linearly_within_a_decade() -> None:
    fig, _ = drawn("lenet5", "lenet", None)
    # Input 32x32, C1 28x28, S2 14x14: map sides 32 : 28 : 14 when sizes span < 16x.
    # Stack heights add 0.45 em per extra sheet (C1 and S2 have 6 maps: 5 extra).
    em = 12.0
    heights = [b.h for b in fig.nodes[:3]]
    assert heights[0] == pytest.approx(10 * em)
    assert heights[1] == pytest.approx(10 * em * 28 / 32 + 5 * 0.45 * em)
    assert heights[2] == pytest.approx(10 * em * 14 / 32 + 5 * 0.45 * em)


def test_lenet_figure_uses_the_papers_words() -> None:
    _, svg = drawn("lenet5", "lenet", None)
    words = {t.text for t in ET.fromstring(svg).iter(f"{SVG}text")}
    assert {"C1: feature maps", "6@28x28", "C5: layer", "subsampling", "Gaussian"} <= words
    assert "C3 maps 12-14: 4 non-contiguous" in words  # Table I beside C3
    _, svg = drawn("lenet5", "graph", None)
    words = {t.text for t in ET.fromstring(svg).iter(f"{SVG}text")}
    assert {"C3 connection table: rows S2 maps, columns C3 maps", "C3 map 15: all six"} <= words


def test_png_has_the_drawing_size_and_is_not_blank() -> None:
    from PIL import Image

    fig, _ = drawn("lenet5", "lenet", None)
    png = draw.render(fig, "png", draw.Options())
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (round(fig.width), round(fig.height))
    colours = image.getcolors(maxcolors=1 << 20) or []
    background = max(colours)[0]
    assert sum(n for n, _ in colours) - background > 0.03 * fig.width * fig.height


def test_width_scales_the_png() -> None:
    from PIL import Image

    fig, _ = drawn("resnet50", "graph", 1)
    png = draw.render(fig, "png", draw.Options(width=600))
    assert Image.open(io.BytesIO(png)).size == (600, round(600 * fig.height / fig.width))


def test_pdf_keeps_text_as_text() -> None:
    fig, _ = drawn("lenet5", "lenet", None)
    pdf = draw.render(fig, "pdf", draw.Options())
    assert pdf.startswith(b"%PDF-")
    assert b"/BaseFont /Courier" in pdf


def test_dark_theme_changes_only_colours() -> None:
    network = load_builtin("lenet5")
    fig = draw.figure(network, analyze(network), draw.Options())
    light = draw.render(fig, "svg", draw.Options()).decode()
    dark = draw.render(fig, "svg", draw.Options(theme="dark")).decode()
    assert 'fill="#ffffff"' in light and 'fill="#0d1117"' in dark
    assert light.count("<text") == dark.count("<text") == len(fig.texts)


def test_table_i_groups() -> None:
    table = load_builtin("lenet5").layers[2].connection_table
    assert table is not None
    assert [(g.kind, g.outputs) for g in grid.groups(table, 6)] == [
        ("3 contiguous", (0, 1, 2, 3, 4, 5)),
        ("4 contiguous", (6, 7, 8, 9, 10, 11)),
        ("4 non-contiguous", (12, 13, 14)),
        ("all six", (15,)),
    ]


@pytest.mark.parametrize(
    ("maps", "expected"),
    [((4, 5, 0), True), ((5, 0, 1, 2), True), ((0, 1, 3, 4), False), ((0, 2, 3, 5), False)],
)
def test_contiguity_wraps_around(maps: tuple[int, ...], expected: bool) -> None:
    assert grid.contiguous(maps, 6) is expected


def test_terminal_grid_is_table_i() -> None:
    table = load_builtin("lenet5").layers[2].connection_table
    assert table is not None
    lines = grid.to_text(table, 6, "C3", "S2")
    # Row 0 of Table I: S2 map 0 feeds C3 maps 0, 4-6, 9-12, 14, 15.
    assert lines[2].split() == [
        "0",
        "X",
        ".",
        ".",
        ".",
        "X",
        "X",
        "X",
        ".",
        ".",
        "X",
        "X",
        "X",
        "X",
        ".",
        "X",
        "X",
    ]
    assert lines[-1] == "C3 map 15: all six"


def test_mermaid_flowchart_follows_the_inputs() -> None:
    network = load_builtin("googlenet")
    chart = mermaid.flowchart(fold(analyze(network), 2), network)
    # inception3a's four branches all read maxpool2 (node 11) and feed its concat (16).
    assert [f"    n11 --> n{i}" for i in (12, 13, 14, 15)] == [
        line for line in chart.splitlines() if line.startswith("    n11 -->")
    ]
    assert sum(line.endswith("--> n16") for line in chart.splitlines()) == 4
    assert '    n16(["inception3a.concat<br/>concat<br/>256@28x28"])' in chart


def test_mermaid_escapes_hostile_names() -> None:
    text = 'name: t\ninput: [4]\nlayers:\n  - {name: "a\\"]-->x", type: dense, units: 2}\n'
    network = load_text(text, "t.yaml")
    chart = mermaid.flowchart(analyze(network), network)
    assert 'n1["a#34;#93;--#62;x<br/>dense<br/>2"]' in chart


def test_folded_edges_join_blocks() -> None:
    network = load_builtin("resnet50")
    report = fold(analyze(network), 1)
    assert nodes.is_chain(nodes.edges(report, network), 1 + len(report.layers))
    assert not nodes.is_chain(nodes.edges(analyze(network), network), 1 + 175 - 2)


def test_tick_labels() -> None:
    assert [profile.tick_label(p) for p in (0, 1, 2, 3, 7, 9)] == [
        "1",
        "10",
        "100",
        "1k",
        "10M",
        "1G",
    ]


def test_lenet_style_refuses_a_branched_network(run: Run) -> None:
    result = run("diagram", "resnet50", "--style", "lenet")
    assert result.exit_code == 2
    assert "use --style graph, or --depth" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_writes_each_format(run: Run, tmp_path: Path) -> None:
    folder = tmp_path
    for suffix, magic in ((".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")):
        result = run("diagram", "lenet5", "-o", str(folder / f"net{suffix}"))
        assert result.exit_code == 0, result.output
        assert (folder / f"net{suffix}").read_bytes().startswith(magic)
    assert run("diagram", "lenet5", "-o", str(folder / "net.gif")).exit_code == 2


def test_default_style_follows_the_network(run: Run) -> None:
    assert "C1: feature maps" in run("diagram", "lenet5").output  # a chain: lenet style
    assert "feature maps" not in run("diagram", "resnet18").output  # branched: graph


def test_missing_renderer_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "resvg_py", None)  # as if not installed
    with pytest.raises(LenetcalcError, match=r"pip install 'lenetcalc\[diagram\]'"):
        draw.render(drawn("lenet5", "lenet", None)[0], "png", draw.Options())


def test_summary_does_not_load_the_drawing_libraries() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from lenetcalc.cli import main;"
        "CliRunner().invoke(main, ['summary', 'lenet5', '--bars', 'params']);"
        "print(sorted(m for m in ('drawsvg', 'grandalf', 'resvg_py', 'fpdf') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_summary_bars_show_each_layers_share(run: Run) -> None:
    out = run("summary", "lenet5", "--bars", "params").output.splitlines()
    c5 = next(line for line in out if line.lstrip().startswith("C5"))
    # C5 holds 48,120 of the 60,840 parameters: 79.1%, 12.66 of 16 cells = 12 full + 5/8.
    assert c5.endswith("████████████▋     79.1%")
    out = run("summary", "lenet5", "--bars", "macs").output
    assert "Share of MACs" in out and "45.1%" in out  # C3: 150,000 of 332,824 MACs


def test_bar_lengths_in_eighths() -> None:
    assert [bars.bar(s) for s in (0, 1 / 128, 0.5, 1)] == ["", "▏", "█" * 8, "█" * 16]


def test_export_diagram_adds_mermaid_and_table_i(run: Run) -> None:
    out = run("export", "lenet5", "--diagram").output
    assert "```mermaid\nflowchart TB\n" in out
    assert "C3 maps 12-14: 4 non-contiguous" in out
    assert run("export", "lenet5", "-f", "csv", "--diagram").exit_code == 2


def test_explain_shows_table_i_with_params(run: Run) -> None:
    assert "C3 map 15: all six" in run("explain", "lenet5", "C3", "--figure", "params").output
    assert "all six" not in run("explain", "lenet5", "C3", "--figure", "macs").output


@pytest.mark.parametrize(
    ("args", "path"), diagramsync.pictures(), ids=lambda v: v.name if hasattr(v, "name") else ""
)
def test_docs_pictures_are_fresh(
    args: list[str],
    path: Path,
    monkeypatch: pytest.MonkeyPatch,
    golden: Callable[[str | Path, str], None],
) -> None:
    monkeypatch.chdir(diagramsync.ROOT)
    golden(path, diagramsync.drawn(args, path.suffix).decode("utf-8"))


def test_docs_show_the_required_pictures() -> None:
    names = {path.name for _, path in diagramsync.pictures()}
    assert {"lenet5.svg", "resnet50-depth1.svg", "inception3a.svg"} <= names


def test_export_depth_folds_the_tables_and_the_flowchart(run: Run) -> None:
    out = run("export", "resnet18", "--diagram", "--depth", "1").output
    chart = out[out.index("flowchart") :]
    # conv1 bn1 relu maxpool, four stages of two basic blocks, avgpool flatten fc: 11 nodes
    # and the input, in a chain of 11 edges (the residuals fold inside the stages).
    assert chart.count('"]') == 12 and chart.count(" --> ") == 11
    assert '"layer1<br/>block basic x2<br/>64@56x56"' in chart
    table = out[: out.index("flowchart")]
    assert "| layer1 " in table and "layer1.0.conv1" not in table
    # Every format folds alike: conv1 bn1 relu maxpool layer1-4 avgpool flatten fc.
    data = json.loads(run("export", "resnet18", "--depth", "1", "-f", "json").output)
    assert len(data["networks"][0]["layers"]) == 11
    csv_rows = run("export", "resnet18", "--depth", "1", "-f", "csv").output.splitlines()
    assert len(csv_rows) == 1 + 11 + 1  # header, the folded rows, the total


def crosses(a: tuple[float, float], b: tuple[float, float], box: Box) -> bool:
    """Whether segment a-b passes through the box's interior (Liang-Barsky clipping)."""
    inner = Box(box.x + 1, box.y + 1, box.w - 2, box.h - 2)  # touching an edge is fine
    (x0, y0), (dx, dy) = a, (b[0] - a[0], b[1] - a[1])
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, x0 - inner.x),
        (dx, inner.right - x0),
        (-dy, y0 - inner.y),
        (dy, inner.bottom - y0),
    ):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
    return low < high


def wide_spec() -> str:
    """Twelve long-named branches from the input into one concat, then a dense block."""
    branches = [f"branch_with_quite_a_long_name_{i}" for i in range(12)]
    lines = [
        f"  - {{name: {b}, type: conv2d, filters: 4, kernel: 1, inputs: input}}" for b in branches
    ]
    lines.append(f"  - {{name: join, type: concat, inputs: [{', '.join(branches)}]}}")
    for i in range(4):
        earlier = ", ".join(["join", *(f"c{j}" for j in range(i)), f"d{i}"])
        lines.append(f"  - {{name: d{i}, type: conv2d, filters: 8, kernel: 3, padding: 1}}")
        lines.append(f"  - {{name: c{i}, type: concat, inputs: [{earlier}]}}")
    return "name: wide\ninput: [16, 32, 32]\nlayers:\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("case", ["googlenet", "resnet50", "wide"])
def test_graph_edges_never_cross_a_box(case: str) -> None:
    # Edges leave a box's bottom, enter the next's top and run straight down through the
    # ranks they cross: on a wide fan-out they used to cut through the neighbours' titles.
    network = load_text(wide_spec(), "wide.yaml") if case == "wide" else load_builtin(case)
    depth = {"resnet50": 1, "googlenet": 2}.get(case)
    fig = draw.figure(network, analyze(network), draw.Options(style="graph", depth=depth))
    lines = [s.points for s in fig.shapes if s.kind == "polyline" and s.role == "edge"]
    assert lines
    for points in lines:
        for a, b in itertools.pairwise(points):
            assert not [box for box in fig.nodes if crosses(a, b, box)], (a, b)
    # Each edge has its own arrowhead: a merge's inputs arrive side by side, not stacked.
    tips = [s.points[0] for s in fig.shapes if s.role == "edge-head"]
    assert len(set(tips)) == len(tips) == len(lines)


def test_pictures_that_cannot_be_drawn_are_refused_in_one_line(run: Run) -> None:
    tokens = run("diagram", "vit_b_16", "--style", "lenet", "--depth", "1")
    assert tokens.exit_code == 2 and "token sequences" in tokens.output
    big = run("diagram", "lenet5", "--width", "20000", "-o", "-.png")
    assert big.exit_code == 2 and "over 100 million pixels" in big.output
    assert run("diagram", "lenet5", "--width", "100000").exit_code == 2  # over the range


def test_diagram_and_reconcile_complete_builtin_names() -> None:
    for command in ("diagram", "reconcile"):
        words = {"COMP_WORDS": f"lenetcalc {command} le", "COMP_CWORD": "2"}
        done = subprocess.run(
            [sys.executable, "-c", "from lenetcalc.cli import main; main(prog_name='lenetcalc')"],
            env={**os.environ, "_LENETCALC_COMPLETE": "bash_complete", **words},
            capture_output=True,
            text=True,
        )
        assert "plain,lenet5\n" in done.stdout, command
