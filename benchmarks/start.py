"""How long the kiosk takes to show Home, and how much memory it takes, beside bare Textual.

    .venv/bin/python benchmarks/start.py              # 5,000 and 50,000 services, 5 runs each
    .venv/bin/python benchmarks/start.py 2000 --runs 3

Measured black-box, as a visitor sees it: the real `hub` command (`python -m hub.cli
--data-dir DIR`) is started in a pseudo-terminal of 80×24, and the clock stops when
"Find help" is on the screen. The reference is a bare Textual app that shows one line of
text, started the same way in the same run; the runs alternate (bare, then each size) so
that a busy moment on the machine hits both alike.

Memory is the process's peak resident set (VmHWM in /proc) one second after Home shows,
so work that goes on in the background after Home counts too.

Targets (issue 11): 5,000 services ≤ 1.5× bare Textual and ≤ 80 MB; 50,000 services ≤ 2×
and ≤ 250 MB. No assertions: this prints figures for people to read.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import synthetic_directory  # the sibling benchmark's directory

from hub.storage import HubStore

REPO = Path(__file__).resolve().parents[1]
HOME_TEXT = "Find help"
SETTLE_SECONDS = 1.0
TIMEOUT_SECONDS = 120.0
_ESCAPES = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]"
)

BARE_APP = """
from textual.app import App, ComposeResult
from textual.widgets import Static

class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Find help near you")

Bare().run()
"""


@dataclass(frozen=True)
class Launch:
    """One start: seconds until Home showed, and the peak memory in MB."""

    seconds: float
    peak_mb: float


def _peak_mb(pid: int) -> float:
    """Return the process's peak resident memory in MB (0 when it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


def launch(command: Sequence[str]) -> Launch:
    """Return how long `command` took to show Home in an 80×24 pseudo-terminal."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        cwd=REPO,
        start_new_session=True,
    )
    os.close(follower)
    seen = ""
    shown_at: float | None = None
    try:
        while time.perf_counter() - started < TIMEOUT_SECONDS:
            ready, _w, _x = select.select([leader], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:
                    break
                seen += _ESCAPES.sub("", chunk.decode("utf-8", "replace"))
                seen = seen[-4000:]
            if shown_at is None and HOME_TEXT in seen:
                shown_at = time.perf_counter()
            if shown_at is not None and time.perf_counter() - shown_at >= SETTLE_SECONDS:
                break
            if process.poll() is not None:
                break
        peak = _peak_mb(process.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(leader)
    if shown_at is None:
        raise RuntimeError(f"{HOME_TEXT!r} never showed for {' '.join(command)}")
    return Launch(shown_at - started, peak)


def make_folder(root: Path, size: int) -> Path:
    """Return a data folder holding a synthetic directory of `size` services."""
    folder = root / f"hub-{size}"
    store = HubStore.open(folder)
    try:
        store.save_services(synthetic_directory(size))
    finally:
        store.close()
    return folder


def main(argv: Sequence[str]) -> int:
    """Build the folders, start each app `--runs` times in turn, and print the figures."""
    runs = 5
    sizes: list[int] = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--runs":
            runs = int(args.pop(0))
        else:
            sizes.append(int(arg))
    sizes = sizes or [5_000, 50_000]
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        folders = {}
        for size in sizes:
            began = time.perf_counter()
            folders[size] = make_folder(root, size)
            print(f"made a folder of {size:,} services in {time.perf_counter() - began:.1f} s")
        commands: dict[str, list[str]] = {"bare Textual": [sys.executable, "-c", BARE_APP]}
        for size, folder in folders.items():
            commands[f"hub, {size:,} services"] = [
                sys.executable,
                "-m",
                "hub.cli",
                "--data-dir",
                str(folder),
            ]
        results: dict[str, list[Launch]] = {name: [] for name in commands}
        for _round in range(runs):
            for name, command in commands.items():
                results[name].append(launch(command))
    bare = statistics.median(run.seconds for run in results["bare Textual"])
    print(f"\nTime to Home in an 80×24 pseudo-terminal, median of {runs} runs, alternating:")
    print(f"{'':<24}{'median s':>10}{'min s':>8}{'× bare':>8}{'peak MB':>9}")
    for name, launches in results.items():
        median = statistics.median(run.seconds for run in launches)
        print(
            f"{name:<24}{median:>10.2f}{min(run.seconds for run in launches):>8.2f}"
            f"{median / bare:>8.2f}{max(run.peak_mb for run in launches):>9.0f}"
        )
    print("\nTargets: 5,000 services ≤ 1.5× and ≤ 80 MB; 50,000 services ≤ 2× and ≤ 250 MB.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
