"""A kiosk cannot be escaped, urgent help is one step from anywhere, and idle resets leave
no trace."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Digits, Input

from hub.staff import add_staff
from hub.storage import HubStore
from screens.app import HubApp
from screens.home import HomeScreen
from screens.idle import IdleScreen
from screens.more_help import MoreHelpScreen
from screens.results import ResultsScreen
from screens.service_card import ServiceCardScreen
from screens.something_wrong import SomethingWrongScreen
from screens.staff_prompt import StaffPromptScreen
from screens.take_away import TakeAwayScreen
from screens.theme_choice import ThemeChoiceScreen
from screens.themes import HIGH_CONTRAST, LARGE, LARGE_CLASS, STANDARD
from screens.urgent import UrgentScreen
from screens.visitor import VisitorScreen
from screens.widgets.result_rows import ResultItem
from screens.widgets.results_panel import ResultsPanel, SearchRequest
from tests.ui.conftest import FakeClock, click_again, idle_for, settle

Journey = Callable[[Pilot[None]], Awaitable[None]]


async def _at_home(pilot: Pilot[None]) -> None:
    await pilot.pause()


async def _at_results(pilot: Pilot[None]) -> None:
    await pilot.click("#need-memory")
    await settle(pilot)


async def _at_more_help(pilot: Pilot[None]) -> None:
    await pilot.click("#more-topics")
    await pilot.pause()


async def _at_card(pilot: Pilot[None]) -> None:
    await _at_results(pilot)
    await pilot.click(pilot.app.screen.query(ResultItem).first())
    await pilot.pause()


async def _at_take_away(pilot: Pilot[None]) -> None:
    await _at_card(pilot)
    await pilot.click("#take-away")
    await pilot.pause()


async def _at_something_wrong(pilot: Pilot[None]) -> None:
    await _at_card(pilot)
    await pilot.click("#something-wrong")
    await pilot.pause()


async def _at_search_results(pilot: Pilot[None]) -> None:
    await pilot.press(*"dementia")
    await settle(pilot)


VISITOR_SCREENS: dict[str, tuple[Journey, type]] = {
    "home": (_at_home, HomeScreen),
    "search results": (_at_search_results, HomeScreen),
    "need results": (_at_results, ResultsScreen),
    "more help": (_at_more_help, MoreHelpScreen),
    "service card": (_at_card, ServiceCardScreen),
    "take it with you": (_at_take_away, TakeAwayScreen),
    "something wrong": (_at_something_wrong, SomethingWrongScreen),
}


@pytest.mark.parametrize("where", list(VISITOR_SCREENS))
async def test_urgent_help_key_from_every_screen_and_back(app: HubApp, where: str) -> None:
    journey, screen_type = VISITOR_SCREENS[where]
    async with app.run_test(size=(80, 24)) as pilot:
        await journey(pilot)
        before = app.screen
        assert isinstance(before, screen_type)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, UrgentScreen)
        await pilot.press("f1")  # again: still one urgent screen, not a pile of them
        await pilot.pause()
        assert sum(isinstance(s, UrgentScreen) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is before


@pytest.mark.parametrize("where", [w for w in VISITOR_SCREENS if w != "something wrong"])
async def test_urgent_help_button_from_every_screen_and_back(app: HubApp, where: str) -> None:
    journey, _screen_type = VISITOR_SCREENS[where]
    async with app.run_test(size=(80, 24)) as pilot:
        await journey(pilot)
        before = app.screen
        urgent_button = before.query_one("#urgent")
        assert "F1" in str(urgent_button.render())  # the button shows its key
        await pilot.click("#urgent")
        await pilot.pause()
        assert isinstance(app.screen, UrgentScreen)
        await pilot.click("#back")
        await pilot.pause()
        assert app.screen is before


async def test_urgent_help_shows_every_line_large(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        digits = [str(d.value) for d in app.screen.query(".urgent-number").results(Digits)]
        # 999 first; then the lines for anyone in distress, then the specialist lines.
        assert digits[:3] == ["999", "116 123", "85258"]
        names = [str(s.render()) for s in app.screen.query(".urgent-name")]
        assert names == [line.name for line in app.urgent.lines]


ESCAPE_KEYS = [
    "ctrl+q",
    "ctrl+c",
    "ctrl+z",
    "ctrl+backslash",
    "ctrl+p",
    "ctrl+d",
    "ctrl+w",
    "ctrl+x",
    "alt+f4",
    # F9 is left out: it is the staff sign-in key (as Ctrl+T is), which asks for a PIN.
    *(f"f{n}" for n in range(2, 13) if n != 9),
]


@pytest.mark.parametrize("where", ["home", "service card"])
async def test_quit_and_tool_keys_do_nothing(app: HubApp, where: str) -> None:
    """Each key, pressed three times over, leaves the kiosk running on the same screen.

    The keys go one after another into one kiosk: if one did something, the test stops
    at it and names it, before any later key could hide what it did.
    """
    journey, screen_type = VISITOR_SCREENS[where]
    async with app.run_test(size=(80, 24)) as pilot:
        await journey(pilot)
        before = app.screen
        assert isinstance(before, screen_type)
        for key in ESCAPE_KEYS:
            await pilot.press(key, key, key)
            await pilot.pause()
            assert app.is_running and app.return_code is None, f"{key} closed the kiosk"
            assert app.screen is before, f"{key} changed the screen to {app.screen!r}"
            assert not any(isinstance(s, CommandPalette) for s in app.screen_stack), (
                f"{key} opened the command palette"
            )


async def test_the_same_keys_typed_into_the_search_box_do_nothing(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.focused, Input)
        await pilot.press(*ESCAPE_KEYS)
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, HomeScreen)


async def test_escape_chains_stop_at_home(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _at_take_away(pilot)
        assert len(app.screen_stack) == 4
        await pilot.press(*["escape"] * 12)
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1


async def test_no_command_palette_or_quit_binding() -> None:
    assert HubApp.ENABLE_COMMAND_PALETTE is False
    actions = {binding.action for binding in HubApp.BINDINGS if not isinstance(binding, tuple)}
    assert "quit" not in actions and "command_palette" not in actions


async def test_staff_key_opens_the_prompt_which_says_not_set_up(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, StaffPromptScreen)
        message = str(app.screen.query_one("#staff-message").render())
        assert message == "Staff mode is not set up on this kiosk."
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_staff_prompt_opens_staff_mode_with_the_right_pin(
    app: HubApp, store: HubStore, clock: FakeClock
) -> None:
    class StaffHome(VisitorScreen):
        """Stands in for the first screen of staff mode."""

    opened: list[str] = []

    def open_staff_mode(kiosk: HubApp, member: object) -> StaffHome:
        opened.append(getattr(member, "name", ""))
        return StaffHome()

    add_staff(store, "Ana Silva", "246810", clock())
    app.staff_mode_factory = open_staff_mode
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.click("#staff-name")
        await pilot.press(*"Ana Silva", "enter", *"111111", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StaffPromptScreen)
        assert "did not work" in str(app.screen.query_one("#staff-message").render())
        await pilot.press(*"246810", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StaffHome)
        assert opened == ["Ana Silva"]
        app.staff_quit()
        await pilot.pause()
    assert app.return_code == 0


async def _a_visit_with_everything_open(pilot: Pilot[None]) -> None:
    """Type a search, switch a filter on, choose a look, open a card and a form."""
    app = pilot.app
    await pilot.press(*"dementia")
    await settle(pilot)
    await pilot.click("#search-results #only-show")
    await pilot.click("#search-results #free")
    await settle(pilot)
    await click_again(pilot, "#search-results #only-show")  # Done
    await settle(pilot)
    app.theme = HIGH_CONTRAST
    await pilot.click(app.screen.query(ResultItem).first())
    await pilot.pause()
    await pilot.click("#something-wrong")
    await pilot.pause()
    await pilot.press(*"Half-typed note")


async def test_idle_question_then_reset_clears_everything(app: HubApp, clock: FakeClock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _a_visit_with_everything_open(pilot)
        assert len(app.screen_stack) == 3
        await idle_for(pilot, clock, 119)
        assert not isinstance(app.screen, IdleScreen)
        await idle_for(pilot, clock, 2)
        idle = app.screen
        assert isinstance(idle, IdleScreen)
        assert idle.seconds_left() == 30
        await idle_for(pilot, clock, 25)
        assert idle.seconds_left() == 5
        assert app.screen is idle
        await idle_for(pilot, clock, 5)
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and len(app.screen_stack) == 1
        assert home.search_box.value == ""
        assert not home.results.any_filter_on
        assert home.results.results == []
        assert home.grid.display
        assert app.theme == STANDARD
        assert app.focused is home.search_box
        assert app.is_fresh()


async def test_yes_im_still_here_keeps_the_visit(app: HubApp, clock: FakeClock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _a_visit_with_everything_open(pilot)
        form = app.screen
        await idle_for(pilot, clock, 121)
        assert isinstance(app.screen, IdleScreen)
        await pilot.click("#still-here")
        await pilot.pause()
        assert app.screen is form
        assert app.seconds_idle() == 0
        await idle_for(pilot, clock, 29)  # the countdown's deadline has passed, but answered
        assert app.screen is form
        assert app.home.search_box.value == "dementia"
        assert app.theme == HIGH_CONTRAST


async def test_any_key_counts_as_still_here(app: HubApp, clock: FakeClock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _at_card(pilot)
        card = app.screen
        await idle_for(pilot, clock, 200)
        assert isinstance(app.screen, IdleScreen)
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is card


async def test_typing_in_the_search_box_counts_as_activity(app: HubApp, clock: FakeClock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        clock.advance(100)
        await pilot.press("e")  # the Input takes the key, but the app still sees it
        await idle_for(pilot, clock, 100)
        assert not isinstance(app.screen, IdleScreen)
        assert app.seconds_idle() == 100


async def test_an_untouched_home_never_asks(app: HubApp, clock: FakeClock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await idle_for(pilot, clock, 10_000)
        assert isinstance(app.screen, HomeScreen)


async def test_theme_switch_offers_three_looks(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#theme-switch")
        await pilot.pause()
        assert isinstance(app.screen, ThemeChoiceScreen)
        await pilot.click(f"#{LARGE}")
        await pilot.pause()
        assert app.theme == LARGE and app.has_class(LARGE_CLASS)
        await click_again(pilot, "#theme-switch")
        await pilot.pause()
        assert isinstance(app.screen, ThemeChoiceScreen)
        await pilot.click(f"#{HIGH_CONTRAST}")
        await pilot.pause()
        assert app.theme == HIGH_CONTRAST and not app.has_class(LARGE_CLASS)
        assert isinstance(app.screen, HomeScreen)


async def test_results_panel_ignores_late_answers(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"food")
        await settle(pilot)
        panel = app.screen.query_one(ResultsPanel)
        shown = [item.service_id for item in app.screen.query(ResultItem)]
        stale = panel._Found(SearchRequest("dementia", None, panel.filters), [])
        panel.post_message(stale)
        await pilot.pause()
        assert [item.service_id for item in app.screen.query(ResultItem)] == shown


def test_the_idle_check_with_no_screen_left_does_nothing(app: HubApp) -> None:
    # The one-second timer can fire once more while the app closes, after its last
    # screen has gone (CI once crashed there): the check must find nobody to ask.
    assert not app.screen_stack
    app.check_inactivity()
    assert not app.screen_stack
