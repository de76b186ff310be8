"""Keep CLI output quoted in README.md and docs/*.md identical to what the CLI prints.

A quoted block looks like this in Markdown:

    <!-- cli: summary lenet5 -->
    ```text
    ...output...
    ```

`python tests/docsync.py` rewrites every block from the current CLI; the test
`test_docs.py` fails when any block is stale.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

from click.testing import CliRunner

from lenetcalc.cli import main

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"(<!-- cli: (?P<cmd>.+?) -->\n```(?P<lang>\w*)\n)(?P<body>.*?)(```)", re.S)
COLUMNS = "120"


def documents() -> list[Path]:
    """Every Markdown file that may quote the CLI."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def cli_output(command: str) -> str:
    """What `lenetcalc COMMAND` prints with no colour on a 120-column terminal."""
    env = {"NO_COLOR": "1", "COLUMNS": COLUMNS}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    cwd = Path.cwd()
    os.chdir(ROOT)  # commands name files relative to the repository
    try:
        result = CliRunner().invoke(main, shlex.split(command))
    finally:
        os.chdir(cwd)
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    text = "\n".join(line.rstrip() for line in result.output.splitlines())
    return text + "\n"


def refreshed(text: str) -> str:
    """The document with every quoted block replaced by fresh CLI output."""
    return BLOCK.sub(lambda m: m.group(1) + cli_output(m.group("cmd")) + m.group(5), text)


def stale(path: Path) -> list[str]:
    """Commands whose quoted output in `path` is out of date."""
    text = path.read_text(encoding="utf-8")
    return [
        m.group("cmd")
        for m in BLOCK.finditer(text)
        if m.group("body") != cli_output(m.group("cmd"))
    ]


if __name__ == "__main__":
    for doc in documents():
        doc.write_text(refreshed(doc.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"refreshed {doc.relative_to(ROOT)}", file=sys.stderr)
