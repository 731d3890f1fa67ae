"""The take-away's buttons show their whole words at 80x24, in every language the kiosk
ships: "Urgent help (F1)" was once cut to "Urgent help (" beside "Back"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rich.cells import cell_len
from textual.widgets import Button

from hub import i18n
from hub.storage import HubStore
from screens.app import make_app
from screens.take_away import TakeAwayScreen
from screens.widgets.result_rows import ResultItem
from tests.ui.conftest import FakeClock, settle

LANGUAGES = ["en", "pl", "ro", "pt", "so", "gu", "ta", "ar"]


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """Put English back after each test: the language is the process's, not the app's."""
    before = i18n.current_catalogue()
    yield
    i18n.use_catalogue(before)


@pytest.mark.parametrize("code", LANGUAGES)
async def test_every_take_away_button_shows_its_whole_label(
    store: HubStore, clock: FakeClock, code: str
) -> None:
    app = make_app(store=store, clock=clock, language=code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#need-memory")
        await settle(pilot)
        item = next(iter(app.screen.query(ResultItem)))
        await pilot.click(item)
        await pilot.pause()
        await pilot.press("enter")  # Take it with you
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TakeAwayScreen)
        buttons = [button for button in screen.query(Button) if button.display]
        assert {"back", "urgent"} <= {button.id for button in buttons}
        for button in buttons:
            label = str(button.label)
            assert button.region.right <= 80, (code, label)
            assert button.content_region.width >= cell_len(label), (code, label)
