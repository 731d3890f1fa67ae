"""The directory in SQLite (`directory.sqlite3`): read by id, paged, migrated, kill-safe."""

from __future__ import annotations

import contextlib
import json
import random
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hub.directory_file import DIRECTORY_FILE
from hub.folder_lock import read_revision
from hub.index_file import INDEX_FILE
from hub.kiosk_service import Hub
from hub.models import Status
from hub.needs import load_needs
from hub.storage import HubStore, ReadOnlyFolder, StorageError
from tests.factories import make_service
from tests.forked_writers import ForkedWriters

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

REPO = Path(__file__).resolve().parents[2]


def _old_folder(root: Path, documents: dict[str, object]) -> None:
    """Write a data folder as the TinyDB version kept it: services.json (and a backup)."""
    root.mkdir(mode=0o700)
    text = json.dumps({"services": documents})
    (root / "services.json").write_text(text, encoding="utf-8")
    (root / "services.json.bak").write_text(text, encoding="utf-8")


def test_services_are_read_by_id_and_paged_in_name_order(tmp_path: Path) -> None:
    services = [make_service(name=f"Group {n:03d}") for n in range(30)]
    retired = make_service(name="Aardvark Club", status=Status.DEFUNCT)
    with HubStore.open(tmp_path) as store:
        store.save_services([*reversed(services), retired])
        assert store.service(services[7].id) == services[7]
        assert store.service("no-such-id") is None
        wanted = [services[3].id, services[20].id, "no-such-id"]
        assert store.services_by_id(wanted) == {s.id: s for s in (services[3], services[20])}
        assert list(store.iter_services(offset=5, limit=4)) == [retired, *services][5:9]
        assert list(store.iter_services(listed_only=True, limit=3)) == services[:3]
        assert store.service_count() == 31
        assert store.service_count(listed_only=True) == 30
        assert store.services() == [retired, *services]


READ_REVISION = """
import sys
from pathlib import Path
from hub.storage import HubStore

with HubStore.open(Path(sys.argv[1]), read_only=True) as store:
    print(store.directory_revision, store.service_count())
"""


