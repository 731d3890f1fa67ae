"""An import or a sync that changed a few services: the saved search index follows them,
so a kiosk beside it loads the file instead of building the whole index again; and while a
bigger change is built, a visitor's search answers from the index in hand."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub import index_file, index_follow
from hub.directory import ImportReport, apply_import
from hub.directory_edits import add_service, edit_service, retire_service
from hub.formats.common import ParsedDirectory
from hub.hub_identity import load_signing_key, setup_hub
from hub.index_file import INDEX_FILE, SavedIndexCache
from hub.kiosk_service import Hub
from hub.models import Service, Status
from hub.needs import kiosk_needs
from hub.search import Filters, SearchIndex
from hub.storage import HubStore
from hub.sync import Counts, import_bundles
from hub.sync.export import export_bundle
from tests.bundles import trust_at_coordinator
from tests.folder_files import sample_data_folder

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
NEEDS = kiosk_needs()
QUERIES = ["food bank", "zebra crossing", "yurt", "hearing loop", "memory cafe", "counsel"]
Answers = list[list[tuple[str, float]]]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a data folder holding the sample directory, its index file saved."""
    data = sample_data_folder(tmp_path, NOW)
    assert not _answers_at(data)[1]  # the first start builds the index and saves the file
    return data


def _answers_at(folder: Path) -> tuple[Answers, bool]:
    """Return what a kiosk opened on `folder` finds for some words and every need (ids and
    scores, in order), and whether its index was loaded from the file (not built)."""
    hub = Hub.open(folder, needs=NEEDS, clock=lambda: NOW)
    try:
        found = [hub.search(query, filters=Filters()) for query in QUERIES]
        found += [hub.browse(need.id, filters=Filters()) for need in NEEDS]
        cache = hub._index_cache  # the test looks at where the index came from
        assert isinstance(cache, SavedIndexCache)
        answers = [[(result.service.id, result.score) for result in results] for results in found]
        return answers, cache.loaded_from_file
    finally:
        hub.close()


def _assert_followed_as_a_build_would_make_it(folder: Path) -> Answers:
    """The next start loads the file, and finds exactly what a build finds; return that."""
    followed, loaded = _answers_at(folder)
    assert loaded, "the index file was not kept up with the saved change"
    (folder / INDEX_FILE).unlink()
    built, loaded = _answers_at(folder)
    assert not loaded
    assert followed == built
    return followed


@pytest.fixture
def kiosk(folder: Path) -> Iterator[Hub]:
    """Return a kiosk's Hub on `folder` with its directory loaded; closed after the test."""
    hub = Hub.open(folder, needs=NEEDS, clock=lambda: NOW)
    hub.load_directory()
    yield hub
    hub.close()


@pytest.fixture
def go_on() -> Iterator[threading.Event]:
    """Return the event that lets a held reload go on; set after the test whatever happens,
    before the kiosk closes (it is asked for after `kiosk`)."""
    event = threading.Event()
    yield event
    event.set()


def _no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def build(*_args: object, **_kwargs: object) -> SearchIndex:
        raise AssertionError("the whole index was built")

    monkeypatch.setattr(SearchIndex, "build", build)


def _a_few_changes(services: list[Service]) -> tuple[list[Service], str]:
    """Return the directory after a council's small update (two edits, one service made
    inactive, one new, one gone), and the id of the one gone."""
    listed = [service for service in services if service.is_listed]
    first, second, third, donor, gone = listed[:5]
    changed = {
        first.id: first.model_copy(update={"name": "Zebra Crossing Club"}),
        second.id: second.model_copy(
            update={"description": f"{second.description} Now with a hearing loop."}
        ),
        third.id: third.model_copy(update={"status": Status.INACTIVE}),
    }
    new = donor.model_copy(update={"id": str(uuid.uuid4()), "name": "Harlesden Yurt Circle"})
    after = [changed.get(service.id, service) for service in services if service.id != gone.id]
    return [*after, new], gone.id


def _import_a_few_changes(store: HubStore) -> tuple[ImportReport, str]:
    """Import a council's small update (`_a_few_changes`) as `hub directory import
    --replace` does; return its report and the id of the service gone."""
    after, gone = _a_few_changes(store.services())
    report = apply_import(
        store,
        ParsedDirectory(flavour="hsds3", services=after),
        source="council.json",
        replace=True,
        now=NOW,
    )
    return report, gone


