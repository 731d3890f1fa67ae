"""Open now, next session and "in words", in London time, with an injected clock."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from hub.models import Attendance, Schedule, Service, Status
from hub.schedule import (
    CLOSED_FOR_NOW,
    LONDON,
    PHONE_ONLY,
    TIMES_NOT_KNOWN,
    format_day,
    format_time,
    is_open_now,
    next_session,
    open_until,
    opens_today,
    schedule_in_words,
    sessions_between,
    when_in_words,
)


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Return a wall-clock time in London."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def service(*schedules: Schedule, **fields: object) -> Service:
    """Return a service with these schedules and a fixed id."""
    return Service.model_validate(
        {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, repr(schedules))),
            "name": "Test group",
            "schedules": list(schedules),
            **fields,
        }
    )


def weekly(byday: str, opens: time, closes: time, **fields: object) -> Schedule:
    return Schedule.model_validate(
        {"freq": "WEEKLY", "byday": byday, "opens_at": opens, "closes_at": closes, **fields}
    )


def monthly(byday: str, opens: time, closes: time, **fields: object) -> Schedule:
    return Schedule.model_validate(
        {"freq": "MONTHLY", "byday": byday, "opens_at": opens, "closes_at": closes, **fields}
    )


def start_days(found: list[datetime]) -> list[date]:
    return [moment.date() for moment in found]


TUESDAY_2_TO_4 = weekly("TU", time(14), time(16))
MONDAY_1_DEC = london(2025, 12, 1, 10)  # a Monday


# --- weekly ------------------------------------------------------------------------


def test_weekly_next_session_is_the_coming_tuesday() -> None:
    session = next_session(service(TUESDAY_2_TO_4), MONDAY_1_DEC)
    assert session is not None
    assert session.start == london(2025, 12, 2, 14)
    assert session.end == london(2025, 12, 2, 16)
    assert when_in_words(service(TUESDAY_2_TO_4), MONDAY_1_DEC) == (
        "Next: Tuesday 2 December, 2pm to 4pm"
    )


def test_weekly_open_now_and_until_when() -> None:
    group = service(TUESDAY_2_TO_4)
    during = london(2025, 12, 2, 15, 30)
    assert is_open_now(group, during)
    assert open_until(group, during) == london(2025, 12, 2, 16)
    assert when_in_words(group, during) == "Open now until 4pm"
    # closing time itself is closed; opening time itself is open
    assert not is_open_now(group, london(2025, 12, 2, 16))
    assert is_open_now(group, london(2025, 12, 2, 14))
    assert open_until(group, MONDAY_1_DEC) is None


def test_later_today_reads_today() -> None:
    group = service(TUESDAY_2_TO_4)
    morning = london(2025, 12, 2, 9)
    assert opens_today(group, morning)
    assert not is_open_now(group, morning)
    assert when_in_words(group, morning) == "Today, 2pm to 4pm"


def test_after_todays_session_the_next_is_a_week_on() -> None:
    group = service(TUESDAY_2_TO_4)
    evening = london(2025, 12, 2, 17)
    assert not opens_today(group, evening)
    assert when_in_words(group, evening) == "Next: Tuesday 9 December, 2pm to 4pm"


def test_a_utc_clock_is_read_in_london_time() -> None:
    group = service(TUESDAY_2_TO_4)
    # 14:30 UTC on 1 July is 15:30 in London (BST): open. 15:30 UTC is 16:30: closed.
    assert is_open_now(
        service(weekly("TU", time(14), time(16))), datetime(2025, 7, 1, 14, 30, tzinfo=UTC)
    )
    assert not is_open_now(group, datetime(2025, 7, 1, 15, 30, tzinfo=UTC))


def test_several_days_a_week() -> None:
    group = service(weekly("MO,WE,FR", time(10), time(12)))
    found = sessions_between(group, london(2025, 12, 1), london(2025, 12, 8))
    assert start_days([s.start for s in found]) == [
        date(2025, 12, 1),
        date(2025, 12, 3),
        date(2025, 12, 5),
    ]
    assert schedule_in_words(group.schedules[0]) == (
        "Every Monday, Wednesday and Friday, 10am to 12 noon"
    )


def test_back_to_back_sessions_read_as_one_stretch() -> None:
    group = service(weekly("TU", time(10), time(12)), weekly("TU", time(12), time(16)))
    assert when_in_words(group, london(2025, 12, 2, 11)) == "Open now until 4pm"


# --- fortnightly and monthly -----------------------------------------------------------


def test_fortnightly_counts_from_dtstart() -> None:
    # 3 December 2025 is a Wednesday; the group meets that week and every other week.
    group = service(weekly("WE", time(10), time(12), interval=2, dtstart=date(2025, 12, 3)))
    found = sessions_between(group, london(2026, 1, 1), london(2026, 2, 1))
    assert start_days([s.start for s in found]) == [date(2026, 1, 14), date(2026, 1, 28)]
    assert schedule_in_words(group.schedules[0], today=date(2025, 11, 20)) == (
        "Every other Wednesday, 10am to 12 noon, from 3 December"
    )
    assert schedule_in_words(group.schedules[0], today=date(2026, 1, 1)) == (
        "Every other Wednesday, 10am to 12 noon"
    )


def test_fortnightly_with_an_old_dtstart_keeps_its_rhythm() -> None:
    group = service(weekly("WE", time(10), time(12), interval=2, dtstart=date(2019, 1, 2)))
    # 2 January 2019 + 362 fortnights = 31 December 2032; check a few years in.
    session = next_session(group, london(2025, 12, 1))
    assert session is not None
    assert (session.start.date() - date(2019, 1, 2)).days % 14 == 0
    assert session.start.date() - date(2025, 12, 1) < timedelta(days=14)


def test_fortnightly_without_a_start_date_is_described_but_not_placed() -> None:
    group = service(weekly("WE", time(10), time(12), interval=2))
    assert next_session(group, MONDAY_1_DEC) is None
    assert when_in_words(group, MONDAY_1_DEC) == "Every other Wednesday, 10am to 12 noon"


def test_second_tuesday_of_the_month() -> None:
    group = service(monthly("2TU", time(14), time(16)))
    found = sessions_between(group, london(2025, 12, 1), london(2026, 3, 1))
    assert start_days([s.start for s in found]) == [
        date(2025, 12, 9),
        date(2026, 1, 13),
        date(2026, 2, 10),
    ]
    assert schedule_in_words(group.schedules[0]) == "Second Tuesday of the month, 2pm to 4pm"


def test_last_friday_of_the_month() -> None:
    group = service(monthly("-1FR", time(10, 30), time(12)))
    found = sessions_between(group, london(2025, 12, 1), london(2026, 3, 1))
    assert start_days([s.start for s in found]) == [
        date(2025, 12, 26),
        date(2026, 1, 30),
        date(2026, 2, 27),
    ]
    assert schedule_in_words(group.schedules[0]) == ("Last Friday of the month, 10:30am to 12 noon")


def test_first_and_third_monday() -> None:
    group = service(monthly("1MO,3MO", time(18), time(20)))
    found = sessions_between(group, london(2025, 12, 1), london(2026, 1, 1))
    assert start_days([s.start for s in found]) == [date(2025, 12, 1), date(2025, 12, 15)]
    assert (
        schedule_in_words(group.schedules[0])
        == "The first Monday and the third Monday of the month, 6pm to 8pm"
    )


def test_monthly_by_date_from_dtstart() -> None:
    group = service(
        Schedule(
            freq="MONTHLY",
            dtstart=date(2025, 1, 15),
            opens_at=time(9),
            closes_at=time(11),
        )
    )
    found = sessions_between(group, london(2025, 12, 1), london(2026, 2, 1))
    assert start_days([s.start for s in found]) == [date(2025, 12, 15), date(2026, 1, 15)]
    assert schedule_in_words(group.schedules[0], today=date(2025, 12, 1)) == (
        "Day 15 of the month, 9am to 11am"
    )


# --- valid_from and valid_to -----------------------------------------------------------


def test_valid_from_and_valid_to_bound_the_sessions() -> None:
    group = service(
        weekly(
            "TU",
            time(14),
            time(16),
            valid_from=date(2025, 12, 10),
            valid_to=date(2026, 1, 13),
        )
    )
    assert next_session(group, MONDAY_1_DEC) is not None
    first = next_session(group, MONDAY_1_DEC)
    assert first is not None and first.start == london(2025, 12, 16, 14)
    found = sessions_between(group, london(2025, 12, 1), london(2026, 3, 1))
    assert start_days([s.start for s in found])[-1] == date(2026, 1, 13)
    assert next_session(group, london(2026, 1, 14)) is None
    assert when_in_words(group, london(2026, 1, 14)) == TIMES_NOT_KNOWN
    assert schedule_in_words(group.schedules[0], today=date(2025, 12, 1)) == (
        "Every Tuesday, 2pm to 4pm, from 10 December, until 13 January"
    )


def test_a_seasonal_schedule_beside_a_regular_one() -> None:
    group = service(
        weekly("TU", time(14), time(16)),
        weekly(
            "SA", time(10), time(12), valid_from=date(2025, 12, 20), valid_to=date(2025, 12, 27)
        ),
    )
    found = sessions_between(group, london(2025, 12, 15), london(2025, 12, 31))
    assert start_days([s.start for s in found]) == [
        date(2025, 12, 16),
        date(2025, 12, 20),
        date(2025, 12, 23),
        date(2025, 12, 27),
        date(2025, 12, 30),
    ]


# --- clock changes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sunday", "utc_hour", "offset_hours"),
    [
        (date(2025, 3, 30), 9, 1),  # clocks went forward at 1am: 10am BST is 09:00 UTC
        (date(2025, 10, 26), 10, 0),  # clocks went back at 2am: 10am GMT is 10:00 UTC
        (date(2026, 3, 29), 9, 1),
        (date(2026, 10, 25), 10, 0),
    ],
)
def test_a_10am_sunday_session_is_at_10am_on_clock_change_days(
    sunday: date, utc_hour: int, offset_hours: int
) -> None:
    group = service(weekly("SU", time(10), time(11)))
    # Asked on the Saturday before, from a UTC clock.
    saturday_noon = datetime.combine(sunday - timedelta(days=1), time(12), tzinfo=UTC)
    session = next_session(group, saturday_noon)
    assert session is not None
    assert session.start.date() == sunday
    assert (session.start.hour, session.start.minute) == (10, 0)
    assert session.start.utcoffset() == timedelta(hours=offset_hours)
    assert session.start.astimezone(UTC).hour == utc_hour
    assert is_open_now(group, datetime.combine(sunday, time(utc_hour, 30), tzinfo=UTC))
    assert not is_open_now(group, datetime.combine(sunday, time(utc_hour - 1, 30), tzinfo=UTC))
    assert when_in_words(group, saturday_noon) == f"Next: {format_day(sunday)}, 10am to 11am"


def test_the_week_after_the_clock_change_keeps_the_wall_clock_time() -> None:
    group = service(weekly("SU", time(10), time(11)))
    found = sessions_between(group, london(2025, 10, 19), london(2025, 11, 3))
    assert [(s.start.hour, s.start.utcoffset()) for s in found] == [
        (10, timedelta(hours=1)),
        (10, timedelta(0)),
        (10, timedelta(0)),
    ]


# --- words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (time(14), "2pm"),
        (time(10, 30), "10:30am"),
        (time(12), "12 noon"),
        (time(12, 30), "12:30pm"),
        (time(0), "12 midnight"),
        (time(9, 5), "9:05am"),
        (time(23, 59), "11:59pm"),
    ],
)
def test_format_time(moment: time, words: str) -> None:
    assert format_time(moment) == words


def test_format_day() -> None:
    assert format_day(date(2025, 12, 2)) == "Tuesday 2 December"
    assert format_day(london(2026, 1, 1, 9)) == "Thursday 1 January"


def test_phone_only_service() -> None:
    helpline = service(attendance=Attendance(in_person=False, phone=True))
    assert when_in_words(helpline, MONDAY_1_DEC) == PHONE_ONLY
    assert next_session(helpline, MONDAY_1_DEC) is None
    assert not is_open_now(helpline, MONDAY_1_DEC)


def test_no_usable_schedule_says_phone_first() -> None:
    assert when_in_words(service(), MONDAY_1_DEC) == TIMES_NOT_KNOWN
    vague = service(Schedule(description="Phone to book a time"))
    assert when_in_words(vague, MONDAY_1_DEC) == TIMES_NOT_KNOWN
    assert schedule_in_words(vague.schedules[0]) == "Phone to book a time"
    no_hours = service(Schedule(freq="WEEKLY", byday="TU"))
    assert next_session(no_hours, MONDAY_1_DEC) is None
    assert when_in_words(no_hours, MONDAY_1_DEC) == "Every Tuesday"


def test_temporarily_closed_is_never_open() -> None:
    group = service(TUESDAY_2_TO_4, status=Status.TEMPORARILY_CLOSED)
    assert not is_open_now(group, london(2025, 12, 2, 15))
    assert next_session(group, MONDAY_1_DEC) is None
    assert when_in_words(group, MONDAY_1_DEC) == CLOSED_FOR_NOW


def test_editing_a_schedule_is_seen_at_once() -> None:
    """The timetable cache is keyed on what the schedules say, so edits never go stale."""
    group = service(TUESDAY_2_TO_4)
    assert when_in_words(group, MONDAY_1_DEC) == "Next: Tuesday 2 December, 2pm to 4pm"
    group.schedules[0] = weekly("WE", time(14), time(16))
    assert when_in_words(group, MONDAY_1_DEC) == "Next: Wednesday 3 December, 2pm to 4pm"


# --- no schedule crashes the schedule code ----------------------------------------------

_BYDAY_ITEMS = st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
_NUMBERS = st.sampled_from(["", "1", "2", "3", "4", "5", "-1", "-2", "-5"])


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    """Draw a schedule that passes the model's own checks (others are refused on import)."""
    freq = draw(st.sampled_from([None, "WEEKLY", "MONTHLY"]))
    numbered = freq == "MONTHLY" or draw(st.booleans())
    items = draw(st.lists(st.tuples(_NUMBERS, _BYDAY_ITEMS), min_size=0, max_size=4))
    byday = ",".join(
        f"{number or ('1' if numbered and freq == 'MONTHLY' else '')}{code}"
        for number, code in items
    )
    opens = draw(st.none() | st.times())
    closes = draw(st.none() | st.times())
    valid_from = draw(st.none() | st.dates(date(2015, 1, 1), date(2035, 12, 31)))
    valid_to = draw(st.none() | st.dates(date(2015, 1, 1), date(2035, 12, 31)))
    data = {
        "freq": freq,
        "interval": draw(st.integers(1, 52)),
        "byday": byday or None,
        "opens_at": opens,
        "closes_at": closes,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "dtstart": draw(st.none() | st.dates(date(2000, 1, 1), date(2035, 12, 31))),
    }
    try:
        return Schedule.model_validate(data)
    except ValidationError:
        # e.g. closes before it opens: fall back to the same rule without hours or dates
        data.update(opens_at=None, closes_at=None, valid_from=None, valid_to=None)
        return Schedule.model_validate(data)


