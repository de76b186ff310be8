"""Writing output files atomically: a reader sees the old file or the whole new one."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ..errors import LenetcalcError


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write `text` (UTF-8) or bytes to a temporary file beside the target, then rename it
    over the target.

    A symlink is written through (its target is replaced, the link stays). An existing
    file keeps its mode; a new one gets the umask's. An interruption or a failed write
    leaves any existing file untouched and no temporary file behind.
    """
    target = _regular_target(path)
    mode = _mode_for(target)
    try:
        # A short prefix: the temporary name must fit where the target's own name just does.
        fd, temp = tempfile.mkstemp(
            prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent
        )
    except OSError as e:
        raise LenetcalcError(f"{path}: cannot write here: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)  # mkstemp creates 0600
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException as e:
        Path(temp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise LenetcalcError(f"{path}: cannot write: {e.strerror or e}") from None
        raise


def _regular_target(path: Path) -> Path:
    """The file to replace: symlinks followed; a directory, device or FIFO refused."""
    target = Path(os.path.realpath(path))
    try:
        folder = target.parent.is_dir()
    except OSError as e:  # a name longer than the system allows, say
        raise LenetcalcError(f"{path}: cannot write: {e.strerror or e}") from None
    if not folder:
        raise LenetcalcError(f"{path}: folder {target.parent} does not exist")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as e:
        raise LenetcalcError(f"{path}: cannot write: {e.strerror or e}") from None
    if stat.S_ISDIR(mode):
        raise LenetcalcError(f"{path}: is a directory; name a file to write")
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise LenetcalcError(
            f"{path}: is {kind}, not a regular file: export writes files"
            " (use -o - or no -o for standard output)"
        )
    return target


def _mode_for(target: Path) -> int:
    """The existing file's permission bits, or those a new file gets under the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)  # reading the umask means setting it; put it straight back
        os.umask(umask)
        return 0o666 & ~umask
