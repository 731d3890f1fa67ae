"""The search index kept in the data folder: loaded when it fits, rebuilt when it does not."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hub.index_file import INDEX_FILE, INDEX_FORMAT, SavedIndexCache
from hub.kiosk_service import Hub
from hub.models import Service
from hub.needs import kiosk_needs
from hub.search import Filters
from hub.storage import HubStore
from tests.folder_files import sample_data_folder

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
NEEDS = kiosk_needs()
QUERIES = ["food bank", "demntia", "my nan keeps falling", "cant pay my rent", "counsel"]


def _open_hub(folder: Path) -> Hub:
    return Hub.open(folder, needs=NEEDS, clock=lambda: NOW)


def _answers(hub: Hub) -> list[list[tuple[str, float]]]:
    """Return what the hub finds for a few queries and needs: ids and scores, in order."""
    found = [hub.search(query, filters=Filters()) for query in QUERIES]
    found += [hub.browse(need.id, filters=Filters()) for need in NEEDS]
    return [[(result.service.id, result.score) for result in results] for results in found]


def _cache(hub: Hub) -> SavedIndexCache:
    cache = hub._index_cache  # the test looks at where the index came from
    assert isinstance(cache, SavedIndexCache)
    return cache


def _built_answers(folder: Path) -> list[list[tuple[str, float]]]:
    """Return what a hub opened on `folder` finds (it builds and saves the index file)."""
    first = _open_hub(folder)
    try:
        return _answers(first)
    finally:
        first.close()


def _assert_reopened(
    folder: Path, expected: list[list[tuple[str, float]]], *, from_file: bool
) -> None:
    """Open `folder` again: it must find `expected`, its index loaded from the file or not."""
    hub = _open_hub(folder)
    try:
        assert _answers(hub) == expected
        assert _cache(hub).loaded_from_file is from_file
    finally:
        hub.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a data folder holding the sample directory."""
    return sample_data_folder(tmp_path, NOW)


def test_the_next_start_loads_the_index_and_finds_exactly_what_a_build_does(
    folder: Path,
) -> None:
    built = _open_hub(folder)
    try:
        expected = _answers(built)
        assert not _cache(built).loaded_from_file
    finally:
        built.close()
    saved = folder / INDEX_FILE
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    _assert_reopened(folder, expected, from_file=True)


def test_a_loaded_index_shares_one_number_per_service_across_topics(folder: Path) -> None:
    # Memory, not results (the test above holds results): a service in several topics is
    # one number object for all of them, and each strength value one object, so a big
    # directory's topics cost a pointer an entry rather than a new number.
    built = _open_hub(folder)
    built.search("food bank")  # builds the index and saves the file
    built.close()
    loaded = _open_hub(folder)
    try:
        loaded.search("food bank")
        index = _cache(loaded).current(loaded.store.directory_version)
        assert index is not None and _cache(loaded).loaded_from_file
        numbers: dict[int, int] = {}
        strengths: dict[float, int] = {}
        entries = 0
        for members, values in index.saved_parts().topics.values():
            for number, value in zip(members, values, strict=True):
                entries += 1
                assert numbers.setdefault(number, id(number)) == id(number)
                assert strengths.setdefault(value, id(value)) == id(value)
        assert entries > len(numbers)  # services do stand in more than one topic
    finally:
        loaded.close()


def test_a_folder_opened_only_to_read_loads_a_current_file_and_never_writes_one(
    folder: Path,
) -> None:
    # `hub search` opens the folder only to read: it uses a kiosk's saved index.
    reader = Hub(HubStore.open(folder, read_only=True), needs=NEEDS, clock=lambda: NOW)
    try:
        unsaved = _answers(reader)
        assert not _cache(reader).loaded_from_file
    finally:
        reader.store.close()
    assert not (folder / INDEX_FILE).exists()
    kiosk = _open_hub(folder)
    try:
        _answers(kiosk)
    finally:
        kiosk.close()
    reader = Hub(HubStore.open(folder, read_only=True), needs=NEEDS, clock=lambda: NOW)
    try:
        assert _answers(reader) == unsaved
        assert _cache(reader).loaded_from_file
    finally:
        reader.store.close()


