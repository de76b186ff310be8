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


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_data_formats_import_neither_rich_nor_numpy(fmt: str) -> None:
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
    expected = {"json": '"params": 60840', "csv": "Total,,10,60000,840,"}[fmt]
    assert expected in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]"
