"""verify tells the truth about memory and numbers (issue 13, item 5)."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pytest

from lenetcalc.report.analysis import analyze
from lenetcalc.report.memory import PROCESS_BYTES, witness_peak_bytes
from lenetcalc.spec import catalog
from lenetcalc.spec.reader import load_text
from lenetcalc.witness import engine
from lenetcalc.witness.verify import verify

# Graphs that stress the guard: many live branches merged by adds (each merge makes a
# copy), a depthwise and a dilated conv with padding, a concat of repeated inputs into a
# dense layer, a sparse connection table, max pooling with padding in ceil mode.
ADVERSARIAL = {
    "adds": """
input: [16, 24, 24]
layers:
  - {name: a, type: conv2d, filters: 16, kernel: 1}
  - {name: b, type: conv2d, filters: 16, kernel: 1, inputs: input}
  - {name: c, type: conv2d, filters: 16, kernel: 1, inputs: input}
  - {name: s1, type: add, inputs: [a, b, c, a, b, c]}
  - {name: s2, type: add, inputs: [s1, s1, a, b]}
  - {name: s3, type: add, inputs: [s2, s1, c, input]}
""",
    "depthwise": """
input: [64, 40, 40]
layers:
  - {name: dw, type: conv2d, filters: 64, kernel: 7, padding: 3, groups: 64}
  - {name: dil, type: conv2d, filters: 64, kernel: 5, padding: 4, groups: 64, dilation: 2}
""",
    "concat-dense": """
input: [8, 32, 32]
layers:
  - {name: p, type: pool, mode: max, kernel: 3, stride: 2, padding: 1, ceil_mode: true}
  - {name: q, type: pool, mode: avg, kernel: 3, stride: 2, padding: 1, ceil_mode: true,
     inputs: input}
  - {name: c, type: concat, inputs: [p, q, p, q]}
  - {name: bn, type: batchnorm}
  - {name: f, type: flatten}
  - {name: d, type: dense, units: 512, activation: sigmoid}
  - {name: r, type: rbf, units: 50}
""",
    "table": """
input: [6, 64, 64]
layers:
  - {name: s, type: subsample, kernel: 2, stride: 2}
  - {name: c, type: conv2d, filters: 4, kernel: 5, padding: 2,
     connection_table: [[0, 1, 2], [1, 2, 3], [2, 3, 4, 5], [0, 5]]}
""",
}
ZOO = ["lenet5", "lenet5-modern", "resnet18"]  # resnet18 at 64x64 below, to stay fast


def _network(name: str) -> object:
    if name in ADVERSARIAL:
        return load_text(f"name: {name}\n{ADVERSARIAL[name]}", f"{name}.yaml")
    return catalog.resolve(name, {"size": "64"} if name == "resnet18" else {})


@pytest.mark.parametrize("name", [*ZOO, *ADVERSARIAL])
def test_memory_guard_is_an_upper_bound_of_the_measured_peak(name: str) -> None:
    network = _network(name)
    estimate = witness_peak_bytes(network, analyze(network), 2) - PROCESS_BYTES  # type: ignore[arg-type]
    tracemalloc.start()
    try:
        engine.run(network, batch=2)  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= estimate, f"{name}: measured {peak:,} B above the estimate {estimate:,} B"


def test_values_stay_bounded_through_130_doublings() -> None:
    # Each add doubles the values: 2**130 is past float32's 3.4e38 without rescaling.
    layers = "\n".join(
        f"  - {{name: a{i}, type: add, inputs: [{f'a{i - 1}' if i else 'input'}, "
        f"{f'a{i - 1}' if i else 'input'}]}}"
        for i in range(130)
    )
    network = load_text(f"name: doubling\ninput: [4]\nlayers:\n{layers}\n", "d.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning may escape
        result = verify(network, analyze(network))
    assert result.agrees


def test_non_finite_values_are_an_error_not_a_verification() -> None:
    with pytest.raises(engine.NonFiniteError, match=r"layer c: .* non-finite .* nothing was"):
        engine.bounded(np.array([1.0, np.inf], dtype=np.float32), "c")
    with pytest.raises(engine.NonFiniteError):
        engine.bounded(np.array([np.nan], dtype=np.float32), "c")
    scaled = engine.bounded(np.array([2e4, -1e4, 5.0], dtype=np.float32), "c")
    assert scaled.tolist() == pytest.approx([1.0, -0.5, 5.0 / 2e4])  # divided by the peak


# The process's own high-water mark. Not getrusage: on Linux a child's ru_maxrss starts
# from the peak of the process that forked it (here pytest), carried across exec.
_PEAK_RSS = """
import runpy, sys
sys.argv = ["lenetcalc", *sys.argv[1:]]
try:
    runpy.run_module("lenetcalc", run_name="__main__")
