"""Browser tests: the real `hub serve` driven by Debian's Chromium through Playwright.

Every test here is marked `web`. They skip, saying why, when there is no Chromium (CI
installs it with apt: see .ci/run) or no Playwright. Each server listens on a port the
kernel picks (`--port 0`), so they run in parallel under xdist like any other test.
Screenshots are saved under tmp/artefacts/ at the top of the checkout (not committed),
or under $HUB_TEST_ARTEFACTS.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.web.kiosk_browser import (
    ROOT,
    ServedHub,
    find_chromium,
    launch_chromium,
    open_kiosk,
    served_hub,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

HUB_NAME = "Church End Library"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder `web` (so `-m "not web"` leaves them out)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.web)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Return the system Chromium's path, or skip: these tests never download a browser."""
    pytest.importorskip(
        "playwright.sync_api",
        reason="Playwright for Python is not installed (pip install -e .[dev])",
    )
    path = find_chromium()
    if path is None:
        pytest.skip(
            "no Chromium found (/usr/bin/chromium): install Debian's with "
            "`apt-get install chromium` to run the browser tests (.ci/run does)"
        )
    return path


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    """Yield a headless Chromium with a fresh, empty profile; closed after the module.

    Each test opens its own browser contexts (separate cookies, storage and pages), so
    sharing the browser process only saves its start-up.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def hub_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a data folder for a hub named HUB_NAME (it gets the sample directory)."""
    folder = tmp_path_factory.mktemp("served") / "hub-data"
    subprocess.run(
        [sys.executable, "-m", "hub.cli", "--data-dir", str(folder), "setup", "--name", HUB_NAME],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder


@pytest.fixture(scope="module")
def served(hub_folder: Path) -> Iterator[ServedHub]:
    """Yield one `hub serve` (visitor mode) on `hub_folder` for the module's tests.

    Each page a test opens is its own kiosk process, as each browser tab is.
    """
    with served_hub(hub_folder) as running:
        yield running


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Yield `open_page(url, width=, height=)`: a new visitor's page showing Home.

    Each page is its own browser context (as a separate visitor's browser would be), and
    is closed after the test, which ends its kiosk process on the server.
    """
    opened: list[Page] = []

    def opener(url: str, *, width: int = 1280, height: int = 800) -> Page:
        page = open_kiosk(browser, url, width=width, height=height)
        opened.append(page)
        return page

    yield opener
    for page in opened:
        page.context.close()


@pytest.fixture
def artefacts() -> Path:
    """Return the folder where browser tests leave screenshots for people to look at."""
    folder = Path(os.environ.get("HUB_TEST_ARTEFACTS", ROOT / "tmp" / "artefacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
