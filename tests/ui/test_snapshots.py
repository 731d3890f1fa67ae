"""SVG snapshots of the main screens in each look, at 80x24 and 120x40.

Made at a fixed time on the sample directory, so they only change when the screens do.
Update with `pytest tests/ui/test_snapshots.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from hub.hub_identity import setup_hub
from hub.storage import HubStore
from screens.app import HubApp
from screens.themes import THEME_ORDER
from screens.widgets.result_rows import ResultItem
from tests.ui import screen_setups as setups
from tests.ui.conftest import FakeClock, settle


async def _crisis(pilot: Pilot[None], clock: FakeClock) -> None:
    """A visitor's search that speaks of danger now: the calm panel, 999 first."""
    await pilot.click("#search")
    await pilot.press(*"my friend took too many pills", "enter")
    await settle(pilot)


SCREENS: dict[str, setups.Setup] = {
    "home": setups.home,
    "results": setups.memory_results,
    "card": setups.cafe_card,
    "urgent": setups.urgent_help,
    "crisis": _crisis,
    "idle": setups.idle_on_card,
}
SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("theme", THEME_ORDER)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshot(
    snap_compare: Any,
    app: HubApp,
    clock: FakeClock,
    screen: str,
    theme: str,
    size: tuple[int, int],
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()  # let Home finish composing before changing anything
        pilot.app.theme = theme
        await SCREENS[screen](pilot, clock)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False  # a blinking cursor would make the picture flicker
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_take_away_snapshot(snap_compare: Any, app: HubApp, store: HubStore) -> None:
    """The take-away for a service to ring first: the code, and below the phone number the
    line to say when you ring (issue 15, item 7)."""
    setup_hub(store, "Church End Library")

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await setups.memory_results(pilot, FakeClock())
        items = list(pilot.app.screen.query(ResultItem))
        singing = next(item for item in items if item.service_name == "Wembley Singing for Memory")
        await pilot.click(singing)
        await pilot.pause()
        await pilot.press("enter")  # Take it with you
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
