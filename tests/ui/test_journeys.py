"""Visitor journeys through the real kiosk, driven by Pilot on the sample directory."""

from __future__ import annotations

from textual.widgets import Input, ListView, Static

from hub.search import is_searchable
from hub.storage import HubStore
from hub.suggestions import open_suggestions
from hub.unmet import unmet_searches
from screens.app import HubApp
from screens.home import HomeScreen
from screens.more_help import MoreHelpScreen
from screens.results import ResultsScreen
from screens.service_card import ServiceCardScreen
from screens.something_wrong import SomethingWrongScreen
from screens.take_away import TakeAwayScreen, qr_payload
from screens.widgets.qr import QrCode, qr_modules
from screens.widgets.result_rows import ResultItem
from screens.widgets.results_panel import ResultsPanel
from tests.ui.conftest import FIXED_NOW, click_again, saves_done, settle


def _items(app: HubApp) -> list[ResultItem]:
    return list(app.screen.query(ResultItem))


def _static_text(widget: Static) -> str:
    return str(widget.render())


async def test_memory_tile_to_cafe_card_and_qr_in_three_clicks(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#need-memory")  # 1: the tile
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        cafe = next(item for item in _items(app) if "Memory Café" in item.service_name)
        await pilot.click(cafe)  # 2: the café
        await pilot.pause()
        assert isinstance(app.screen, ServiceCardScreen)
        assert "Memory Café" in app.screen.service.name
        await pilot.click("#take-away")  # 3: take it with you
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TakeAwayScreen)
        qr = screen.query_one(QrCode)
        assert qr.text == qr_payload(screen.service, FIXED_NOW)
        assert screen.service.name in qr.text
        phone = screen.service.contact.phones[0].number
        assert phone in qr.text
        assert qr.modules == qr_modules(qr.text)
        # The code must fit a 24-line screen: two module rows per line.
        assert (len(qr.modules) + 1) // 2 <= 24
        assert qr.region.height <= 24


async def test_typo_search_finds_the_cafe_by_keyboard_alone(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.focused is app.screen.query_one("#search")
        await pilot.press(*"demntia", "enter")
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        names = [item.service_name for item in _items(app)]
        assert any("Memory Café" in name for name in names)
        list_view = home.query_one("#search-results ListView", ListView)
        assert app.focused is list_view
        target = next(i for i, name in enumerate(names) if "Memory Café" in name)
        for _ in range(target):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ServiceCardScreen)
        assert "Memory Café" in app.screen.service.name


async def test_results_update_as_you_type_without_enter(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"food bank")
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.results.display and not home.grid.display
        assert _items(app)
        await pilot.press("escape")
        await pilot.pause()
        assert home.search_box.value == ""
        assert home.grid.display and not home.results.display


async def test_short_words_keep_the_tiles(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "o")
        await settle(pilot)
        assert not is_searchable("fo")
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.grid.display


async def test_nothing_found_is_said_kindly_and_logged_as_words_and_day(
    app: HubApp, store: HubStore
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"zqxjv wobblefrump", "enter")
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.grid.display, "the tiles stay on offer"
        hint = _static_text(home.query_one("#home-hint", Static))
        assert "Sorry, we could not find anything" in hint
        assert "wobblefrump" in hint
        assert home.query_one("#urgent").display
    logged = unmet_searches(store)
    assert [(entry.text, entry.day) for entry in logged] == [
        ("zqxjv wobblefrump", FIXED_NOW.date())
    ]


async def test_typing_on_the_way_to_a_word_is_not_logged(app: HubApp, store: HubStore) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"zqxjv")
        await settle(pilot)
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await pilot.press(*"dementia")
        await settle(pilot)
    assert unmet_searches(store) == []


async def test_filters_narrow_the_list(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#need-loneliness")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        panel = app.screen.query_one(ResultsPanel)
        everything = [result.service.id for result in panel.results]
        await pilot.click("#only-show")  # the switches come out in place of the list
        assert panel.choosing_filters and not panel.list_view.display
        await pilot.click("#free")
        await settle(pilot)
        free = panel.results
        assert panel.filters.free_only
        assert all(result.service.cost.free is True for result in free)
        assert {result.service.id for result in free} <= set(everything)
        await pilot.click("#drop-in")
        await settle(pilot)
        assert all(result.service.attendance.drop_in for result in panel.results)
        await click_again(pilot, "#free")
        await click_again(pilot, "#drop-in")
        await settle(pilot)
        assert [result.service.id for result in panel.results] == everything
        await click_again(pilot, "#only-show")  # Done: the list is back
        assert not panel.choosing_filters and panel.list_view.display


async def test_more_topics_pages_list_the_other_needs(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        seen: list[str] = []
        pages = 0
        await pilot.click("#more-topics")
        await pilot.pause()
        while True:
            pages += 1
            assert isinstance(app.screen, MoreHelpScreen)
            tiles = [tile.id or "" for tile in app.screen.query(".need-tile")]
            assert len(tiles) <= 6  # a page, never a scroll
            seen += [tile for tile in tiles if tile != "more-topics"]
            if "more-topics" not in tiles:
                break
            assert tiles[-1] == "more-topics"
            await pilot.click("#more-topics")
            await pilot.pause()
        assert seen == [f"need-{need.id}" for need in app.other_needs]
        assert len(app.screen_stack) == 1 + pages
        await pilot.click("#back")  # Back steps back a page
        await pilot.pause()
        assert len(app.screen_stack) == pages
        await pilot.click("#need-health")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert app.screen.need.id == "health"


async def test_tiles_work_with_arrow_keys(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")
        assert app.focused is not None and app.focused.id == "need-memory"
        await pilot.press("right", "down")
        assert app.focused.id == "more-topics"
        await pilot.press("up", "up")
        assert app.focused is app.screen.query_one("#search", Input)


async def test_something_wrong_saves_a_note_for_staff(app: HubApp, store: HubStore) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#need-memory")
        await settle(pilot)
        await pilot.click(_items(app)[0])
        await pilot.pause()
        card = app.screen
        assert isinstance(card, ServiceCardScreen)
        service_id = card.service.id
        await pilot.click("#something-wrong")
        await pilot.pause()
        assert isinstance(app.screen, SomethingWrongScreen)
        warning = _static_text(app.screen.query_one(".privacy-warning", Static))
        assert "do not write your name" in warning
        await pilot.press("enter")  # empty: asks for words, saves nothing
        await pilot.pause()
        assert isinstance(app.screen, SomethingWrongScreen)
        await pilot.press(*"They meet on Thursdays now", "enter")
        await saves_done(pilot)
        assert app.screen_stack[-1] is card
    notes = open_suggestions(store)
    assert [(n.service_id, n.text, n.day) for n in notes] == [
        (service_id, "They meet on Thursdays now", FIXED_NOW.date())
    ]


async def test_back_and_home_buttons(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#need-food")
        await settle(pilot)
        await pilot.click(_items(app)[0])
        await pilot.pause()
        assert isinstance(app.screen, ServiceCardScreen)
        await pilot.click("#back")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.click(_items(app)[0])
        await pilot.pause()
        await pilot.click("#go-home")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 1
