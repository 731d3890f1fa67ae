"""How long the kiosk takes to show Home, and how much memory it takes, beside bare Textual.

    .venv/bin/python benchmarks/start.py              # 5,000 and 50,000 services, 5 runs each
    .venv/bin/python benchmarks/start.py 2000 --runs 3
    .venv/bin/python benchmarks/start.py 50000 --keep /tmp/hub-folders   # make once, reuse

Measured black-box, as a visitor sees it: the real `hub` command (`python -m hub.cli
--data-dir DIR`) is started in a pseudo-terminal of 80×24, and the clock stops when
"Find help" is on the screen. The reference is a bare Textual app that shows one line of
text, started the same way in the same run; the runs alternate (bare, then each size) so
that a busy moment on the machine hits both alike.

The project's own modules are compiled to bytecode first (`compile_project`), as installing
it does: Textual's are, in site-packages, and without this a shell with
PYTHONDONTWRITEBYTECODE set (as this one has) compiles every hub module from source at every
start, which no installed kiosk does.

The CPU time the process had used when Home showed is printed too ("cpu s", and its ratio):
on a machine shared with other work it moves much less than the clock does.

Memory is the process's peak resident set (VmHWM in /proc) over the whole run: after Home
shows, the clock keeps running until the process has gone quiet (its CPU time stops
growing: the directory and its index, which load in the background, are ready), so the
background load counts. That moment is printed too ("ready s").

Then a first search is typed ("food bank", Enter) and timed from the Enter to the count
of places on screen ("first search ms", the visitor's view, drawing included). In-process,
with the directory loaded, `--search-only` times `Hub.search` alone for the same words.

Targets (issue 11): 5,000 services ≤ 1.5× bare Textual and ≤ 80 MB; 50,000 services ≤ 2×
and ≤ 250 MB; first search at 50,000 ≤ 100 ms once the index is ready. No assertions: this
prints figures for people to read.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pseudo_terminal import TIMEOUT_SECONDS, Terminal
from search import synthetic_directory  # the sibling benchmark's directory

from hub.sample_directory import remember_sample_flag, seed_sample_if_new
from hub.storage import HubStore

REPO = Path(__file__).resolve().parents[1]
HOME_TEXT = "Find help"
QUIET_SECONDS = 1.0
"""How long the process must use (almost) no CPU to count as done with its background work."""
QUIET_TICKS = 2
"""CPU clock ticks (1/100 s) within that which still count as quiet (the idle check's tick)."""
SEARCH_WORDS = "food bank"
FOUND_TEXT = "found"

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
    """One start: seconds until Home showed (and the CPU seconds used by then) and until the
    process went quiet, the first search's milliseconds (None for the bare app), and the
    peak memory in MB."""

    seconds: float
    cpu_seconds: float
    ready_seconds: float
    search_ms: float | None
    peak_mb: float


def _peak_mb(pid: int) -> float:
    """Return the process's peak resident memory in MB (0 when it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


def _cpu_ticks(pid: int) -> int:
    """Return the CPU time the process (all its threads) has used, in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime


class _Terminal(Terminal):
    """The kiosk in its pseudo-terminal, which can also tell when it has gone quiet."""

    def __init__(self, command: Sequence[str]) -> None:
        super().__init__(command, cwd=REPO)

    def wait_until_quiet(self) -> float:
        """Return when the process stopped using CPU (its background work is done)."""
        quiet_since = time.perf_counter()
        ticks = _cpu_ticks(self.process.pid)
        while time.perf_counter() - self.started < TIMEOUT_SECONDS:
            self.read(0.05)
            now_ticks = _cpu_ticks(self.process.pid)
            if now_ticks - ticks > QUIET_TICKS:
                ticks, quiet_since = now_ticks, time.perf_counter()
            elif time.perf_counter() - quiet_since >= QUIET_SECONDS:
                return quiet_since
        return time.perf_counter()


def launch(command: Sequence[str], *, search: bool) -> Launch:
    """Return how long `command` took to show Home and to go quiet, its first search, and
    its peak memory over the whole run."""
    terminal = _Terminal(command)
    try:
        shown_at = terminal.wait_for(HOME_TEXT)
        cpu_seconds = _cpu_ticks(terminal.process.pid) / os.sysconf("SC_CLK_TCK")
        if shown_at is None:
            raise RuntimeError(f"{HOME_TEXT!r} never showed for {' '.join(command)}")
        ready_at = terminal.wait_until_quiet()
        search_ms = None
        if search:
            terminal.seen = ""
            terminal.type(SEARCH_WORDS)
            terminal.read(0.05)
            terminal.seen = ""
            typed_at = time.perf_counter()
            terminal.type("\r")
            found_at = terminal.wait_for(FOUND_TEXT)
            search_ms = None if found_at is None else (found_at - typed_at) * 1000
            terminal.wait_until_quiet()
        peak = _peak_mb(terminal.process.pid)
    finally:
        terminal.stop()
    started = terminal.started
    return Launch(shown_at - started, cpu_seconds, ready_at - started, search_ms, peak)


def make_folder(root: Path, size: int) -> Path:
    """Return a data folder holding a synthetic directory of `size` services (one made
    earlier under `root` is reused: with --keep, a 50,000-service folder is made once).

    Its search index is built and saved here, as the kiosk's first start after an import
    does: the runs then measure every later start. `index_build_mb` measures that build.
    """
    folder = root / f"hub-{size}"
    if (folder / "search-index.sqlite3").exists():
        return folder
    store = HubStore.open(folder)
    try:
        store.save_services(synthetic_directory(size))
        # What `hub directory import` leaves behind: the folder marked as having had its
        # first directory, and the sample flag for this revision.
        seed_sample_if_new(store)
        remember_sample_flag(store)
    finally:
        store.close()
    print(f"  first start's index build: peak {index_build_mb(folder):.0f} MB")
    return folder


INDEX_BUILD = """
import resource, sys
from pathlib import Path
from hub.kiosk_service import Hub
from hub.needs import kiosk_needs

hub = Hub.open(Path(sys.argv[1]), needs=kiosk_needs())
hub.load_directory()
hub.close()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def index_build_mb(folder: Path) -> float:
    """Return the peak memory (MB) of a process that builds and saves the folder's index."""
    done = subprocess.run(
        [sys.executable, "-c", INDEX_BUILD, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return float(done.stdout.split()[-1])


def compile_project() -> None:
    """Write the bytecode of the project's packages (into __pycache__, which git ignores),
    as `pip install` does, so each start reads it instead of compiling the source."""
    for package in ("hub", "screens"):
        if not compileall.compile_dir(REPO / package, quiet=1):
            raise RuntimeError(f"{package} did not compile")


def main(argv: Sequence[str]) -> int:
    """Build the folders, start each app `--runs` times in turn, and print the figures."""
    parser = argparse.ArgumentParser(
        description="Start the real hub in a pseudo-terminal beside bare Textual, in turn, "
        "and print the times, ratios and peak memory."
    )
    parser.add_argument(
        "sizes", nargs="*", type=int, default=[5_000, 50_000], help="directory sizes"
    )
    parser.add_argument("--runs", type=int, default=5, help="starts of each app (default 5)")
    parser.add_argument(
        "--keep", type=Path, help="make the folders here and keep them for the next run"
    )
    options = parser.parse_args(argv)
    runs: int = options.runs
    sizes: list[int] = options.sizes
    keep: Path | None = options.keep
    compile_project()
    with tempfile.TemporaryDirectory() as scratch:
        root = keep or Path(scratch)
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
                results[name].append(launch(command, search=name != "bare Textual"))
        searched = {size: first_search_ms(folder) for size, folder in folders.items()}
    bare = statistics.median(run.seconds for run in results["bare Textual"])
    bare_cpu = statistics.median(run.cpu_seconds for run in results["bare Textual"])
    print(f"\nTime to Home in an 80×24 pseudo-terminal, median of {runs} runs, alternating:")
    print(
        f"{'':<24}{'median s':>10}{'min s':>8}{'× bare':>8}{'cpu s':>7}{'× bare':>8}"
        f"{'ready s':>9}{'peak MB':>9}{'1st search ms':>15}"
    )
    for name, launches in results.items():
        median = statistics.median(run.seconds for run in launches)
        cpu = statistics.median(run.cpu_seconds for run in launches)
        searches = [run.search_ms for run in launches if run.search_ms is not None]
        search = f"{statistics.median(searches):.0f}" if searches else "-"
        print(
            f"{name:<24}{median:>10.2f}{min(run.seconds for run in launches):>8.2f}"
            f"{median / bare:>8.2f}{cpu:>7.2f}{cpu / bare_cpu:>8.2f}"
            f"{statistics.median(run.ready_seconds for run in launches):>9.2f}"
            f"{max(run.peak_mb for run in launches):>9.1f}{search:>15}"
        )
    print("\nFirst search in-process (Hub.search, directory loaded):")
    for size, ms in searched.items():
        print(f"  {size:>7,} services: {ms:.1f} ms")
    print(
        "\nTargets: 5,000 services ≤ 1.5× and ≤ 80 MB; 50,000 services ≤ 2× and ≤ 250 MB;"
        " first search at 50,000 ≤ 100 ms."
    )
    return 0


def first_search_ms(folder: Path) -> float:
    """Return the milliseconds of the first `Hub.search` once the directory has loaded."""
    from hub.kiosk_service import Hub
    from hub.needs import kiosk_needs

    hub = Hub.open(folder, needs=kiosk_needs())
    try:
        hub.load_directory()
        began = time.perf_counter()
        hub.search(SEARCH_WORDS)
        return (time.perf_counter() - began) * 1000
    finally:
        hub.close()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
