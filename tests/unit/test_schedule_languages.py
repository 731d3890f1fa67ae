"""Schedules in each visitor language: Babel's day names, dates and times, no English left.

The sentences around them are the catalogue's; a sentence added since the catalogue was
drafted is English until it is translated, so the checks here are on what the language
data gives (CLDR through Babel) and on the English pieces that must never appear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from hub import i18n
from hub.schedule import format_day, format_time, schedule_in_words, when_in_words
from tests.unit.test_schedule import monthly, service, weekly

LONDON = ZoneInfo("Europe/London")
TUESDAY_3PM = datetime(2026, 12, 1, 15, 0, tzinfo=LONDON)
MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)

# What CLDR says in each language: Tuesday and Thursday alone, 1 December, 2pm and 4pm.
EXPECTED = {
    "pl": ("wtorek", "czwartek", "1 grudnia", "14:00", "16:00"),
    "ro": ("marți", "joi", "1 decembrie", "14:00", "16:00"),
    "pt": ("terça-feira", "quinta-feira", "1 de dezembro", "14:00", "16:00"),
    "so": ("Talaado", "Khamiis", "Diseembar 1", "2:00\u00a0GD", "4:00\u00a0GD"),
    "gu": ("મંગળવાર", "ગુરુવાર", "1 ડિસેમ્બર", "02:00 PM", "04:00 PM"),
    "ta": ("செவ்வாய்", "வியாழன்", "1 டிசம்பர்", "2:00 PM", "4:00 PM"),
}
ENGLISH_PIECES = re.compile(
    r"\b(Tuesday|Thursday|December|\d{1,2}(am|pm)|2nd|Second Tuesday)\b|\bto\b"
)


@pytest.fixture(params=sorted(EXPECTED))
def code(request: pytest.FixtureRequest) -> Iterator[str]:
    """Speak one visitor language for the test, then English again."""
    before = i18n.current_catalogue()
    assert i18n.use_language([request.param]) == request.param
    yield str(request.param)
    i18n.use_catalogue(before)


def _no_english(words: str) -> None:
    assert not ENGLISH_PIECES.search(words), words


def test_day_date_and_time(code: str) -> None:
    tuesday, _thursday, first_december, two, _four = EXPECTED[code]
    day = format_day(date(2026, 12, 1))
    assert tuesday in day and first_december in day
    assert format_time(time(14)) == two
    _no_english(day)


def test_a_weekly_pattern(code: str) -> None:
    tuesday, thursday, _date, _two, _four = EXPECTED[code]
    words = schedule_in_words(weekly("TU,TH", time(14), time(16)))
    assert tuesday in words and thursday in words
    assert words.index(tuesday) < words.index(thursday)
    assert i18n._("Every {days}") != "Every {days}" and "Every" not in words
    _no_english(words)


def test_open_now_until_and_the_next_session(code: str) -> None:
    tuesday, _thursday, first_december, two, four = EXPECTED[code]
    group = service(weekly("TU", time(14), time(16)))
    now_words = when_in_words(group, TUESDAY_3PM)
    assert four in now_words and "Open now" not in now_words
    next_words = when_in_words(group, MONDAY_9AM)
    assert tuesday in next_words and first_december in next_words and two in next_words
    _no_english(now_words)
    _no_english(next_words)


def test_the_second_tuesday_of_the_month(code: str) -> None:
    tuesday, _thursday, _date, two, four = EXPECTED[code]
    words = schedule_in_words(monthly("2TU", time(14), time(16)))
    assert tuesday in words and two in words and four in words
    _no_english(words)


def test_every_n_weeks_takes_the_languages_plural(code: str) -> None:
    words = schedule_in_words(
        weekly("TU", time(14), time(16), interval=3, dtstart=date(2026, 12, 1))
    )
    assert "3" in words and EXPECTED[code][0] in words


def test_english_keeps_the_house_style() -> None:
    assert format_day(date(2026, 12, 1)) == "Tuesday 1 December"
    assert schedule_in_words(weekly("TU,TH", time(13), time(16))) == (
        "Every Tuesday and Thursday, 1pm to 4pm"
    )
    assert schedule_in_words(weekly("MO,TU,WE,TH,FR,SA,SU", time(9), time(17))) == (
        "Every day, 9am to 5pm"
    )
    assert schedule_in_words(weekly("FR,MO,TU,WE,TH", time(9), time(17))) == (
        "Weekdays, 9am to 5pm"
    )
    assert schedule_in_words(weekly("MO,TU,WE,TH", time(9), time(17))) == (
        "Every Monday, Tuesday, Wednesday and Thursday, 9am to 5pm"
    )
    assert (
        schedule_in_words(
            weekly("TU", time(9), time(17), interval=3, dtstart=date(2026, 12, 1)),
            today=date(2026, 12, 1),
        )
        == "Every 3 weeks on Tuesday, 9am to 5pm"
    )
