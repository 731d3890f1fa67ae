"""Browser sessions forked from a pre-loaded kiosk (screens.preloaded_kiosk), for real.

No browser and no web server: each test talks to the session's client as textual-serve
does, through its stdin and stdout pipes (textual-serve's packets: a type byte, a 4-byte
length, the payload) with textual-serve's environment. The pre-loaded kiosk is the real
process `hub serve` starts, on a real data folder; the kiosk each session runs is the
real one. What is checked: the screen comes through the client's pipes, "quit" ends the
session and the client with it, a killed client takes its session with it, two sessions
are two processes that see nothing of each other, the pre-loaded kiosk holds no data
file and no thread, a client with no pre-loaded kiosk runs the kiosk itself, and
`hub serve` starts a new pre-loaded kiosk when its one has died.
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from hub.cli_serve import code_folder, session_words
from screens.preloaded_kiosk import PreloadedKiosk
from tests.cli.runner import hub
from tests.web.kiosk_browser import HOME_TEXT, served_hub

WAIT_SECONDS = 120.0
"""Generous: the machine these run on may be busy."""


def _web_environment() -> dict[str, str]:
    """Return the environment textual-serve 1.1.3 gives a session (AppService)."""
    return {
        **os.environ,
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
        "TEXTUAL_FPS": "60",
        "TEXTUAL_COLOR_SYSTEM": "truecolor",
        "TERM_PROGRAM": "textual",
        "COLUMNS": "80",
        "ROWS": "24",
    }


def _status(pid: int) -> list[str] | None:
    """Return a process's /proc status fields after its command, or None once it is gone.

    Field 0 is its state ("Z": ended, not yet reaped), field 1 its parent's pid.
    """
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # "PID (COMMAND) STATE PPID ...": the command may hold spaces or brackets.
    return status[status.rindex(")") + 2 :].split()


def _children(pid: int) -> set[int]:
    """Return the pids of a process's children now.

    Read from every process's own parent field: /proc/PID/task/*/children can miss a child
    while a sibling exits during the read (the kernel says it is reliable only when the
    children are stopped), which is exactly when a browser session has just closed.
    """
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            status = _status(int(entry.name))
            if status is not None and int(status[1]) == pid:
                found.add(int(entry.name))
    return found


class Session:
    """One browser session as textual-serve sees it: a process and its three pipes."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_web_environment(),
        )
        self.screen = b""
        """Everything the session has drawn so far (the data packets' payloads)."""
        self._unread = b""
        self.ended = False

    def send(self, kind: bytes, payload: bytes) -> None:
        """Send one packet, as textual-serve does (b"D" keys, b"M" meta)."""
        assert self.process.stdin is not None
        self.process.stdin.write(kind + len(payload).to_bytes(4, "big") + payload)
        self.process.stdin.flush()

    def type(self, text: str) -> None:
        """Type `text` a key at a time."""
        for key in text:
            self.send(b"D", key.encode())

    def quit(self) -> None:
        """Ask the session to end, as textual-serve does when the tab closes."""
        self.send(b"M", json.dumps({"type": "quit"}).encode())

    def _read(self, seconds: float) -> None:
        """Read what arrives for up to `seconds` (less once the output ends)."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], seconds)
        if not ready:
            return
        data = os.read(fd, 65536)
        if not data:
            self.ended = True
            return
        self._unread += data
        if self._unread.startswith(b"__GANGLION__\n"):
            self._unread = self._unread[len(b"__GANGLION__\n") :]
        while len(self._unread) >= 5:
            size = int.from_bytes(self._unread[1:5], "big")
            if len(self._unread) < 5 + size:
                break
            kind, payload = self._unread[:1], self._unread[5 : 5 + size]
            self._unread = self._unread[5 + size :]
            if kind == b"D":
                self.screen += payload

    def wait_for(self, text: str, timeout: float = WAIT_SECONDS) -> None:
        """Return once `text` has been drawn; fail saying what was, if it is not in time."""
        deadline = time.monotonic() + timeout
        while text.encode() not in self.screen:
            if self.ended or time.monotonic() > deadline:
                assert self.process.stderr is not None
                self.process.kill()
                errors = self.process.stderr.read().decode(errors="replace")
                pytest.fail(f"{text!r} never drawn; stderr: {errors[-2000:]}")
            self._read(0.2)

    def wait_for_end(self, timeout: float = WAIT_SECONDS) -> int:
        """Return the client's exit status once its output has ended."""
        deadline = time.monotonic() + timeout
        while not self.ended and time.monotonic() < deadline:
            self._read(0.2)
        assert self.ended, "the session's output never ended"
        return self.process.wait(timeout=timeout)

    def close(self) -> None:
        """Stop the client if a failed test left it running."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a named hub's data folder with the sample directory in it."""
    data = tmp_path_factory.mktemp("preloaded") / "hub-data"
    assert hub(data, "setup", "--name", "Church End Library").returncode == 0
    assert hub(data, "search", "food", "--json").returncode == 0
    return data


