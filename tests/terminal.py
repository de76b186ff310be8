"""Run the real `lenetcalc` command on a pseudo-terminal of a given width."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios


def run_tty(*args: str, columns: int = 80, rows: int = 50) -> tuple[str, int]:
    """What a user sees on a `columns`-wide terminal (stdout and stderr), and the exit code."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR")}
    env.update(NO_COLOR="1", TERM="xterm")
    code = "from lenetcalc.cli import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command has ended
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return text, proc.wait()
