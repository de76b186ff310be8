"""What the fast paths promise: same output as the slow ones, and no needless imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lenetcalc.present.jsontext import dumps

CASES = [
    {"name": "C1", "shape": [6, 28, 28], "params": 156, "rf": None, "ok": True, "no": False},
    {"empty": [], "nothing": {}, "nested": [[1, [2, {"k": "v"}]], {"a": []}]},
    {"text": 'tab\there "quoted" \\ back\x1b[31m é 漢 \u2028', "big": 10**400, "neg": -7},
    {"float": 1.5, "nan": float("nan")},  # floats: the standard library's own rules
    [1, "two", None],
    "just a string",
    {1: "an int key, which JSON turns into text"},
]


@pytest.mark.parametrize("data", CASES)
def test_indented_json_is_the_standard_librarys(data: object) -> None:
    assert dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_piped_output_imports_neither_rich_nor_numpy(fmt: str) -> None:
    """Written to a pipe, even the terminal table is plain text: Rich is for terminals."""
    code = (
        "import sys\n"
        "from lenetcalc.cli import main\n"
        f"sys.argv = ['lenetcalc', 'summary', 'lenet5', '-f', '{fmt}']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "print(sorted(m for m in ('rich', 'numpy') if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # LeNet-5: 60,000 trainable parameters and 840 fixed RBF prototypes (84·10).
    expected = {
        "json": '"params": 60840',
        "csv": "lenet5,total,,,,1x32x32,10,60000,840,",
        "table": "  Total                10            60,000             840       340,908",
    }[fmt]
    assert expected in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_deferred_expression_prints_its_tree_inside_others() -> None:
    from lenetcalc.expr import Deferred, Num

    tree = Num(5, "r") + Num(2, "k") * Num(3, "j")
    deferred = Deferred(11, lambda: Num(5, "r") + Num(2, "k") * Num(3, "j"))
    assert deferred.value() == 11  # 5 + 2·3
    assert deferred.render() == tree.render() == "5 + 2·3"
    assert deferred.render(symbolic=True) == "r + k·j"
    assert (deferred * Num(2)).render() == "(5 + 2·3)·2"  # parenthesised like the tree
    assert (Num(1) + deferred).partial() == "1 + 5 + 6"


def test_layers_alike_but_for_one_field_keep_their_own_figures() -> None:
    from lenetcalc.report.analysis import analyze
    from lenetcalc.spec.reader import load_text

    spec = """
name: twins
input: [1, 8, 8]
layers:
  - {name: a, type: conv2d, filters: 1, kernel: 3, padding: 1}
  - {name: b, type: conv2d, filters: 1, kernel: 3, padding: 1, bias: false}
  - {name: c, type: conv2d, filters: 1, kernel: 3, padding: 1}
"""
    a, b, c = analyze(load_text(spec, "twins.yaml")).layers
    assert (a.trainable_params, b.trainable_params, c.trainable_params) == (3 * 3 + 1, 3 * 3, 10)
    # In-bounds taps of a 3-tap kernel over 8 positions with padding 1: 7 + 8 + 7 = 22 per
    # axis, so 22·22 weight uses, plus one bias use per output for a and c.
    assert (a.connections, b.connections, c.connections) == (22 * 22 + 64, 22 * 22, 22 * 22 + 64)


def test_value_allowance_grows_with_layers_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lenetcalc.errors import SpecError
    from lenetcalc.spec import reader

    monkeypatch.setattr(reader, "MAX_NODES", 100)
    monkeypatch.setattr(reader, "MAX_BUDGET", 100 + 24 * 50)
    layer = "  - {{name: d{i}, type: dense, units: 2}}\n"  # 7 values and a mapping: 8
    head = "name: t\ninput: [4]\nlayers:\n"
    # 40 layers: 3 + 6 + 40·8 = 329 values, within 100 + 40·24 = 1,060.
    network = reader.load_text(head + "".join(layer.format(i=i) for i in range(40)), "t.yaml")
    assert len(network.layers) == 40
    with pytest.raises(SpecError, match="more than 100 YAML values"):
        reader.load_text("v: [" + ", ".join(["1"] * 150) + "]\n", "v.yaml")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    with pytest.raises(SpecError, match="more than 100 YAML values after alias expansion"):
        reader.load_text(bomb + "c: [*b, *b]\n", "bomb.yaml")


def test_a_spec_loads_only_the_layer_families_it_uses() -> None:
    code = (
        "import sys\n"
        "from lenetcalc.cli import main\n"
        "sys.argv = ['lenetcalc', 'summary', 'lenet5', '-f', 'json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "layers = [m for m in sys.modules if m.startswith('lenetcalc.layers.')]\n"
        "print(sorted(layers), file=sys.stderr)\n"
        "print('lenetcalc.witness.verify' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    # LeNet-5: convolutions, subsampling, dense layers, the RBF output and activations.
    loaded, verify_loaded = done.stderr.strip().splitlines()[-2:]
    families = ["base", "conv", "dense", "simple", "window"]
    assert loaded == repr([f"lenetcalc.layers.{f}" for f in families])
    assert verify_loaded == "False"  # verify loads with its command


def test_merges_alike_but_for_their_number_of_inputs_keep_their_own_flops() -> None:
    from lenetcalc.report.analysis import analyze
    from lenetcalc.spec.reader import load_text

    text = (
        "name: memo\ninput: [1, 4, 4]\nlayers:\n"
        "  - {name: a, type: conv2d, filters: 1, kernel: 1}\n"
        "  - {name: s2, type: add, inputs: [a, input]}\n"
        "  - {name: s3, type: add, inputs: [a, input, s2]}\n"
        "  - {name: m2, type: multiply, inputs: [s3, a]}\n"
        "  - {name: m3, type: multiply, inputs: [s3, a, s2]}\n"
    )
    report = analyze(load_text(text, "memo.yaml"))
    flops = {r.name: r.flops for r in report.layers}
    # (inputs − 1)·16 elements: the memo of evaluated layers must not share these.
    assert (flops["s2"], flops["s3"], flops["m2"], flops["m3"]) == (16, 32, 16, 32)
    assert report.totals.flops == 2 * 16 + 16 + 16 + 32 + 16 + 32  # the conv: 2·MACs + bias
