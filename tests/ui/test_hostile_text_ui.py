"""Hostile text on every visitor screen, driven through Pilot.

The directory holds a service for each hostile string of tests/hostile.py, and a visitor
pastes each one into the search box and the "Something wrong?" box. On every screen the
app must keep running, the screen stack must be the one the journey should give, no
action may fire from text (a `[@click=app.quit]` in a name is words), and no rendered
segment may carry an escape, a control character or a bidi override.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, ListView

from hub.models import Service
from hub.storage import HubStore
from hub.suggestions import open_suggestions
from hub.unmet import unmet_searches
from screens.app import HubApp
from screens.home import HomeScreen
from screens.service_card import ServiceCardScreen
from screens.something_wrong import SomethingWrongScreen
from screens.take_away import TakeAwayScreen
from screens.widgets.result_rows import MoreResultsItem, ResultItem
from tests.hostile import FORBIDDEN, HOSTILE, INVISIBLE, LONG_WORD, forbidden_in
from tests.ui.conftest import saves_done, settle, until

SHOWN = {key: text for key, text in HOSTILE.items() if key != "lone_surrogate"}
"""Hostile strings a directory can hold (pydantic refuses a lone surrogate outright)."""


def hostile_service(key: str, text: str) -> Service:
    """Return a service with `text` in every field a visitor's screens show."""
    return Service.model_validate(
        {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"hostile:{key}")),
            "name": text[:200],
            "organisation": text[:200],
            "description": f"{text}\nSecond line {key}.",
            "needs": ["food"],
            "keywords": ["yak"],
            "areas": [text[:80]],
            "languages": [text[:60]],
            "locations": [
                {
                    "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"hostile-place:{key}")),
                    "name": text[:200],
                    "address_lines": [text[:200]],
                    "town": text[:100],
                    "postcode": "NW10 7AA",
                    "accessibility": text[:1000],
                }
            ],
            "contact": {
                "phones": [{"number": "020 8937 1234", "description": text[:200]}],
                "email": "yak@example.org",
            },
            "schedules": [
                {
                    "freq": "WEEKLY",
                    "byday": "TU",
                    "opens_at": "10:00",
                    "closes_at": "12:00",
                    "description": text[:1000],
                }
            ],
            "cost": {"free": True, "description": text[:500]},
            "eligibility": {"description": text[:1000]},
        }
    )


@pytest.fixture
def hostile_app(store: HubStore, app: HubApp) -> HubApp:
    """Return the kiosk with one hostile service per string beside the sample directory."""
    store.save_services([hostile_service(key, text) for key, text in SHOWN.items()])
    return app


class ActionSpy:
    """Records every action the app runs, so a test can show text fired none."""

    def __init__(self, app: HubApp) -> None:
        self.calls: list[str] = []
        self._run_action = app.run_action
        app.run_action = self._record  # type: ignore[method-assign]

    async def _record(self, action: Any, *args: Any, **kwargs: Any) -> bool:
        self.calls.append(str(action))
        return await self._run_action(action, *args, **kwargs)


def screen_text(app: HubApp) -> str:
    """Return every rendered segment's text on the current screen, one line per row.

    Also insists no segment is a control segment (cursor moves, title changes).
    """
    lines = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            assert not segment.control, f"a control segment was rendered: {segment!r}"
        lines.append(strip.text)
    return "\n".join(lines)


def assert_screen_clean(app: HubApp, expected: list[type]) -> str:
    """Insist the app runs the expected stack and renders nothing a terminal obeys."""
    assert app.is_running and app.return_code is None
    assert [type(screen) for screen in app.screen_stack] == expected
    text = screen_text(app)
    assert forbidden_in(text) == [], f"{expected[-1].__name__}: {forbidden_in(text)}"
    assert INVISIBLE.search(text) is None
    return text


async def paste(pilot: Pilot[None], selector: str, text: str) -> None:
    """Paste `text` into the box, as a visitor's terminal delivers a paste."""
    box = pilot.app.screen.query_one(selector, Input)
    box.focus()
    box.post_message(events.Paste(text))
    await pilot.pause()


def actions_from_text(spy: ActionSpy) -> list[str]:
    """Return the recorded actions that only text could have asked for."""
    return [call for call in spy.calls if "quit" in call or "click" in call or "link" in call]


# --- Home and the search box ------------------------------------------------------------


