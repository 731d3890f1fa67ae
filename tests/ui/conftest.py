"""Kiosk test set-up: a fixed clock, a data folder seeded with the sample, a running app."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button
from textual.worker import WorkerCancelled

from hub.kiosk_service import Hub
from hub.storage import HubStore
from screens.app import HubApp, make_app
from screens.home import SEARCH_DELAY, HomeScreen
from screens.saving import SAVE_GROUP
from screens.unseen_drawings import free_unseen_drawings
from tests.ui import css_once, quick_idle

# Each kiosk a test starts would parse the same CSS again (see tests/ui/css_once.py).
css_once.install()
# Pilot's waits for an idle kiosk look every 4 ms, not every 20 (see tests/ui/quick_idle.py).
quick_idle.install()

UNTIL_SECONDS = 10.0
"""How long `until` waits for what a test expects before failing it."""

FIXED_NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Europe/London"))
"""Thursday 26 November 2026, 10am: the time every kiosk test runs at."""


class FakeClock:
    """A clock that stands still until a test moves it on."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock on by this many seconds."""
        self.now += timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def _quick_pins(quick_pin_hashes: None) -> None:
    """Every kiosk test hashes PINs cheaply (see tests/conftest.py): they are about screens."""


@pytest.fixture(autouse=True)
def _unseen_drawings_freed() -> Iterator[None]:
    """Let go of the test's widget drawings when it ends, as a running kiosk does every
    few seconds (screens.unseen_drawings): otherwise each test process keeps the last
    thousand tests' drawings alive, a million objects its garbage collector walks again
    and again, slowest of all at the end of the run."""
    yield
    free_unseen_drawings()


@pytest.fixture
def clock() -> FakeClock:
    """Return a clock fixed at FIXED_NOW."""
    return FakeClock()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a data folder as a kiosk leaves a new one after its first start: the sample
    seeded at FIXED_NOW and its saved search index, nothing else.

    Made once per test process; each test gets its own copy (a copy is a few
    milliseconds, reading and saving the sample a third of a second or more). Each kiosk
    then loads the index, as every start after the first does, rather than building and
    durably saving it again (tests/unit/test_index_file.py covers building it).
    """
    folder = tmp_path_factory.mktemp("seeded-template") / "kiosk-data"
    opened = HubStore.open(folder)
    try:
        hub = Hub(opened, clock=FakeClock())
        assert hub.seed_sample()
        hub.load_directory()
    finally:
        opened.close()
    return folder


@pytest.fixture
def store(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[HubStore]:
    """Return an open store in a fresh data folder (the app seeds it with the sample).

    When the test runs the `app` fixture, whose make_app seeds the sample before the test
    starts, the folder is a copy of `seeded_template` instead: the same folder, without
    reading the sample again. A test that makes its own app gets a brand-new folder.
    """
    folder = tmp_path / "kiosk-data"
    if "app" in request.fixturenames:
        shutil.copytree(request.getfixturevalue("seeded_template"), folder)
    opened = HubStore.open(folder)
    yield opened
    opened.close()


@pytest.fixture
def app(store: HubStore, clock: FakeClock) -> HubApp:
    """Return the kiosk on the sample directory, at the fixed time."""
    return make_app(store=store, clock=clock, idle_seconds=120, idle_countdown_seconds=30)


def _search_pending(app: App[None]) -> bool:
    """Return True while a Home screen's typing delay is running: a search is still to start."""
    return any(
        isinstance(screen, HomeScreen) and screen._search_timer is not None
        for screen in app.screen_stack
    )


