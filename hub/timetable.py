"""A service's schedules compiled into a `Timetable`: sessions fast to ask on every keystroke.

Split out of hub.schedule (which re-exports `LONDON`, `Session`, `Timetable` and
`timetable`). Schedules use HSDS 3.0's RRULE-like fields (`freq`, `interval`, `byday`,
`dtstart`, `opens_at`, `closes_at`, `valid_from`, `valid_to`); `dateutil.rrule` works out
the days. Times are wall-clock times in Europe/London, so a 10am group is at 10:00 on both
sides of a clock change. The days a rule falls on are worked out once per rule and month
and cached (`_month_days`), and each service's schedules are compiled once into a
`Timetable` (cached on the schedules' content, and held by the search index), so asking
"open now?" is a set lookup.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule, weekday
from pydantic import TypeAdapter

from hub.models import Freq, Schedule, Service, Status

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
_DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


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


@lru_cache(maxsize=1)
def _schedules() -> TypeAdapter[list[Schedule]]:
    """Return the reader of a list of schedules (built on first use: not at import)."""
    return TypeAdapter(list[Schedule])


_TIMETABLES_BY_TEXT: dict[tuple[bool, str], Timetable] = {}


def schedules_text(service: Service) -> str:
    """Return the service's schedules as JSON text: what `timetable_from_text` needs, for
    keeping a timetable (as the saved search index does) without the whole service."""
    return _schedules().dump_json(service.schedules).decode("utf-8")


def timetable_from_text(text: str, *, closed: bool) -> Timetable:
    """Return the compiled timetable of schedules given as `schedules_text` gave them
    (cached on the text: services with the same times share one)."""
    key = (closed, text)
    found = _TIMETABLES_BY_TEXT.get(key)
    if found is None:
        schedules = _schedules().validate_json(text)
        plans = tuple(plan for plan in map(_compile, schedules) if plan is not None)
        found = Timetable(plans=plans, closed_for_now=closed)
        if len(_TIMETABLES_BY_TEXT) >= _TIMETABLES_MAX:
            _TIMETABLES_BY_TEXT.clear()
        _TIMETABLES_BY_TEXT[key] = found
    return found
