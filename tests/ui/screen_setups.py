"""Ways to bring the kiosk to a visitor screen, shared by the screen-by-screen tests.

Each takes the Pilot and the test's clock (some setups move it on) and leaves the app on
its screen, settled. Used by the SVG snapshots (test_snapshots.py) and the contrast checks
(test_contrast.py), which add setups of their own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from screens.widgets.result_rows import ResultItem
from tests.ui.conftest import FakeClock, idle_for, settle

Setup = Callable[[Pilot[None], FakeClock], Awaitable[None]]


async def home(pilot: Pilot[None], clock: FakeClock) -> None:
    """Home as the kiosk starts: the search box has the keyboard and shows its placeholder."""
    await pilot.pause()


async def memory_results(pilot: Pilot[None], clock: FakeClock) -> None:
    """The Memory tile's list of services."""
    await pilot.click("#need-memory")
    await settle(pilot)


async def cafe_card(pilot: Pilot[None], clock: FakeClock) -> None:
    """The Memory Café's card, opened from the Memory tile's list by mouse."""
    await memory_results(pilot, clock)
    items = list(pilot.app.screen.query(ResultItem))
    cafe = next(item for item in items if "Memory Café" in item.service_name)
    await pilot.click(cafe)
    await pilot.pause()


async def urgent_help(pilot: Pilot[None], clock: FakeClock) -> None:
    """Urgent help, opened with F1."""
    await pilot.press("f1")
    await pilot.pause()


async def idle_on_card(pilot: Pilot[None], clock: FakeClock) -> None:
    """The café's card left untouched past the idle time: "Are you still there?"."""
    await cafe_card(pilot, clock)
    await idle_for(pilot, clock, 121)
