"""Contrast read off the rendered screen, in every look (issue 15, item 1).

Each visitor screen is drawn by Pilot at 80×24 in each theme, and every cell the
compositor produces is checked: text at least 4.5:1 against its ground (7:1 in high
contrast, WCAG 1.4.3 and 1.4.6), and the focused widget's edge at least 3:1 against
what surrounds it and against itself unfocused (WCAG 2.4.13 and 1.4.11). Placeholders,
the focused widget and a selection in the search box are on screen in the states below.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, ListView

from hub.read_aloud import can_read
from screens.app import HubApp
from screens.themes import HIGH_CONTRAST, THEME_ORDER
from screens.widgets.result_rows import MoreResultsItem
from tests.ui.conftest import FakeClock, click_again, settle
from tests.ui.contrast import cells, focus_problems, indicator_region, text_problems
from tests.ui.screen_setups import (
    Setup,
    cafe_card,
    home,
    idle_on_card,
    memory_results,
    urgent_help,
)


async def _home_tile(pilot: Pilot[None], clock: FakeClock) -> None:
    await pilot.press("down")
    await pilot.pause()


async def _home_more_topics(pilot: Pilot[None], clock: FakeClock) -> None:
    pilot.app.screen.query_one("#more-topics").focus()
    await pilot.pause()


async def _search_selected(pilot: Pilot[None], clock: FakeClock) -> None:
    """Words typed, then selected again (as a visitor does to type over them)."""
    await pilot.press(*"food")
    await settle(pilot)
    box = pilot.app.screen.query_one("#search", Input)
    box.focus()
    box.select_all()
    await pilot.pause()


async def _crisis(pilot: Pilot[None], clock: FakeClock) -> None:
    await pilot.press(*"my friend took too many pills", "enter")
    await settle(pilot)


async def _results_back_to_topics(pilot: Pilot[None], clock: FakeClock) -> None:
    await memory_results(pilot, clock)
    pilot.app.screen.query_one(".back-to-topics").focus()
    await pilot.pause()


async def _results_more_results(pilot: Pilot[None], clock: FakeClock) -> None:
    """The list has the keyboard with "More results" highlighted (food has many places)."""
    await pilot.click("#need-food")
    await settle(pilot)
    list_view = pilot.app.screen.query_one(ListView)
    list_view.index = len(list_view) - 1
    assert isinstance(list_view.highlighted_child, MoreResultsItem)
    list_view.focus()
    await pilot.pause()


async def _results_switches(pilot: Pilot[None], clock: FakeClock) -> None:
    """The switches are out, "Free" is on and has the keyboard; "Done" beside them."""
    await memory_results(pilot, clock)
    await pilot.click("#only-show")
    await pilot.click("#free")
    await settle(pilot)


async def _results_only_show_on(pilot: Pilot[None], clock: FakeClock) -> None:
    """Back from the switches with one on: "Only show: Free" has the keyboard."""
    await _results_switches(pilot, clock)
    await click_again(pilot, "#only-show")
    await settle(pilot)
    pilot.app.screen.query_one("#only-show").focus()
    await pilot.pause()


async def _more_topics(pilot: Pilot[None], clock: FakeClock) -> None:
    await pilot.click("#more-topics")
    await pilot.pause()


async def _card_back(pilot: Pilot[None], clock: FakeClock) -> None:
    await cafe_card(pilot, clock)
    pilot.app.screen.query_one("#back").focus()
    await pilot.pause()


async def _card_listen(pilot: Pilot[None], clock: FakeClock) -> None:
    """Read aloud on: the Listen button has the keyboard."""
    await cafe_card(pilot, clock)
    pilot.app.screen.query_one("#listen").focus()
    await pilot.pause()


async def _take_away(pilot: Pilot[None], clock: FakeClock) -> None:
    await cafe_card(pilot, clock)
    await pilot.press("enter")
    await pilot.pause()


async def _something_wrong(pilot: Pilot[None], clock: FakeClock) -> None:
    """The note box has the keyboard and shows its placeholder."""
    await cafe_card(pilot, clock)
    await pilot.click("#something-wrong")
    await pilot.pause()


async def _theme_choice(pilot: Pilot[None], clock: FakeClock) -> None:
    await pilot.click("#theme-switch")
    await pilot.pause()


SCREENS: dict[str, Setup] = {
    "home": home,
    "home-tile": _home_tile,
    "home-more-topics": _home_more_topics,
    "search-selected": _search_selected,
    "crisis": _crisis,
    "results": memory_results,
    "results-back-to-topics": _results_back_to_topics,
    "results-more-results": _results_more_results,
    "results-switches": _results_switches,
    "results-only-show-on": _results_only_show_on,
    "more-topics": _more_topics,
    "card": cafe_card,
    "card-back": _card_back,
    "card-listen": _card_listen,
    "take-away": _take_away,
    "something-wrong": _something_wrong,
    "urgent": urgent_help,
    "idle": idle_on_card,
    "theme-choice": _theme_choice,
}


def _themes_from(screen: str) -> list[str]:
    """Return every theme, starting from a different one for each screen in turn.

    A screen is drawn in all three looks in one kiosk: built in the first, then switched
    to the others (a visitor may switch at any point, so the switched look must be right
    too). Rotating the first look means each theme is also the one some screens are built
    in, rather than only switched to.
    """
    first = list(SCREENS).index(screen) % len(THEME_ORDER)
    return [*THEME_ORDER[first:], *THEME_ORDER[:first]]


async def _problems_in(pilot: Pilot[None], screen: str, theme: str) -> list[str]:
    """Return what is unreadable, or where the keyboard is not plain to see, as drawn now."""
    text_minimum = 7.0 if theme == HIGH_CONTRAST else 4.5
    shown = pilot.app.screen
    focused_cells = cells(shown)
    problems = [str(p) for p in text_problems(focused_cells, text_minimum)]
    indicator = indicator_region(shown)
    assert indicator is not None, f"nothing has the keyboard on {screen} in {theme}"
    widget, region = indicator
    keyboard_on = shown.focused
    shown.set_focus(None)
    await pilot.pause()
    blurred_cells = cells(shown)
    shown.set_focus(keyboard_on)
    await pilot.pause()
    problems += [
        f"{p} [{widget.__class__.__name__}#{widget.id}]"
        for p in focus_problems(focused_cells, blurred_cells, region)
    ]
    return [f"{screen} in {theme}: {problem}" for problem in problems]


@pytest.mark.parametrize("screen", list(SCREENS))
async def test_drawn_contrast(app: HubApp, clock: FakeClock, screen: str) -> None:
    """Every letter on screen is readable and the keyboard's place is plain to see, in
    every look: one kiosk per screen, every problem in every look reported together."""
    if screen == "card-listen":
        if not can_read("en"):
            pytest.skip("espeak-ng is not installed, so Listen is hidden and cannot be drawn")
        app.read_aloud = True
    first, *others = _themes_from(screen)
    problems: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = first
        await pilot.pause()
        await SCREENS[screen](pilot, clock)
        for box in app.screen.query(Input):
            box.cursor_blink = False
        await pilot.pause()
        problems += await _problems_in(pilot, screen, first)
        for theme in others:
            app.theme = theme
            await pilot.pause()
            assert app.current_theme.name == theme
            problems += await _problems_in(pilot, screen, theme)
    assert not problems, "\n".join(problems)