def _revision_elsewhere(root: Path) -> list[str]:
    """Return what another process, reading while this one holds the folder, sees."""
    done = subprocess.run(
        [sys.executable, "-c", READ_REVISION, str(root)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=60,
    )
    return done.stdout.split()


def test_every_save_gives_a_new_revision_seen_by_other_processes(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        first = store.directory_revision
        store.save_services([make_service()])
        second = store.directory_revision
        assert second != first
        store.save_services([])  # nothing saved: nothing changed
        assert store.directory_revision == second
        assert _revision_elsewhere(tmp_path) == [second, "1"]
        store.replace_services([make_service(), make_service()])
        assert _revision_elsewhere(tmp_path) == [store.directory_revision, "2"]
        assert store.directory_revision != second


def test_the_file_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        store.save_services([make_service()])
    path = tmp_path / DIRECTORY_FILE
    assert path.stat().st_mode & 0o077 == 0
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_old_folder_is_migrated_once_and_its_old_file_goes_after(tmp_path: Path) -> None:
    services = [make_service(name=f"Group {n}") for n in range(5)]
    root = tmp_path / "data"
    _old_folder(root, {s.id: s.model_dump(mode="json") for s in services})
    with HubStore.open(root) as store:
        assert store.services() == sorted(services, key=lambda s: (s.name.casefold(), s.id))
        revision = store.directory_revision
    assert not (root / "services.json").exists()
    assert not (root / "services.json.bak").exists()
    with HubStore.open(root) as store:  # once: nothing more to do
        assert store.directory_revision == revision
        assert len(store.services()) == 5


def test_a_kill_after_the_migration_committed_keeps_the_new_copy(tmp_path: Path) -> None:
    """The old file still there beside a filled directory: it was migrated, and goes."""
    kept = make_service(name="Kept")
    root = tmp_path / "data"
    with HubStore.open(root) as store:
        store.save_services([kept])
    stale = make_service(name="From the old file")
    (root / "services.json").write_text(
        json.dumps({"services": {stale.id: stale.model_dump(mode="json")}}), encoding="utf-8"
    )
    with HubStore.open(root) as store:
        assert store.services() == [kept]
    assert not (root / "services.json").exists()


def test_a_migration_that_fails_keeps_the_old_file_and_changes_nothing(tmp_path: Path) -> None:
    good = make_service(name="Good")
    root = tmp_path / "data"
    _old_folder(root, {good.id: good.model_dump(mode="json"), "bad": ["not", "a", "service"]})
    with pytest.raises(StorageError, match="bad"):
        HubStore.open(root)
    assert (root / "services.json").exists()
    with contextlib.closing(sqlite3.connect(root / DIRECTORY_FILE)) as db:
        assert db.execute("SELECT count(*) FROM services").fetchone() == (0,)


IMPORTER_PREPARE = """
import tempfile
from pathlib import Path
from hub.storage import HubStore
from tests.factories import make_service

batches = [[make_service(name=f"Batch {b} {n:04d}") for n in range(1500)] for b in range(2)]
# One import in a folder of its own, so what an import loads is loaded here, once.
with tempfile.TemporaryDirectory() as warm_up, HubStore.open(Path(warm_up)) as store:
    store.replace_services(batches[0][:10])
"""

IMPORTER = """
store = HubStore.open(Path(args[0]))
print("opened", flush=True)
turn = 0
while True:
    store.replace_services(batches[turn % 2])
    print("imported", turn % 2, flush=True)
    turn += 1
"""


def test_a_kill_during_an_import_leaves_one_whole_directory(tmp_path: Path) -> None:
    """An import is one SQLite transaction: after kill -9 at any moment the folder opens,
    and holds one whole batch (never a mix, never none once one has landed). Each importer
    is a process of its own, forked from one that built the batches once."""
    root = tmp_path / "data"
    rng = random.Random(20261201)
    landed = False
    importers = ForkedWriters(IMPORTER_PREPARE, IMPORTER, cwd=REPO)
    try:
        for _run in range(8):
            importers.start(str(root))
            assert importers.readline() == "opened\n"
            time.sleep(rng.uniform(0.0, 0.6))
            output = importers.kill()
            landed = landed or "imported" in output
            with HubStore.open(root) as store:
                names = {service.name.rsplit(" ", 1)[0] for service in store.services()}
                count = store.service_count()
            if landed:
                assert count == 1500
                assert names in ({"Batch 0"}, {"Batch 1"})
            else:
                assert count in (0, 1500)
    finally:
        importers.close()
    assert landed, "no import finished between kills: the test proved little"


HOLD_OLD_FOLDER = """
import sys, time
import filelock
lock = filelock.FileLock(sys.argv[1] + "/hub.lock", timeout=0, is_singleton=False)
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_folder_an_older_version_holds_is_refused_not_shown_empty(tmp_path: Path) -> None:
    root = tmp_path / "data"
    service = make_service()
    _old_folder(root, {service.id: service.model_dump(mode="json")})
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OLD_FOLDER, str(root)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StorageError, match="older version"):
            HubStore.open(root, read_only=True)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert (root / "services.json").exists()


def test_a_directory_save_moves_the_folder_revision_and_a_reader_may_not_save(
    tmp_path: Path,
) -> None:
    root = tmp_path / "data"
    with HubStore.open(root) as store:
        before = read_revision(root)
        store.save_services([make_service()])
        after_one = read_revision(root)
        assert after_one > before  # other processes see a save happened
        store.replace_services([make_service(name="Only One")])
        saved = read_revision(root)
        assert saved > after_one  # (twice a save: before and after its files)
    with HubStore.open(root, read_only=True) as reader:
        with pytest.raises(ReadOnlyFolder):
            reader.save_services([make_service()])
        assert [s.name for s in reader.services()] == ["Only One"]
    assert read_revision(root) == saved  # the reader changed nothing


def test_a_read_only_hub_builds_its_index_but_never_writes_the_file(tmp_path: Path) -> None:
    root = tmp_path / "data"
    with HubStore.open(root) as store:
        store.save_services([make_service(name="Harlesden Food Bank")])
    with HubStore.open(root, read_only=True) as reader:
        kiosk_hub = Hub(reader, needs=load_needs(), clock=lambda: NOW)
        assert kiosk_hub.search("food")
    assert not (root / INDEX_FILE).exists()
