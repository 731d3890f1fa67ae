"""How `hub serve` holds up with many browser sessions: time to Home, search, memory.

    .venv/bin/python benchmarks/serve_load.py                 # 10 sessions
    .venv/bin/python benchmarks/serve_load.py --sessions 4

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

Memory is read from /proc for each kiosk process the server started (its children):
RSS, and PSS (which shares the pages the processes share among them: the fairer "cost of
one more session"), after step 2; and the server's own RSS. The browser's memory is not
counted: a kiosk PC shows one tab.

Targets (issue 16): ≤ 60 MB and ≤ 2 s per extra session on the 2-core machine. No
assertions: this prints figures for people to read.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
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
    raise TimeoutError(f"{text!r} not on screen after {timeout} s")


async def _open(browser: Browser, url: str) -> tuple[Page, float]:
    """Return a new visitor's page and the seconds from asking for it to Home drawn."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    await context.add_init_script(TERMINAL_HOOK)
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url)
    await _wait_for(page, HOME_TEXT)
    return page, time.perf_counter() - start


async def _search(page: Page, words: str, expected: str) -> float:
    """Return the seconds from Enter to `expected` drawn, after typing `words`."""
    await page.locator(".xterm-helper-textarea").focus()
    await page.keyboard.type(words)
    start = time.perf_counter()
    await page.keyboard.press("Enter")
    await _wait_for(page, expected)
    return time.perf_counter() - start


def _children(pid: int) -> list[int]:
    """Return the pids of the kiosk processes the server started (its direct children)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return found


def _memory(pid: int) -> tuple[float, float]:
    """Return (RSS, PSS) of a process in MB, from /proc."""
    rss = pss = 0.0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1]) * 1024 / MB
        elif line.startswith("Pss:"):
            pss = int(line.split()[1]) * 1024 / MB
    return rss, pss


def _cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) a process has used so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _first_result(folder: Path, words: str) -> str:
    found = subprocess.run(
        [sys.executable, "-m", "hub.cli", "--data-dir", str(folder), "search", words, "--json"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return str(json.loads(found.stdout)["results"][0]["name"])


def _summary(label: str, values: list[float], unit: str, scale: float = 1.0) -> str:
    shown = [value * scale for value in values]
    return (
        f"{label:<28} median {statistics.median(shown):7.2f} {unit}   "
        f"max {max(shown):7.2f} {unit}   first {shown[0]:7.2f}   last {shown[-1]:7.2f}"
    )


async def run(sessions: int, chromium: str) -> None:
    """Print the figures for `sessions` browser sessions against one `hub serve`."""
    with tempfile.TemporaryDirectory() as scratch, served_hub(Path(scratch) / "hub") as served:
        food = _first_result(Path(scratch) / "hub", "food")
        try:
            figures = await _measure(sessions, chromium, served, food)
        except Exception:
            print("the server said:\n" + served.output()[-4000:], file=sys.stderr)
            raise
    _print(sessions, *figures)


Figures = tuple[
    list[float], list[float], list[float], list[int], list[tuple[float, float]], float, float, float
]
"""Time to Home, CPU by Home, search times, kiosk pids, (RSS, PSS) each, server RSS, all at
once, the slowest of all at once."""


async def _measure(sessions: int, chromium: str, served: ServedHub, food: str) -> Figures:
    """Return the figures (see the module docstring) for `sessions` sessions."""
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
            before = set(_children(served.process.pid))
            page, seconds = await _open(browser, served.url)
            pages.append(page)
            to_home.append(seconds)
            new = set(_children(served.process.pid)) - before
            cpu_to_home += [_cpu_seconds(pid) for pid in new]
        searches = [await _search(page, "food", food) for page in pages]
        await asyncio.sleep(2)  # let each process settle after its search
        kiosks = _children(served.process.pid)
        memory = [_memory(pid) for pid in kiosks]
        server_rss, _ = _memory(served.process.pid)
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
    return (to_home, cpu_to_home, searches, kiosks, memory, server_rss, all_at_once, slowest)


def _print(
    sessions: int,
    to_home: list[float],
    cpu_to_home: list[float],
    searches: list[float],
    kiosks: list[int],
    memory: list[tuple[float, float]],
    server_rss: float,
    all_at_once: float,
    slowest: float,
) -> None:
    """Print the figures."""
    print(f"hub serve, {sessions} browser sessions (Chromium headless), sample directory")
    print(_summary("time to Home, one by one", to_home, "s"))
    print(_summary("CPU used by then, per kiosk", cpu_to_home, "s"))
    print(_summary("search 'food' to results", searches, "ms", 1000))
    print(f"{'kiosk processes seen':<28} {len(kiosks)}")
    print(_summary("RSS per session", [rss for rss, _ in memory], "MB"))
    print(_summary("PSS per session", [pss for _, pss in memory], "MB"))
    print(f"{'server (hub serve) RSS':<28} {server_rss:7.2f} MB")
    print(
        f"{'all at once':<28} {sessions} pages opened together: every Home drawn after "
        f"{all_at_once:.2f} s (slowest {slowest:.2f} s)"
    )


def main() -> int:
    """Parse the options, run, and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10, help="how many (default 10)")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        print("error: no Chromium found: apt-get install chromium", file=sys.stderr)
        return 1
    asyncio.run(run(args.sessions, chromium))
    return 0


if __name__ == "__main__":
    sys.exit(main())
