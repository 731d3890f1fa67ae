"""How `hub serve` holds up with many browser sessions: time to Home, search, memory.

    .venv/bin/python benchmarks/serve_load.py                 # 10 sessions, both ways
    .venv/bin/python benchmarks/serve_load.py --sessions 4
    .venv/bin/python benchmarks/serve_load.py --only preloaded

Both ways sessions can start are measured in the same run, one after the other, each on
its own fresh server: "preloaded" (the default of `hub serve`: each session is forked from
a kiosk loaded once, see screens/preloaded_kiosk.py) and "direct" (`hub serve
--no-preload`: each session is a new Python process that imports everything itself).

Black-box, as visitors see it: the real `hub serve --port 0` on a fresh data folder (the
bundled sample directory), and Debian's Chromium (headless, driven by Playwright; never a
downloaded browser) opening pages against it. Each page is its own browser context, as
each kiosk screen would be, and so its own kiosk process on the server.

1. **One after another**: sessions are opened one at a time while the earlier ones stay
   open; each one's time from `goto` to "Find help near you" in its terminal rows is
   printed ("time to Home"), so a slowdown as sessions pile up shows.
2. **A search in each**, in turn: "food", Enter, timed until the first result's name
   (the CLI's own answer for the same words) is drawn.
3. **All at once**: the pages are closed, the server rests, then as many new pages open
   together; the time until every one shows Home.

The CPU time each kiosk process has used by the time its Home is drawn is printed too:
unlike the wall-clock times, it hardly depends on what else the machine is doing, so it
is the figure to compare between runs on a busy machine.

Memory is read from /proc (smaps_rollup) after step 2 for each session's processes: the
kiosk and, when preloaded, the small client textual-serve runs for it, added together.
RSS counts every page a process maps; PSS divides each shared page among the processes
that share it; USS counts only the pages no other process has, which is what one more
session adds (the fair "cost of one more session" when sessions are forks of one
process). The pre-loaded kiosk itself (a fixed cost, paid once) and the server are shown
apart. The browser's memory is not counted: a kiosk PC shows one tab. The load average
is printed, since the machine may be busy with other work.

Targets (issue 16): ≤ 60 MB and ≤ 2 s per extra session on the 2-core machine. No
assertions: this prints figures for people to read.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.async_api import Browser, Page, async_playwright  # noqa: E402

from tests.web.kiosk_browser import (  # noqa: E402  (after the path is set: run as a script)
    CHROMIUM_ARGS,
    HOME_TEXT,
    READ_ROWS,
    TERMINAL_HOOK,
    ServedHub,
    find_chromium,
    result_names,
    served_hub,
)

MB = 1024 * 1024


async def _screen(page: Page) -> str:
    rows = await page.evaluate(READ_ROWS)
    return "\n".join(rows or [])


async def _wait_for(page: Page, text: str, timeout: float = 120.0) -> float:
    """Return the seconds until `text` is in the page's terminal rows."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in await _screen(page):
            return time.perf_counter() - start
        await asyncio.sleep(0.02)
    screen = await _screen(page)
    raise TimeoutError(f"{text!r} not on screen after {timeout} s; the screen:\n{screen}")


async def _open(browser: Browser, url: str) -> tuple[Page, float]:
    """Return a new visitor's page and the seconds from asking for it to Home drawn."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    await context.add_init_script(TERMINAL_HOOK)
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url)
    await _wait_for(page, HOME_TEXT)
    return page, time.perf_counter() - start


LOST_KEYS: list[str] = []
"""What the search box showed each time typed keys went missing (printed at the end)."""


async def _search(page: Page, words: str, expected: str) -> float:
    """Return the seconds from Enter to `expected` drawn, after typing `words`.

    Under load a key typed into the browser is sometimes lost ("fod" for "food", in
    either way of starting sessions): the words are typed again (Escape empties the box)
    until the box shows them, and each loss is noted, so a search is always timed for
    the right words.
    """
    await page.locator(".xterm-helper-textarea").focus()
    for _ in range(5):
        # A person's pace, as the browser tests type.
        await page.keyboard.type(words, delay=60)
        try:
            await _wait_for(page, f"█ {words} ", timeout=10)
            break
        except TimeoutError:
            box = [row for row in (await _screen(page)).splitlines() if row.startswith(" █ ")]
            LOST_KEYS.append(box[0].strip(" █") if box else "?")
            await page.keyboard.press("Escape")
            # Alone, not the start of Alt+F: the kiosk waits 0.1 s to tell them apart.
            await asyncio.sleep(0.5)
    start = time.perf_counter()
    await page.keyboard.press("Enter")
    await _wait_for(page, expected)
    return time.perf_counter() - start


def _children(pid: int) -> list[int]:
    """Return the pids of a process's direct children."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return found


