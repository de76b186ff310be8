"""Mutations of valid specs, for fuzzing: structural edits and raw text damage.

Used by the Hypothesis fuzz test and by `python tests/mutate.py N`, which runs N
seeded cases and reports their outcomes, the slowest, the most memory and how many
distinct error messages they reached.
"""

from __future__ import annotations

import copy
import io
import json
import random
import re
import resource
import sys
import time
import tracemalloc
from importlib import resources
from typing import Any

import yaml
from rich.console import Console

from lenetcalc.errors import LenetcalcError
from lenetcalc.present.documents import explain_document, summary_document
from lenetcalc.present.explain import explain, to_markdown, to_text
from lenetcalc.present.formats import FORMATS, write
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
    0,
    -1,
    1,
    2,
    5,
    6.5,
    True,
    False,
    None,
    "five",
    "",
    [],
    {},
    [1, 2],
    [3, 3, 3],
    10**12,
    "same",
    "valid",
    "${x}",
    [[0, 99]],
    [[]],
    "conv2d",
    "dense",
    "max",
    "C1",
]
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


TAGS = [
    "!!str",
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!binary",
    "!!timestamp",
    "!!python/object:os.system",
    "!custom",
    "!!set",
    "!!omap",
    "!!merge",
]
LONG = [
    "x" * 5000,
    "${x}" * 3000,
    "漢字" * 2000,
    "a\x1b[2J\x9b\u202e|&%\n" * 50,
    "9" * 5000,
    "${'a' + 'b'}" * 500,
]
_WORDS = ("true", "false", "null", "yes", "no", "on", "off", "y", "n", "~")


