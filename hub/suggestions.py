"""Visitors' "Something wrong?" notes about a service, kept for staff to check.

A note holds only the service, the words and the day: no name, no time of day, nothing
that says who wrote it (DESIGN.md, Privacy).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from hub import audit
from hub.models import Suggestion
from hub.storage import HubStore

COLLECTION = "suggestions"
HANDLED = "suggestions_handled"
"""Notes staff have accepted: kept (a sync export still carries them) but off the list."""


def leave_suggestion(store: HubStore, service_id: str, text: str, day: date) -> Suggestion:
    """Return the saved note; raises ValueError (from the model) for empty or too-long text."""
    suggestion = Suggestion(id=str(uuid.uuid4()), service_id=service_id, text=text, day=day)
    store.collection(COLLECTION).put(suggestion.id, suggestion.model_dump(mode="json"))
    return suggestion


def open_suggestions(store: HubStore) -> list[Suggestion]:
    """Return every note staff have not yet dealt with, oldest day first (then by id)."""
    handled = store.collection(HANDLED).all()
    notes = [
        Suggestion.model_validate(doc)
        for doc_id, doc in store.collection(COLLECTION).all().items()
        if doc_id not in handled
    ]
    notes.sort(key=lambda note: (note.day, note.id))
    return notes


# --- staff handling them ----------------------------------------------------------------

SUGGESTION_ACCEPT = "suggestion.accept"
SUGGESTION_DISMISS = "suggestion.dismiss"


class SuggestionNotFound(LookupError):
    """No open note has that id (another member of staff may have dealt with it)."""


def _open_note(store: HubStore, suggestion_id: str) -> Suggestion:
    doc = store.collection(COLLECTION).get(suggestion_id)
    if doc is None or store.collection(HANDLED).get(suggestion_id) is not None:
        raise SuggestionNotFound(f"no open note {suggestion_id}")
    return Suggestion.model_validate(doc)


def accept_suggestion(
    store: HubStore, suggestion_id: str, staff_id: str, now: datetime
) -> Suggestion:
    """Return the note after marking it accepted: it leaves staff home's list.

    The note itself is kept, so the next sync export still tells the coordinator that
    visitors spotted a mistake in this service.
    """
    note = _open_note(store, suggestion_id)
    audit.record_action(store, staff_id, SUGGESTION_ACCEPT, note.id, now)
    store.collection(HANDLED).put(
        note.id, {"action": "accepted", "at": now.astimezone(UTC).isoformat()}
    )
    return note


def dismiss_suggestion(
    store: HubStore, suggestion_id: str, staff_id: str, now: datetime
) -> Suggestion:
    """Return the note after deleting it for good.

    Deleted rather than hidden: a note staff dismiss is often one that should not have been
    written (a visitor's own phone number, say), and it must not travel on in an export.
    """
    note = _open_note(store, suggestion_id)
    audit.record_action(store, staff_id, SUGGESTION_DISMISS, note.id, now)
    store.collection(COLLECTION).delete(note.id)
    return note
