"""Writer processes for kill -9 tests, forked from one parent that has imported already.

A kill test starts a writer, lets it save for a random moment, then kills it with SIGKILL,
tens of times. Starting Python for each writer spends most of the test on imports (and on
building the same test data again). Here one parent process imports and prepares once;
each run is a fresh child `os.fork()`s from it: a real process of its own, with its own
open data folder, killed by a real SIGKILL at a random moment, as before.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import IO

PARENT = """
import os, sys

{prepare}

def _run(args):
{body}

print("prepared", flush=True)
while True:
    line = sys.stdin.readline()
    if not line:
        break
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            print("ready", os.getpid(), flush=True)
            _run(line.split())
        except BaseException:
            import traceback

            traceback.print_exc()
            status = 1
        finally:
            sys.stdout.flush()
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    # A leading newline ends a line the kill cut short, so "ended" is always a line.
    print("\\nended", status, flush=True)
"""


class ForkedWriters:
    """One parent process that runs `prepare` once, then forks a child to run `body` (with
    `args`, the words it is given) for each `start`."""

    def __init__(self, prepare: str, body: str, cwd: Path) -> None:
        script = PARENT.format(
            prepare=textwrap.dedent(prepare), body=textwrap.indent(textwrap.dedent(body), "    ")
        )
        self.parent = subprocess.Popen(
            [sys.executable, "-c", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=cwd,
        )
        assert self.readline() == "prepared\n", "the writers' parent did not start"
        self.pid = 0

    @property
    def stdout(self) -> IO[str]:
        """Return the pipe every child's output comes through (one child at a time)."""
        assert self.parent.stdout is not None
        return self.parent.stdout

    def readline(self) -> str:
        """Return the next line a child (or the parent) wrote."""
        return self.stdout.readline()

    def start(self, *args: str) -> None:
        """Fork a new child to run the body with `args`; return once it says it is ready."""
        assert self.parent.stdin is not None
        self.parent.stdin.write(" ".join(args) + "\n")
        self.parent.stdin.flush()
        words = self.readline().split()
        assert len(words) == 2 and words[0] == "ready", f"no child started: {words}"
        self.pid = int(words[1])

    def kill(self) -> str:
        """SIGKILL the running child; return everything it wrote after what was read.

        Fails unless the child died of that SIGKILL (not of an error of its own first).
        """
        # ProcessLookupError: it ended on its own, and the status below says how.
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        lines: list[str] = []
        while True:
            line = self.readline()
            assert line, "the writers' parent ended"
            if line.startswith("ended "):
                status = int(line.split()[1])
                break
            lines.append(line)
        if lines and lines[-1] == "\n":
            lines.pop()  # the newline "ended" starts with, after a whole line
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
            f"the writer ended on its own (status {status}): {''.join(lines)[-2000:]}"
        )
        return "".join(lines)

    def close(self) -> None:
        """End the parent (it has no child running)."""
        assert self.parent.stdin is not None
        self.parent.stdin.close()
        self.parent.wait(timeout=30)
