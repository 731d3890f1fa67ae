"""Visitors' "Something wrong?" notes: saved with only the service, the words and the day."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from hub.storage import HubStore
from hub.suggestions import COLLECTION, leave_suggestion, open_suggestions


def test_a_note_is_saved_and_read_back(tmp_path: Path) -> None:
    service_id = str(uuid.uuid4())
    with HubStore.open(tmp_path / "data") as store:
        later = leave_suggestion(store, service_id, "  Now on Thursdays  ", date(2026, 11, 27))
        first = leave_suggestion(store, service_id, "New phone number", date(2026, 11, 26))
    with HubStore.open(tmp_path / "data") as store:
        notes = open_suggestions(store)
    assert notes == [first, later]
    assert later.text == "Now on Thursdays"
    on_disk = json.loads((tmp_path / "data" / f"{COLLECTION}.json").read_text())
    assert set(on_disk[COLLECTION][first.id]) == {"id", "service_id", "text", "day"}


@pytest.mark.parametrize("text", ["", "   ", "x" * 501])
def test_empty_or_overlong_notes_are_refused(tmp_path: Path, text: str) -> None:
    with HubStore.open(tmp_path / "data") as store:
        with pytest.raises(ValidationError):
            leave_suggestion(store, str(uuid.uuid4()), text, date(2026, 11, 26))
        assert open_suggestions(store) == []
