"""Visitors' "Something wrong?" notes about a service, kept for staff to check.

A note holds only the service, the words and the day: no name, no time of day, nothing
that says who wrote it (DESIGN.md, Privacy).
"""

from __future__ import annotations

import uuid
from datetime import date

from hub.models import Suggestion
from hub.storage import HubStore

COLLECTION = "suggestions"


def leave_suggestion(store: HubStore, service_id: str, text: str, day: date) -> Suggestion:
    """Return the saved note; raises ValueError (from the model) for empty or too-long text."""
    suggestion = Suggestion(id=str(uuid.uuid4()), service_id=service_id, text=text, day=day)
    store.collection(COLLECTION).put(suggestion.id, suggestion.model_dump(mode="json"))
    return suggestion


def open_suggestions(store: HubStore) -> list[Suggestion]:
    """Return every note on file, oldest day first (then by id, so the order is stable)."""
    notes = [Suggestion.model_validate(doc) for doc in store.collection(COLLECTION).all().values()]
    notes.sort(key=lambda note: (note.day, note.id))
    return notes
