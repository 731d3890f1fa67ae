"""A process in an 80×24 pseudo-terminal, read as a person sees it (escapes removed).

Shared by the black-box start-up benchmarks (start.py, start_languages.py): the real
`hub` command is started as on a kiosk's terminal, and the clock stops when words show.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence
from pathlib import Path

TIMEOUT_SECONDS = 120.0
_ESCAPES = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]"
)


class Terminal:
    """A process in an 80×24 pseudo-terminal, with the tail of what it has drawn."""

    def __init__(
        self, command: Sequence[str], *, cwd: Path, unset: Sequence[str] = (), keep: int = 4000
    ) -> None:
        """Start `command` in `cwd`, without the environment variables named in `unset`.

        `keep` is how many characters of what it drew are kept to look for words in.
        """
        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
        for name in unset:
            env.pop(name, None)
        self.keep = keep
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        os.close(follower)
        self.seen = ""

    def read(self, seconds: float) -> None:
        """Take in whatever it draws for up to `seconds` (it must never block on output)."""
        ready, _w, _x = select.select([self.leader], [], [], seconds)
        if ready:
            with contextlib.suppress(OSError):
                chunk = os.read(self.leader, 65536)
                drawn = _ESCAPES.sub("", chunk.decode("utf-8", "replace"))
                self.seen = (self.seen + drawn)[-self.keep :]

    def wait_for(self, text: str) -> float | None:
        """Return when `text` showed (perf_counter), or None if it never did."""
        while time.perf_counter() - self.started < TIMEOUT_SECONDS:
            if text in self.seen:
                return time.perf_counter()
            if self.process.poll() is not None:
                return None
            self.read(0.01)
        return None

    def type(self, text: str) -> None:
        """Type `text` at the keyboard."""
        os.write(self.leader, text.encode())

    def stop(self) -> None:
        """Kill the process and close the terminal."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.leader)
