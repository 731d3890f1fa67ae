"""The kiosk as a real process on a real (pseudo) terminal: how it ends.

* SIGTERM and SIGHUP close it the ordinary way: the terminal is given back (alternate
  screen left, cursor shown) and the exit status is 128+N.
* A crash exits 1, and its traceback shows no local variables: no PIN, no salt.
* A data folder it must not use shows a calm page, then one `error:` line and exit 1.
* Two kiosks and a `hub directory import` share one data folder at once; the import
  shows up in both kiosks' searches without a restart.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

PIN = "246810"
LEAVE_ALT_SCREEN = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")


class Terminal:
    """A child process on a pseudo-terminal of 80x24, and everything it has written."""

    def __init__(self, args: list[str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.output = b""

    def read_until(self, marker: bytes, timeout: float = 60) -> None:
        """Read what the process writes until `marker` appears (or fail after `timeout`)."""
        deadline = time.monotonic() + timeout
        while marker not in self.output:
            if not self._read(deadline - time.monotonic()):
                raise AssertionError(f"{marker!r} never appeared; got {self.output[-2000:]!r}")

    def _read(self, wait: float) -> bool:
        if wait <= 0:
            return False
        ready, _, _ = select.select([self.master], [], [], wait)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the child has gone and closed the terminal
            return False
        self.output += chunk
        return bool(chunk)

    def type(self, keys: bytes) -> None:
        """Type keys as a person would, a little at a time."""
        for key in keys:
            os.write(self.master, bytes([key]))
            time.sleep(0.02)

    def finish(self, timeout: float = 60) -> int:
        """Read to the end; return the exit status."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None or self._read(0.2):
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"the kiosk did not stop; got {self.output[-2000:]!r}")
            self._read(0.2)
        os.close(self.master)
        return self.process.returncode


