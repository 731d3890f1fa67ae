"""When a service is open: open now, until when, the next session, and all of it in words.

Schedules use HSDS 3.0's RRULE-like fields (`freq`, `interval`, `byday`, `dtstart`,
`opens_at`, `closes_at`, `valid_from`, `valid_to`); `dateutil.rrule` works out the days.
Times are wall-clock times in Europe/London, so a 10am group is at 10:00 on both sides
of a clock change. The time always comes in as an argument (an injected clock), never
from the system, so tests and screens agree on what "now" is.

Speed matters because the search screen re-ranks services on every keystroke: the days a
rule falls on are worked out once per rule and month and cached (`_month_days`), and each
service's schedules are compiled once into a `Timetable` (cached on the schedules' content,
and held by the search index), so asking "open now?" is a set lookup.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule, weekday

from hub.i18n import ENGLISH, N_, _, current_language, ngettext
from hub.models import Freq, Schedule, Service, Status

if TYPE_CHECKING:
    from babel import Locale

LONDON = ZoneInfo("Europe/London")
"""Every time the hub shows is London time."""

_WEEKDAYS: dict[str, weekday] = {
    "MO": MO,
    "TU": TU,
    "WE": WE,
    "TH": TH,
    "FR": FR,
    "SA": SA,
    "SU": SU,
}
# Month names in English, marked for translators (strftime would follow the OS locale).
MONTH_NAMES = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
_DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
PHONE_ONLY = N_("Phone only")
TIMES_NOT_KNOWN = N_("Times not known — phone first")
CLOSED_FOR_NOW = N_("Closed for now — phone first")


@dataclass(frozen=True, slots=True)
class Session:
    """One session of a service: when it starts and ends, in London time."""

    start: datetime
    end: datetime


# --- compiling schedules -------------------------------------------------------------

# A rule's identity: (freq, interval, byday items, anchor day). Services that share a rule
# ("every Tuesday") share its cached days.
_RuleKey = tuple[str, int, tuple[str, ...], date | None]


@dataclass(frozen=True, slots=True)
class _Plan:
    """One schedule compiled for quick questions: its rule and its opening hours."""

    rule: _RuleKey
    opens_at: time
    closes_at: time
    valid_from: date | None
    valid_to: date | None

    def covers(self, day: date) -> bool:
        """Return True when `day` falls within valid_from..valid_to (inclusive)."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        return not (self.valid_to is not None and day > self.valid_to)

    def runs_on(self, day: date) -> bool:
        """Return True when the schedule has a session on `day`."""
        return self.covers(day) and day in _month_days(self.rule, day.year, day.month)[1]

    def session_on(self, day: date) -> Session:
        """Return the session on `day` (the caller has checked it runs that day)."""
        return Session(
            start=datetime.combine(day, self.opens_at, tzinfo=LONDON),
            end=datetime.combine(day, self.closes_at, tzinfo=LONDON),
        )

    def horizon_months(self) -> int:
        """Return how many months ahead a next session could be (a little over one cycle)."""
        freq, interval, _byday, _anchor = self.rule
        cycle = interval if freq == Freq.MONTHLY else interval // 4 + 1
        return cycle + 13

    def days_from(self, first: date, months: int) -> Iterator[date]:
        """Yield the schedule's days from `first` onwards, over at most `months` months."""
        year, month = first.year, first.month
        for _month in range(months):
            if self.valid_to is not None and date(year, month, 1) > self.valid_to:
                return
            for day in _month_days(self.rule, year, month)[0]:
                if day >= first and self.covers(day):
                    yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _rule_key(schedule: Schedule) -> _RuleKey | None:
    """Return the schedule's rule key, or None when its days cannot be worked out."""
    if schedule.freq is None:
        return None
    items = tuple(schedule.byday.split(",")) if schedule.byday else ()
    # Fortnightly and "every other month" count from dtstart; HSDS feeds often give only
    # valid_from, which marks the same first session.
    anchor = schedule.dtstart or schedule.valid_from
    if not items and anchor is None:
        return None  # "every week", but on which day? Nobody can say.
    if schedule.interval > 1 and anchor is None:
        return None  # every other week, but which weeks? Unknown.
    return (schedule.freq.value, schedule.interval, items, anchor)


