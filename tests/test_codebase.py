"""Structural rules the package keeps (docs/architecture.md): small functions, one-way flow."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lenetcalc"
MAX_FUNCTION_LINES = 40
# Each stage may import only the stages before it (and the shared top-level modules).
STAGES = {"spec": 1, "layers": 1, "report": 2, "witness": 3, "present": 4}
# Layers own their witnesses, which share NumPy helpers (imported lazily, inside methods).
# Report.to_dict()/to_markdown() are notebook conveniences that delegate, lazily, to the
# presentation stage (issue 14's API); nothing else in report/ reaches forward.
ALLOWED = {"layers": {"witness.arrays"}, "report": {"present.jsonout", "present.api"}}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_is_longer_than_forty_lines(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_stages_import_only_earlier_stages(path: Path) -> None:
    parts = path.relative_to(PACKAGE).parts
    own = STAGES.get(parts[0], 0) if len(parts) > 1 else 0
    if not own:
        return  # top-level modules (cli, errors, expr, ...) are not a stage
    tree = ast.parse(path.read_text(encoding="utf-8"))
    later = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level >= 2 and node.module:
            stage = node.module.split(".")[0]
            if STAGES.get(stage, 0) > own and node.module not in ALLOWED.get(parts[0], set()):
                later.append(node.module)
    assert later == [], f"{'/'.join(parts)} imports a later stage"
