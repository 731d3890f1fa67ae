"""SVG snapshots of staff mode at 80x24: staff home, the referral form, a visitor card.

Kept apart from the visitor snapshots so a staff change never touches theirs. Update with
`pytest tests/ui/test_staff_snapshots.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from hub.hub_identity import setup_hub
from hub.staff import add_staff
from hub.storage import HubStore
from screens.app import HubApp
from screens.widgets.result_rows import ResultItem
from tests.ui.conftest import FIXED_NOW, settle

Setup = Callable[[Pilot[None]], Awaitable[None]]


async def _unlock(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+t")
    await pilot.pause()
    await pilot.click("#staff-name")
    await pilot.press(*"Amina", "enter", *"246810", "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _staff_home(pilot: Pilot[None]) -> None:
    await _unlock(pilot)


async def _card_in_staff_mode(pilot: Pilot[None]) -> None:
    await pilot.click("#need-memory")
    await settle(pilot)
    cafe = next(i for i in pilot.app.screen.query(ResultItem) if "Memory Café" in i.service_name)
    await pilot.click(cafe)
    await pilot.pause()
    await _unlock(pilot)
    await pilot.press("escape")
    await pilot.pause()


async def _referral_form(pilot: Pilot[None]) -> None:
    await _card_in_staff_mode(pilot)
    await pilot.click("#refer")
    await pilot.pause()


SCREENS: dict[str, Setup] = {
    "staff-home": _staff_home,
    "card-in-staff-mode": _card_in_staff_mode,
    "referral-form": _referral_form,
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_staff_snapshot(snap_compare: Any, app: HubApp, store: HubStore, screen: str) -> None:
    setup_hub(store, "Church End Library")
    add_staff(store, "Amina", "246810", FIXED_NOW)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await SCREENS[screen](pilot)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
