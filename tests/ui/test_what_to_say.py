"""A "what to say" line on the take-away for a service the visitor should ring first
(issue 15, item 7): on the screen, on the printout and in the QR code, in the visitor's
language, and only when the record says a call is needed."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from datetime import datetime, time
from typing import Any

import pytest
from textual.widgets import Static

from hub import i18n
from hub.hub_identity import setup_hub
from hub.models import Service
from hub.schedule import LONDON
from hub.storage import HubStore
from screens.app import HubApp
from screens.take_away import QR_BYTES, TakeAwayScreen, copy_down_lines, print_card, qr_payload
from screens.widgets.qr import QrCode
from screens.widgets.result_rows import ResultItem
from screens.words import needs_a_call, what_to_say
from tests.factories import make_service
from tests.ui.conftest import settle

TUESDAY_1PM = datetime(2026, 12, 1, 13, 0, tzinfo=LONDON)
HUB = "Church End Library"
PHONE = {"phones": [{"number": "020 7946 0123"}]}
SAY = "Hello, I'd like to ask about {service}. I found you at {hub}."


def _service(**overrides: Any) -> Service:
    fields: dict[str, Any] = {
        "name": "Lunch Club",
        "contact": PHONE,
        "attendance": {"booking": True, "in_person": True},
        "schedules": [
            {"freq": "WEEKLY", "byday": "TU", "opens_at": time(12), "closes_at": time(14)}
        ],
    }
    return make_service(**(fields | overrides))


@pytest.mark.parametrize(
    ("overrides", "call"),
    [
        ({}, True),  # booking: "Phone first"
        ({"attendance": {"referral_needed": True}}, True),
        ({"attendance": {"phone": True, "in_person": False}}, True),  # a phone line
        ({"attendance": {"drop_in": True}}, False),  # just turn up
        ({"attendance": {"booking": True}, "contact": {}}, False),  # no number to ring
        ({"attendance": {"drop_in": True, "words": "Drop-in; call first"}}, True),
        ({"attendance": {"drop_in": True, "words": "Drop-in; referral from a GP"}}, True),
        ({"attendance": {"drop_in": True, "words": "Drop-in; Self referral"}}, False),
        ({"attendance": {"drop_in": True}, "description": "Please phone ahead."}, True),
        ({"attendance": {"drop_in": True}, "description": "No referral needed."}, False),
    ],
)
def test_the_rule_for_a_call_reads_the_record(overrides: dict[str, Any], call: bool) -> None:
    service = _service(**overrides)
    assert needs_a_call(service) is call
    assert (what_to_say(service, HUB) is not None) is call


def test_the_line_names_the_service_and_the_hub_everywhere_it_goes() -> None:
    club = _service()
    line = SAY.format(service="Lunch Club", hub=HUB)
    assert what_to_say(club, HUB) == line
    assert line in copy_down_lines(club, TUESDAY_1PM, HUB)
    assert line in print_card(club, TUESDAY_1PM, HUB).splitlines()
    qr = qr_payload(club, TUESDAY_1PM, HUB)
    assert line in qr.splitlines() and len(qr.encode("utf-8")) <= QR_BYTES
    # A kiosk not yet set up has no name to give: the line stops after the service.
    assert what_to_say(club, None) == "Hello, I'd like to ask about Lunch Club."


def test_a_drop_in_has_no_line() -> None:
    cafe = _service(attendance={"drop_in": True, "in_person": True})
    lines = copy_down_lines(cafe, TUESDAY_1PM, HUB)
    assert not any(line.startswith("Hello") for line in lines)
    assert "Hello" not in print_card(cafe, TUESDAY_1PM, HUB)
    assert "Hello" not in qr_payload(cafe, TUESDAY_1PM, HUB)


def test_a_line_too_long_for_the_code_stays_whole_on_the_card() -> None:
    club = _service(name="The Harlesden and Kensal Green Tuesday Lunch Club for Older People")
    line = SAY.format(service=club.name, hub=HUB)
    qr = qr_payload(club, TUESDAY_1PM, HUB)
    assert len(qr.encode("utf-8")) <= QR_BYTES
    assert "Hello" not in qr  # never half a sentence
    assert "020 7946 0123" in qr
    assert line in copy_down_lines(club, TUESDAY_1PM, HUB)


class _Polish(gettext.NullTranslations):
    """A stand-in catalogue holding the one sentence, until the lead's catalogues have it."""

    def gettext(self, message: str) -> str:
        if message == SAY:
            return "Dzień dobry, chciałbym zapytać o {service}. Znalazłem was w {hub}."
        return message

    def info(self) -> dict[str, str]:
        return {"language": "pl"}


@pytest.fixture
def polish() -> Iterator[None]:
    before = i18n.current_catalogue()
    i18n.use_catalogue(_Polish())
    yield
    i18n.use_catalogue(before)


def test_the_line_is_in_the_visitors_language(polish: None) -> None:
    club = _service()
    line = f"Dzień dobry, chciałbym zapytać o Lunch Club. Znalazłem was w {HUB}."
    assert what_to_say(club, HUB) == line
    assert line in copy_down_lines(club, TUESDAY_1PM, HUB)
    assert line in print_card(club, TUESDAY_1PM, HUB)
    assert line in qr_payload(club, TUESDAY_1PM, HUB)


async def test_the_take_away_screen_shows_what_to_say(app: HubApp, store: HubStore) -> None:
    setup_hub(store, HUB)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#need-memory")
        await settle(pilot)
        items = list(app.screen.query(ResultItem))
        singing = next(item for item in items if item.service_name == "Wembley Singing for Memory")
        await pilot.click(singing)
        await pilot.pause()
        await pilot.press("enter")  # Take it with you
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TakeAwayScreen)
        line = SAY.format(service="Wembley Singing for Memory", hub=HUB)
        shown = [str(s.render()) for s in screen.query(".copy-card Static").results(Static)]
        assert "When you phone, you can say:" in shown and line in shown
        qr = screen.query_one(QrCode)
        assert qr.display  # the code still fits the screen whole
        assert line in qr.text.splitlines()  # what the phone camera reads
