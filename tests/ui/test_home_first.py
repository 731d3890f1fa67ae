"""Home is on screen and takes typing before the directory has loaded (issue 11).

The directory's reading is held back by a gate the test holds, so "before" is certain,
not a race against the clock; the early search runs once the gate opens.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import Static

from hub.models import Service
from hub.storage import HubStore
from screens.app import HubApp, make_app
from screens.home import HomeScreen
from screens.results import ResultsScreen
from screens.widgets.result_rows import ResultItem
from tests.ui.conftest import FakeClock, directory_loaded, settle

GATE_SECONDS = 30.0
"""How long a held-back read waits before failing the test (the test opens it sooner)."""


class Gate:
    """Holds the directory's reading back until the test opens it."""

    def __init__(self) -> None:
        self.reading = threading.Event()
        self.open = threading.Event()

    async def wait_until_reading(self) -> None:
        """Return once the load has started reading the directory (and is held there)."""
        assert await asyncio.to_thread(self.reading.wait, GATE_SECONDS)


@pytest.fixture
def gate(store: HubStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    """Return a gate in front of the store's directory reads; it is opened at the end."""
    held = Gate()
    read = store.iter_services

    def held_back_services(**page: Any) -> Iterator[Service]:
        held.reading.set()
        if not held.open.wait(GATE_SECONDS):
            raise AssertionError("the directory was read, but the test never let it load")
        return read(**page)

    # The index of a new folder is built from the services, streamed from the store.
    monkeypatch.setattr(store, "iter_services", held_back_services)
    yield held
    held.open.set()


@pytest.fixture
def slow_app(store: HubStore, clock: FakeClock, gate: Gate) -> HubApp:
    """Return the kiosk on the sample directory, whose load waits for the gate."""
    return make_app(store=store, clock=clock, idle_seconds=120, idle_countdown_seconds=30)


def _names(app: HubApp) -> list[str]:
    return [item.service_name for item in app.screen.query(ResultItem)]


async def test_home_takes_typing_before_the_load_and_runs_the_search_when_ready(
    slow_app: HubApp, gate: Gate
) -> None:
    app = slow_app
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await gate.wait_until_reading()
        await pilot.press(*"demntia", "enter")
        await pilot.pause()
        assert not app.hub.directory_ready
        assert home.search_box.value == "demntia"
        hint = home.query_one("#home-hint", Static)
        assert "Getting the list ready…" in str(hint.render())
        assert _names(app) == []

        gate.open.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.hub.directory_ready
        assert any("Memory Café" in name for name in _names(app))
        assert home.results.display and not home.grid.display
        assert "Getting the list ready" not in str(hint.render())
        assert app.focused is home.results.list_view


async def test_a_tile_chosen_before_the_load_fills_its_list_when_ready(
    slow_app: HubApp, gate: Gate
) -> None:
    app = slow_app
    async with app.run_test(size=(80, 24)) as pilot:
        await gate.wait_until_reading()
        await pilot.click("#need-memory")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        count = screen.query_one(".result-count", Static)
        assert "Getting the list ready…" in str(count.render())

        gate.open.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Memory Café" in name for name in _names(app))
        assert "Getting the list ready" not in str(count.render())


async def test_expired_referrals_are_purged_once_home_is_on_screen(
    store: HubStore, clock: FakeClock
) -> None:
    """The start-up purge reads every referral: it runs in the worker, after Home shows."""
    from datetime import timedelta

    from tests.factories import make_referral
    from tests.ui.conftest import FIXED_NOW

    long_ago = FIXED_NOW - timedelta(days=800)
    store.save_referral(make_referral(recorded_at=long_ago, updated_at=long_ago, now=long_ago))
    app = make_app(store=store, clock=clock, idle_seconds=120, idle_countdown_seconds=30)
    assert len(store.referrals()) == 1  # making the app read no referral
    async with app.run_test(size=(80, 24)) as pilot:
        # The load (purge first) starts after Home's first paint: there may be no worker
        # yet to wait for, so wait for the directory to be ready.
        await directory_loaded(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert store.referrals() == []


async def test_the_load_finishing_while_home_has_no_results_panel_is_no_crash(
    slow_app: HubApp, gate: Gate
) -> None:
    """The load's end composes Home's results list; Home may be without it just then (drawn
    again in another language, or the kiosk closing), and the kiosk must carry on. Seen
    once in a full run, as a test's kiosk closed just as its directory finished loading."""
    app = slow_app
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await gate.wait_until_reading()
        await home.results.remove()  # as Home's recompose does, before its new panel
        gate.open.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.hub.directory_ready and app.is_running
        # The visitor's search still works once Home is drawn again with its panel.
        await home.recompose()
        await pilot.press(*"memory")
        await settle(pilot)
        assert any("Memory Café" in name for name in _names(app))