@dataclass
class Sessions:
    """The processes behind the browser sessions of one `hub serve`, at one moment."""

    kiosks: list[int]
    """One kiosk process per session."""
    clients: list[int]
    """The client textual-serve runs per session when preloaded (none when direct)."""
    preloaded: int | None
    """The pre-loaded kiosk the sessions are forked from, or None."""


def _sessions(server: int) -> Sessions:
    """Return the session processes of the `hub serve` whose pid is `server`."""
    children = _children(server)
    for pid in children:
        if "screens.preloaded_kiosk" in Path(f"/proc/{pid}/cmdline").read_text():
            clients = [child for child in children if child != pid]
            return Sessions(_children(pid), clients, pid)
    return Sessions(children, [], None)


@dataclass
class Memory:
    """A process's (or a session's) memory in MB."""

    rss: float
    pss: float
    uss: float

    def __add__(self, other: Memory) -> Memory:
        return Memory(self.rss + other.rss, self.pss + other.pss, self.uss + other.uss)


def _memory(pid: int) -> Memory:
    """Return the RSS, PSS and USS of a process in MB, from /proc."""
    kb: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        kb[name] = int(value.split()[0])
    uss = kb["Private_Clean"] + kb["Private_Dirty"]
    return Memory(kb["Rss"] * 1024 / MB, kb["Pss"] * 1024 / MB, uss * 1024 / MB)


def _cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) a process has used so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _summary(label: str, values: list[float], unit: str, scale: float = 1.0) -> str:
    shown = [value * scale for value in values]
    return (
        f"{label:<28} median {statistics.median(shown):7.2f} {unit}   "
        f"max {max(shown):7.2f} {unit}   first {shown[0]:7.2f}   last {shown[-1]:7.2f}"
    )


WAYS = {"preloaded": (), "direct": ("--no-preload",)}
"""How sessions start, and the `hub serve` options for each."""


async def run(sessions: int, chromium: str, ways: list[str]) -> None:
    """Print the figures for `sessions` browser sessions against one `hub serve` per way."""
    print(f"load average before: {_load()}")
    for way in ways:
        with (
            tempfile.TemporaryDirectory() as scratch,
            served_hub(Path(scratch) / "hub", *WAYS[way]) as served,
        ):
            food = result_names(Path(scratch) / "hub", "food")[0]
            try:
                figures = await _measure(sessions, chromium, served, food)
            except Exception:
                print("the server said:\n" + served.output()[-4000:], file=sys.stderr)
                raise
        _print(way, sessions, figures)
        print(f"load average after: {_load()}")


