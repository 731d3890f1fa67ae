"""Unmet needs: searches that found nothing, and needs with no services, for coordinators.

Only the words and the day are kept, with a count: nothing about who searched, and no
time of day (a time and a place can be enough to pick someone out). Records live in the
store's "unmet_searches" collection, keyed "<day>|<text>", and travel in sync bundles as
{"text", "day", "count"}.

Search itself writes nothing; the command line and the screens call these after a search.
"""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from hub.models import UnmetSearch
from hub.needs import normalise
from hub.safe_text import clean_line
from hub.storage import HubStore

COLLECTION = "unmet_searches"
MAX_TEXT = 200
"""UnmetSearch.text's limit; a longer query is cut at a word boundary."""
EMPTY_NEED_PREFIX = "need:"


def _clean(text: str) -> str:
    """Return the text as it is logged: normalised, and cut to MAX_TEXT at a word break."""
    plain = normalise(clean_line(text))
    if len(plain) <= MAX_TEXT:
        return plain
    cut = plain[:MAX_TEXT]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def _add(store: HubStore, text: str, day: date) -> None:
    """Count one more of `text` on `day`."""
    collection = store.collection(COLLECTION)
    key = f"{day.isoformat()}|{text}"
    found = collection.get(key)
    count = int(found.get("count", 0)) if found else 0
    collection.put(key, {"text": text, "day": day.isoformat(), "count": min(count + 1, 1_000_000)})


def log_unmet_search(store: HubStore, text: str, day: date) -> str | None:
    """Log a search that found nothing; return the text as logged (None if nothing to log).

    Blank or punctuation-only text is not worth a coordinator's time and is not logged.
    """
    clean = _clean(text)
    if not clean or not any(ch.isalnum() for ch in clean):
        return None
    _add(store, clean, day)
    return clean


def log_empty_need(store: HubStore, need_id: str, day: date) -> str:
    """Log that a visitor opened a need with no services; return the text logged."""
    text = f"{EMPTY_NEED_PREFIX}{need_id}"
    _add(store, text, day)
    return text


def unmet_searches(store: HubStore, since: date | None = None) -> list[UnmetSearch]:
    """Return the logged unmet searches (and empty needs), oldest day first, then by text.

    A record that no longer passes the model's checks (e.g. a hand-edited file) is skipped
    rather than stopping a coordinator's report.
    """
    found: list[UnmetSearch] = []
    for doc in store.collection(COLLECTION).all().values():
        try:
            record = UnmetSearch.model_validate(doc)
        except ValidationError:
            continue
        if since is None or record.day >= since:
            found.append(record)
    found.sort(key=lambda record: (record.day, record.text))
    return found