def _set_up(data: Path) -> None:
    for args, stdin in (
        (["setup", "--name", "Church End Library"], ""),
        (
            ["staff", "add", "Amina"],
            f"{PIN}\n{PIN}\n",
        ),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "hub.cli", "--data-dir", str(data), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_gives_the_terminal_back(tmp_path: Path, signum: int) -> None:
    data = tmp_path / "data"
    _set_up(data)
    kiosk = Terminal([sys.executable, "-m", "hub.cli", "--data-dir", str(data)])
    kiosk.read_until(b"Find help near you")
    time.sleep(0.5)
    started = len(kiosk.output)
    kiosk.process.send_signal(signum)
    status = kiosk.finish()
    assert status == 128 + signum
    after = kiosk.output[started:]
    assert LEAVE_ALT_SCREEN in after and SHOW_CURSOR in after
    assert b"Traceback" not in kiosk.output


CRASHING_KIOSK = """
import sys
import hub.kiosk_service

def unlock(self, name, pin):
    salt = "e27f10e208f17bd9ef83987f0cf89d08"
    raise RuntimeError("a bug in sign-in")

hub.kiosk_service.Hub.unlock = unlock
from hub.cli import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""


def test_a_crash_exits_1_without_showing_the_pin(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _set_up(data)
    kiosk = Terminal([sys.executable, "-c", CRASHING_KIOSK, str(data)])
    kiosk.read_until(b"Find help near you")
    time.sleep(0.5)
    kiosk.type(b"\x14")  # Ctrl+T: the staff key
    kiosk.read_until(b"Staff sign in")
    time.sleep(0.3)
    kiosk.type(b"Amina\r" + PIN.encode() + b"\r")
    status = kiosk.finish()
    assert status == 1
    text = kiosk.output.decode("utf-8", "replace")
    assert "RuntimeError" in text and "a bug in sign-in" in text  # the traceback is there
    assert PIN not in text
    assert "e27f10e208f17bd9ef83987f0cf89d08" not in text
    assert "locals" not in text


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="giving staff.json to another user needs root (the CLI tests cover the refusal)",
)
def test_an_unsafe_data_folder_shows_a_calm_page_then_one_error_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _set_up(data)
    os.chown(data / "staff.json", 65534, 65534)
    kiosk = Terminal([sys.executable, "-m", "hub.cli", "--data-dir", str(data)])
    kiosk.read_until(b"not working just now")
    kiosk.read_until(b"Please tell a member of staff")
    kiosk.type(b"\x11\x03")  # Ctrl+Q, Ctrl+C: no way out for a visitor
    time.sleep(0.5)
    assert kiosk.process.poll() is None
    started = len(kiosk.output)
    kiosk.process.send_signal(signal.SIGTERM)
    status = kiosk.finish()
    assert status == 1
    after = kiosk.output[started:].decode("utf-8", "replace")
    errors = [line for line in after.splitlines() if "error:" in line]
    assert len(errors) == 1 and "staff.json belongs to another user" in errors[0]
    assert "Traceback" not in after


def test_two_kiosks_and_an_import_share_one_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _set_up(data)
    kiosks = [Terminal([sys.executable, "-m", "hub.cli", "--data-dir", str(data)]) for _ in "ab"]
    try:
        for kiosk in kiosks:
            kiosk.read_until(b"Find help near you")
        feed = Path(__file__).resolve().parents[1] / "fixtures" / "hsds3_council_feed.json"
        command = [sys.executable, "-m", "hub.cli", "--data-dir", str(data)]
        imported = subprocess.run(
            [*command, "directory", "import", str(feed)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert imported.returncode == 0, imported.stderr
        for kiosk in kiosks:
            time.sleep(0.5)
            kiosk.type(b"surplus\r")
            # Only the imported service says this: the running kiosk searched the new directory.
            kiosk.read_until(b"Free surplus food from local shops")
    finally:
        for kiosk in kiosks:
            kiosk.process.send_signal(signal.SIGTERM)
    assert [kiosk.finish() for kiosk in kiosks] == [128 + signal.SIGTERM] * 2


def test_a_kiosk_whose_terminal_closes_ends_by_itself(tmp_path: Path) -> None:
    """The terminal window is closed under a running kiosk: it must not run on for ever.

    Started without a controlling terminal (as here), it gets no SIGHUP; it sees the
    hang-up itself and ends with the shell's status for one, within seconds.
    """
    data = tmp_path / "data"
    _set_up(data)
    kiosk = Terminal([sys.executable, "-m", "hub.cli", "--data-dir", str(data)])
    kiosk.read_until(b"Find help near you")
    os.close(kiosk.master)
    try:
        status = kiosk.process.wait(timeout=30)
    finally:
        if kiosk.process.poll() is None:
            kiosk.process.kill()
    assert status == 128 + signal.SIGHUP


COLLECTOR_KIOSK = """
import gc
import sys
from pathlib import Path

import screens.app

load = screens.app.HubApp._tidy_up_then_load_directory


def noted_load(self):
    # The worker the kiosk starts once Home is drawn.
    said = f"collector on: {gc.isenabled()}, imports frozen: {gc.get_freeze_count() > 0}"
    Path(sys.argv[2]).write_text(said)
    load(self)


screens.app.HubApp._tidy_up_then_load_directory = noted_load
from hub.cli import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""


def test_the_garbage_collector_held_off_for_start_up_is_on_again_once_home_is_drawn(
    tmp_path: Path,
) -> None:
    """`hub` turns Python's cyclic collector off to draw Home sooner (issue 11); a kiosk
    that ran for days with it off would keep every cycle of garbage it ever made."""
    data = tmp_path / "data"
    _set_up(data)
    said = tmp_path / "collector.txt"
    kiosk = Terminal([sys.executable, "-c", COLLECTOR_KIOSK, str(data), str(said)])
    kiosk.read_until(b"Find help near you")
    deadline = time.monotonic() + 60
    while not (said.exists() and said.read_text()) and time.monotonic() < deadline:
        kiosk._read(0.1)
    kiosk.process.send_signal(signal.SIGTERM)
    kiosk.finish()
    assert said.read_text() == "collector on: True, imports frozen: True"


def test_a_sign_in_typed_all_at_once_never_shows_the_pin(tmp_path: Path) -> None:
    """Name, Enter, PIN, Enter arriving together (a fast typist, a password manager, a
    paste, a busy PC): the PIN goes to the PIN box, staff mode opens, and the PIN is never
    drawn. Before, the keys after Enter went to the name box, where the PIN showed."""
    data = tmp_path / "data"
    _set_up(data)
    kiosk = Terminal([sys.executable, "-m", "hub.cli", "--data-dir", str(data)])
    kiosk.read_until(b"Find help near you")
    time.sleep(0.5)
    kiosk.type(b"\x14")  # Ctrl+T: the staff key
    kiosk.read_until(b"Staff sign in")
    time.sleep(0.3)
    os.write(kiosk.master, b"Amina\r" + PIN.encode() + b"\r")  # in one go
    kiosk.read_until(b"Staff: Amina")
    kiosk.process.send_signal(signal.SIGTERM)
    kiosk.finish()
    assert PIN not in kiosk.output.decode("utf-8", "replace")
