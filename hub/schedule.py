"""When a service is open: open now, until when, the next session, and all of it in words.

Schedules use HSDS 3.0's RRULE-like fields (`freq`, `interval`, `byday`, `dtstart`,
`opens_at`, `closes_at`, `valid_from`, `valid_to`); `dateutil.rrule` works out the days.
Times are wall-clock times in Europe/London, so a 10am group is at 10:00 on both sides
of a clock change. The time always comes in as an argument (an injected clock), never
from the system, so tests and screens agree on what "now" is.

Speed matters because the search screen re-ranks services on every keystroke: the days a
rule falls on are worked out once per rule and month and cached (`_month_days`), and each
service's schedules are compiled once into a `Timetable` (cached on the schedules' content,
and held by the search index), so asking "open now?" is a set lookup. That compiling lives
in hub.timetable; this module asks it the questions and says the answers in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from functools import lru_cache
from typing import TYPE_CHECKING

from hub.i18n import ENGLISH, N_, _, current_language, ngettext
from hub.models import Freq, Schedule, Service
from hub.timetable import _DAY_CODES, LONDON, Session, Timetable, timetable

if TYPE_CHECKING:
    from babel import Locale

PHONE_ONLY = N_("Phone only")
TIMES_NOT_KNOWN = N_("Times not known — phone first")
CLOSED_FOR_NOW = N_("Closed for now — phone first")


# --- the questions, asked of a service -------------------------------------------------


def is_open_now(service: Service, now: datetime) -> bool:
    """Return True when the service has a session running at `now`."""
    return timetable(service).is_open_now(now)


def open_until(service: Service, now: datetime) -> datetime | None:
    """Return when today's running session ends (London time), or None if not open now."""
    return timetable(service).open_until(now)


def next_session(service: Service, now: datetime) -> Session | None:
    """Return the session running now or the next one to start, or None if none is known."""
    return timetable(service).next_session(now)


def opens_today(service: Service, now: datetime) -> bool:
    """Return True when the service is open now or opens later today."""
    return timetable(service).opens_today(now)


def sessions_between(service: Service, start: datetime, end: datetime) -> list[Session]:
    """Return the service's sessions overlapping start..end, in time order."""
    return timetable(service).sessions_between(start, end)


# --- in words --------------------------------------------------------------------------
#
# Day names, dates, times and lists come from Babel (CLDR), in the kiosk's language; the
# sentences around them are whole gettext messages with placeholders, so a translator can
# put the pieces in whatever order their language needs. English keeps the house style
# for times ("2pm", "12 noon"): CLDR's English says "14:00" or "2 pm".
# Babel is imported when first needed, not with this module: reading its data takes a
# tenth of a second, and Home (and most CLI commands) never show a date.
# English day and month names, dates and lists are written here, as CLDR's British English
# has them (tests/unit/test_schedule.py holds them to Babel's own output): Babel's English
# data takes about 5 MB of memory once read, and a kiosk in English would read it for the
# first list of services a visitor sees (issue 11: 80 MB at 5,000 services). Every other
# language, and everything less common (short day names, ranges), is Babel's.

ENGLISH_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@lru_cache(maxsize=16)
def _babel_locale(code: str) -> Locale:
    """Return Babel's locale for a kiosk language code (English is British English)."""
    from babel import Locale

    return Locale.parse("en_GB" if code == ENGLISH else code)


def _locale() -> Locale:
    return _babel_locale(current_language())


def format_time(moment: time | datetime) -> str:
    """Return a time as people say it: "2pm", "10:30am", "12 noon" in English; "14:00",
    "2:00 PM" and so on in the language's own way elsewhere."""
    hour, minute = moment.hour, moment.minute
    if minute == 0 and hour == 12:
        return _("12 noon")
    if minute == 0 and hour == 0:
        return _("12 midnight")
    if current_language() != ENGLISH:
        from babel.dates import format_time as babel_format_time

        # CLDR puts a narrow no-break space before AM/PM; many terminal fonts lack it.
        spoken = babel_format_time(time(hour, minute), "short", locale=_locale())
        return spoken.replace("\u202f", "\u00a0")
    suffix = "am" if hour < 12 else "pm"
    twelve = hour % 12 or 12
    return f"{twelve}{suffix}" if minute == 0 else f"{twelve}:{minute:02d}{suffix}"


