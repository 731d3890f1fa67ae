"""Browse by need, the filters, and ranking by the moment a query names.

`Browsing` is the part of `hub.search.SearchIndex` that decides which services pass the
filters (area, language, age, open now or today), lists a need's services, and re-ranks
the best few for "today" or "now" by when each next runs and out-of-season services.
"""

from __future__ import annotations

import heapq
from datetime import datetime
from operator import itemgetter

from hub.needs import normalise
from hub.schedule import LONDON, Timetable
from hub.search_parts import BOROUGH_WIDE, ServiceFetcher, _Entry
from hub.search_types import NO_FILTERS, Filters, Result
from hub.search_words import MOMENT_FACTORS, REFERRAL_FACTORS, Moment


class Browsing:
    """Filters, browse and the moment over an index's entries (see SearchIndex).

    The attributes are the index's, set by `SearchIndex.__init__`.
    """

    _entries: list[_Entry]
    _fetch: ServiceFetcher
    _listed_under: dict[str, list[int]]
    _order: list[int]
    _seasonal: list[tuple[int, tuple[tuple[int, int], ...]]]

    def _off_season(self, now: datetime) -> set[int]:
        """Return the numbers of the seasonal services not running today (London date)."""
        today = now.astimezone(LONDON).date().toordinal()
        return {
            number
            for number, windows in self._seasonal
            if not any(start <= today <= end for start, end in windows)
        }

    def _at_the_moment(
        self, ranked: list[tuple[float, int, int]], moment: Moment, now: datetime, take: int
    ) -> list[tuple[float, int, int]]:
        """Return the best `take` of `ranked`, scored again for the moment the query names.

        A service that runs at that moment keeps its score; one that runs later counts less
        (MOMENT_FACTORS), and one that needs a referral counts less again (REFERRAL_FACTORS): "food
        today" puts the free meal open today above the food bank that wants a voucher. Only
        the best few are looked at, because working out when a service next runs is the slow
        part; the rest, already lower, can only fall further.
        """
        factors = MOMENT_FACTORS[moment]
        best = heapq.nsmallest(take, ranked) if len(ranked) > take else ranked
        again: list[tuple[float, int, int]] = []
        off_season = self._off_season(now)
        for negative, place, number in best:
            entry = self._entries[number]
            # Not running now is not "times not known": it is not at this moment at all.
            soonness = 3 if number in off_season else _soonness(entry.timetable, now)
            if soonness == 4 and entry.round_the_clock:
                soonness = 0  # no times given, but its words say any hour: open now
            factor = factors[soonness]
            if entry.referral_needed:
                factor *= REFERRAL_FACTORS[moment]
            again.append((negative * factor, place, number))
        return again

    def _top(
        self, ranked: list[tuple[float, int, int]], filters: Filters, now: datetime, limit: int
    ) -> list[tuple[int, float]]:
        """Return the best `limit` (number, score) pairs; ties go by name, then id.

        `ranked` holds (-score, place in name order, number), so plain tuple comparison,
        which runs in C, gives the order; only the top few are ever sorted.
        """
        timed = filters.open_now or filters.open_today
        take = limit * 4 if timed else limit
        while True:
            top = heapq.nsmallest(take, ranked) if len(ranked) > take else sorted(ranked)
            if timed:
                top = [
                    row for row in top if self._passes_timed(self._entries[row[2]], filters, now)
                ]
            if len(top) >= limit or len(ranked) <= take:
                return [(number, -negative) for negative, _order, number in top[:limit]]
            take *= 4

    def browse(
        self,
        need_id: str,
        *,
        filters: Filters = NO_FILTERS,
        now: datetime,
        limit: int | None = None,
    ) -> list[Result]:
        """Return a need's services, most useful first.

        Most useful: open now, then later today, then this week, then later, then times
        unknown; within that, local ones (the filter's area) before borough-wide ones;
        then the most recently checked; then by name.
        """
        local = normalise(filters.area) if filters.area else None
        rows: list[tuple[tuple[object, ...], int]] = []
        for number in self._listed_under.get(need_id, ()):
            entry = self._entries[number]
            if not self._passes_static(entry, filters) or not self._passes_timed(
                entry, filters, now
            ):
                continue
            if local is None or local in entry.areas:
                area_rank = 0
            elif BOROUGH_WIDE in entry.areas:
                area_rank = 1
            else:
                area_rank = 2
            key = (
                _soonness(entry.timetable, now),
                area_rank,
                -entry.checked,
                entry.name_key,
                entry.service_id,
            )
            rows.append((key, number))
        rows.sort(key=itemgetter(0))
        if limit is not None:
            rows = rows[:limit]
        off_season = self._off_season(now)
        shown = self._fetch([self._entries[number].service_id for _key, number in rows])
        return [
            Result(
                service=shown[self._entries[number].service_id],
                score=0.0,
                matched_needs=(need_id,),
                timetable=self._entries[number].timetable,
                not_running_now=number in off_season,
            )
            for _key, number in rows
            if self._entries[number].service_id in shown  # gone since the index was made
        ]

    def need_ids(self) -> set[str]:
        """Return the ids of needs that have at least one listed service."""
        return {need_id for need_id, numbers in self._listed_under.items() if numbers}

    def areas(self) -> list[str]:
        """Return every area named by a listed service, as the directory spells it.

        Two spellings of one area ("Church End", "church end") give the spelling of the
        service first in name order, whatever order the index holds its services in (a
        staff edit moves one to the end).
        """
        found: dict[str, tuple[int, str]] = {}
        for number, entry in enumerate(self._entries):
            place = self._order[number]
            for area in entry.area_names:
                key = normalise(area)
                if key not in found or place < found[key][0]:
                    found[key] = (place, area)
        return sorted((area for _place, area in found.values()), key=str.casefold)

    # -- filters --

    @staticmethod
    def _passes_static(entry: _Entry, filters: Filters) -> bool:
        """Return True when the entry passes the filters that do not depend on the time."""
        if filters == NO_FILTERS:
            return True
        if filters.need is not None and filters.need not in entry.listed_under:
            return False
        if filters.free_only and not entry.free:
            return False
        if filters.drop_in_only and not entry.drop_in:
            return False
        if filters.area:
            area = normalise(filters.area)
            if area not in entry.areas and BOROUGH_WIDE not in entry.areas:
                return False
        if filters.language:
            language = normalise(filters.language)
            if entry.languages:
                if language not in entry.languages:
                    return False
            elif language != "english":
                return False
        if filters.age is not None:
            if entry.minimum_age is not None and filters.age < entry.minimum_age:
                return False
            if entry.maximum_age is not None and filters.age > entry.maximum_age:
                return False
        return True

    @staticmethod
    def _passes_timed(entry: _Entry, filters: Filters, now: datetime) -> bool:
        """Return True when the entry passes the open-now and open-today filters."""
        if filters.open_now and not entry.timetable.is_open_now(now):
            return False
        return not (filters.open_today and not entry.timetable.opens_today(now))


def _soonness(table: Timetable, now: datetime) -> int:
    """Return 0 when open now, 1 later today, 2 within a week, 3 later, 4 when not known.

    Buckets rather than exact times, so that within "this week" a local, recently checked
    service can come before one that happens to start an hour earlier.
    """
    session = table.next_session(now)
    if session is None:
        return 4
    local_now = now.astimezone(LONDON)
    if session.start <= local_now:
        return 0
    days = (session.start.date() - local_now.date()).days
    return 1 if days == 0 else 2 if days < 7 else 3
