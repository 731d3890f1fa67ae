"""Helpers for search tests over small hand-made directories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from hub.index_file import index_fingerprint, load_parts, save_index
from hub.models import Service
from hub.needs import load_needs
from hub.schedule import LONDON
from hub.search import SavedParts, SearchIndex

TUESDAY_MORNING = datetime(2025, 12, 2, 11, 0, tzinfo=LONDON)


def top(
    index: SearchIndex, query: str, count: int = 1, now: datetime = TUESDAY_MORNING
) -> list[str]:
    """Return the names of the first `count` services `index` finds for `query` at `now`."""
    return [r.service.name for r in index.search(query, now=now, limit=count)]


def saved_and_loaded(
    tmp_path: Path, directory: Sequence[Service]
) -> tuple[SearchIndex, SavedParts, SearchIndex]:
    """Build an index of `directory`, save it to a file and load it back.

    Returns the built index, the parts read from the file, and the index made from those
    parts (fetching services from `directory`, as a kiosk fetches them from its store).
    """
    needs = load_needs()
    built = SearchIndex.build(directory, needs)
    path = tmp_path / "search-index.sqlite3"
    fingerprint = index_fingerprint(needs)
    assert save_index(path, built, revision="r1", fingerprint=fingerprint)
    parts = load_parts(path, revision="r1", fingerprint=fingerprint)
    by_id = {service.id: service for service in directory}
    loaded = SearchIndex.from_saved_parts(
        parts, needs, fetch=lambda ids: {i: by_id[i] for i in ids if i in by_id}
    )
    return built, parts, loaded
