"""A browser session of `hub serve`: the kiosk on a folder another process holds, no staff key.

`hub serve` holds the data folder while it serves, and each browser connection's kiosk
opens it read-only beside it (until short write transactions land; see hub.cli_serve).
Such a kiosk must give a visitor everything: searches, cards, urgent help. Its few writes
are refused by the store and handled as a full disk's are: a search that found nothing
goes unlogged, a "Something wrong?" note says it was not saved. Made with `staff=False`,
the staff key does nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from hub.storage import HubStore
from hub.suggestions import open_suggestions
from hub.unmet import unmet_searches
from screens.app import HubApp, make_app
from screens.home import HomeScreen
from screens.process import NOT_SAVED
from screens.something_wrong import SomethingWrongScreen
from screens.urgent import UrgentScreen
from tests.ui.conftest import FakeClock, settle
from tests.ui.test_staff_mode import open_cafe_card, screen_text

SIZE = (80, 24)


@pytest.fixture
def held_folder(tmp_path: Path, clock: FakeClock) -> Iterator[HubStore]:
    """Yield the store `hub serve` would hold: the folder opened for writing, sample in."""
    holder = HubStore.open(tmp_path / "served")
    make_app(store=holder, clock=clock)  # seeds the sample, as `hub serve` does at start
    yield holder
    holder.close()


@pytest.fixture
def session(held_folder: HubStore, clock: FakeClock) -> Iterator[HubApp]:
    """Yield a browser session's kiosk: read-only beside the holder, no staff key."""
    reader = HubStore.open(held_folder.root, read_only=True)
    assert reader.read_only
    yield make_app(
        store=reader, clock=clock, idle_seconds=120, idle_countdown_seconds=30, staff=False
    )
    reader.close()


async def test_the_staff_key_does_nothing_in_a_visitor_session(session: HubApp) -> None:
    app = session
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, UrgentScreen)  # the keys around it still work


async def test_a_visitor_journey_beside_the_server(session: HubApp, held_folder: HubStore) -> None:
    app = session
    async with app.run_test(size=SIZE) as pilot:
        # A search that finds nothing cannot be logged here: skipped, silently.
        await pilot.click("#search")
        await pilot.press(*"xqxqxq zzqq", "enter")
        await settle(pilot)
        assert "could not find anything" in screen_text(app)
        await pilot.press("escape")
        await pilot.press(*"food")
        await settle(pilot)
        assert app.screen.query_one("#search-results").display
        await pilot.press("escape")
        await pilot.pause()
        await open_cafe_card(pilot)
        # "Something wrong?" says it was not saved and to tell staff.
        await pilot.click("#something-wrong")
        await pilot.pause()
        assert isinstance(app.screen, SomethingWrongScreen)
        await pilot.press(*"They meet on Thursdays now", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        message = app.screen.query_one("#note-message", Static)
        assert str(message.render()) == NOT_SAVED
        assert app.is_running and app.return_code is None
    # Read afresh from the files (the holder's own view might be cached).
    with HubStore.open(held_folder.root, read_only=True) as fresh:
        assert unmet_searches(fresh) == []
        assert open_suggestions(fresh) == []
