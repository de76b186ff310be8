"""Keep the pictures in docs/images/ identical to what `lenetcalc diagram` draws today.

docs/diagrams.md names each picture's command in a comment just above it:

    <!-- diagram: lenet5 -o docs/images/lenet5.svg -->
    ![LeNet-5](images/lenet5.svg)

`pytest --update-golden` redraws every picture (the one golden mechanism, see conftest.py);
`test_diagram.py` fails when one is stale. Paths are relative to the repository.
"""

from __future__ import annotations

import re
import shlex
import tempfile
from pathlib import Path

from click.testing import CliRunner

from lenetcalc.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "diagrams.md"
MARKER = re.compile(r"<!-- diagram: (?P<args>.+?) -->")


def pictures() -> list[tuple[list[str], Path]]:
    """Each picture's `diagram` arguments (without -o) and the file it lives in."""
    found = []
    for m in MARKER.finditer(PAGE.read_text(encoding="utf-8")):
        args = shlex.split(m.group("args"))
        at = args.index("-o")
        found.append((args[:at] + args[at + 2 :], ROOT / args[at + 1]))
    return found


def drawn(args: list[str], suffix: str = ".svg") -> bytes:
    """What `lenetcalc diagram ARGS` writes in the format of `suffix`."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"picture{suffix}"
        result = CliRunner().invoke(main, ["diagram", *args, "-o", str(out)])
        if result.exit_code:
            raise RuntimeError(f"diagram {' '.join(args)}: {result.output}")
        return out.read_bytes()