def _compile(schedule: Schedule) -> _Plan | None:
    """Return the schedule compiled, or None when it has no usable days or hours."""
    rule = _rule_key(schedule)
    if rule is None or schedule.opens_at is None or schedule.closes_at is None:
        return None
    return _Plan(
        rule, schedule.opens_at, schedule.closes_at, schedule.valid_from, schedule.valid_to
    )


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


@lru_cache(maxsize=8192)
def _month_days(rule: _RuleKey, year: int, month: int) -> tuple[tuple[date, ...], frozenset[date]]:
    """Return the days in one month that the rule falls on, as a sorted tuple and a set.

    The rrule starts just before the month (on a day that keeps the rule's rhythm), so
    dateutil never has to walk forward from a dtstart years ago.
    """
    freq, interval, items, anchor = rule
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    byweekday = [_weekday(item, freq) for item in items] or None
    bymonthday: int | None = None
    rrule_freq: Literal[1, 2]  # dateutil's MONTHLY and WEEKLY
    if freq == Freq.WEEKLY:
        rrule_freq = WEEKLY
        if anchor is None:
            start = first
        elif anchor >= first:
            start = anchor
        else:
            # Move forward whole cycles, keeping the weekday, to the last start <= first.
            step = 7 * interval
            start = anchor + timedelta(days=(first - anchor).days // step * step)
        if byweekday is None:
            assert anchor is not None  # _rule_key guarantees an anchor without byday
            byweekday = [_WEEKDAYS[_DAY_CODES[anchor.weekday()]]]
    else:
        rrule_freq = MONTHLY
        if byweekday is None:
            assert anchor is not None
            bymonthday = anchor.day
        if anchor is None:
            start = first
        elif anchor >= first:
            start = anchor.replace(day=1)  # days before the anchor are dropped below
        else:
            skip = _months_between(anchor, first) // interval * interval
            start = anchor.replace(day=1) + relativedelta(months=skip)
    rule_obj = rrule(
        rrule_freq,
        interval=interval,
        dtstart=datetime.combine(start, time()),
        until=datetime.combine(last, time()),
        byweekday=byweekday,
        bymonthday=bymonthday,
        cache=False,
    )
    days = tuple(
        moment.date()
        for moment in rule_obj
        if moment.date() >= first and (anchor is None or moment.date() >= anchor)
    )
    return days, frozenset(days)


def _weekday(item: str, freq: str) -> weekday:
    """Return dateutil's weekday for "TU", "2TU" or "-1FR" (weekly rules ignore the number)."""
    code = item[-2:]
    number = item[:-2]
    if number and freq == Freq.MONTHLY:
        return _WEEKDAYS[code](int(number))
    return _WEEKDAYS[code]


@dataclass(frozen=True, slots=True)
class Timetable:
    """A service's schedules, compiled once, answering open-now and next-session questions."""

    plans: tuple[_Plan, ...]
    closed_for_now: bool = False
    """True for a temporarily closed service: it has no sessions until it reopens."""

    @property
    def known(self) -> bool:
        """True when at least one schedule has days and hours the hub can work with."""
        return bool(self.plans)

    def _sessions_on(self, day: date) -> list[Session]:
        return sorted(
            (plan.session_on(day) for plan in self.plans if plan.runs_on(day)),
            key=lambda s: (s.start, s.end),
        )

    def current_session(self, now: datetime) -> Session | None:
        """Return the session happening at `now`, joined with any that follow on at once."""
        if self.closed_for_now:
            return None
        local = now.astimezone(LONDON)
        sessions = self._sessions_on(local.date())
        current = next((s for s in sessions if s.start <= local < s.end), None)
        if current is None:
            return None
        end = current.end
        for session in sessions:  # 10am-12 noon then 12 noon-4pm reads as "until 4pm"
            if session.start <= end < session.end:
                end = session.end
        return Session(current.start, end)

    def is_open_now(self, now: datetime) -> bool:
        """Return True when a session is running at `now`."""
        return self.current_session(now) is not None

    def open_until(self, now: datetime) -> datetime | None:
        """Return when the running session ends, or None when it is not open now."""
        session = self.current_session(now)
        return session.end if session else None

    def next_session(self, now: datetime) -> Session | None:
        """Return the session running at `now`, else the next one to start; None if none."""
        if self.closed_for_now:
            return None
        local = now.astimezone(LONDON)
        best: Session | None = None
        for plan in self.plans:
            for day in plan.days_from(local.date(), plan.horizon_months()):
                if best is not None and day > best.start.date():
                    break
                session = plan.session_on(day)
                if session.end > local:
                    if best is None or (session.start, session.end) < (best.start, best.end):
                        best = session
                    break
        return best

    def opens_today(self, now: datetime) -> bool:
        """Return True when a session today has not yet finished (open now or later today)."""
        if self.closed_for_now:
            return False
        local = now.astimezone(LONDON)
        return any(session.end > local for session in self._sessions_on(local.date()))

    def sessions_between(self, start: datetime, end: datetime) -> list[Session]:
        """Return every session overlapping start..end, in time order."""
        if self.closed_for_now or end <= start:
            return []
        first = start.astimezone(LONDON)
        last = end.astimezone(LONDON)
        months = _months_between(first.date(), last.date()) + 1
        found: list[Session] = []
        for plan in self.plans:
            for day in plan.days_from(first.date(), months):
                if day > last.date():
                    break
                session = plan.session_on(day)
                if session.end > first and session.start < last:
                    found.append(session)
        return sorted(found, key=lambda s: (s.start, s.end))


_TIMETABLES: dict[tuple[object, ...], Timetable] = {}
_TIMETABLES_MAX = 100_000


def _schedule_fields(schedule: Schedule) -> tuple[object, ...]:
    return (
        schedule.freq,
        schedule.interval,
        schedule.byday,
        schedule.opens_at,
        schedule.closes_at,
        schedule.valid_from,
        schedule.valid_to,
        schedule.dtstart,
    )


def timetable(service: Service) -> Timetable:
    """Return the service's compiled timetable (cached on the schedules' content).

    The cache key is what the schedules say, not the service's id, so an edited service
    never gets a stale answer and services with the same times share one entry.
    """
    closed = service.status == Status.TEMPORARILY_CLOSED
    key = (closed, *(_schedule_fields(schedule) for schedule in service.schedules))
    found = _TIMETABLES.get(key)
    if found is None:
        plans = tuple(plan for plan in map(_compile, service.schedules) if plan is not None)
        found = Timetable(plans=plans, closed_for_now=closed)
        if len(_TIMETABLES) >= _TIMETABLES_MAX:
            _TIMETABLES.clear()  # a crude bound; rebuilding is cheap and rare
        _TIMETABLES[key] = found
    return found


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
    from babel.dates import get_day_names

    return str(get_day_names("wide", "stand-alone", locale=_locale())[index])


def format_date(day: date | datetime, *, year: bool = False) -> str:
    """Return a day and month ("2 December", "2 grudnia"), with the year if asked."""
    from babel.dates import format_skeleton

    plain = day.date() if isinstance(day, datetime) else day
    return str(format_skeleton("yMMMMd" if year else "MMMMd", plain, locale=_locale()))


def format_day(day: date | datetime) -> str:
    """Return a day as "Tuesday 2 December" (in the kiosk's language)."""
    return _("{weekday} {date}").format(weekday=day_name(day), date=format_date(day))


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
