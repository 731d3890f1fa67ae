"""The kiosk lets go of result cards a new search replaced (Textual issue #6665).

Textual's colour-pair cache keeps the drawings of the last 1,024 widgets alive after they
leave the screen; every search replaces Home's result rows, so without the kiosk's
clearing a day of searches holds thousands of rows nobody can see.
"""

from __future__ import annotations

import gc
import weakref

import pytest
from textual._styles_cache import StylesCache
from textual.pilot import Pilot

import screens.app
from hub.storage import HubStore
from screens.app import make_app
from screens.unseen_drawings import free_unseen_drawings
from screens.widgets.result_rows import ResultItem
from tests.ui.conftest import FakeClock, directory_loaded, settle

QUICK_SECONDS = 0.05
"""The kiosk's clearing interval in these tests, so a test waits a moment, not ten seconds."""


def _drawings_on_screen(app: screens.app.HubApp) -> list[weakref.ref[StylesCache]]:
    return [weakref.ref(item._styles_cache) for item in app.screen.query(ResultItem)]


async def _rows_a_second_search_replaced(
    pilot: Pilot[None], app: screens.app.HubApp
) -> list[weakref.ref[StylesCache]]:
    """Search for food, then for memory; return (weakly) the drawings of food's rows.

    The second search's rows are new widgets: none of the first's stays on screen.
    """
    await directory_loaded(pilot)
    await pilot.press(*"food")
    await settle(pilot)
    first_rows = _drawings_on_screen(app)
    assert first_rows, "the first search showed no rows to follow"
    await pilot.press(*["backspace"] * 4, *"memory")
    await settle(pilot)
    return first_rows


def _still_alive(drawings: list[weakref.ref[StylesCache]]) -> int:
    gc.collect()
    return sum(ref() is not None for ref in drawings)


async def test_the_kiosk_lets_go_of_the_rows_a_new_search_replaced(
    store: HubStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(screens.app, "FREE_EVERY_SECONDS", QUICK_SECONDS)
    app = make_app(store=store, clock=clock, idle_seconds=120, idle_countdown_seconds=30)
    async with app.run_test(size=(100, 40)) as pilot:
        first_rows = await _rows_a_second_search_replaced(pilot, app)
        await pilot.pause(QUICK_SECONDS * 4)  # the kiosk's clearing runs meanwhile
        assert _still_alive(first_rows) == 0


@pytest.mark.skipif(
    not hasattr(StylesCache.get_inner_outer, "cache_clear"),
    reason="this Textual no longer caches drawings in get_inner_outer",
)
async def test_without_the_clearing_textual_would_keep_them(
    store: HubStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check above can fail: with the clearing held off, the gone rows stay alive,
    until free_unseen_drawings lets them go."""
    monkeypatch.setattr(screens.app, "FREE_EVERY_SECONDS", 3600.0)
    free_unseen_drawings()
    app = make_app(store=store, clock=clock, idle_seconds=120, idle_countdown_seconds=30)
    async with app.run_test(size=(100, 40)) as pilot:
        first_rows = await _rows_a_second_search_replaced(pilot, app)
        assert _still_alive(first_rows) > 0
        assert free_unseen_drawings() > 0
        assert _still_alive(first_rows) == 0
