"""Kiosk test set-up: a fixed clock, a data folder seeded with the sample, a running app."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot

from hub.storage import HubStore
from screens.app import HubApp, make_app

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


@pytest.fixture
def clock() -> FakeClock:
    """Return a clock fixed at FIXED_NOW."""
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HubStore]:
    """Return an open store in a fresh data folder (the app seeds it with the sample)."""
    opened = HubStore.open(tmp_path / "kiosk-data")
    yield opened
    opened.close()


@pytest.fixture
def app(store: HubStore, clock: FakeClock) -> HubApp:
    """Return the kiosk on the sample directory, at the fixed time."""
    return make_app(store=store, clock=clock, idle_seconds=120, idle_countdown_seconds=30)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until typing delays have passed and every search worker has reported back."""
    await pilot.pause(0.3)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
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
