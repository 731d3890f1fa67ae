"""Few choices and a clear way back (issue 15, item 2), through Pilot at 80×24: "Start
again" wipes the visit, "Back to topics" from any list, and results a page at a time."""

from __future__ import annotations

from textual.widgets import Button, Input

from screens.app import HubApp
from screens.home import HomeScreen
from screens.results import ResultsScreen
from screens.service_card import ServiceCardScreen
from screens.widgets.need_tiles import NeedTile
from screens.widgets.results_panel import PAGE_SIZE, MoreResultsItem, ResultItem, ResultsPanel
from tests.ui.conftest import settle


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
        await pilot.click("#search-results #only-show")  # Done: the list again
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
        await pilot.click("#need-results #only-show")  # Done
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