@pytest.mark.parametrize("key", [*sorted(HOSTILE), "long_word"])
async def test_hostile_paste_in_the_search_box(
    hostile_app: HubApp, store: HubStore, key: str
) -> None:
    text = LONG_WORD if key == "long_word" else HOSTILE[key]
    async with hostile_app.run_test(size=(80, 24)) as pilot:
        spy = ActionSpy(hostile_app)
        await paste(pilot, "#search", text)
        await settle(pilot)
        box = hostile_app.screen.query_one("#search", Input)
        assert forbidden_in(box.value) == [] and INVISIBLE.search(box.value) is None
        assert_screen_clean(hostile_app, [HomeScreen])
        await pilot.press("enter")  # stop at these words: a search that found nothing is logged
        await settle(pilot)
        assert_screen_clean(hostile_app, [HomeScreen])
        await pilot.press("escape")
        await settle(pilot)
        assert_screen_clean(hostile_app, [HomeScreen])
        assert actions_from_text(spy) == []
    for search in unmet_searches(store):
        assert forbidden_in(search.text) == [] and INVISIBLE.search(search.text) is None


async def test_the_visitor_search_for_markup_is_logged_as_typed(
    hostile_app: HubApp, store: HubStore
) -> None:
    async with hostile_app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"[/] zqzqzq")
        await settle(pilot)
        text = assert_screen_clean(hostile_app, [HomeScreen])
        assert "[/] zqzqzq" in text  # the kind words quote it, brackets and all
        await pilot.press("enter")
        await settle(pilot)
    assert "[/] zqzqzq" in {search.text for search in unmet_searches(store)}


# --- results, card, take-away -----------------------------------------------------------

Journey = Callable[[Pilot[None]], Awaitable[None]]


async def test_results_list_shows_hostile_names_as_words(hostile_app: HubApp) -> None:
    async with hostile_app.run_test(size=(80, 24)) as pilot:
        spy = ActionSpy(hostile_app)
        await pilot.press(*"yak")
        await settle(pilot)
        # Results come a page at a time: press "More results" until every one is listed.
        while hostile_app.screen.query(MoreResultsItem):
            results = hostile_app.screen.query_one(".result-list", ListView)
            results.focus()
            results.index = len(results) - 1
            await pilot.press("enter")
            await settle(pilot)
        items = list(hostile_app.screen.query(ResultItem))
        assert len(items) >= 20
        names = {item.service_name for item in items}
        assert {"Yak [/] closer", "[@click=app.quit]Yak club[/]", "[bold red]Yak club"} <= names
        for index in range(len(items)):
            hostile_app.screen.query_one(".result-list").index = index  # type: ignore[attr-defined]
            await pilot.pause()
            assert_screen_clean(hostile_app, [HomeScreen])
        assert actions_from_text(spy) == []


@pytest.mark.parametrize("key", sorted(SHOWN))
async def test_card_take_away_and_something_wrong(
    hostile_app: HubApp, store: HubStore, key: str
) -> None:
    service_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"hostile:{key}"))
    async with hostile_app.run_test(size=(80, 24)) as pilot:
        spy = ActionSpy(hostile_app)
        hostile_app.open_service(service_id)
        await pilot.pause()
        assert_screen_clean(hostile_app, [HomeScreen, ServiceCardScreen])
        # Clicking the name (where a [@click=...] would live) does nothing at all.
        await pilot.click(".card-name")
        await pilot.pause()
        assert_screen_clean(hostile_app, [HomeScreen, ServiceCardScreen])
        # The description comes after when, how to get in, contact and where: scroll to it.
        hostile_app.screen.query_one("#card-about").scroll_visible(animate=False, top=True)
        await pilot.pause()
        card = assert_screen_clean(hostile_app, [HomeScreen, ServiceCardScreen])
        assert "Second line" in card or key in card  # the card shows the description
        for _ in range(30):
            await pilot.press("down")
        assert_screen_clean(hostile_app, [HomeScreen, ServiceCardScreen])

        await pilot.click("#take-away")
        await pilot.pause()
        assert_screen_clean(hostile_app, [HomeScreen, ServiceCardScreen, TakeAwayScreen])
        await pilot.click("#back")
        await pilot.pause()

        await pilot.click("#something-wrong")
        await pilot.pause()
        assert_screen_clean(hostile_app, [HomeScreen, ServiceCardScreen, SomethingWrongScreen])
        await paste(pilot, "#note", HOSTILE[key])
        note = hostile_app.screen.query_one("#note", Input).value
        assert forbidden_in(note) == [] and INVISIBLE.search(note) is None
        assert_screen_clean(hostile_app, [HomeScreen, ServiceCardScreen, SomethingWrongScreen])
        await pilot.press("enter")
        await saves_done(pilot)
        await until(
            pilot,
            lambda: not isinstance(hostile_app.screen, SomethingWrongScreen),
            "the note saved and the card shown again",
        )
        assert_screen_clean(hostile_app, [HomeScreen, ServiceCardScreen])
        assert actions_from_text(spy) == []
    notes = open_suggestions(store)
    assert len(notes) == 1
    assert FORBIDDEN.search(notes[0].text) is None and INVISIBLE.search(notes[0].text) is None