def day_name(code_or_day: str | date) -> str:
    """Return a day's name on its own ("Tuesday", "wtorek", "செவ்வாய்")."""
    index = (
        code_or_day.weekday() if isinstance(code_or_day, date) else _DAY_CODES.index(code_or_day)
    )
    if current_language() == ENGLISH:
        return ENGLISH_DAYS[index]
    from babel.dates import get_day_names

    return str(get_day_names("wide", "stand-alone", locale=_locale())[index])


def day_abbreviation(code: str) -> str:
    """Return a day's short name, as the language abbreviates it ("Mon", "pon.", "சனி")."""
    from babel.dates import get_day_names

    return str(get_day_names("abbreviated", "format", locale=_locale())[_DAY_CODES.index(code)])


def day_names_to_codes() -> dict[str, str]:
    """Return every way the kiosk's language names a day (full and short, lower case, no
    final full stop) mapped to its code: {"poniedziałek": "MO", "pon": "MO", ...}."""
    from babel.dates import get_day_names

    locale = _locale()
    found: dict[str, str] = {}
    for width in ("wide", "abbreviated", "short"):
        for context in ("format", "stand-alone"):
            for index, name in get_day_names(width, context, locale=locale).items():
                found.setdefault(str(name).casefold().rstrip("."), _DAY_CODES[index])
    return found


def format_date(day: date | datetime, *, year: bool = False) -> str:
    """Return a day and month ("2 December", "2 grudnia"), with the year if asked."""
    plain = day.date() if isinstance(day, datetime) else day
    if current_language() == ENGLISH:
        words = f"{plain.day} {ENGLISH_MONTHS[plain.month - 1]}"
        return f"{words} {plain.year}" if year else words
    from babel.dates import format_skeleton

    return str(format_skeleton("yMMMMd" if year else "MMMMd", plain, locale=_locale()))


def format_month(day: date | datetime) -> str:
    """Return the month and year a day falls in ("March 2026", "marzec 2026")."""
    plain = day.date() if isinstance(day, datetime) else day
    if current_language() == ENGLISH:
        return f"{ENGLISH_MONTHS[plain.month - 1]} {plain.year}"
    from babel.dates import format_skeleton

    return str(format_skeleton("yMMMM", plain, locale=_locale()))


def format_day(day: date | datetime, *, year: bool = False) -> str:
    """Return a day as "Tuesday 2 December" (in the kiosk's language), with the year if
    asked ("Tuesday 8 December 2026")."""
    return _("{weekday} {date}").format(weekday=day_name(day), date=format_date(day, year=year))


def _format_hours(opens_at: time | None, closes_at: time | None) -> str:
    if opens_at and closes_at:
        return _("{opens} to {closes}").format(
            opens=format_time(opens_at), closes=format_time(closes_at)
        )
    if opens_at:
        return _("from {opens}").format(opens=format_time(opens_at))
    return ""


def _join_words(words: Sequence[str]) -> str:
    """Return "a", "a and b", or "a, b and c", as the language joins a list."""
    if current_language() == ENGLISH and words:
        *rest, last = words
        return f"{', '.join(rest)} and {last}" if rest else last
    from babel.lists import format_list

    return str(format_list(list(words), locale=_locale())) if words else ""


