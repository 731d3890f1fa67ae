"""The one way the CLI tests run the real `hub` command: as a process, never a terminal.

Each command is a process of its own with the test's pipes as its standard streams. It is
forked from a process that has already loaded the command (`tests/cli/forkserver.py`), so a
test does not pay Python's start and the command's imports each time (about 0.4 s of CPU a
command). Set HUB_TESTS_SUBPROCESS=1 to start every command as `python -m hub.cli` from
nothing instead: the suite passes both ways.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FRESH_PROCESS_VARIABLE = "HUB_TESTS_SUBPROCESS"


def hub(
    data: Path,
    *args: str,
    stdin: str = "",
    timeout: float = 120,
    wide: bool = False,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Return what `hub --data-dir DATA ARGS...` did (exit status, stdout, stderr as text).

    Standard input is `stdin` through a pipe, so the command never sees a terminal (PINs
    come in this way). `wide` sets COLUMNS=200, so rich's tables do not wrap the names a
    test looks for. `env` adds to (or replaces some of) this process's environment; `cwd`
    is the folder the command runs in (this one's by default).
    """
    extra = {"COLUMNS": "200"} if wide else {}
    run = run_hub(
        ["--data-dir", str(data), *args],
        stdin=stdin.encode(),
        env={**os.environ, **extra, **(env or {})},
        cwd=cwd,
        timeout=timeout,
    )
    return subprocess.CompletedProcess(
        run.args, run.returncode, _text(run.stdout), _text(run.stderr)
    )


def run_hub(
    words: Sequence[str],
    *,
    stdin: bytes = b"",
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[bytes]:
    """Return what `hub WORDS...` did, its output as bytes (as the terminal would get them).

    `env` is the command's whole environment (this process's by default).
    """
    environment = dict(os.environ if env is None else env)
    folder = Path.cwd() if cwd is None else cwd
    if os.environ.get(FRESH_PROCESS_VARIABLE):
        return subprocess.run(
            [sys.executable, "-m", "hub.cli", *words],
            input=stdin,
            capture_output=True,
            timeout=timeout,
            env=environment,
            cwd=folder,
        )
    return _server().run(list(words), stdin, environment, folder, timeout)


class ForkServer:
    """The test process's end of one forkserver: sends it commands, collects what they did."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.owner = os.getpid()
        self.socket = ours
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.cli.forkserver", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            cwd=REPO,
            stdin=subprocess.DEVNULL,
        )
        theirs.close()

    def alive(self) -> bool:
        """Return True while the server runs and belongs to this process (not a fork of it)."""
        return self.owner == os.getpid() and self.process.poll() is None

    def _answer(self, key: str) -> int:
        message = self.socket.recv(4096)
        if not message:
            raise RuntimeError("the CLI tests' forkserver stopped (see its error above)")
        return int(json.loads(message)[key])

    def run(
        self, words: list[str], stdin: bytes, env: dict[str, str], cwd: Path, timeout: float
    ) -> subprocess.CompletedProcess[bytes]:
        """Run `hub WORDS...` in a new forked process; return as subprocess.run does."""
        argv = [sys.executable, "-m", "hub.cli", *words]
        child_in, feed = os.pipe()
        out_read, child_out = os.pipe()
        err_read, child_err = os.pipe()
        request = json.dumps({"args": words, "env": env, "cwd": str(cwd)}).encode()
        socket.send_fds(self.socket, [request], [child_in, child_out, child_err])
        for fd in (child_in, child_out, child_err):
            os.close(fd)
        pid = self._answer("pid")
        try:
            out, err = _communicate(feed, out_read, err_read, stdin, timeout)
        except subprocess.TimeoutExpired:
            os.kill(pid, signal.SIGKILL)
            self._answer("status")
            raise subprocess.TimeoutExpired(argv, timeout) from None
        return subprocess.CompletedProcess(argv, self._answer("status"), out, err)


def _text(data: bytes) -> str:
    """Return output as `subprocess.run(text=True)` gives it: decoded, universal newlines."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _communicate(
    feed: int, out_read: int, err_read: int, data: bytes, timeout: float
) -> tuple[bytes, bytes]:
    """Write data to the child's stdin and read its stdout and stderr until both close.

    Raises subprocess.TimeoutExpired when that takes longer than timeout seconds. Every
    descriptor given is closed on return.
    """
    deadline = time.monotonic() + timeout
    chunks: dict[int, list[bytes]] = {out_read: [], err_read: []}
    with selectors.DefaultSelector() as selector:
        selector.register(out_read, selectors.EVENT_READ)
        selector.register(err_read, selectors.EVENT_READ)
        if data:
            os.set_blocking(feed, False)
            selector.register(feed, selectors.EVENT_WRITE)
        else:
            os.close(feed)
        try:
            while selector.get_map():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise subprocess.TimeoutExpired("hub", timeout)
                for key, _events in selector.select(left):
                    fd = int(key.fd)
                    if fd == feed:
                        try:
                            data = data[os.write(feed, data[:65536]) :]
                        except BrokenPipeError:
                            data = b""
                        if not data:
                            selector.unregister(feed)
                            os.close(feed)
                        continue
                    chunk = os.read(fd, 65536)
                    if chunk:
                        chunks[fd].append(chunk)
                    else:
                        selector.unregister(fd)
                        os.close(fd)
        finally:
            for key in list(selector.get_map().values()):
                os.close(int(key.fd))
    return b"".join(chunks[out_read]), b"".join(chunks[err_read])


_servers: list[ForkServer] = []


def _server() -> ForkServer:
    """Return this test process's forkserver, starting one the first time (or after it died)."""
    if not _servers or not _servers[-1].alive():
        _servers.append(ForkServer())
    return _servers[-1]
