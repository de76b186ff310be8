"""Docs cannot drift: quoted CLI output is regenerated and compared; the docs cover the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from lenetcalc.layers import LAYER_TYPES

from docsync import BLOCK, ROOT, documents, stale


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.name)
def test_quoted_cli_output_is_fresh(path: Path) -> None:
    assert stale(path) == [], "stale CLI output: run `python tests/docsync.py`"


def test_readme_quotes_the_main_job() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "summary lenet5" in [m.group("cmd") for m in BLOCK.finditer(text)]
    assert "pip install -e '.[test]' && pytest" in text


@pytest.mark.parametrize("kind", sorted(LAYER_TYPES))
def test_every_layer_type_is_documented(kind: str) -> None:
    for doc in ("spec-format.md", "conventions.md"):
        assert f"`{kind}`" in (ROOT / "docs" / doc).read_text(encoding="utf-8"), doc
