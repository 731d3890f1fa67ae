"""The take-away stays true: dated sessions (never "Today"), the pattern, how to get in,
the phone number, in the QR text and on the card, in the visitor's language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import pytest

from hub import i18n
from hub.models import Service
from hub.schedule import LONDON
from screens.take_away import QR_BYTES, copy_down_lines, print_card, qr_payload
from screens.widgets.qr import qr_modules
from tests.factories import make_service

TUESDAY_1PM = datetime(2026, 12, 1, 13, 0, tzinfo=LONDON)
"""During Tuesday's session: a card that said "Today" or "Open now" would be wrong tomorrow."""

# The day and weekday CLDR gives on the card (long) and in the QR code (short).
DAYS = {
    "en": ("Tuesday 1 December", "Tue 1 Dec", "Thursday 3 December"),
    "pl": ("wtorek 1 grudnia", "wt., 1 gru", "czwartek 3 grudnia"),
    "ro": ("marți 1 decembrie", "mar., 1 dec.", "joi 3 decembrie"),
    "pt": ("terça-feira 1 de dezembro", "ter., 1 de dez.", "quinta-feira 3 de dezembro"),
    "so": ("Talaado Diseembar 1", "Tldo, Dis 1", "Khamiis Diseembar 3"),
    "gu": ("મંગળવાર 1 ડિસેમ્બર", "મંગળ, 1 ડિસે", "ગુરુવાર 3 ડિસેમ્બર"),
    "ta": ("செவ்வாய் 1 டிசம்பர்", "டிச. 1, செவ்.", "வியாழன் 3 டிசம்பர்"),
}


@pytest.fixture(params=sorted(DAYS))
def code(request: pytest.FixtureRequest) -> Iterator[str]:
    """Speak one language for the test, then English again."""
    before = i18n.current_catalogue()
    i18n.use_language([request.param])
    yield str(request.param)
    i18n.use_catalogue(before)


def _lunch_club() -> Service:
    return make_service(
        name="Harlesden Lunch Club",
        contact={"phones": [{"number": "020 7946 0123"}]},
        attendance={"drop_in": True, "in_person": True},
        schedules=[
            {"freq": "WEEKLY", "byday": "TU,TH", "opens_at": time(13), "closes_at": time(16)}
        ],
        locations=[
            {
                "id": "5b0f3b1e-8a55-4d0e-9d8e-2b6a1c1f0a11",
                "name": "Harlesden Library",
                "address_lines": ["Craven Park Road"],
                "town": "London",
                "postcode": "NW10 8SE",
            }
        ],
    )


def _never_today(text: str) -> None:
    for message in ("Today, {hours}", "Open now until {time}"):
        fixed = i18n._(message).split("{")[0].strip(" ,:")
        assert fixed and fixed not in text, (fixed, text)


def test_card_gives_dates_pattern_way_in_and_phone(code: str) -> None:
    club = _lunch_club()
    lines = copy_down_lines(club, TUESDAY_1PM)
    text = "\n".join(lines)
    long_day, _short, thursday = DAYS[code]
    assert long_day in text and thursday in text  # the next two sessions, by date
    assert i18n._("Every {days}").split("{")[0].strip() in text  # the regular pattern
    assert i18n._("Drop in") in lines
    assert "020 7946 0123" in text and "NW10 8SE" in text
    _never_today(text)
    printed = print_card(club, TUESDAY_1PM)
    assert long_day in printed and i18n._("Just turn up. You do not need to book.") in printed
    _never_today(printed)


def test_qr_text_gives_the_date_and_way_in_and_fits(code: str) -> None:
    club = _lunch_club()
    text = qr_payload(club, TUESDAY_1PM)
    assert len(text.encode("utf-8")) <= QR_BYTES
    assert len(qr_modules(text)) <= 45  # version 6 and the quiet zone: 23 lines
    _long, short_day, _thursday = DAYS[code]
    assert "020 7946 0123" in text and short_day in text
    assert i18n._("Drop in") in text
    _never_today(text)


def test_english_card_reads_as_issue_13_asks() -> None:
    lines = copy_down_lines(_lunch_club(), TUESDAY_1PM)
    assert lines[:6] == [
        "Harlesden Lunch Club",
        "Phone 020 7946 0123",
        "Drop in",
        "Next times:",
        "Tuesday 1 December, 1pm to 4pm",
        "Thursday 3 December, 1pm to 4pm",
    ]
    assert "Every Tuesday and Thursday, 1pm to 4pm" in lines
    text = qr_payload(_lunch_club(), TUESDAY_1PM)
    assert text.splitlines()[:4] == [
        "Harlesden Lunch Club",
        "020 7946 0123",
        "Tue 1 Dec, 1pm to 4pm",
        "Drop in",
    ]
    assert "Every Tuesday and Thursday, 1pm to 4pm" in text


def test_a_referral_only_service_says_so() -> None:
    referral = make_service(
        attendance={"referral_needed": True, "in_person": True},
        schedules=[{"freq": "WEEKLY", "byday": "WE", "opens_at": time(10), "closes_at": time(12)}],
    )
    assert "Someone must send you" in copy_down_lines(referral, TUESDAY_1PM)
    assert "Someone must send you" in qr_payload(referral, TUESDAY_1PM)
    assert date(2026, 12, 2).strftime("%-d") in qr_payload(referral, TUESDAY_1PM)
