"""A transient progress line on stderr, for runs that take more than half a second.

Only on a terminal: a pipe or a log file gets nothing. The line is rewritten in place
(`\\r`) and erased when the run ends, so the output that follows is unchanged.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

DELAY = 0.5  # seconds before the first line: quick runs stay silent


@contextmanager
def progress_line(
    stream: TextIO | None = None, delay: float = DELAY
) -> Iterator[Callable[[int, int, str], None] | None]:
    """A callback `(index, count, name)` that shows `layer 12/187 layer3.1.conv2`."""
    out = stream or sys.stderr
    if not out.isatty():
        yield None
        return
    import shutil  # here: summary's start-up has no progress line

    start, shown = time.monotonic(), [0]
    columns = shutil.get_terminal_size((80, 24)).columns

    def tell(index: int, count: int, name: str) -> None:
        if time.monotonic() - start < delay:
            return
        text = f"verifying layer {index + 1}/{count} {name}"[: columns - 1]
        out.write("\r" + text.ljust(shown[0]))
        out.flush()
        shown[0] = len(text)

    try:
        yield tell
    finally:
        if shown[0]:
            out.write("\r" + " " * shown[0] + "\r")
            out.flush()
