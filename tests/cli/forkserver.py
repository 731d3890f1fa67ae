"""A process that has loaded the `hub` command once and forks a new process for each command.

Run by `tests/cli/runner.py` as `python -m tests.cli.forkserver FD`, one per test process.
Starting Python and importing the command's modules (rich, pydantic, tinydb, the hub's own,
the crisis phrases read and stemmed) took most of each CLI test's time: here it happens
once, and every command runs in a forked child that is a process of its own, as
`python -m hub.cli ...` would be: its own process id, its own standard input, output and
error (the test's pipes, never a terminal), its own working folder and environment, and its
exit status told back to the test. Only the start-up work is shared, never the work of an
earlier command, because no command ever runs in this process itself.

The protocol over the socket FD (a Unix SOCK_SEQPACKET pair with the test process, so each
message arrives whole), one request at a time: the test sends a JSON object {"args", "env",
"cwd"} (args: the words after `hub`) with three file descriptors (the child's stdin, stdout,
stderr); this process forks, answers {"pid": N}, waits for the child
and answers {"status": S} (the child's exit code, or minus the signal that ended it, as
`subprocess` reports it). It ends when the test process closes its end.

Nothing here starts a thread: a forked child of a threaded process may inherit a lock that
some other thread held.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import io
import json
import os
import pkgutil
import runpy
import signal
import socket
import sys
import traceback
from typing import Any

import hub
from hub.crisis import crisis_kinds


def preload() -> None:
    """Import every module of the core (it never imports Textual) and read the crisis
    phrases, which `hub search` and the kiosk read at their first query."""
    for module in pkgutil.walk_packages(hub.__path__, prefix="hub."):
        if module.name != "hub.__main__":
            importlib.import_module(module.name)
    crisis_kinds("warm up")


def _stream(fd: int, env: dict[str, str]) -> io.TextIOWrapper:
    """Return a text stream on fd as a new interpreter makes sys.stdin/stdout/stderr."""
    encoding, _, errors = env.get("PYTHONIOENCODING", "").partition(":")
    raw = io.FileIO(fd, "r" if fd == 0 else "w", closefd=False)
    buffered = io.BufferedReader(raw) if fd == 0 else io.BufferedWriter(raw)
    return io.TextIOWrapper(
        buffered,
        encoding=encoding or "utf-8",
        errors=errors or ("backslashreplace" if fd == 2 else "strict"),
        line_buffering=fd == 2,
    )


def run_child(request: dict[str, Any], fds: list[int], server: socket.socket) -> None:
    """Become the command: take its pipes, folder and environment, run it, exit. Never returns."""
    status = 1
    try:
        server.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        sys.stdin = _stream(0, request["env"])
        sys.stdout = _stream(1, request["env"])
        sys.stderr = _stream(2, request["env"])
        # As `python -m hub.cli ARGS`: the module runs as __main__ (runpy puts its path in
        # argv[0]); a module that imports `hub.cli` later gets a copy of its own, as there.
        sys.argv = ["hub", *request["args"]]
        del sys.modules["hub.cli"]
        try:
            runpy.run_module("hub.cli", run_name="__main__", alter_sys=True)
            status = 0
        except SystemExit as exc:
            code = exc.code
            if code is None:
                status = 0
            elif isinstance(code, int):
                status = code
            else:
                print(code, file=sys.stderr)
                status = 1
        except BaseException:  # what an uncaught exception does to `python -m hub.cli`
            traceback.print_exc()
            status = 1
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BrokenPipeError, ValueError):
                stream.flush()
    except BaseException:  # the child could not become the command: say why on its stderr
        os.write(2, traceback.format_exc().encode())
        status = 1
    finally:
        os._exit(status)


def serve(server: socket.socket) -> None:
    """Answer the test process's requests until it closes its end of the socket."""
    while True:
        message, fds, _flags, _address = socket.recv_fds(server, 1 << 22, 3)
        if not message:
            return
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            run_child(request, fds, server)
        for fd in fds:
            os.close(fd)
        server.send(json.dumps({"pid": pid}).encode())
        _pid, wait_status = os.waitpid(pid, 0)
        server.send(json.dumps({"status": os.waitstatus_to_exitcode(wait_status)}).encode())


def main() -> None:
    """Load the command, then serve the socket named by the first argument."""
    server = socket.socket(fileno=int(sys.argv[1]))
    preload()
    serve(server)


if __name__ == "__main__":
    main()
