"""Writing output files atomically: a reader sees the old file or the whole new one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import LenetcalcError


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write `text` (UTF-8) or bytes to a temporary file beside `path`, then rename it over it.

    An interruption leaves any existing file untouched and no temporary file behind.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise LenetcalcError(f"{path}: folder {folder} does not exist")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise LenetcalcError(f"{path}: cannot write here: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException as e:
        Path(temp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise LenetcalcError(f"{path}: cannot write: {e.strerror or e}") from None
        raise
