"""A browser session of `hub serve`: the kiosk on a folder another process has open, no staff key.

`hub serve` opens the data folder, and each browser connection's kiosk opens it beside it
(each save takes the folder's lock only while it writes; see hub.folder_lock). Such a
kiosk must give a visitor everything: searches, cards, urgent help, and its few writes (a
search that found nothing, a "Something wrong?" note) are saved and seen by the other
process. Made with `staff=False`, the staff key does nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.storage import HubStore
from hub.suggestions import open_suggestions
from hub.unmet import unmet_searches
from screens.app import HubApp, make_app
from screens.home import HomeScreen
from screens.something_wrong import SomethingWrongScreen
from screens.urgent import UrgentScreen
from tests.ui.conftest import FakeClock, settle
from tests.ui.test_staff_mode import find_food_then_send_a_note, screen_text

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
    """Yield a browser session's kiosk: a second store on the same folder, no staff key."""
    beside = HubStore.open(held_folder.root)
    assert not beside.read_only
    yield make_app(
        store=beside, clock=clock, idle_seconds=120, idle_countdown_seconds=30, staff=False
    )
    beside.close()


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
        # A search that finds nothing is logged, as on the terminal kiosk.
        await pilot.click("#search")
        await pilot.press(*"xqxqxq zzqq", "enter")
        await settle(pilot)
        assert "could not find anything" in screen_text(app)
        # A food search finds things, and "Something wrong?" is saved and thanked for.
        await find_food_then_send_a_note(pilot, "They meet on Thursdays now")
        assert not isinstance(app.screen, SomethingWrongScreen)
        assert app.is_running and app.return_code is None
    # The process that holds the folder open sees both saves, and so does a fresh reader.
    for store in (held_folder, HubStore.open(held_folder.root, read_only=True)):
        assert [entry.text for entry in unmet_searches(store)] == ["xqxqxq zzqq"]
        assert [note.text for note in open_suggestions(store)] == ["They meet on Thursdays now"]
