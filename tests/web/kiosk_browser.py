"""Driving `hub serve` with Debian's Chromium: start the server, open pages, read the screen.

Shared by the browser tests (tests/web) and the load benchmark (benchmarks/serve_load.py).

* `find_chromium` finds the system's Chromium; nothing here ever downloads a browser
  (`playwright install` is never run): Playwright drives /usr/bin/chromium.
* `served_hub` starts the real `hub serve --port 0` as a subprocess (a free port picked by
  the kernel, read back from its "Serving the kiosk at URL" line, so tests can run in
  parallel) and stops it with SIGTERM.
* `screen_rows` reads the rows xterm.js has drawn. textual-serve keeps its terminal object
  private, so `TERMINAL_HOOK` (added to each page before textual.js runs) notes each
  terminal as textual-serve's page script builds it; the rows come from xterm's own buffer,
  what the canvas shows.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Headless, and quiet: no update checks, sync or first-run pages reaching the internet."""

TERMINAL_HOOK = """
Object.defineProperty(Object.prototype, "fitAddon", {
  configurable: true,
  set(value) {
    // textual-serve's terminal wrapper sets this.fitAddon once, in its constructor.
    Object.defineProperty(this, "fitAddon", {
      value, writable: true, configurable: true, enumerable: true,
    });
    (window.__kioskTerminals = window.__kioskTerminals || []).push(this);
  },
});
"""

READ_ROWS = """() => {
  const wrapper = (window.__kioskTerminals || [])[0];
  if (!wrapper || !wrapper.terminal) return null;
  const terminal = wrapper.terminal;
  const buffer = terminal.buffer.active;
  const rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows;
}"""

TERMINAL_SIZE = """() => {
  const wrapper = (window.__kioskTerminals || [])[0];
  return wrapper ? [wrapper.terminal.cols, wrapper.terminal.rows] : null;
}"""

HOME_TEXT = "Find help near you"
"""The words on the kiosk's Home screen that say it is ready."""

TILE_TEXT = "Worry about memory"
"""The start of one need tile's words on Home (short enough never to wrap): shown before a
search, hidden while results show."""


def result_names(folder: Path, words: str) -> list[str]:
    """Return the names `hub search --json` finds for `words`, best first (the CLI's view)."""
    found = subprocess.run(
        [sys.executable, "-m", "hub.cli", "--data-dir", str(folder), "search", words, "--json"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return [item["name"] for item in json.loads(found.stdout)["results"]]


def find_chromium() -> str | None:
    """Return the path of the system's Chromium, or None when there is none."""
    for candidate in (os.environ.get("HUB_TEST_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


@dataclass
class ServedHub:
    """A running `hub serve`: its address, its process, and the file its output goes to."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        """Return what the server has printed so far (stdout and stderr together)."""
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def served_hub(data_dir: Path, *options: str, start_timeout: float = 60.0) -> Iterator[ServedHub]:
    """Yield a `hub serve --port 0` on `data_dir` (more options after it), stopped at exit.

    Its output goes to a file beside the data folder, never a pipe: textual-serve copies
    each ended session's stderr to its own stdout, and a pipe nobody reads would fill up
    and stop the server.
    """
    log = data_dir.parent / f"{data_dir.name}.serve.log"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "hub.cli", "--data-dir", str(data_dir)),
                *("serve", "--port", "0", *options),
            ],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        served = ServedHub(url="", process=process, log=log)
        served.url = _served_url(served, start_timeout)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _served_url(served: ServedHub, timeout: float) -> str:
    """Return the URL from the server's first line; raise if it stopped or never said."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"Serving the kiosk at (http://\S+/)", served.output())
        if found:
            return found.group(1)
        if served.process.poll() is not None:
            raise RuntimeError(
                f"hub serve stopped ({served.process.returncode}): {served.output()}"
            )
        time.sleep(0.05)
    raise RuntimeError(f"hub serve did not say where it serves within {timeout} s")


def launch_chromium(playwright: Playwright, executable: str) -> Browser:
    """Return Debian's Chromium, headless, with a fresh empty profile (Playwright's own)."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def screen_rows(page: Page) -> list[str]:
    """Return the rows the page's terminal shows now (empty before it is built)."""
    rows = page.evaluate(READ_ROWS)
    return list(rows) if rows else []


def screen_text(page: Page) -> str:
    """Return the terminal's rows as one text, a row a line."""
    return "\n".join(screen_rows(page))


def wait_for_text(page: Page, text: str, timeout: float = 30.0) -> str:
    """Return the screen's text once `text` is on it; raise AssertionError with the screen."""
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = screen_text(page)
        if text in shown:
            return shown
        page.wait_for_timeout(100)
    raise AssertionError(f"{text!r} not on screen within {timeout} s; it shows:\n{shown}")


def open_kiosk(browser: Browser, url: str, *, width: int = 1280, height: int = 800) -> Page:
    """Return a new page (in its own browser context) with the kiosk's Home showing."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(TERMINAL_HOOK)
    page = context.new_page()
    page.goto(url)
    wait_for_text(page, HOME_TEXT)
    return page


def search(page: Page, words: str) -> None:
    """Type `words` into the kiosk (Home's search box has the keyboard) and press Enter."""
    page.locator(".xterm-helper-textarea").focus()
    # A person's pace, not a burst: on a loaded machine a burst lost all but the first key.
    page.keyboard.type(words, delay=60)
    page.keyboard.press("Enter")
