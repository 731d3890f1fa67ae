"""Coordinator figures: referrals by need, service, hub, week or outcome; unmet searches.

Reports read the stored referral documents directly rather than building a model for
each, so a coordinator's year of 100,000 referrals is counted in well under a second.
Days are London days, the way a hub worker thinks of them; weeks are ISO weeks, which
start on Monday ("2026-W48").

Writing the figures out (CSV, the JSON document) is hub.report_output's job.

Every figure is read through `HubStore.read_snapshot`: referrals live in many shard
files, and hub names, unmet searches and services in others, so a report read while
another process saves (a `hub sync import`, a kiosk's referral) counts one whole saved
state, never one shard new and another old. A caller that puts several figures together
(the JSON document, the dashboard) reads them all in one snapshot of its own; snapshots
nest.

Names and words come from other hubs' bundles and from stored documents that are read
without a model, so each is cleaned (hub.safe_text) before it becomes a label.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import wraps
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar, get_args

from hub.crisis import crisis_kinds
from hub.directory_edits import needs_checking
from hub.hub_identity import hub_info
from hub.i18n import _
from hub.models import OUTCOME_LABELS, Service, UrgentLine
from hub.needs import NeedsFileError, load_urgent, need_by_id, needs_from_text, normalise
from hub.safe_text import clean_line
from hub.schedule import LONDON
from hub.storage import HubStore
from hub.sync import HUBS, IMPORTED_UNMET
from hub.unmet import EMPTY_NEED_PREFIX, NOTHING_SUITABLE_PREFIX, unmet_searches, urgent_totals
from hub.urgent import load_urgent_help, urgent_lines_to_check

GroupBy = Literal["need", "service", "hub", "week", "outcome"]
GROUPINGS: tuple[str, ...] = get_args(GroupBy)

NO_NEED = ""
"""The key for referrals recorded without any need."""
_MAX_WEEKS_FILLED = 520
"""Empty weeks are listed between the first and last, up to ten years of them."""

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _in_one_snapshot(
    figure: Callable[Concatenate[HubStore, _P], _R],
) -> Callable[Concatenate[HubStore, _P], _R]:
    """Make a figure that reads several files read them as one committed state."""

    @wraps(figure)
    def read(store: HubStore, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        return store.read_snapshot(lambda: figure(store, *args, **kwargs))

    return read


@dataclass(frozen=True)
class Row:
    """One line of a report: a need, service, hub, week or outcome, and its figures."""

    key: str
    """The need id, service id, hub id, ISO week ("2026-W48") or outcome."""
    label: str
    """What a person calls it; for a week, the Monday it starts on (ISO date)."""
    referrals: int
    outcome_known: int
    """Referrals whose outcome has been recorded (anything but "unknown")."""
    attended: int


@dataclass(frozen=True)
class UnmetRow:
    """Words visitors searched for that found nothing, and how often."""

    text: str
    count: int
    hubs: int
    """How many hubs logged them (this hub counts as one)."""
    last_day: date


@dataclass(frozen=True)
class Period:
    """The days a report covers, both ends included; None means open-ended."""

    since: date | None = None
    until: date | None = None

    def holds(self, day: date) -> bool:
        """True when the day falls inside the period."""
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )

    def words(self) -> str:
        """Return "2026-11-01 to 2026-11-30", "since 2026-11-01", or "all time"."""
        # ISO dates, so a report reads the same in any language and sorts.
        if self.since and self.until:
            return _("{first} to {last}").format(
                first=self.since.isoformat(), last=self.until.isoformat()
            )
        if self.since:
            return _("since {date}").format(date=self.since.isoformat())
        if self.until:
            return _("up to {date}").format(date=self.until.isoformat())
        return _("all time")


def iso_week(day: date) -> str:
    """Return the ISO week a day falls in, as "2026-W48"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(day: date) -> date:
    """Return the Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def _london_day(stamp: str) -> date:
    return datetime.fromisoformat(stamp).astimezone(LONDON).date()


def _referrals_in(
    store: HubStore, period: Period, need: str | None = None
) -> Iterator[tuple[date, Mapping[str, Any]]]:
    """Yield (London day recorded, stored document) for referrals inside the period (and,
    with `need`, only those recorded for that need)."""
    for doc in store.referral_documents():
        if need is not None and need not in (doc.get("needs") or []):
            continue
        day = _london_day(str(doc["recorded_at"]))
        if period.holds(day):
            yield day, doc


def hub_names(store: HubStore) -> dict[str, str]:
    """Return hub names by id: every hub seen in an imported bundle, and this one."""
    names = {
        hub_id: clean_line(str(doc.get("name") or "")) or hub_id
        for hub_id, doc in store.collection(HUBS).raw().items()
    }
    own = hub_info(store)
    if own is not None:
        names[own.id] = own.name
    return names


@_in_one_snapshot
def report(
    store: HubStore,
    *,
    since: date | None = None,
    until: date | None = None,
    by: GroupBy = "need",
    need: str | None = None,
) -> list[Row]:
    """Return referral counts grouped `by` need, service, hub, week or outcome.

    A referral for two needs counts once under each. Rows come most referrals first,
    except weeks (in order, empty weeks included) and outcomes (in the form's order).
    """
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(GROUPINGS)}")
    period = Period(since, until)
    totals: Counter[str] = Counter()
    known: Counter[str] = Counter()
    attended: Counter[str] = Counter()
    service_names: dict[str, str] = {}
    for day, doc in _referrals_in(store, period, need):
        keys = _keys(by, day, doc, service_names)
        outcome = doc.get("outcome", "unknown")
        for key in keys:
            totals[key] += 1
            known[key] += outcome != "unknown"
            attended[key] += outcome == "attended"

    def row(key: str, label: str) -> Row:
        return Row(key, label, totals[key], known[key], attended[key])

    rows = [row(key, label) for key, label in _ordered(store, by, totals, period, service_names)]
    return rows


def _keys(
    by: GroupBy, day: date, doc: Mapping[str, Any], service_names: dict[str, str]
) -> Sequence[str]:
    """Return the keys a referral counts under when grouped `by` (a need each, else one)."""
    if by == "need":
        return list(doc.get("needs") or []) or [NO_NEED]
    if by == "service":
        key = str(doc["service_id"])
        service_names[key] = clean_line(str(doc.get("service_name") or "")) or key
        return [key]
    if by == "hub":
        return [str(doc["hub_id"])]
    if by == "week":
        return [iso_week(day)]
    return [str(doc.get("outcome", "unknown"))]


def _ordered(
    store: HubStore,
    by: GroupBy,
    totals: Mapping[str, int],
    period: Period,
    service_names: Mapping[str, str],
) -> list[tuple[str, str]]:
    """Return (key, label) in a report's order: most first; weeks and outcomes in theirs."""
    if by == "week":
        return _weeks(totals, period)
    if by == "outcome":
        return list(OUTCOME_LABELS.items())
    labels: dict[str, str]
    if by == "need":
        labels = {key: _need_label(key) for key in totals}
    elif by == "service":
        current = {i: s.name for i, s in store.services_by_id(totals).items()}
        labels = {key: current.get(key, service_names[key]) for key in totals}
    else:
        names = hub_names(store)
        labels = {key: names.get(key, f"Hub {key[:8]}") for key in totals}
    keys = sorted(totals, key=lambda key: (-totals[key], labels[key].casefold(), key))
    return [(key, labels[key]) for key in keys]


@dataclass(frozen=True)
class CrossTable:
    """Referrals counted two ways at once, e.g. each need at each hub."""

    rows_by: GroupBy
    columns_by: GroupBy
    rows: list[tuple[str, str]]
    """(key, label) of each row, most referrals first (weeks and outcomes in order)."""
    columns: list[tuple[str, str]]
    counts: dict[tuple[str, str], int]
    """Referrals by (row key, column key); a pair never seen is absent (zero)."""

    def count(self, row: str, column: str) -> int:
        """Return the referrals for a row and a column (0 when there are none)."""
        return self.counts.get((row, column), 0)


@_in_one_snapshot
def cross_report(
    store: HubStore,
    *,
    since: date | None = None,
    until: date | None = None,
    rows_by: GroupBy = "need",
    columns_by: GroupBy = "hub",
    need: str | None = None,
) -> CrossTable:
    """Return referrals counted by two groupings at once (`hub report --by need,hub`).

    A referral for two needs counts once under each, as in the one-way report.
    """
    for by in (rows_by, columns_by):
        if by not in GROUPINGS:
            raise ValueError(f"cannot group by {by!r}; choose from {', '.join(GROUPINGS)}")
    if rows_by == columns_by:
        raise ValueError(f"give two different groupings, not {rows_by} twice")
    period = Period(since, until)
    counts: Counter[tuple[str, str]] = Counter()
    row_totals: Counter[str] = Counter()
    column_totals: Counter[str] = Counter()
    names: dict[str, str] = {}
    for day, doc in _referrals_in(store, period, need):
        for row in _keys(rows_by, day, doc, names):
            for column in _keys(columns_by, day, doc, names):
                counts[(row, column)] += 1
                row_totals[row] += 1
                column_totals[column] += 1
    return CrossTable(
        rows_by,
        columns_by,
        _ordered(store, rows_by, row_totals, period, names),
        _ordered(store, columns_by, column_totals, period, names),
        dict(counts),
    )


@dataclass(frozen=True)
class UnmetNeedRow:
    """One unmet need (or, for words that name no need, the words) and how often."""

    need_id: str | None
    """The need the words map to; None for words that map to none."""
    label: str
    """The need's name, or the words themselves."""
    count: int
    searches: int
    """Visitors' searches that found nothing, whose words map to this need."""
    empty_lists: int
    """Times a visitor opened this need and it had no services."""
    nothing_suitable: int
    """Times staff found no suitable service for it."""
    words: tuple[str, ...] = ()
    """Under a need, the searches' own words, most often first (at most UNMET_WORDS)."""


UNMET_WORDS = 3
"""How many of a need's searches a report shows beside it."""


@_in_one_snapshot
def unmet_needs(
    store: HubStore,
    since: date | None = None,
    until: date | None = None,
    need: str | None = None,
) -> list[UnmetNeedRow]:
    """Return what people needed and the directory did not offer, most often first.

    One list, at this hub and imported ones: searches that found nothing (grouped under a
    need when their words map to one, as search maps them), needs opened with nothing
    listed, and needs staff found nothing suitable for. Crisis words are never shown.
    """
    period = Period(since, until)
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    shown: dict[str, str] = {}
    searched: defaultdict[str, Counter[str]] = defaultdict(Counter)

    def take(text: str, day: date, count: int) -> None:
        text = clean_line(text)
        if not text or not period.holds(day) or crisis_kinds(text):
            return
        if text.startswith(EMPTY_NEED_PREFIX):
            key, kind = "need:" + text.removeprefix(EMPTY_NEED_PREFIX), "empty"
        elif text.startswith(NOTHING_SUITABLE_PREFIX):
            key, kind = "need:" + text.removeprefix(NOTHING_SUITABLE_PREFIX), "staff"
        else:
            mapped = needs_from_text(text)
            if mapped:
                key = "need:" + mapped[0]
                searched[key][text] += count
            else:
                key = "words:" + normalise(text)
                shown.setdefault(key, text)
            kind = "search"
        counts[key][kind] += count

    for search in unmet_searches(store, since):
        take(search.text, search.day, search.count)
    for doc in store.collection(IMPORTED_UNMET).raw().values():
        try:
            take(str(doc["text"]), date.fromisoformat(str(doc["day"])), int(doc["count"]))
        except (KeyError, ValueError):
            continue  # a hand-edited record must not stop the report
    rows: list[UnmetNeedRow] = []
    for key, kinds in counts.items():
        kind, _, name = key.partition(":")
        need_id = name if kind == "need" else None
        label = _need_label(name) if need_id is not None else shown[key]
        rows.append(
            UnmetNeedRow(
                need_id,
                label,
                sum(kinds.values()),
                kinds["search"],
                kinds["empty"],
                kinds["staff"],
                tuple(text for text, _ in searched[key].most_common(UNMET_WORDS)),
            )
        )
    if need is not None:
        rows = [row for row in rows if row.need_id == need]
    rows.sort(key=lambda r: (-r.count, r.need_id is None, r.label.casefold()))
    return rows


def _need_label(need_id: str) -> str:
    if need_id == NO_NEED:
        return "No need given"
    need = need_by_id(need_id)
    return need.label if need is not None else need_id


def _weeks(totals: Mapping[str, int], period: Period) -> list[tuple[str, str]]:
    """Return (ISO week, Monday) for every week from the first to the last, gaps included."""
    starts = [date.fromisocalendar(int(key[:4]), int(key[6:]), 1) for key in totals]
    first = period.since or (min(starts) if starts else None)
    last = period.until or (max(starts) if starts else None)
    if first is None or last is None:
        return []
    weeks: list[tuple[str, str]] = []
    monday = week_start(first)
    while monday <= last and len(weeks) < _MAX_WEEKS_FILLED:
        weeks.append((iso_week(monday), monday.isoformat()))
        monday += timedelta(days=7)
    return weeks


@_in_one_snapshot
def total_referrals(
    store: HubStore,
    *,
    since: date | None = None,
    until: date | None = None,
    need: str | None = None,
) -> int:
    """Return how many referrals were recorded in the period (each counted once)."""
    return sum(1 for _ in _referrals_in(store, Period(since, until), need))


_NOT_SEARCHES = (EMPTY_NEED_PREFIX, NOTHING_SUITABLE_PREFIX)
"""Unmet records that are not words a visitor searched: a need opened with nothing listed,
and a need staff found nothing suitable for (unmet_needs counts both)."""


@_in_one_snapshot
def top_unmet_searches(
    store: HubStore,
    since: date | None = None,
    until: date | None = None,
    limit: int = 10,
) -> list[UnmetRow]:
    """Return the searches that most often found nothing, at this hub and imported ones.

    Words are compared normalised ("Food bank" and "food  bank" are one search). Needs a
    visitor opened that had no services, and needs staff found nothing suitable for, are
    left out: they are not searches.
    """
    period = Period(since, until)
    counts: Counter[str] = Counter()
    hubs: defaultdict[str, set[str]] = defaultdict(set)
    last: dict[str, date] = {}
    shown: dict[str, str] = {}

    def take(hub_id: str, text: str, day: date, count: int) -> None:
        text = clean_line(text)
        if not text or not period.holds(day) or text.startswith(_NOT_SEARCHES):
            return
        # A bundle from a hub running an older version may carry a crisis search's words:
        # they are never shown (such searches are counted by kind instead).
        if crisis_kinds(text):
            return
        key = normalise(text)
        counts[key] += count
        hubs[key].add(hub_id)
        last[key] = max(last.get(key, day), day)
        shown.setdefault(key, text)

    own = hub_info(store)
    for search in unmet_searches(store, since):
        take(own.id if own else "", search.text, search.day, search.count)
    for doc in store.collection(IMPORTED_UNMET).raw().values():
        try:
            day = date.fromisoformat(str(doc["day"]))
            take(str(doc["hub_id"]), str(doc["text"]), day, int(doc["count"]))
        except (KeyError, ValueError):
            continue  # a hand-edited record must not stop the report
    ranked = sorted(counts, key=lambda key: (-counts[key], -last[key].toordinal(), key))
    return [UnmetRow(shown[key], counts[key], len(hubs[key]), last[key]) for key in ranked[:limit]]


def urgent_search_counts(
    store: HubStore, since: date | None = None, until: date | None = None
) -> dict[str, int]:
    """Return how many visitors' searches at this hub spoke of each crisis kind.

    Only kinds and days were ever kept ("urgent: domestic-abuse, 3"), never the words. The
    counts stay at the hub: the sync bundle has no place for them.
    """
    return urgent_totals(store, since, until)


def urgent_lines_due(store: HubStore, now: datetime) -> list[UrgentLine]:
    """Return the urgent lines (national and the hub's own) not checked for six months or ever.

    A hub's own file that is broken is left out here; `hub search` names its problem.
    """
    try:
        urgent = load_urgent_help(store.root)
    except NeedsFileError:
        urgent = load_urgent()
    return urgent_lines_to_check(urgent, now.astimezone(LONDON).date())


@_in_one_snapshot
def services_to_check(store: HubStore, now: datetime) -> list[Service]:
    """Return listed services not checked for 180 days (or never), least recently first."""
    return needs_checking(store, now)
