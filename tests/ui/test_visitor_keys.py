"""The visitor's journeys by keyboard at 80×24: keys that do what they say, cards that scroll,
small windows, resizing, and topics that list what search finds."""

from __future__ import annotations

from textual.widgets import Button, Input, ListView

from hub.storage import HubStore
from screens.app import HubApp
from screens.home import HomeScreen
from screens.idle import IdleScreen
from screens.more_help import MoreHelpScreen
from screens.results import ResultsScreen
from screens.service_card import ServiceCardScreen
from screens.something_wrong import SomethingWrongScreen
from screens.theme_choice import ThemeChoiceScreen
from screens.themes import LARGE
from screens.widgets.need_tiles import NeedTile
from screens.widgets.results_panel import FilterButton, ResultItem
from tests.ui.conftest import FakeClock, settle


def _names(app: HubApp) -> list[str]:
    return [item.service_name for item in app.screen.query(ResultItem)]


async def test_memory_tile_lists_a_dementia_group_tagged_only_for_carers(
    app: HubApp, store: HubStore
) -> None:
    circle = next(s for s in store.services() if "Dementia Carers" in s.name)
    store.save_services([circle.model_copy(update={"needs": ["carers"]})])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#need-memory")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert circle.name in _names(app)


# --- keys that do what they say ----------------------------------------------------------


async def test_down_then_enter_opens_the_first_result(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"dementia")  # results arrive as you type: no Enter
        await settle(pilot)
        first = _names(app)[0]
        await pilot.press("down")
        assert isinstance(app.focused, ListView)
        assert app.focused.index == 0
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ServiceCardScreen)
        assert app.screen.service.name == first


async def test_escape_on_home_puts_the_keyboard_back_in_the_search_box(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"dementia", "enter")
        await settle(pilot)
        assert isinstance(app.focused, ListView)
        await pilot.press("escape")
        await pilot.pause()
        box = app.screen.query_one("#search", Input)
        assert app.screen.focused is box
        assert box.value == ""
        await pilot.press(*"rent")
        assert box.value == "rent"


async def test_typing_after_back_from_a_card_goes_into_the_search_box(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"food", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ServiceCardScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press(*" bank")  # the space after food: the list has the keyboard
        box = app.screen.query_one("#search", Input)
        assert box.value == "food bank"
        assert app.screen.focused is box


async def test_typing_while_a_tile_is_focused_goes_into_the_search_box(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "right")
        assert isinstance(app.focused, NeedTile)
        await pilot.press(*"food")
        box = app.screen.query_one("#search", Input)
        assert app.screen.focused is box
        assert box.value == "food"
        await settle(pilot)
        assert _names(app)


async def test_idle_reset_puts_the_keyboard_in_the_search_box(
    app: HubApp, clock: FakeClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"food", "enter")
        await settle(pilot)
        assert isinstance(app.focused, ListView)
        clock.advance(app.idle_seconds + 1)
        app.check_inactivity()
        await pilot.pause()
        assert isinstance(app.screen, IdleScreen)
        clock.advance(app.idle_countdown_seconds + 1)
        app.check_inactivity()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        box = app.screen.query_one("#search", Input)
        assert box.value == ""
        assert app.screen.focused is box


async def test_text_and_colours_is_one_arrow_up_and_its_choices_move_with_arrows(
    app: HubApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("up")
        assert app.focused is not None and app.focused.id == "theme-switch"
        await pilot.press("right")
        assert app.focused is not None and app.focused.id == "urgent"
        await pilot.press("left", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ThemeChoiceScreen)
        await pilot.press("down")  # from Standard (the current look) to Large text
        assert app.focused is not None and app.focused.id == LARGE
        await pilot.press("down", "up", "enter")
        await pilot.pause()
        assert app.theme == LARGE
        await pilot.press("down")
        assert app.focused is app.screen.query_one("#search", Input)


async def test_more_help_is_down_from_the_last_row_of_tiles(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down", "down")  # the search box, then 3 rows of tiles
        assert isinstance(app.focused, NeedTile)
        assert app.focused is app.screen.query(NeedTile)[6]
        await pilot.press("down")
        assert isinstance(app.focused, Button) and app.focused.id == "more-help"
        await pilot.press("up")
        assert isinstance(app.focused, NeedTile)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MoreHelpScreen)


async def test_up_from_the_first_result_reaches_the_switches(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#need-memory")
        await settle(pilot)
        assert isinstance(app.focused, ListView)
        await pilot.press("up")
        assert isinstance(app.focused, FilterButton) and app.focused.id == "open-today"
        await pilot.press("right")
        assert isinstance(app.focused, FilterButton) and app.focused.id == "free"
        await pilot.press("down")
        assert isinstance(app.focused, ListView)


async def test_card_buttons_move_with_left_and_right(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"food", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "take-away"
        await pilot.press("right")
        assert app.focused is not None and app.focused.id == "something-wrong"
        await pilot.press("left")
        assert app.focused is not None and app.focused.id == "take-away"


async def test_something_wrong_dialog_moves_with_arrows(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"food", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("right", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SomethingWrongScreen)
        assert isinstance(app.focused, Input)
        await pilot.press("down")
        assert app.focused is not None and app.focused.id == "send"
        await pilot.press("right")
        assert app.focused is not None and app.focused.id == "cancel"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ServiceCardScreen)
