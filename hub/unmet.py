"""Unmet needs: searches that found nothing, and needs with no services, for coordinators.

Only the words and the day are kept, with a count: nothing about who searched, and no
time of day (a time and a place can be enough to pick someone out). Records live in the
store's "unmet_searches" collection, keyed "<day>|<text>", and travel in sync bundles as
{"text", "day", "count"}.

A search that speaks of a crisis (hub/crisis.py) is never stored as text, here or anywhere:
it is counted by kind and day in the "urgent_counts" collection, keyed "<day>|<kind>"
("2026-12-01|domestic-abuse": 3). Those counts stay at the hub (the sync bundle has no place
for them) and `hub report` shows them.

Search itself writes nothing; the kiosk calls these after a visitor's search. Searches typed
at the command line are staff's and are not logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import get_args

from pydantic import ValidationError

from hub.models import CrisisKind, UnmetSearch
from hub.needs import normalise
from hub.safe_text import clean_line
from hub.storage import HubStore

CRISIS_KINDS: tuple[str, ...] = get_args(CrisisKind)
"""The crisis kinds, in hub.crisis's order (the same Literal)."""


def crisis_kinds(text: str) -> frozenset[str]:
    """Return the crisis kinds the words speak of (hub.crisis, imported on first use: the
    kiosk's way to Home does not need its phrase lists)."""
    from hub.crisis import crisis_kinds as kinds_in

    return kinds_in(text)


COLLECTION = "unmet_searches"
URGENT_COUNTS = "urgent_counts"
MAX_TEXT = 200
"""UnmetSearch.text's limit; a longer query is cut at a word boundary."""
EMPTY_NEED_PREFIX = "need:"
NOTHING_SUITABLE_PREFIX = "nothing-suitable:"
"""Staff found no suitable service for a need: kept as this prefix and the need id, so it
travels in sync bundles like any unmet record and reports count it under its need."""


def _clean(text: str) -> str:
    """Return the text as it is logged: normalised, and cut to MAX_TEXT at a word break."""
    plain = normalise(clean_line(text))
    if len(plain) <= MAX_TEXT:
        return plain
    cut = plain[:MAX_TEXT]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def _add(store: HubStore, text: str, day: date) -> None:
    """Count one more of `text` on `day`, under the lock: no other kiosk's count is lost."""
    collection = store.collection(COLLECTION)
    key = f"{day.isoformat()}|{text}"
    with store.writing():
        found = collection.get(key)
        count = int(found.get("count", 0)) if found else 0
        collection.put(
            key, {"text": text, "day": day.isoformat(), "count": min(count + 1, 1_000_000)}
        )


def log_unmet_search(store: HubStore, text: str, day: date) -> str | None:
    """Log a search that found nothing; return the text as logged (None if nothing to log).

    Blank or punctuation-only text is not worth a coordinator's time and is not logged.
    Nor is a search that speaks of a crisis: its words are never stored (the kiosk counts
    it by kind instead, with count_urgent_search).
    """
    clean = _clean(text)
    if not clean or not any(ch.isalnum() for ch in clean):
        return None
    if crisis_kinds(text) or crisis_kinds(clean):
        return None
    _add(store, clean, day)
    return clean


def log_empty_need(store: HubStore, need_id: str, day: date) -> str:
    """Log that a visitor opened a need with no services; return the text logged."""
    text = f"{EMPTY_NEED_PREFIX}{need_id}"
    _add(store, text, day)
    return text


def log_nothing_suitable(store: HubStore, need_id: str, day: date) -> str:
    """Log that staff found no suitable service for a visitor's need; return the text logged.

    Only the need and the day are kept: nothing about the visitor.
    """
    text = f"{NOTHING_SUITABLE_PREFIX}{need_id}"
    _add(store, text, day)
    return text


def unmet_searches(store: HubStore, since: date | None = None) -> list[UnmetSearch]:
    """Return the logged unmet searches (and empty needs), oldest day first, then by text.

    A record that no longer passes the model's checks (e.g. a hand-edited file) is skipped
    rather than stopping a coordinator's report. Words that speak of a crisis are left out
    too, should any have been stored before crisis searches were kept apart: they must never
    reach a report or a bundle.
    """
    found: list[UnmetSearch] = []
    for doc in store.collection(COLLECTION).all().values():
        try:
            record = UnmetSearch.model_validate(doc)
        except ValidationError:
            continue
        if (since is None or record.day >= since) and not crisis_kinds(record.text):
            found.append(record)
    found.sort(key=lambda record: (record.day, record.text))
    return found


def forget_crisis_searches(store: HubStore) -> int:
    """Delete any logged search whose words speak of a crisis; return how many went.

    Such words were logged before crisis searches were kept apart. The kiosk calls this as
    it starts, so they leave the hub's files (and their backups) for good.
    """
    collection = store.collection(COLLECTION)
    doomed = [
        key
        for key, doc in collection.all().items()
        if crisis_kinds(str(doc.get("text", ""))) or crisis_kinds(key.partition("|")[2])
    ]
    collection.delete_many(doomed)
    return len(doomed)


# --- crisis searches, counted by kind --------------------------------------------------


@dataclass(frozen=True)
class UrgentCount:
    """How many searches on a day spoke of one crisis kind ("urgent: domestic-abuse, 3")."""

    day: date
    kind: str
    count: int


def count_urgent_search(store: HubStore, kinds: Iterable[str], day: date) -> list[str]:
    """Count one search that touched these crisis kinds; return the kinds counted.

    Only the kind and the day are kept: never the words, never the time of day.
    """
    counted = sorted(kind for kind in set(kinds) if kind in CRISIS_KINDS)
    if not counted:
        return []
    collection = store.collection(URGENT_COUNTS)
    docs: dict[str, dict[str, object]] = {}
    with store.writing():  # read and counted under the lock: no other kiosk's count is lost
        for kind in counted:
            key = f"{day.isoformat()}|{kind}"
            found = collection.get(key)
            count = int(found.get("count", 0)) if found else 0
            docs[key] = {"day": day.isoformat(), "kind": kind, "count": min(count + 1, 1_000_000)}
        collection.put_many(docs)
    return counted


def urgent_counts(
    store: HubStore, since: date | None = None, until: date | None = None
) -> list[UrgentCount]:
    """Return the crisis searches counted by day and kind, oldest day first.

    A hand-edited record that no longer makes sense is skipped, not fatal.
    """
    found: list[UrgentCount] = []
    for doc in store.collection(URGENT_COUNTS).all().values():
        try:
            record = UrgentCount(
                date.fromisoformat(str(doc["day"])), str(doc["kind"]), int(doc["count"])
            )
        except (KeyError, TypeError, ValueError):
            continue
        if record.kind not in CRISIS_KINDS or record.count < 1:
            continue
        if (since is None or record.day >= since) and (until is None or record.day <= until):
            found.append(record)
    found.sort(key=lambda record: (record.day, CRISIS_KINDS.index(record.kind)))
    return found


def urgent_totals(
    store: HubStore, since: date | None = None, until: date | None = None
) -> dict[str, int]:
    """Return how many searches touched each crisis kind in the period (none: left out)."""
    totals: dict[str, int] = {}
    for record in urgent_counts(store, since, until):
        totals[record.kind] = totals.get(record.kind, 0) + record.count
    return {kind: totals[kind] for kind in CRISIS_KINDS if kind in totals}