except SystemExit as e:
    assert not e.code, e.code
with open("/proc/self/status") as status:
    kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(kb * 1024, file=sys.stderr)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_whole_process_peak_stays_under_the_estimate(tmp_path: Path) -> None:
    # 2,000 layers of residual blocks: the loaded spec itself weighs on the process.
    block = """
blocks:
  res:
    params: {}
    layers:
      - {name: conv, type: conv2d, filters: 8, kernel: 3, padding: 1, bias: false}
      - {name: bn, type: batchnorm}
      - {name: relu, type: activation, function: relu}
      - {name: add, type: add, inputs: [relu, in]}
layers:
  - {block: res, name: stage, repeat: 500}
"""
    spec = tmp_path / "deep.yaml"
    spec.write_text(f"name: deep\ninput: [8, 16, 16]\n{block}", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, "verify", str(spec), "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    peak = int(done.stderr.strip().splitlines()[-1])
    estimate = json.loads(done.stdout)["estimated_peak_bytes"]
    assert peak <= estimate, f"peak RSS {peak:,} B over the estimate {estimate:,} B"


# A value read twice: the relu and the add both read bn. Only the add, its last reader,
# may spend it; the relu must leave it intact, or the add would sum relu(bn) + relu(bn)
# where it should be bn + relu(bn) (negative wherever bn is).
BRANCHED = """\
name: branched
input: [2, 6, 6]
layers:
  - {name: c, type: conv2d, filters: 3, kernel: 3, padding: 1}
  - {name: bn, type: batchnorm}
  - {name: r, type: activation, function: relu}
  - {name: a, type: add, inputs: [bn, r]}
"""


def _forward(spec: str, spend: bool) -> np.ndarray:
    """The network's output, computed with spent inputs overwritten in place (`spend`, as
    the engine runs) or with every input copied first."""
    rng = np.random.default_rng(1)
    net = load_text(spec, "spec.yaml")
    values = net.values(rng.standard_normal((2, 2, 6, 6), dtype=np.float32))
    for i, layer in enumerate(net.layers):
        xs = engine.inputs(values, i) if spend else [x.copy() for x in values.read(i)]
        shape = tuple(layer.witness_merge([x.copy() for x in xs]).shape[1:])
        y, _ = layer.witness_forward(layer.witness_merge(xs), layer.witness_params(shape, rng))
        values.store(i, y)
    (out,) = values.alive()
    return out


# A value another layer holds a view of: dropout returns its input (a read-only view of
# bn's array, which r also reads), so r, bn's last reader, must not spend bn in place.
VIEWED = """\
name: viewed
input: [2, 6, 6]
layers:
  - {name: c, type: conv2d, filters: 3, kernel: 3, padding: 1}
  - {name: bn, type: batchnorm}
  - {name: d, type: dropout, rate: 0.5}
  - {name: r, type: activation, function: relu, inputs: bn}
  - {name: a, type: add, inputs: [d, r]}
"""


@pytest.mark.parametrize("spec", [BRANCHED, VIEWED], ids=["branched", "viewed"])
def test_spent_inputs_are_overwritten_only_when_nothing_else_holds_them(spec: str) -> None:
    assert np.array_equal(_forward(spec, spend=True), _forward(spec, spend=False))


def test_the_last_reader_of_a_value_may_spend_it() -> None:
    net = load_text(BRANCHED, "branched.yaml")
    values = net.values(np.zeros((1, 2, 6, 6), dtype=np.float32))
    # bn is read by r and then by a: r gets a read-only view, a may spend it.
    assert [values.last_read(i) for i in range(4)] == [[True], [True], [False], [True, True]]
