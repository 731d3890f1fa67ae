"""Few choices and a clear way back (issue 15, item 2), through Pilot at 80×24: "Start
again" wipes the visit, "Back to topics" from any list, and results a page at a time."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input

from screens.app import HubApp
from screens.home import HomeScreen
from screens.more_help import MoreHelpScreen
from screens.results import ResultsScreen
from screens.service_card import ServiceCardScreen
from screens.widgets.need_tiles import NeedTile
from screens.widgets.result_rows import MoreResultsItem, ResultItem
from screens.widgets.results_panel import PAGE_SIZE, ResultsPanel
from tests.ui.conftest import click_again, settle


def _home(app: HubApp) -> HomeScreen:
    screen = app.screen
    assert isinstance(screen, HomeScreen)
    return screen


async def test_start_again_clears_the_search_filters_and_card(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"food")
        await settle(pilot)
        home = _home(app)
        await pilot.click("#search-results #only-show")
        await pilot.click("#search-results #free")
        await settle(pilot)
        assert home.results.any_filter_on
        await click_again(pilot, "#search-results #only-show")  # Done: the list again
        await settle(pilot)
        await pilot.click(home.query(ResultItem).first())  # open the first card
        await pilot.pause()
        card = app.screen
        assert isinstance(card, ServiceCardScreen)
        start_again = card.query_one("#go-home", Button)
        assert str(start_again.label) == "Start again"
        await pilot.click("#go-home")
        await settle(pilot)
        assert app.screen is home
        assert len(app.screen_stack) == 1
        box = home.query_one("#search", Input)
        assert box.value == ""
        assert app.focused is box
        assert not home.results.any_filter_on
        assert not home.results.display
        assert not home.query(ResultItem)
        assert home.grid.display
        await pilot.press(*"rent")
        assert box.value == "rent"


async def test_start_again_from_a_topic_list_comes_back_to_an_empty_home(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#need-food")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        await pilot.click("#go-home")
        await settle(pilot)
        home = _home(app)
        assert app.focused is home.search_box
        assert home.is_untouched()


async def test_back_to_topics_from_search_results_clears_the_search(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"food")
        await settle(pilot)
        home = _home(app)
        back = home.query_one("#search-results .back-to-topics", Button)
        assert str(back.label) == "◀ Back to topics"
        # Visible: on screen, inside the 80×24 window, not scrolled away.
        assert back.display and back.region.height == 1
        assert app.screen.region.contains_region(back.region)
        await pilot.click(back)
        await settle(pilot)
        assert app.screen is home
        assert home.search_box.value == ""
        assert home.grid.display
        assert not home.results.display
        assert isinstance(app.focused, NeedTile)


async def test_back_to_topics_from_a_topic_list(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#need-food")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        await pilot.click("#need-results #only-show")
        await pilot.click("#need-results #free")
        await settle(pilot)
        await click_again(pilot, "#need-results #only-show")  # Done
        await settle(pilot)
        back = app.screen.query_one(".back-to-topics", Button)
        assert app.screen.region.contains_region(back.region)
        await pilot.click(back)
        await settle(pilot)
        home = _home(app)
        assert len(app.screen_stack) == 1
        assert home.is_untouched()
        assert home.grid.display
        assert isinstance(app.focused, NeedTile)


async def test_results_come_eight_at_a_time_with_more_results(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"food", "enter")
        await settle(pilot)
        home = _home(app)
        found = [result.service.name for result in home.results.results]
        assert len(found) > PAGE_SIZE  # the sample has more than a page of food
        shown = [item.service_name for item in home.query(ResultItem)]
        assert shown == found[:PAGE_SIZE]
        list_view = home.results.list_view
        more = home.query_one(MoreResultsItem)
        assert list_view.children[-1] is more
        # Down to the end of the list and Enter on "More results".
        await pilot.press(*["down"] * PAGE_SIZE)
        assert list_view.highlighted_child is more
        await pilot.press("enter")
        await settle(pilot)
        shown = [item.service_name for item in home.query(ResultItem)]
        assert shown == found[: 2 * PAGE_SIZE]
        assert app.focused is list_view
        first_new = list_view.highlighted_child
        assert isinstance(first_new, ResultItem)
        assert first_new.service_name == found[PAGE_SIZE]
        assert list_view.region.contains_region(first_new.region)  # scrolled into sight
        assert bool(home.query(MoreResultsItem)) == (len(found) > 2 * PAGE_SIZE)
        await pilot.press("enter")  # Enter opens the first new one
        await pilot.pause()
        assert isinstance(app.screen, ServiceCardScreen)
        assert app.screen.service.name == found[PAGE_SIZE]


async def test_more_results_by_mouse(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#need-food")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        panel = app.screen.query_one(ResultsPanel)
        total = len(panel.results)
        assert total > PAGE_SIZE
        assert len(app.screen.query(ResultItem)) == PAGE_SIZE
        more = app.screen.query_one(MoreResultsItem)
        panel.list_view.scroll_end(animate=False)
        await pilot.pause()
        # Drawn whole, inside the list: something a finger can land on.
        assert more.region.height >= 1 and more.region.width > len("More results")
        assert panel.list_view.region.contains_region(more.region)
        await pilot.click(more)
        await settle(pilot)
        assert len(app.screen.query(ResultItem)) == min(total, 2 * PAGE_SIZE)
        highlighted = panel.list_view.highlighted_child
        assert isinstance(highlighted, ResultItem)
        assert highlighted.service_id == panel.results[PAGE_SIZE].service.id


# --- back to the topics from anywhere, by keyboard alone and by mouse alone ------------


async def _tile_list(pilot: Pilot[None], keyboard: bool) -> None:
    if keyboard:
        await pilot.press("down", "enter")  # the first tile
    else:
        await pilot.click("#need-memory")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ResultsScreen)


async def _search_list(pilot: Pilot[None], keyboard: bool) -> None:
    await pilot.press(*"food", "enter") if keyboard else await _type_by_mouse(pilot, "food")
    await settle(pilot)
    assert pilot.app.query_one(ResultItem)


async def _type_by_mouse(pilot: Pilot[None], words: str) -> None:
    # A touch screen's on-screen keyboard types into the box it was tapped into.
    await pilot.click("#search")
    await pilot.press(*words)


async def _card(pilot: Pilot[None], keyboard: bool) -> None:
    await _tile_list(pilot, keyboard)
    if keyboard:
        await pilot.press("enter")  # the first result is highlighted
    else:
        await pilot.click(pilot.app.screen.query(ResultItem).first())
    await pilot.pause()
    assert isinstance(pilot.app.screen, ServiceCardScreen)


async def _take_away(pilot: Pilot[None], keyboard: bool) -> None:
    await _card(pilot, keyboard)
    await pilot.press("enter") if keyboard else await pilot.click("#take-away")
    await pilot.pause()


async def _more_topics_page_2(pilot: Pilot[None], keyboard: bool) -> None:
    if keyboard:
        await pilot.press("down", "down", "right", "enter")  # Food, then More topics
        await pilot.pause()
        await pilot.press("down", "right", "right", "enter")  # the page's own More topics
    else:
        await pilot.click("#more-topics")
        await pilot.pause()
        await pilot.click("#more-topics")
    await pilot.pause()
    assert isinstance(pilot.app.screen, MoreHelpScreen)
    assert len(pilot.app.screen_stack) == 3


async def _service_from_more_topics(pilot: Pilot[None], keyboard: bool) -> None:
    await _more_topics_page_2(pilot, keyboard)
    if keyboard:
        await pilot.press("enter", "enter")  # the first topic, then its first service
    else:
        await pilot.click(pilot.app.screen.query(NeedTile).first())
    await settle(pilot)
    if not keyboard:
        await pilot.click(pilot.app.screen.query(ResultItem).first())
    await pilot.pause()
    assert isinstance(pilot.app.screen, ServiceCardScreen)


async def _urgent(pilot: Pilot[None], keyboard: bool) -> None:
    await _card(pilot, keyboard)
    await pilot.press("f1") if keyboard else await pilot.click("#urgent")
    await pilot.pause()


PLACES = {
    "topic-list": _tile_list,
    "search-list": _search_list,
    "card": _card,
    "take-away": _take_away,
    "more-topics-page-2": _more_topics_page_2,
    "card-from-more-topics": _service_from_more_topics,
    "urgent": _urgent,
}


def _back_at_the_topics(app: HubApp) -> None:
    home = _home(app)
    assert len(app.screen_stack) == 1
    assert home.grid.display and not home.results.display
    assert home.search_box.value == ""


@pytest.mark.parametrize("place", list(PLACES))
async def test_keyboard_alone_gets_back_to_the_topics(app: HubApp, place: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await PLACES[place](pilot, True)
        # Escape steps back one screen at a time; on Home it empties the search.
        for _step in range(5):
            if isinstance(app.screen, HomeScreen) and home_is_at_topics(app.screen):
                break
            await pilot.press("escape")
            await settle(pilot)
        _back_at_the_topics(app)


def home_is_at_topics(home: HomeScreen) -> bool:
    """Return True when Home shows the tiles and an empty box."""
    return bool(home.grid.display) and not home.search_box.value


@pytest.mark.parametrize("place", list(PLACES))
async def test_mouse_alone_gets_back_to_the_topics(app: HubApp, place: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await PLACES[place](pilot, False)
        # "Back to topics" where a list shows, else "Start again" in the bar: one click.
        # Take it with you has only Back (screens/take_away.py), so two clicks from there.
        clicks = 0
        while not (isinstance(app.screen, HomeScreen) and home_is_at_topics(app.screen)):
            screen = app.screen
            shown = [b for b in screen.query(".back-to-topics").results(Button) if b.display]
            ways = shown or list(screen.query("#go-home").results(Button))
            button = ways[0] if ways else screen.query_one("#back", Button)
            assert screen.region.contains_region(button.region), "in sight, no scrolling"
            await pilot.click(button)
            await settle(pilot)
            clicks += 1
            assert clicks <= (2 if place == "take-away" else 1)
        _back_at_the_topics(app)