# A monthly session, as a whole sentence for each week of the month. The first table is
# for one week ("Second Tuesday of the month"), the second for a list of them.
_NTH_OF_MONTH = {
    1: N_("First {weekday} of the month"),
    2: N_("Second {weekday} of the month"),
    3: N_("Third {weekday} of the month"),
    4: N_("Fourth {weekday} of the month"),
    5: N_("Fifth {weekday} of the month"),
    -1: N_("Last {weekday} of the month"),
    -2: N_("Second to last {weekday} of the month"),
    -3: N_("Third to last {weekday} of the month"),
    -4: N_("Fourth to last {weekday} of the month"),
    -5: N_("Fifth to last {weekday} of the month"),
}
_NTH_IN_A_LIST = {
    1: N_("the first {weekday}"),
    2: N_("the second {weekday}"),
    3: N_("the third {weekday}"),
    4: N_("the fourth {weekday}"),
    5: N_("the fifth {weekday}"),
    -1: N_("the last {weekday}"),
    -2: N_("the second to last {weekday}"),
    -3: N_("the third to last {weekday}"),
    -4: N_("the fourth to last {weekday}"),
    -5: N_("the fifth to last {weekday}"),
}


def _every_other_month(which: str, interval: int) -> str:
    """Return a monthly pattern with how many months apart it runs."""
    if interval == 1:
        return which
    if interval == 2:
        return _("{which}, every other month").format(which=which)
    return ngettext("{which}, every {n} month", "{which}, every {n} months", interval).format(
        which=which, n=interval
    )


def _days_in_words(schedule: Schedule) -> str | None:
    """Return which days a schedule runs, in words, or None when it does not say."""
    if schedule.freq is None:
        return None
    items = schedule.byday.split(",") if schedule.byday else []
    anchor = schedule.dtstart or schedule.valid_from
    if schedule.freq == Freq.WEEKLY:
        codes = list(dict.fromkeys(item[-2:] for item in items))
        if not codes and anchor is not None:
            codes = [_DAY_CODES[anchor.weekday()]]
        if not codes:
            return None
        if schedule.interval == 1 and len(codes) == len(_DAY_CODES):
            return _("Every day")
        if schedule.interval == 1 and set(codes) == set(_DAY_CODES[:5]):
            # One plain word for five day names (issue 15: "weekdays", not a list).
            return _("Weekdays")
        codes.sort(key=_DAY_CODES.index)
        names = _join_words([day_name(code) for code in codes])
        if schedule.interval == 1:
            return _("Every {days}").format(days=names)
        if schedule.interval == 2:
            return _("Every other {days}").format(days=names)
        return ngettext(
            "Every {n} week on {days}", "Every {n} weeks on {days}", schedule.interval
        ).format(n=schedule.interval, days=names)
    # monthly
    if not items:
        if anchor is None:
            return None
        which = _("Day {day} of the month").format(day=anchor.day)
        return _every_other_month(which, schedule.interval)
    parts = [(int(item[:-2]) if item[:-2] else 1, item[-2:]) for item in items]
    if len(parts) == 1:
        number, code = parts[0]
        which = _(_NTH_OF_MONTH[number]).format(weekday=day_name(code))
    else:
        listed = _join_words(
            [_(_NTH_IN_A_LIST[number]).format(weekday=day_name(code)) for number, code in parts]
        )
        which = _("{days} of the month").format(days=listed)
        which = which[:1].upper() + which[1:]
    return _every_other_month(which, schedule.interval)


def schedule_in_words(schedule: Schedule, today: date | None = None) -> str:
    """Return one schedule in plain words: "Every Tuesday, 2pm to 4pm".

    With `today`, dates in the past are left out ("from 3 March" only while it is still
    ahead, whether from valid_from or a first session, dtstart, still to come); without
    it, valid_from and valid_to are always said.
    """
    days = _days_in_words(schedule)
    hours = _format_hours(schedule.opens_at, schedule.closes_at)
    if days is None:
        if schedule.description:
            return schedule.description
        if hours:
            return _("{days}, {hours}").format(days=_(TIMES_NOT_KNOWN), hours=hours)
        return _(TIMES_NOT_KNOWN)
    words = _("{days}, {hours}").format(days=days, hours=hours) if hours else days
    starts = schedule.valid_from
    if today is not None and schedule.dtstart and (starts is None or schedule.dtstart > starts):
        starts = schedule.dtstart  # a group that has not begun yet: say when it begins
    if starts and (today is None or starts > today):
        words = _("{words}, from {date}").format(words=words, date=format_date(starts))
    if schedule.valid_to and (today is None or schedule.valid_to >= today):
        words = _("{words}, until {date}").format(words=words, date=format_date(schedule.valid_to))
    return words


