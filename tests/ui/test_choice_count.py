"""At most 9 choices on any visitor screen (issue 15, item 2), counted at 80×24.

A choice is something a visitor can press: a button, a topic tile, a row of a list. The
search box and the scrolling words of a card are not choices. Counted from the screen's
focus chain (what Tab and the arrows can reach, shown or scrolled off), with each list
counted by its rows and each option list by its options.

Every screen is counted with Listen shown too (staff turned it on and this PC has a voice),
because that is when a screen has the most buttons.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.containers import ScrollableContainer
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, ListView, OptionList

from screens.app import HubApp
from screens.idle import IdleScreen
from screens.more_help import MoreHelpScreen
from screens.widgets.result_rows import ResultItem
from tests.ui.conftest import FakeClock, click_again, idle_for, settle

MOST_CHOICES = 9

Setup = Callable[[Pilot[None]], Awaitable[None]]


def choices(screen: Screen[object]) -> list[str]:
    """Return a name for each choice on the screen (a list's rows one by one)."""
    found: list[str] = []
    for widget in screen.focus_chain:
        if isinstance(widget, Input):
            continue
        if isinstance(widget, ListView):
            found += [f"{type(row).__name__}" for row in widget.children if row.display]
        elif isinstance(widget, OptionList):
            found += [f"Option#{option.id}" for option in widget.options]
        elif isinstance(widget, ScrollableContainer):
            continue  # words that scroll (a card, urgent help), not a choice
        else:
            found.append(f"{type(widget).__name__}#{widget.id or ''}")
    return found


async def _home(pilot: Pilot[None]) -> None:
    await pilot.pause()


async def _more_topics(pilot: Pilot[None], pages: int) -> None:
    await pilot.click("#more-topics")
    await pilot.pause()
    for _page in range(pages - 1):
        await pilot.click("#more-topics")
        await pilot.pause()
    assert isinstance(pilot.app.screen, MoreHelpScreen)
    assert len(pilot.app.screen_stack) == 1 + pages


async def _more_topics_1(pilot: Pilot[None]) -> None:
    await _more_topics(pilot, 1)


async def _more_topics_2(pilot: Pilot[None]) -> None:
    await _more_topics(pilot, 2)


async def _more_topics_last(pilot: Pilot[None]) -> None:
    await _more_topics(pilot, 3)
    assert not pilot.app.screen.query("#more-topics"), "three pages hold every topic"


async def _search_results(pilot: Pilot[None]) -> None:
    await pilot.press(*"food", "enter")
    await settle(pilot)


async def _search_filters(pilot: Pilot[None]) -> None:
    await _search_results(pilot)
    await pilot.click("#search-results #only-show")
    await settle(pilot)


async def _crisis_results(pilot: Pilot[None]) -> None:
    await pilot.press(*"i want to die", "enter")
    await settle(pilot)


async def _topic_results(pilot: Pilot[None]) -> None:
    await pilot.click("#need-food")
    await settle(pilot)


async def _topic_filters(pilot: Pilot[None]) -> None:
    await _topic_results(pilot)
    await pilot.click("#need-results #only-show")
    await settle(pilot)


async def _nothing_found(pilot: Pilot[None]) -> None:
    await _topic_results(pilot)
    await pilot.click("#need-results #only-show")
    for switch in ("#open-today", "#free", "#drop-in"):
        await pilot.click(f"#need-results {switch}")
        await settle(pilot)
    await click_again(pilot, "#need-results #only-show")  # Done
    await settle(pilot)


async def _card(pilot: Pilot[None]) -> None:
    await _topic_results(pilot)
    await pilot.click(pilot.app.screen.query(ResultItem).first())
    await pilot.pause()


async def _urgent(pilot: Pilot[None]) -> None:
    await pilot.press("f1")
    await pilot.pause()


async def _take_away(pilot: Pilot[None]) -> None:
    await _card(pilot)
    await pilot.click("#take-away")
    await pilot.pause()


async def _something_wrong(pilot: Pilot[None]) -> None:
    await _card(pilot)
    await pilot.click("#something-wrong")
    await pilot.pause()


async def _theme_choice(pilot: Pilot[None]) -> None:
    await pilot.click("#theme-switch")
    await pilot.pause()


async def _language_choice(pilot: Pilot[None]) -> None:
    await pilot.click("#language")
    await pilot.pause()


async def _idle_prompt(pilot: Pilot[None]) -> None:
    await _card(pilot)  # a fresh Home has nothing to clear, so it never asks
    app = pilot.app
    assert isinstance(app, HubApp)
    clock = app.clock
    assert isinstance(clock, FakeClock)
    await idle_for(pilot, clock, app.idle_seconds + 1)
    assert isinstance(app.screen, IdleScreen)


SCREENS: dict[str, Setup] = {
    "home": _home,
    "more-topics-1": _more_topics_1,
    "more-topics-2": _more_topics_2,
    "more-topics-last": _more_topics_last,
    "search-results": _search_results,
    "search-results-switches": _search_filters,
    "crisis-results": _crisis_results,
    "topic-results": _topic_results,
    "topic-results-switches": _topic_filters,
    "nothing-found": _nothing_found,
    "card": _card,
    "urgent": _urgent,
    "take-away": _take_away,
    "something-wrong": _something_wrong,
    "theme-choice": _theme_choice,
    "language-choice": _language_choice,
    "idle-prompt": _idle_prompt,
}


@pytest.mark.parametrize("listen", [False, True], ids=["listen-off", "listen-on"])
@pytest.mark.parametrize("name", list(SCREENS))
async def test_at_most_nine_choices(
    app: HubApp, name: str, listen: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if listen:
        # As on a PC where staff turned Listen on and espeak-ng has a voice: the button shows.
        monkeypatch.setattr("screens.app.can_read", lambda language: True)
        app.read_aloud = True
    async with app.run_test(size=(80, 24)) as pilot:
        await SCREENS[name](pilot)
        found = choices(app.screen)
        assert found, "every visitor screen offers a way on or back"
        assert len(found) <= MOST_CHOICES, f"{name}: {len(found)} choices: {found}"