@pytest.fixture(scope="module")
def first_food_result(folder: Path) -> str:
    """Return the name of the first service a search for "food" finds (the CLI's answer)."""
    found = hub(folder, "search", "food", "--json")
    return str(json.loads(found.stdout)["results"][0]["name"])


@pytest.fixture
def preloaded(folder: Path) -> Iterator[PreloadedKiosk]:
    """Yield a running pre-loaded kiosk for visitor sessions on `folder`."""
    kiosk = PreloadedKiosk(session_words(folder, language=None, staff=False), code_folder())
    kiosk.start()
    try:
        assert kiosk.wait_until_ready(WAIT_SECONDS), "the pre-loaded kiosk never listened"
        yield kiosk
    finally:
        kiosk.stop()


@pytest.fixture
def sessions() -> Iterator[list[Session]]:
    """Yield a list to put sessions in; any left running are stopped afterwards."""
    started: list[Session] = []
    yield started
    for session in started:
        session.close()


def _kiosk_of(preloaded: PreloadedKiosk, before: set[int]) -> int:
    """Return the pid of the one session process forked since `before`."""
    assert preloaded.process is not None
    new = _children(preloaded.process.pid) - before
    assert len(new) == 1, new
    return new.pop()


def _open_session(
    preloaded: PreloadedKiosk, sessions: list[Session], before: set[int]
) -> tuple[Session, int]:
    """Start a client and wait for it to draw home; return it and its kiosk's pid.

    The kiosk is the one process the pre-loaded kiosk forked since `before`.
    """
    session = Session(preloaded.session_command())
    sessions.append(session)
    session.wait_for(HOME_TEXT)
    return session, _kiosk_of(preloaded, before)


