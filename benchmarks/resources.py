"""Resource attacks, each in a process of its own: outcome, CPU and wall time, peak RSS.

The cases are the hostile inputs of tests/attacks.py (alias and merge-key bombs, deep
nesting, /dev/zero, expansion and splicing bombs, huge integers, gigantic sizes, long
chains). The test suite holds each within 2 s of CPU and 200 MB; this prints the figures.

    python benchmarks/resources.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from attacks import LIMIT_MEGABYTES, LIMIT_SECONDS, RESOURCE_CASES, measured


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    print(f"{'case':52} {'exit':>4} {'CPU s':>6} {'wall s':>6} {'peak MB':>8}  verdict")
    worst = 0
    for n, attack in enumerate(RESOURCE_CASES):
        path = attack.path
        if not path:
            path = str(folder / f"case{n}.yaml")
            Path(path).write_text(attack.text, encoding="utf-8")
        m = measured(attack.command, path, *attack.options)
        expected = 2 if attack.message else 0
        ok = (
            m.code == expected
            and attack.message in m.stderr
            and m.seconds < LIMIT_SECONDS
            and m.megabytes < LIMIT_MEGABYTES
        )
        worst = max(worst, 0 if ok else 1)
        print(
            f"{attack.label[:52]:52} {m.code:>4} {m.seconds:6.2f} {m.wall:6.2f}"
            f" {m.megabytes:8.1f}  {'ok' if ok else 'OVER'}"
        )
    sys.exit(worst)


if __name__ == "__main__":
    main()