class YamlWriter:
    """Writes a value as YAML text with random structure: flow or block style per
    collection, anchors and aliases, `<<` merge keys, tags, deep nesting, long strings."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.n = rng, 0
        self.anchors: list[str] = []
        self.wild = rng.random() < 0.5  # half the cases keep plain structure

    def text(self, data: Any) -> str:
        return self.block(data, 0).lstrip("\n") + "\n"

    def _chance(self, p: float) -> bool:
        return self.wild and self.rng.random() < p

    def _prefix(self) -> str:
        """An anchor (remembered for later aliases) or a tag, sometimes."""
        if self._chance(0.08):
            self.n += 1
            self.anchors.append(f"a{self.n}")
            return f"&a{self.n} "
        if self._chance(0.02):
            return self.rng.choice(TAGS) + " "
        return ""

    def _special(self) -> str | None:
        """An alias, a deep nest or a long string in place of a value, sometimes."""
        roll = self.rng.random() if self.wild else 1.0
        if roll < 0.04 and self.anchors:
            return "*" + self.rng.choice(self.anchors)
        if roll < 0.05:
            depth = self.rng.choice([3, 30, 63, 64, 65, 200])
            return "[" * depth + "1" + "]" * depth
        if roll < 0.06:
            return json.dumps(self.rng.choice(LONG), ensure_ascii=False)
        return None

    def _merge(self) -> str | None:
        if self._chance(0.1) and self.anchors:
            return f"<<: *{self.rng.choice(self.anchors)}"
        return None

    def scalar(self, value: Any) -> str:
        if isinstance(value, str):
            plain = re.fullmatch(r"[A-Za-z_][\w.]*", value) and value.lower() not in _WORDS
            return value if plain else json.dumps(value, ensure_ascii=False)
        return json.dumps(value)  # numbers, true/false, null

    def flow(self, value: Any) -> str:
        special = self._special()
        if special is not None:
            return special
        if isinstance(value, dict):
            items = [f"{self.scalar(k)}: {self.flow(v)}" for k, v in value.items()]
            merge = self._merge()
            if merge:
                items.insert(self.rng.randrange(len(items) + 1), merge)
            return self._prefix() + "{" + ", ".join(items) + "}"
        if isinstance(value, list):
            return self._prefix() + "[" + ", ".join(self.flow(v) for v in value) + "]"
        return self._prefix() + self.scalar(value)

    def block(self, value: Any, indent: int) -> str:
        """Block style for containers (or flow, at random), one line per entry."""
        if not isinstance(value, (dict, list)) or not value or self._chance(0.3):
            return " " + self.flow(value)
        pad = "  " * indent
        if isinstance(value, list):
            return "".join(f"\n{pad}-{self.block(v, indent + 1)}" for v in value)
        lines = [f"\n{pad}{self.scalar(k)}:{self.block(v, indent + 1)}" for k, v in value.items()]
        merge = self._merge()
        return "".join(lines) + (f"\n{pad}{merge}" if merge else "")


def mutate(rng: random.Random) -> str:
    """A damaged spec: 0-3 structural edits written as randomly structured YAML, or
    1-3 raw text edits of a seed spec."""
    text = rng.choice(SEEDS)
    edits = rng.randint(1, 3)
    if rng.random() < 0.5:
        data = yaml.safe_load(text)
        for _ in range(edits - rng.randint(0, 1)):  # 0 edits: the YAML structure alone
            _edit(rng, data)
        if rng.random() < 0.2:
            return yaml.safe_dump(data, sort_keys=False)
        return YamlWriter(rng).text(data)
    for _ in range(edits):
        text = _damage(rng, text)
    return text


def run_case(text: str) -> str | None:
    """Load, analyse, explain and write every output format; None on success, else the
    error message. Any exception other than LenetcalcError propagates: that is a bug, and
    so is a control character in any output (AssertionError).
    """
    try:
        network = load_text(text, "fuzz.yaml")
        report = analyze(network)
        estimate = memory.estimate(network, report)
        sections = explain(network, [], [])
    except LenetcalcError as e:
        return str(e)
    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(write(summary_document([(report, estimate)]), "table", 120).rich(120))
    outputs = [console.file.getvalue(), to_text(sections), to_markdown(sections, "h")]
    documents = (summary_document([(report, estimate)]), explain_document(sections, "h"))
    outputs += [write(doc, fmt) for doc in documents for fmt in FORMATS if fmt != "table"]
    for out in outputs:
        raw = [ch for ch in out if not ch.isprintable() and ch != "\n"]
        assert not raw, f"raw control characters in the output: {raw[:5]!r}"
    return None


def template(message: str) -> str:
    """A message with its particulars (location, names, numbers, quoted values) removed."""
    message = re.sub(r"^fuzz\.yaml(:\d+:\d+)?: (layer [^:]+: )?", "", message)
    message = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    return re.sub(r"\d[\d,.]*", "N", message)


def campaign(cases: int) -> None:
    """Run seeded cases 0..cases-1; print outcome counts, the slowest case, peak memory."""
    templates: set[str] = set()
    counts = {"exit 0": 0, "clean exit 2": 0, "anything else": 0}
    slowest, peak = (0.0, -1), (0, -1)
    bugs: list[str] = []
    tracemalloc.start()
    for i in range(cases):
        text = mutate(random.Random(i))
        tracemalloc.reset_peak()
        start = time.process_time()
        try:
            message = run_case(text)
        except Exception as e:
            message = None
            counts["anything else"] += 1
            bugs.append(f"case {i}: {type(e).__name__}: {str(e)[:200]}")
        else:
            counts["clean exit 2" if message else "exit 0"] += 1
            templates.update([template(message)] if message else [])
        slowest = max(slowest, (time.process_time() - start, i))
        peak = max(peak, (tracemalloc.get_traced_memory()[1], i))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{cases} cases: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(
        f"slowest: case {slowest[1]}, {slowest[0] * 1000:.0f} ms CPU (tracemalloc on);"
        f" most memory: case {peak[1]}, {peak[0] / 2**20:.1f} MiB traced;"
        f" process peak RSS {rss:.0f} MiB; {len(templates)} distinct messages"
    )
    for bug in bugs[:20]:
        print("  BUG", bug)
    for t in sorted(templates):
        print("  ", t)


if __name__ == "__main__":
    campaign(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