def _gone(pid: int, parent: int, timeout: float = 30.0) -> bool:
    """Return True once `pid` is no longer a child of `parent` (ended and reaped)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pid not in _children(parent):
            return True
        time.sleep(0.1)
    return False


def test_a_session_draws_home_through_the_clients_pipes_and_quit_ends_both(
    preloaded: PreloadedKiosk, sessions: list[Session]
) -> None:
    assert preloaded.process is not None
    zygote = preloaded.process.pid
    before = _children(zygote)
    session, kiosk = _open_session(preloaded, sessions, before)
    # The kiosk is a fork of the pre-loaded one; the client stays the small script.
    assert kiosk != session.process.pid
    assert b"session_client.py" in Path(f"/proc/{session.process.pid}/cmdline").read_bytes()
    session.quit()
    assert session.wait_for_end() == 0
    assert _gone(kiosk, zygote)
    assert preloaded.process.poll() is None  # it goes on serving


def test_a_killed_client_takes_its_session_with_it(
    preloaded: PreloadedKiosk, sessions: list[Session]
) -> None:
    assert preloaded.process is not None
    zygote = preloaded.process.pid
    before = _children(zygote)
    session, kiosk = _open_session(preloaded, sessions, before)
    session.process.kill()
    session.process.wait()
    assert _gone(kiosk, zygote), "the session outlived its client"
    session.wait_for_end()  # and with it, its output ended


def test_two_sessions_are_two_processes_that_see_nothing_of_each_other(
    preloaded: PreloadedKiosk, sessions: list[Session], folder: Path, first_food_result: str
) -> None:
    assert preloaded.process is not None
    zygote = preloaded.process.pid
    before = _children(zygote)
    first, first_kiosk = _open_session(preloaded, sessions, before)
    second, second_kiosk = _open_session(preloaded, sessions, before | {first_kiosk})
    assert first_kiosk != second_kiosk

    first.type("food")
    first.send(b"D", b"\r")
    first.wait_for(first_food_result)
    drawn_before = len(second.screen)
    time.sleep(2)
    second._read(1)
    assert len(second.screen) >= drawn_before
    assert first_food_result.encode() not in second.screen

    # Each session opened the data folder itself, after the fork; the pre-loaded kiosk
    # holds no file of the folder and runs no thread, so there was nothing to inherit.
    def folder_files(pid: int) -> set[str]:
        found = set()
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with_target = os.readlink(fd) if fd.is_symlink() else ""
            if with_target.startswith(str(folder.resolve())):
                found.add(with_target)
        return found

    assert folder_files(zygote) == set()
    assert folder_files(first_kiosk) and folder_files(second_kiosk)
    status = Path(f"/proc/{zygote}/status").read_text()
    assert "Threads:\t1\n" in status
    for session in (first, second):
        session.quit()
        assert session.wait_for_end() == 0


def test_a_request_that_is_not_a_session_is_turned_away(
    preloaded: PreloadedKiosk, sessions: list[Session]
) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stranger:
        stranger.connect(str(preloaded.socket_path))
        stranger.sendall(b"GET / HTTP/1.0\r\n\r\n" + b"x" * 64)
        stranger.settimeout(30)
        try:
            answer = stranger.recv(16)
        except ConnectionResetError:
            answer = b""  # closed with our words unread: no answer either
        assert answer == b""  # closed without an answer
    # It still serves.
    session = Session(preloaded.session_command())
    sessions.append(session)
    session.wait_for(HOME_TEXT)
    session.quit()
    assert session.wait_for_end() == 0


def test_the_private_folder_is_for_this_user_only(preloaded: PreloadedKiosk) -> None:
    assert preloaded.private.stat().st_mode & 0o777 == 0o700


def test_with_no_preloaded_kiosk_the_client_runs_the_kiosk_itself(
    folder: Path, sessions: list[Session]
) -> None:
    absent = PreloadedKiosk(session_words(folder, language=None, staff=False), code_folder())
    try:
        session = Session(absent.session_command())  # nothing listens at its socket
        sessions.append(session)
        session.wait_for(HOME_TEXT)
        command = Path(f"/proc/{session.process.pid}/cmdline").read_bytes().split(b"\0")
        assert command[1:3] == [b"-m", b"hub.cli"]  # the client became the kiosk
        session.quit()
        assert session.wait_for_end() == 0
    finally:
        absent.stop()


def test_the_preloaded_kiosk_ends_when_hub_serve_does(folder: Path) -> None:
    kiosk = PreloadedKiosk(session_words(folder, language=None, staff=False), code_folder())
    kiosk.start()
    assert kiosk.wait_until_ready(WAIT_SECONDS)
    assert kiosk.process is not None and kiosk.process.stdin is not None
    kiosk.process.stdin.close()  # what `hub serve` ending, however it ends, does
    assert kiosk.process.wait(timeout=30) == 0
    assert not kiosk.socket_path.exists()
    kiosk.stop()
    assert not kiosk.private.exists()


async def _drawn(url: str) -> bool:
    """Return True when a new browser session's first message is its screen."""
    async with aiohttp.ClientSession() as client, client.ws_connect(url) as websocket:
        message = await websocket.receive(timeout=WAIT_SECONDS)
        return message.type == aiohttp.WSMsgType.BINARY


def _preloaded_of(server: int) -> int | None:
    """Return the pid of `hub serve`'s pre-loaded kiosk, or None while it has none."""
    for pid in _children(server):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue  # it ended while we looked
        if b"screens.preloaded_kiosk" in command:
            return pid
    return None


def test_hub_serve_starts_a_new_preloaded_kiosk_when_its_one_dies(tmp_path: Path) -> None:
    with served_hub(tmp_path / "hub-data") as served:
        server = served.process.pid
        url = served.url.replace("http://", "ws://") + "ws?width=80&height=24"
        first = _preloaded_of(server)
        assert first is not None, "hub serve started no pre-loaded kiosk"
        os.kill(first, signal.SIGKILL)
        # Wait until the kernel has finished it (a zombie): its command line empties a
        # little earlier, while `hub serve` could still not see that it has ended.
        for _ in range(100):
            status = _status(first)
            if status is None or status[0] in ("Z", "X"):
                break
            time.sleep(0.1)
        # With nobody connecting, `hub serve` notices within seconds and starts a new
        # one, so the next visitor does not wait for a kiosk started from scratch.
        deadline = time.monotonic() + WAIT_SECONDS
        while (_preloaded_of(server) or first) == first and time.monotonic() < deadline:
            time.sleep(0.2)
        second = _preloaded_of(server)
        assert second is not None and second != first
        assert asyncio.run(_drawn(url))
