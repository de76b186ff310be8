"""The Python API: the walkthrough in docs/api.md runs as written; imports stay cheap."""

from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import pytest

import lenetcalc
import lenetcalc.errors

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def test_the_api_walkthrough_runs_as_written() -> None:
    failures, tried = doctest.testfile(
        str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert tried >= 15 and failures == 0


def test_import_is_cheap() -> None:
    code = (
        "import sys, lenetcalc; lenetcalc.analyze; "
        "print(sorted(m for m in ('numpy', 'rich', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_api_names_are_exported() -> None:
    for name in ("load", "analyze", "memory", "verify", "compare", "Report", "Network"):
        assert name in lenetcalc.__all__ and getattr(lenetcalc, name) is not None


def test_load_reads_one_line_yaml_and_says_what_is_wrong() -> None:
    flow = "{name: t, input: [4], layers: [{name: d, type: dense, units: 2}]}"
    assert lenetcalc.analyze(flow).totals.trainable_params == 4 * 2 + 2
    # Longer than a file name may be (255 bytes): still YAML, not an OSError.
    dense = ", ".join(f"{{name: d{i}, type: dense, units: 2}}" for i in range(12))
    long_flow = "{name: t, input: [4], layers: [" + dense + "]}"
    assert len(long_flow) > 255
    assert lenetcalc.analyze(long_flow).totals.trainable_params == 4 * 2 + 2 + 11 * (2 * 2 + 2)
    with pytest.raises(lenetcalc.errors.LenetcalcError, match="not valid YAML"):
        lenetcalc.load("name: [")
    with pytest.raises(lenetcalc.errors.LenetcalcError, match="the spec is empty"):
        lenetcalc.load("")
    with pytest.raises(TypeError, match="not int"):
        lenetcalc.load(42)  # type: ignore[arg-type]


def test_bad_arguments_are_lenetcalc_errors_that_say_what_to_pass() -> None:
    network = lenetcalc.load("lenet5")
    calls = {
        "pass the spec, not a Network": lambda: lenetcalc.load(network, {"input": "1x36x36"}),
        "batch must be an integer >= 1, got -3": lambda: lenetcalc.memory("lenet5", batch=-3),
        "dtype must be one of": lambda: lenetcalc.memory("lenet5", dtype="float64"),
        "batch must be an integer >= 1, got 0": lambda: lenetcalc.verify("lenet5", batch=0),
        "seed must be an integer >= 0, got -1": lambda: lenetcalc.verify("lenet5", seed=-1),
        "dtype must be one of float32": lambda: lenetcalc.memory("lenet5", dtype=["x"]),  # type: ignore[arg-type]
        "metric must be one of": lambda: lenetcalc.compare("lenet5", "lenet5", metric="bogus"),
        "at least two specs": lambda: lenetcalc.compare("lenet5"),
    }
    for message, call in calls.items():
        with pytest.raises(lenetcalc.errors.LenetcalcError, match=message):
            call()


def test_overrides_may_be_numbers_as_well_as_text() -> None:
    # --set gives text; from Python, 36 means what "36" means on the command line.
    spec = "name: t\nvars: {w: 3}\ninput: [4]\nlayers:\n  - {name: d, type: dense, units: '${w}'}\n"
    assert lenetcalc.analyze(lenetcalc.load(spec, {"w": 5})).totals.trainable_params == 4 * 5 + 5
