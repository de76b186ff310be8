"""Reading specs from any source, bounded; values built by expansion, bounded."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lenetcalc.cli import main
from lenetcalc.errors import SpecError
from lenetcalc.report.analysis import analyze
from lenetcalc.spec.reader import load_text
from lenetcalc.spec.source import MAX_BYTES

Run = Callable[..., Result]
Write = Callable[..., Path]
SPEC = "name: t\ninput: [4]\nlayers:\n  - {name: d, type: dense, units: 3}\n"


def error_of(text: str) -> str:
    with pytest.raises(SpecError) as caught:
        load_text(text, "t.yaml")
    return str(caught.value)


def test_dash_reads_the_spec_from_standard_input() -> None:
    result = CliRunner().invoke(main, ["summary", "-", "-f", "csv"], input=SPEC.encode())
    assert result.exit_code == 0, result.output
    assert _dense_row(result.output) == ("15", "15", "12", "27")


def test_standard_input_is_read_with_the_same_bound() -> None:
    result = CliRunner().invoke(main, ["summary", "-"], input=b"#" * (MAX_BYTES + 10))
    assert result.exit_code == 2
    assert result.output == "Error: <stdin>: file is larger than the 16 MiB limit\n"


def _through_pipe(data: bytes) -> subprocess.CompletedProcess[str]:
    """`lenetcalc summary /dev/fd/N` with a pipe behind N, as `summary <(gen)` does."""
    read, write = os.pipe()

    def feed() -> None:
        # The reader stops at its limit and closes the pipe.
        with os.fdopen(write, "wb") as w, contextlib.suppress(BrokenPipeError):
            w.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "lenetcalc", "summary", f"/dev/fd/{read}", "-f", "csv"],
            pass_fds=[read],
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        os.close(read)
        writer.join()
    return done


def test_a_pipe_is_read_like_a_file_and_bounded() -> None:
    assert _through_pipe(SPEC.encode()).returncode == 0
    done = _through_pipe(b"a: 1\n" * (MAX_BYTES // 2))  # 2.5 MiB, and stat says 0
    assert done.returncode == 2 and "larger than the 16 MiB limit" in done.stderr


def test_a_socket_gets_a_clean_error(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        result = run("summary", str(path))
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {path}: cannot read the file:")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (SPEC.encode("utf-16"), "not UTF-8 text (bad byte at offset 0): save the spec as UTF-8"),
        (
            SPEC.encode() + b"# \xff\n",
            "not UTF-8 text (bad byte at offset 66): save the spec as UTF-8",
        ),  # 64 + 2
    ],
)
def test_text_that_is_not_utf8_is_named_as_such(
    run: Run, tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(data)
    result = run("summary", str(path))
    assert result.exit_code == 2 and result.output == f"Error: {path}: {message}\n"


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"], ids=["CRLF", "BOM and CRLF"])
def test_crlf_and_bom_files_load(run: Run, tmp_path: Path, prefix: bytes) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(prefix + SPEC.replace("\n", "\r\n").encode())
    result = run("summary", str(path), "-f", "csv")
    assert result.exit_code == 0 and _dense_row(result.output) == ("15", "15", "12", "27")


# ---- values built by expansion --------------------------------------------------------

HEAD = "name: t\ninput: [4]\n"


def test_merge_keys_merge_with_explicit_keys_and_the_first_source_winning() -> None:
    text = HEAD + (
        "layers:\n"
        "  - &a {name: a, type: dense, units: 2}\n"
        "  - {<<: [{units: 5, name: x}, *a], name: b}\n"  # units 5 (first source), name b
    )
    layer = analyze(load_text(text, "t.yaml")).layers[1]
    assert (layer.name, layer.output_shape, layer.trainable_params) == ("b", (5,), (2 + 1) * 5)


def test_a_merged_value_is_located_where_it_is_written() -> None:
    text = HEAD + "layers:\n  - {<<: [{units: many}], name: b, type: dense}\n"
    assert error_of(text).startswith("t.yaml:4:19: layer b: field 'units' must be")
    bad = HEAD + "layers:\n  - {<<: 3, name: b}\n"
    assert error_of(bad) == "t.yaml:4:10: a merge key '<<' takes a mapping or a list of them"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"${1e300}"', "a number in the expression has more than 100 digits"),
        ('"${1e99 * 1e99 * 1e99}"', "a number in the expression has more than 100 digits"),
        ("0x" + "f" * 90, "integer with more than 100 digits"),  # 360 bits, ~108 digits
        ("9" * 4301, "integer with more than 100 digits"),  # past Python's 4,300-digit limit
        ("1" + ":59" * 100, "integer with more than 100 digits"),  # YAML 1.1 base 60
        ("\"${'a' < 1}\"", "cannot compare 'a' with 1"),
    ],
)
def test_numbers_stay_within_their_caps(value: str, message: str) -> None:
    text = f"{HEAD.replace('[4]', f'[{value}]')}layers: []\n"
    assert message in error_of(text)


def test_a_mapping_merging_itself_ends_at_the_depth_limit() -> None:
    # found by the fuzzer: `<<` naming its own enclosing list recursed without end
    text = HEAD + "layers: &l [{name: c, type: dense, units: 2, <<: *l}]\n"
    assert error_of(text) == "t.yaml:3:13: YAML nested deeper than 64 levels"


def _dense_row(text: str) -> tuple[str, ...]:
    """Layer d's params, connections, MACs and FLOPs from tidy CSV: (4 + 1)·3 = 15,
    15, 4·3 = 12 and 2·12 + 3 = 27."""
    import csv
    import io

    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["layer"] == "d")
    return (row["trainable_params"], row["connections"], row["macs"], row["flops"])