_NOW = st.datetimes(
    min_value=datetime(2016, 1, 1),
    max_value=datetime(2034, 12, 31),
    timezones=st.sampled_from([UTC, LONDON]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(schedules(), max_size=4), _NOW)
def test_no_schedule_crashes_the_schedule_code(drawn: list[Schedule], now: datetime) -> None:
    group = service(*drawn)
    words = when_in_words(group, now)
    assert words.strip()
    session = next_session(group, now)
    if session is not None:
        assert session.end > session.start
        assert session.end > now.astimezone(LONDON)
    until = open_until(group, now)
    assert (until is not None) == is_open_now(group, now)
    if is_open_now(group, now):
        assert opens_today(group, now)
    week = sessions_between(group, now, now + timedelta(days=7))
    assert week == sorted(week, key=lambda s: (s.start, s.end))
    for schedule in drawn:
        assert schedule_in_words(schedule).strip()


def test_english_days_dates_and_lists_are_what_babel_says_in_british_english() -> None:
    """English is written out without Babel (its data costs a kiosk about 5 MB of memory);
    the words must be exactly CLDR's en_GB, as Babel gives them for every other language."""
    from babel import Locale
    from babel.dates import format_skeleton, get_day_names
    from babel.lists import format_list

    from hub import i18n
    from hub.schedule import _join_words, day_name, format_date, format_month

    before = i18n.current_catalogue()
    assert i18n.use_language(["en"]) == "en"
    try:
        british = Locale.parse("en_GB")
        days = get_day_names("wide", "stand-alone", locale=british)
        for offset in range(7):
            day = date(2026, 11, 30) + timedelta(days=offset)  # Monday to Sunday
            assert day_name(day) == day_name(("MO", "TU", "WE", "TH", "FR", "SA", "SU")[offset])
            assert day_name(day) == days[day.weekday()]
        for month in range(1, 13):
            for day in (date(2026, month, 1), date(1999, month, 28)):
                assert format_date(day) == format_skeleton("MMMMd", day, locale=british)
                assert format_date(day, year=True) == format_skeleton("yMMMMd", day, locale=british)
                assert format_month(day) == format_skeleton("yMMMM", day, locale=british)
        names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
        for count in range(6):
            assert _join_words(names[:count]) == (
                format_list(names[:count], locale=british) if count else ""
            )
    finally:
        i18n.use_catalogue(before)
