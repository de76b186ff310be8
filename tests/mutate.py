"""Mutations of valid specs, for fuzzing: structural edits and raw text damage.

Used by the Hypothesis fuzz test and by `python tests/mutate.py N`, which runs N
seeded cases and reports how many distinct error messages they reached.
"""

from __future__ import annotations

import copy
import random
import re
import sys
import time
from importlib import resources
from typing import Any

import yaml

from lenetcalc.errors import LenetcalcError
from lenetcalc.present import summary
from lenetcalc.present.explain import explain
from lenetcalc.report import memory
from lenetcalc.report.analysis import analyze
from lenetcalc.spec.reader import load_text

SEEDS = [
    resources.files("lenetcalc.specs").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    for name in ("lenet5", "lenet5-modern", "lenet5-mnist")
] + [
    "name: padded\ninput: [3, 9, 7]\nlayers:\n"
    "  - {name: c, type: conv2d, filters: 4, kernel: [3, 2], stride: 2, padding: same}\n"
    "  - {name: p, type: pool, mode: max, kernel: 2, padding: 1}\n"
    "  - {name: o, type: rbf, units: 3, trainable: true}\n"
]
VALUES: list[Any] = [
    0, -1, 1, 2, 5, 6.5, True, False, None, "five", "", [], {}, [1, 2], [3, 3, 3],
    10**12, "same", "valid", "${x}", [[0, 99]], [[]], "conv2d", "dense", "max", "C1",
]  # fmt: skip
NOISE = ":[]{}-#&*!|>'\"\t\n%@`,?~\\\x00\x7f é𝛑 0123456789"


def _value(rng: random.Random) -> Any:
    """A fresh copy of a value, so edits never share (or nest) mutable objects."""
    return copy.deepcopy(rng.choice(VALUES))


def _containers(node: Any, out: list[Any]) -> list[Any]:
    if isinstance(node, (dict, list)):
        out.append(node)
        for child in node.values() if isinstance(node, dict) else node:
            _containers(child, out)
    return out


def _edit(rng: random.Random, data: Any) -> None:
    """One structural edit somewhere in the parsed spec."""
    target = rng.choice(_containers(data, []))
    if isinstance(target, dict) and target:
        key = rng.choice(list(target))
        action = rng.randrange(4)
        if action == 0:
            del target[key]
        elif action == 1:
            target[key] = _value(rng)
        elif action == 2 and len(key) > 1:
            target[key[:-1]] = target.pop(key)  # a typo
        else:
            target[rng.choice(["extra", "kernal", "units", "padding", "connection_table"])] = (
                _value(rng)
            )
    elif isinstance(target, list) and target:
        i = rng.randrange(len(target))
        action = rng.randrange(3)
        if action == 0:
            del target[i]
        elif action == 1:
            target.insert(i, target[rng.randrange(len(target))])
        else:
            target[i] = _value(rng)


def _damage(rng: random.Random, text: str) -> str:
    """One raw-text edit: insert noise, cut a slice, repeat or swap lines, truncate."""
    action = rng.randrange(4)
    at = rng.randrange(len(text) + 1)
    if action == 0:
        return text[:at] + "".join(rng.choice(NOISE) for _ in range(rng.randint(1, 4))) + text[at:]
    if action == 1:
        return text[:at] + text[at + rng.randint(1, 40) :]
    if action == 2:
        lines = text.split("\n")
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i] + ("\n" + lines[i] if rng.random() < 0.5 else "")
        return "\n".join(lines)
    return text[:at]


def mutate(rng: random.Random) -> str:
    """A damaged spec: 1-3 structural edits or 1-3 text edits of a seed spec."""
    text = rng.choice(SEEDS)
    edits = rng.randint(1, 3)
    if rng.random() < 0.5:
        data = yaml.safe_load(text)
        for _ in range(edits):
            _edit(rng, data)
        return yaml.safe_dump(data, sort_keys=False)
    for _ in range(edits):
        text = _damage(rng, text)
    return text


def run_case(text: str) -> str | None:
    """Load, analyse, explain and tabulate; None on success, else the error message.

    Any exception other than LenetcalcError propagates: that is a bug.
    """
    try:
        network = load_text(text, "fuzz.yaml")
        report = analyze(network)
        explain(network, [], [])
        summary.layers_table(report, memory.estimate(network, report))
    except LenetcalcError as e:
        return str(e)
    return None


def template(message: str) -> str:
    """A message with its particulars (location, names, numbers, quoted values) removed."""
    message = re.sub(r"^fuzz\.yaml(:\d+:\d+)?: (layer [^:]+: )?", "", message)
    message = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    return re.sub(r"\d[\d,.]*", "N", message)


if __name__ == "__main__":
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    templates: set[str] = set()
    ok = slowest = 0.0
    for i in range(cases):
        start = time.perf_counter()
        message = run_case(mutate(random.Random(i)))
        slowest = max(slowest, time.perf_counter() - start)
        if message is None:
            ok += 1
        else:
            templates.add(template(message))
    print(f"{cases} cases: {int(ok)} valid, {cases - int(ok)} clean errors,"
          f" {len(templates)} distinct messages, slowest {slowest * 1000:.0f} ms")  # fmt: skip
    for t in sorted(templates):
        print("  ", t)