def test_a_council_update_of_a_few_services_is_followed_in_the_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with HubStore.open(folder) as store:
        _no_build(monkeypatch)  # the import follows the file; it never builds
        report, gone = _import_a_few_changes(store)
        monkeypatch.undo()
    assert (report.added, report.updated, report.removed) == (1, 3, 1)
    answers = _assert_followed_as_a_build_would_make_it(folder)
    found_ids = {service_id for results in answers for service_id, _score in results}
    assert gone not in found_ids
    zebra, yurt = answers[QUERIES.index("zebra crossing")], answers[QUERIES.index("yurt")]
    with HubStore.open(folder) as store:
        assert store.service(zebra[0][0]).name == "Zebra Crossing Club"  # type: ignore[union-attr]
        assert store.service(yurt[0][0]).name == "Harlesden Yurt Circle"  # type: ignore[union-attr]


def test_a_kiosk_running_beside_the_import_loads_the_followed_file(
    kiosk: Hub, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with HubStore.open(folder) as store:  # `hub directory import`, in its own process
        _import_a_few_changes(store)
    assert kiosk.directory_changed()
    _no_build(monkeypatch)
    kiosk.load_directory()  # what the kiosk does when it sees the directory changed
    assert kiosk.search("zebra crossing")[0].service.name == "Zebra Crossing Club"
    cache = kiosk._index_cache
    assert isinstance(cache, SavedIndexCache) and cache.loaded_from_file


def test_a_bigger_change_leaves_the_file_for_the_kiosk_to_build(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_follow, "FOLLOW_LIMIT", 4)  # the update below changes 5
    with HubStore.open(folder) as store:
        _import_a_few_changes(store)
    answers, loaded = _answers_at(folder)
    assert not loaded  # the file was for the directory before: built, not trusted
    assert _answers_at(folder) == (answers, True)  # and saved for the next start


def test_a_file_that_was_already_behind_is_not_followed(folder: Path) -> None:
    with HubStore.open(folder) as store:
        services = store.services()
        # A change saved with no index following it (as before this module)...
        store.save_services([services[0].model_copy(update={"name": "Changed Elsewhere Yurt"})])
        # ...so the file is for neither the directory before this import nor after it.
        _import_a_few_changes(store)
    answers, loaded = _answers_at(folder)
    assert not loaded
    assert answers == _assert_followed_as_a_build_would_make_it(folder)


def test_a_sync_from_another_hub_is_followed_in_the_file(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another hub's staff add three services, then edit one and retire another. (Its
    # copy of the sample never syncs: the sample is fictional.)
    other = sample_data_folder(tmp_path / "alperton", NOW)
    with HubStore.open(other) as hub_store:
        info = setup_hub(hub_store, "Alperton Community Centre")
        key = load_signing_key(hub_store)
        assert key is not None
        donor = next(service for service in hub_store.services() if service.is_listed)
    trust_at_coordinator(folder, info, key, now=NOW)
    names = ["Alperton Yurt Circle", "Alperton Lunch Club", "Alperton Sewing Bee"]
    new = [donor.model_copy(update={"id": str(uuid.uuid4()), "name": name}) for name in names]

    def send_and_import(change: Callable[[HubStore, datetime], object], hours: int) -> Counts:
        when = NOW + timedelta(hours=hours)
        with HubStore.open(other) as hub_store:
            change(hub_store, when)
            export_bundle(hub_store, tmp_path / f"alperton-{hours}.json", now=when)
        with HubStore.open(folder) as store:
            _no_build(monkeypatch)  # the import follows the file; it never builds
            (summary,) = import_bundles(store, [tmp_path / f"alperton-{hours}.json"], now=when)
            monkeypatch.undo()
        return summary.services

    def add(hub_store: HubStore, when: datetime) -> None:
        for service in new:
            add_service(hub_store, service, "s1", when)

    def edit_and_retire(hub_store: HubStore, when: datetime) -> None:
        zebra = new[0].model_copy(update={"name": "Zebra Crossing Club"})
        edit_service(hub_store, zebra, "s1", when)
        retire_service(hub_store, new[1].id, "s1", when)

    assert send_and_import(add, 1).added == 3
    assert _assert_followed_as_a_build_would_make_it(folder)[QUERIES.index("yurt")]
    assert send_and_import(edit_and_retire, 2).updated == 2
    answers = _assert_followed_as_a_build_would_make_it(folder)
    assert answers[QUERIES.index("zebra crossing")][0][0] == new[0].id
    assert new[1].id not in {found for results in answers for found, _score in results}


IMPORT_BESIDE = """
import sys, time
from pathlib import Path

from hub import index_follow
from hub.storage import HubStore
from tests.unit.test_index_follow import _import_a_few_changes

real_follow = index_follow.follow_changes

def slow_follow(*args, **kwargs):
    print("following", flush=True)  # the new directory is committed; the lock is held
    time.sleep(1.0)
    return real_follow(*args, **kwargs)

index_follow.follow_changes = slow_follow
with HubStore.open(Path(sys.argv[1])) as store:
    _import_a_few_changes(store)
print("done", flush=True)
"""


def test_a_kiosk_that_sees_the_import_while_the_file_is_followed_waits_for_it(
    kiosk: Hub, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Path(__file__).resolve().parents[2]
    importer = subprocess.Popen(
        [sys.executable, "-c", IMPORT_BESIDE, str(folder)],
        cwd=project,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert importer.stdout is not None
    try:
        assert importer.stdout.readline().strip() == "following"
        assert kiosk.directory_changed()  # the new revision is saved already
        _no_build(monkeypatch)  # building now, for the file's old revision, fails
        kiosk.load_directory()  # waits for the import's lock, then loads the file
        cache = kiosk._index_cache
        assert isinstance(cache, SavedIndexCache) and cache.loaded_from_file
        assert kiosk.search("zebra crossing")[0].service.name == "Zebra Crossing Club"
    finally:
        out, _err = importer.communicate(timeout=60)
    assert importer.returncode == 0 and out.strip() == "done"


def _reload_held_at(
    kiosk: Hub, monkeypatch: pytest.MonkeyPatch, owner: object, name: str, go_on: threading.Event
) -> threading.Thread:
    """Start the kiosk's reload of its index in a thread, as its worker does, and return the
    thread once it is held inside `owner.name` (a build, or a load of the file) until
    `go_on` is set."""
    reached = threading.Event()
    real = getattr(owner, name)

    def held(*args: Any, **kwargs: Any) -> Any:
        reached.set()
        assert go_on.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    loader = threading.Thread(target=kiosk.load_directory)
    loader.start()
    assert reached.wait(30)
    return loader


def test_while_a_bigger_change_is_built_a_search_answers_from_the_index_in_hand(
    kiosk: Hub, go_on: threading.Event, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = [result.service.id for result in kiosk.search("memory cafe")]
    retired = before[0]
    with HubStore.open(folder) as store:  # another process, with no index following
        service = store.service(retired)
        assert service is not None
        store.save_services([service.model_copy(update={"status": Status.DEFUNCT})])
    loader = _reload_held_at(kiosk, monkeypatch, SearchIndex, "build", go_on)
    # The new index is being built: a visitor's search does not wait for it. It answers
    # from the index in hand, leaving out the service retired meanwhile.
    during = [result.service.id for result in kiosk.search("memory cafe")]
    assert during == [found for found in before if found != retired]
    assert loader.is_alive()
    go_on.set()
    loader.join(30)
    after = [result.service.id for result in kiosk.search("memory cafe")]
    assert retired not in after
    cache = kiosk._index_cache
    assert isinstance(cache, SavedIndexCache) and not cache.loaded_from_file  # built


def test_while_the_followed_file_loads_a_search_waits_for_it(
    kiosk: Hub, go_on: threading.Event, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with HubStore.open(folder) as store:  # `hub directory import`, followed in the file
        _import_a_few_changes(store)
    loader = _reload_held_at(kiosk, monkeypatch, index_file, "load_parts", go_on)
    # Loading the file is quick, and its answer has the new services: a search waits
    # for it rather than answering from the index before the import.
    found: list[str] = []
    searcher = threading.Thread(
        target=lambda: found.extend(r.service.name for r in kiosk.search("zebra crossing"))
    )
    searcher.start()
    searcher.join(0.5)
    assert searcher.is_alive() and not found  # waiting, not answering from the old index
    go_on.set()
    searcher.join(30)
    loader.join(30)
    assert found[0] == "Zebra Crossing Club"