async def settle(pilot: Pilot[None]) -> None:
    """Wait until typing delays have passed and every search worker has reported back.

    Home searches SEARCH_DELAY after the last key. A test that settles has stopped typing,
    as a visitor who waits that long has: rather than sleep for the delay every time, the
    pending timer is stopped and what it calls (`_search_now`) runs at once, exactly as the
    timer would have run it. Tests of the delay itself wait for the timer instead.
    """
    await pilot.pause()
    for screen in pilot.app.screen_stack:
        timer = screen._search_timer if isinstance(screen, HomeScreen) else None
        if timer is not None:
            timer.stop()
            assert isinstance(screen, HomeScreen)
            screen._search_now()
    deadline = time.monotonic() + 10 * SEARCH_DELAY + 5
    while _search_pending(pilot.app):
        assert time.monotonic() < deadline, "the search after typing never started"
        await pilot.pause(0.02)
    await workers_done(pilot.app)
    await pilot.pause()
    await pilot.pause()


async def let_go(pilot: Pilot[None], button: Button) -> None:
    """Wait until a button pressed a moment ago no longer shows that press.

    Textual ignores a click or Enter on a button still showing its last press (its active
    effect, 0.2 s): a second press that soon counts as the same press. A test pressing the
    same button twice waits that out, as a person's hand does, rather than rely on its own
    steps happening to take longer (with Pilot's idle poll at 4 ms, see quick_idle.py,
    they often do not).
    """
    await until(pilot, lambda: not button.has_class("-active"), f"{button} letting go of its press")


async def click_again(pilot: Pilot[None], selector: str) -> None:
    """Click a button that was pressed a moment ago, once it takes presses again (let_go)."""
    await let_go(pilot, pilot.app.screen.query_one(selector, Button))
    await pilot.click(selector)


async def workers_done(app: App[None], group: str | None = None) -> None:
    """Wait until the app's workers (of `group`, or all) have finished, new ones included.

    A worker cancelled on the way is not a failure: a newer search cancels the one it
    replaces (the directory becoming ready re-runs the words typed while it loaded), and
    the newer one is waited for too. A worker that failed still fails the test.
    """
    while True:
        running = [
            worker
            for worker in app.workers
            if not worker.is_finished and (group is None or worker.group == group)
        ]
        if not running:
            return
        for outcome in await asyncio.gather(
            *(worker.wait() for worker in running), return_exceptions=True
        ):
            if isinstance(outcome, BaseException) and not isinstance(outcome, WorkerCancelled):
                raise outcome


async def idle_for(pilot: Pilot[None], clock: FakeClock, seconds: float) -> None:
    """Let `seconds` pass untouched and let the kiosk notice, as its idle timer would.

    The clock moves on, the app checks for inactivity once, and the screen settles.
    """
    clock.advance(seconds)
    app = pilot.app
    assert isinstance(app, HubApp)
    app.check_inactivity()
    await pilot.pause()


async def directory_loaded(pilot: Pilot[None]) -> None:
    """Wait until the kiosk's directory and search index are loaded and the screen knows.

    The load starts after Home's first paint (`call_after_refresh`), so right after start-up
    there may be no worker yet for `workers.wait_for_complete()` to wait on.
    """
    app = pilot.app
    assert isinstance(app, HubApp)
    assert await asyncio.to_thread(app.hub.wait_until_ready, 60), "the directory never loaded"
    await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot[None], check: Callable[[], bool], what: str) -> None:
    """Wait until `check()` is true (the kiosk got where the test expects), or fail saying
    `what` never happened.

    Pilot's pauses end when the test process looks idle, and on a busy machine a process
    waiting for a core looks idle too: a test that expects a screen to change waits for
    the change itself, not for a pause to be long enough.
    """
    deadline = time.monotonic() + UNTIL_SECONDS
    while not check():
        assert time.monotonic() < deadline, f"{what} never happened"
        await pilot.pause(0.01)
    await pilot.pause()


async def saves_done(pilot: Pilot[None]) -> None:
    """Wait until every save handed to the app's writer (screens.saving) has answered and
    the screen has shown it: a press that saves returns before the save is made.

    The screen first handles what is already posted (a button's press() is a message), so
    the save it asks for has been handed over before the wait for saves begins.
    """
    await pilot.pause()
    await workers_done(pilot.app, SAVE_GROUP)
    await pilot.pause()
