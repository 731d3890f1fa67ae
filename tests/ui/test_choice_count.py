"""At most 9 choices on any visitor screen (issue 15, item 2), counted at 80×24.

A choice is something a visitor can press: a button, a topic tile, a row of a list. The
search box and the scrolling words of a card are not choices. Counted from the screen's
focus chain (what Tab and the arrows can reach, shown or scrolled off), with each list
counted by its rows.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.containers import ScrollableContainer
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, ListView

from screens.app import HubApp
from screens.widgets.results_panel import ResultItem
from tests.ui.conftest import settle

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
        elif isinstance(widget, ScrollableContainer):
            continue  # words that scroll (a card, urgent help), not a choice
        else:
            found.append(f"{type(widget).__name__}#{widget.id or ''}")
    return found


async def _home(pilot: Pilot[None]) -> None:
    await pilot.pause()


async def _search_results(pilot: Pilot[None]) -> None:
    await pilot.press(*"food", "enter")
    await settle(pilot)


async def _topic_results(pilot: Pilot[None]) -> None:
    await pilot.click("#need-food")
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


SCREENS: dict[str, Setup] = {
    "home": _home,
    "search-results": _search_results,
    "topic-results": _topic_results,
    "card": _card,
    "urgent": _urgent,
    "take-away": _take_away,
    "something-wrong": _something_wrong,
    "theme-choice": _theme_choice,
}


OVER: dict[str, str] = {
    # Measured on the sample at 80×24 (December 2026); strict, so the test says when fixed.
    "home": "13: 9 tiles + More help + Languages + Text and colours + Urgent help; "
    "needs the tiles grouped with a 'More topics' page",
    "search-results": "15: 8 rows + More results + 3 switches + Back to topics + 2 in the bar",
    "topic-results": "16: 8 rows + More results + 3 switches + Back to topics + 3 in the bar",
}
"""Screens still over the limit, and what they count; each is an expected failure."""


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=OVER[name]))
        if name in OVER
        else name
        for name in SCREENS
    ],
)
async def test_at_most_nine_choices(app: HubApp, name: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await SCREENS[name](pilot)
        found = choices(app.screen)
        assert found, "every visitor screen offers a way on or back"
        assert len(found) <= MOST_CHOICES, f"{name}: {len(found)} choices: {found}"