def test_a_staff_change_is_saved_to_the_file_and_the_next_start_loads_it(
    folder: Path,
) -> None:
    hub = _open_hub(folder)
    try:
        cafe = next(r.service for r in hub.search("memory cafe") if "Memory Café" in r.service.name)
        hub.edit_service(cafe.model_copy(update={"name": "Zebra Crossing Club"}), "staff-1")
        names = [r.service.name for r in hub.search("zebra crossing")]
        assert names[0] == "Zebra Crossing Club"
        assert not _cache(hub).loaded_from_file  # followed in memory, then saved
        expected = _answers(hub)
    finally:
        hub.close()
    _assert_reopened(folder, expected, from_file=True)


def test_a_change_by_another_process_is_never_answered_from_the_old_file(folder: Path) -> None:
    _open_hub(folder).close()  # builds and saves
    with HubStore.open(folder) as store:
        store.replace_services([])
    hub = _open_hub(folder)
    try:
        assert hub.search("food bank") == []
        assert not _cache(hub).loaded_from_file
    finally:
        hub.close()


def test_a_damaged_file_is_rebuilt_not_trusted(folder: Path) -> None:
    expected = _built_answers(folder)
    (folder / INDEX_FILE).write_bytes(b"not a database at all" * 100)
    _assert_reopened(folder, expected, from_file=False)
    with sqlite3.connect(folder / INDEX_FILE) as db:  # replaced by a good one
        found = db.execute("SELECT value FROM about WHERE key = 'format'").fetchone()
        assert found == (INDEX_FORMAT,)


def test_a_file_naming_a_service_that_is_not_there_is_rebuilt(folder: Path) -> None:
    expected = _built_answers(folder)
    # Same revision and fingerprint, but a posting points past the last service.
    with sqlite3.connect(folder / INDEX_FILE) as db:
        db.execute(
            "UPDATE postings SET numbers = ?, weights = ? "
            "WHERE word = (SELECT MIN(word) FROM postings)",
            ((10**6).to_bytes(4, "little"), b"\x00\x00\x80?"),
        )
    _assert_reopened(folder, expected, from_file=False)


def test_other_needs_do_not_use_a_file_built_for_these(folder: Path) -> None:
    _open_hub(folder).close()
    fewer = Hub.open(folder, needs=NEEDS[:3], clock=lambda: NOW)
    try:
        fewer.search("food bank")
        assert not _cache(fewer).loaded_from_file
    finally:
        fewer.close()


def test_a_file_naming_a_service_twice_is_rebuilt(folder: Path) -> None:
    expected = _built_answers(folder)
    with sqlite3.connect(folder / INDEX_FILE) as db:
        db.execute("UPDATE services SET facts = (SELECT facts FROM services WHERE number = 0)")
    _assert_reopened(folder, expected, from_file=False)


def test_entries_that_are_not_what_the_index_writes_are_rebuilt(folder: Path) -> None:
    expected = _built_answers(folder)
    with sqlite3.connect(folder / INDEX_FILE) as db:
        db.execute("UPDATE services SET facts = '[1, 2]' WHERE number = 1")
    _assert_reopened(folder, expected, from_file=False)


def test_the_index_holds_no_service_and_results_read_only_what_they_show(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _open_hub(folder)
    first.load_directory()  # builds and saves the file
    first.close()
    hub = _open_hub(folder)
    read: list[list[str]] = []
    real = HubStore.services_by_id

    def counting(store: HubStore, service_ids: Sequence[str]) -> dict[str, Service]:
        read.append(list(service_ids))
        return real(store, service_ids)

    monkeypatch.setattr(HubStore, "services_by_id", counting)
    monkeypatch.setattr(HubStore, "iter_services", None)  # loading must not read them all
    try:
        found = hub.search("food", limit=5)
        assert _cache(hub).loaded_from_file
        assert 0 < len(found) <= 5
        assert read == [[result.service.id for result in found]]
        for result in found:  # each card shows the service stored under its id
            assert result.service == hub.service(result.service.id)
        assert not any(isinstance(value, Service) for value in vars(hub.search_index()).values())
    finally:
        hub.close()