def _load() -> str:
    """Return the 1, 5 and 15 minute load averages (this machine has other work too)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


@dataclass
class Figures:
    """What one way of starting sessions measured (see the module docstring)."""

    to_home: list[float]
    cpu_to_home: list[float]
    searches: list[float]
    sessions: list[Memory]
    preloaded: Memory | None
    server: Memory
    all_at_once: float
    slowest: float


async def _measure(sessions: int, chromium: str, served: ServedHub, food: str) -> Figures:
    """Return the figures (see the module docstring) for `sessions` sessions."""
    server = served.process.pid
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        # Warm the disk cache and the server (the first page also loads textual.js).
        warm, _ = await _open(browser, served.url)
        await warm.context.close()
        await asyncio.sleep(2)

        pages: list[Page] = []
        to_home: list[float] = []
        cpu_to_home: list[float] = []
        for _ in range(sessions):
            before = _sessions(server)
            page, seconds = await _open(browser, served.url)
            pages.append(page)
            to_home.append(seconds)
            after = _sessions(server)
            new = set(after.kiosks + after.clients) - set(before.kiosks + before.clients)
            cpu_to_home.append(sum(_cpu_seconds(pid) for pid in new))
        searches = [await _search(page, "food", food) for page in pages]
        await asyncio.sleep(2)  # let each process settle after its search
        running = _sessions(server)
        if running.clients and len(running.clients) != len(running.kiosks):
            raise RuntimeError(f"{len(running.clients)} clients for {len(running.kiosks)} kiosks")
        memory = [_memory(pid) for pid in running.kiosks]
        if running.clients:
            memory = [
                kiosk + _memory(client)
                for kiosk, client in zip(memory, running.clients, strict=True)
            ]
        preloaded = _memory(running.preloaded) if running.preloaded else None
        server_memory = _memory(server)
        for page in pages:
            await page.context.close()
        await asyncio.sleep(3)  # the server ends each closed session's process

        start = time.perf_counter()
        together = await asyncio.gather(*(_open(browser, served.url) for _ in range(sessions)))
        all_at_once = time.perf_counter() - start
        for page, _ in together:
            await page.context.close()
        await browser.close()
    slowest = max(seconds for _, seconds in together)
    return Figures(
        to_home, cpu_to_home, searches, memory, preloaded, server_memory, all_at_once, slowest
    )


def _print(way: str, sessions: int, figures: Figures) -> None:
    """Print the figures of one way of starting sessions."""
    print(f"\n{way}: hub serve, {sessions} browser sessions (Chromium headless), sample directory")
    print(_summary("time to Home, one by one", figures.to_home, "s"))
    print(_summary("CPU used by then, per session", figures.cpu_to_home, "s"))
    print(_summary("search 'food' to results", figures.searches, "ms", 1000))
    print(f"{'sessions seen':<28} {len(figures.sessions)}")
    print(_summary("RSS per session", [m.rss for m in figures.sessions], "MB"))
    print(_summary("PSS per session", [m.pss for m in figures.sessions], "MB"))
    print(_summary("USS per session", [m.uss for m in figures.sessions], "MB"))
    if figures.preloaded is not None:
        print(
            f"{'pre-loaded kiosk (once)':<28} RSS {figures.preloaded.rss:7.2f} MB   "
            f"PSS {figures.preloaded.pss:7.2f} MB   USS {figures.preloaded.uss:7.2f} MB"
        )
    everything = sum(
        (m.pss for m in figures.sessions), figures.preloaded.pss if figures.preloaded else 0.0
    )
    print(
        f"{'all sessions together':<28} PSS {everything:7.2f} MB"
        f"{' (with the pre-loaded kiosk)' if figures.preloaded else ''}, "
        f"{everything / len(figures.sessions):.2f} MB a session"
    )
    print(f"{'server (hub serve) RSS':<28} {figures.server.rss:7.2f} MB")
    print(
        f"{'all at once':<28} {sessions} pages opened together: every Home drawn after "
        f"{figures.all_at_once:.2f} s (slowest {figures.slowest:.2f} s)"
    )
    if LOST_KEYS:
        print(f"{'keys lost while typing':<28} {len(LOST_KEYS)} times: {LOST_KEYS}")
        LOST_KEYS.clear()


def main() -> int:
    """Parse the options, run, and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10, help="how many (default 10)")
    parser.add_argument(
        "--only", choices=sorted(WAYS), help="measure one way of starting sessions only"
    )
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        print("error: no Chromium found: apt-get install chromium", file=sys.stderr)
        return 1
    asyncio.run(run(args.sessions, chromium, [args.only] if args.only else list(WAYS)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
