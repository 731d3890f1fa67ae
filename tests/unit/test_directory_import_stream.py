"""An import compares and writes without holding the directory or the feed's services whole."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hub.directory import apply_import
from hub.formats import feed_files
from hub.formats.common import PackedServices
from hub.formats.hsds3 import hsds3_page, to_hsds3
from hub.formats.to_model import read_directory_files
from hub.models import Service
from hub.storage import HubStore
from tests.factories import make_service

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _directory(store: HubStore) -> dict[str, dict[str, Any]]:
    return {s.id: s.model_dump(mode="json") for s in store.services()}


@pytest.fixture
def setting(tmp_path: Path) -> tuple[Path, dict[str, Service]]:
    """Return a feed file and the services a folder holds before it is imported:
    `same` (unchanged in the file), `old` (changed there), `gone` (not in it), `bad` (in it,
    but its record cannot be read); the file also has `new`."""
    services = {
        name: make_service(name=f"{name.title()} Club", description=f"The {name} club meets.")
        for name in ("same", "old", "gone", "bad")
    }
    changed = services["old"].model_copy(
        update={"name": "Old Club Renamed", "last_modified": datetime(2026, 11, 20, tzinfo=UTC)}
    )
    new = make_service(name="New Club")
    records = [to_hsds3(s) for s in (services["same"], changed, new)]
    broken = to_hsds3(services["bad"])
    broken["name"] = ""  # a service must have a name: the record is skipped
    page = hsds3_page([])
    page["contents"] = [*records, broken]
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(page), encoding="utf-8")
    return feed, services


@pytest.mark.parametrize("streamed", [False, True])
@pytest.mark.parametrize("replace", [False, True])
def test_an_import_changes_exactly_what_the_file_changes(
    tmp_path: Path,
    setting: tuple[Path, dict[str, Service]],
    monkeypatch: pytest.MonkeyPatch,
    replace: bool,
    streamed: bool,
) -> None:
    feed, services = setting
    if streamed:
        monkeypatch.setattr(feed_files, "STREAM_ABOVE", 0)
    parsed = read_directory_files([feed], now=NOW)
    assert isinstance(parsed.services, PackedServices) is streamed
    assert len(parsed.rejected) == 1
    with HubStore.open(tmp_path / "data") as store:
        store.replace_services(services.values())
        before = _directory(store)

        def whole_directory(_store: HubStore) -> None:
            raise AssertionError("the import read the whole directory into memory")

        monkeypatch.setattr(HubStore, "services", whole_directory)
        report = apply_import(store, parsed, source=str(feed), replace=replace, now=NOW)
        monkeypatch.undo()
        after = _directory(store)
        revision = store.directory_revision
        # The same file again changes nothing, not even the revision.
        again = apply_import(
            store, read_directory_files([feed], now=NOW), source="x", replace=replace, now=NOW
        )
        assert not again.changed
        assert store.directory_revision == revision
    assert (report.added, report.updated, report.unchanged) == (1, 1, 1)
    assert report.removed == (1 if replace else 0)
    ids = {name: s.id for name, s in services.items()}
    # The unreadable record keeps its stored copy; only --replace drops what the file lacks.
    assert after[ids["same"]] == before[ids["same"]]
    assert after[ids["bad"]] == before[ids["bad"]]
    assert after[ids["old"]]["name"] == "Old Club Renamed"
    assert (ids["gone"] in after) is not replace
    assert len(after) == (4 if replace else 5)
    assert any(s["name"] == "New Club" for s in after.values())


def test_packed_services_are_read_back_from_the_spool_in_any_order() -> None:
    services = [make_service(name=f"Club {n}", description="é" * n) for n in range(5)]
    packed = PackedServices()
    for service in services:
        packed.append(service)
    assert packed[3] == services[3]
    assert packed[-1] == services[-1]
    assert packed[1:4] == services[1:4]
    assert [s.id for s in packed] == [s.id for s in services]
    assert [Service.model_validate_json(text) for _id, text in packed.packed()] == services
    with pytest.raises(IndexError):
        packed[5]
    packed.close()