def session_in_words(session: Session, now: datetime) -> str:
    """Return a session as "Today, 2pm to 4pm" or "Next: Tuesday 2 December, 2pm to 4pm"."""
    local = now.astimezone(LONDON)
    hours = _format_hours(session.start.time(), session.end.time())
    if session.start.date() == local.date():
        return _("Today, {hours}").format(hours=hours)
    return _("Next: {day}, {hours}").format(day=format_day(session.start), hours=hours)


def upcoming_sessions(service: Service, now: datetime, count: int = 3) -> list[Session]:
    """Return up to `count` sessions from `now` on (one running now first), in time order."""
    table = timetable(service)
    found: list[Session] = []
    moment = now
    while len(found) < count:
        session = table.next_session(moment)
        if session is None:
            break
        found.append(session)
        moment = session.end
    return found


def session_dated(session: Session, *, short: bool = False) -> str:
    """Return a session by its date, never "Today": "Tuesday 2 December, 1pm to 4pm".

    For text that is kept (a take-away card, a QR code) and read on another day. `short`
    gives the day as the language abbreviates it ("Tue 2 Dec"), for the QR code's few bytes.
    """
    from babel.dates import format_skeleton

    start = session.start.astimezone(LONDON)
    day = (
        str(format_skeleton("MMMEd", start.date(), locale=_locale()))
        if short
        else format_day(start)
    )
    end = session.end.astimezone(LONDON).time()
    if short and current_language() != ENGLISH:
        hours = _hours_compact(start.time(), end)
    else:
        hours = _format_hours(start.time(), end)
    return _("{day}, {hours}").format(day=day, hours=hours)


def _hours_compact(opens_at: time, closes_at: time) -> str:
    """Return opening hours as the language writes a range briefly ("14:00–16:00")."""
    from babel.dates import format_interval

    locale = _locale()
    pattern = str(locale.time_formats["short"])
    skeleton = "Hm" if "H" in pattern else "hm"
    spoken = str(format_interval(opens_at, closes_at, skeleton, locale=locale))
    # Thin and narrow spaces are three bytes each in UTF-8, and some fonts lack them.
    return spoken.replace("\u2009", " ").replace("\u202f", " ")


def when_in_words(service: Service, now: datetime) -> str:
    """Return when a visitor can go, in words: "Open now until 4pm", "Phone only"..."""
    table = timetable(service)
    if table.closed_for_now:
        return _(CLOSED_FOR_NOW)
    until = table.open_until(now)
    if until is not None:
        return _("Open now until {time}").format(time=format_time(until))
    session = table.next_session(now)
    if session is not None:
        return session_in_words(session, now)
    if not service.schedules and service.attendance.phone and not service.attendance.in_person:
        return _(PHONE_ONLY)
    # A schedule we can describe but not place in time (e.g. "every other Wednesday" with
    # no start date) is still worth saying; a visitor can phone to ask which weeks.
    local_today = now.astimezone(LONDON).date()
    for schedule in service.schedules:
        if _days_in_words(schedule) is not None and (
            schedule.valid_to is None or schedule.valid_to >= local_today
        ):
            return schedule_in_words(schedule, today=local_today)
    return _(TIMES_NOT_KNOWN)


# What other modules import from here (the timetable's names live in hub.timetable).
__all__ = [
    "CLOSED_FOR_NOW",
    "LONDON",
    "PHONE_ONLY",
    "TIMES_NOT_KNOWN",
    "Session",
    "Timetable",
    "day_abbreviation",
    "day_name",
    "day_names_to_codes",
    "format_date",
    "format_day",
    "format_month",
    "format_time",
    "is_open_now",
    "next_session",
    "open_until",
    "opens_today",
    "schedule_in_words",
    "session_dated",
    "session_in_words",
    "sessions_between",
    "timetable",
    "upcoming_sessions",
    "when_in_words",
]
