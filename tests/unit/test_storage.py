"""Storage keeps every saved record through kills, damage, full disks and other copies."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub import storage
from hub.storage import DIRECTORY_FILE, FolderBusy, HubStore, StorageError
from tests.factories import make_referral, make_service


def test_saved_records_survive_reopening(tmp_path: Path) -> None:
    service = make_service()
    referral = make_referral(service_id=service.id)
    with HubStore.open(tmp_path) as store:
        store.save_services([service])
        store.save_referral(referral)
        store.set_meta("hub_name", "Church End Library")
    with HubStore.open(tmp_path) as store:
        assert store.services() == [service]
        assert store.referral(referral.id) == referral
        assert store.meta("hub_name") == "Church End Library"
        assert store.meta("missing", "default") == "default"


def test_records_are_keyed_by_their_uuid(tmp_path: Path) -> None:
    referral = make_referral()
    with HubStore.open(tmp_path) as store:
        store.save_referral(referral)
    [shard] = (tmp_path / "referrals").rglob("*.json")
    stored = json.loads(shard.read_text(encoding="utf-8"))
    assert list(stored["referrals"]) == [referral.id]


def test_two_copies_on_one_folder_both_save_and_see_each_others_saves(tmp_path: Path) -> None:
    first_service, second_service = make_service(name="Food bank"), make_service(name="Choir")
    early, late = make_referral(), make_referral()
    with HubStore.open(tmp_path) as first, HubStore.open(tmp_path) as second:
        assert first.services() == [] and second.referrals() == []  # both have read
        first.save_services([first_service])
        second.save_services([second_service])  # changes the file `first` just wrote
        first.save_referral(early)
        second.save_referral(late)
        first.set_meta("hub_name", "Church End Library")
        second.set_meta("area", "Harlesden")
        for store in (first, second):
            assert {s.name for s in store.services()} == {"Food bank", "Choir"}
            assert {r.id for r in store.referrals()} == {early.id, late.id}
            assert store.meta("hub_name") == "Church End Library"
            assert store.meta("area") == "Harlesden"
    with HubStore.open(tmp_path) as store:
        assert len(store.services()) == 2 and len(store.referrals()) == 2


def test_a_save_waits_for_the_lock_then_says_the_folder_is_busy(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as holder, HubStore.open(tmp_path, lock_timeout=0.2) as other:
        with holder.writing():  # another thread's descriptor: excluded like another process
            failures: list[BaseException] = []

            def save() -> None:
                try:
                    other.set_meta("area", "Harlesden")
                except BaseException as exc:
                    failures.append(exc)

            thread = threading.Thread(target=save)
            thread.start()
            thread.join(10)
        [failure] = failures
        assert isinstance(failure, FolderBusy)
        assert "busy" in str(failure) and "nothing was saved" in str(failure)
        assert other.meta("area") is None
        other.set_meta("area", "Harlesden")  # free again: it saves
        assert holder.meta("area") == "Harlesden"


def test_editing_a_referral_replaces_it_in_its_shard(tmp_path: Path) -> None:
    referral = make_referral(contact=None)
    with HubStore.open(tmp_path) as store:
        store.save_referral(referral)
        later = referral.updated_at + timedelta(days=3)
        edited = referral.model_copy(update={"outcome": "attended", "updated_at": later})
        store.save_referral(edited)
        assert len(store.referrals()) == 1
        saved = store.referral(referral.id)
        assert saved is not None and saved.outcome == "attended"


def test_referrals_are_sharded_in_small_month_files(tmp_path: Path) -> None:
    start = datetime(2026, 10, 1, 9, tzinfo=UTC)
    referrals = [make_referral(now=start + timedelta(hours=1 * i)) for i in range(400)]
    with HubStore.open(tmp_path) as store:
        store.save_referrals(referrals)
        # Also one at a time, as the kiosk saves them.
        store.save_referral(make_referral(now=datetime(2026, 11, 20, 9, tzinfo=UTC)))
    shards = sorted((tmp_path / "referrals").rglob("*.json"))
    assert {p.parent.name for p in shards} == {"2026-10", "2026-11"}
    for shard in shards:
        docs = json.loads(shard.read_text(encoding="utf-8"))["referrals"]
        assert 0 < len(docs) <= storage.SHARD_SIZE
    with HubStore.open(tmp_path) as store:
        assert len(store.referrals()) == 401
        since = store.referrals(since=datetime(2026, 11, 1, tzinfo=UTC))
        assert all(r.recorded_at >= datetime(2026, 11, 1, tzinfo=UTC) for r in since)
        assert len(since) == sum(1 for r in referrals if r.recorded_at.month == 11) + 1


def test_deleted_referrals_leave_no_trace_on_disk(tmp_path: Path) -> None:
    old = make_referral(now=datetime(2025, 1, 5, tzinfo=UTC), notes="needs a lift")
    kept = make_referral()
    with HubStore.open(tmp_path) as store:
        store.save_referrals([old, kept])
        assert store.delete_referrals([old.id, "not-there"]) == 1
    everything = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert old.id.encode() not in everything
    assert kept.id.encode() in everything


def test_a_full_disk_changes_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_referral()
    with HubStore.open(tmp_path) as store:
        store.save_referral(first)
        shard = next((tmp_path / "referrals").rglob("0001.json"))
        before = shard.read_bytes()

        def disk_full(fd: int, data: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "write", disk_full)
        with pytest.raises(StorageError, match="disk is full"):
            store.save_referral(make_referral())
        monkeypatch.undo()
        assert shard.read_bytes() == before
        assert [r.id for r in store.referrals()] == [first.id]
        assert not list(tmp_path.rglob("*.tmp"))


def test_stale_temporary_files_are_removed_at_start(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        store.save_referral(make_referral())
    month = next((tmp_path / "referrals").iterdir())
    leftover = month / ".0001.json.999.0.tmp"
    leftover.write_text("{half a fi")
    with HubStore.open(tmp_path):
        assert not leftover.exists()


def test_a_damaged_file_falls_back_to_the_last_good_copy(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        store.collection("hubs").put("a", {"name": "Alperton"})
        store.collection("hubs").put("b", {"name": "Church End"})  # the first is now .bak
    hubs_file = tmp_path / "hubs.json"
    hubs_file.write_text('{"hubs": {"broken')  # damage from outside the app
    with HubStore.open(tmp_path) as store:
        assert store.collection("hubs").all() == {"a": {"name": "Alperton"}}
    assert list(tmp_path.glob("hubs.json.damaged-*")), "the damaged file is kept"


def test_a_damaged_file_without_a_backup_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "hubs.json").write_text("not json")
    with HubStore.open(tmp_path) as store, pytest.raises(StorageError, match=r"hubs\.json"):
        store.collection("hubs").all()


def test_data_files_are_private_to_the_user(tmp_path: Path) -> None:
    root = tmp_path / "data"
    with HubStore.open(root) as store:
        store.save_referral(make_referral())
    assert root.stat().st_mode & 0o777 == 0o700
    for path in root.rglob("*.json"):
        assert path.stat().st_mode & 0o077 == 0, path


def test_lock_is_released_when_the_process_dies(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from hub.storage import HubStore\n"
        f"store = HubStore.open(Path({str(tmp_path)!r}))\n"
        "with store.writing():\n"
        "    os._exit(0)  # dies holding the lock\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    with HubStore.open(tmp_path, lock_timeout=1) as store:
        store.set_meta("area", "Harlesden")
    assert os.path.exists(tmp_path / storage.LOCK_FILE)


def test_deleting_from_a_shard_leaves_no_copy_in_its_backup(tmp_path: Path) -> None:
    purged = make_referral(contact="07700 900123", consent_to_follow_up=True)
    kept = [make_referral() for _ in range(3)]
    with HubStore.open(tmp_path) as store:
        store.save_referral(purged)
        store.save_referrals(kept)  # the shard now has a .bak holding `purged`
        store.delete_referrals([purged.id])
    everything = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert purged.id.encode() not in everything
    assert b"07700 900123" not in everything


# --- big directories are streamed to disk ---------------------------------------------


def test_a_big_directory_is_written_as_it_is_encoded_and_reads_back_the_same(
    tmp_path: Path,
) -> None:
    services = [make_service(name=f"Group {n:04d}") for n in range(1200)]
    with HubStore.open(tmp_path) as store:
        store.replace_services(services[:3])
        store.replace_services(iter(services))  # a generator: encoded as it is written
        assert store.services() == services
        assert not list(tmp_path.glob(".*.tmp"))
    with contextlib.closing(sqlite3.connect(tmp_path / DIRECTORY_FILE)) as db:
        [(document,)] = db.execute(
            "SELECT document FROM services WHERE id = ?", (services[5].id,)
        ).fetchall()
    assert json.loads(document) == services[5].model_dump(mode="json")
    with HubStore.open(tmp_path) as store:
        assert store.services() == services


def test_a_big_save_keeps_the_others_and_replaces_by_id(tmp_path: Path) -> None:
    first = [make_service(name=f"Old {n:04d}") for n in range(5)]
    changed = first[2].model_copy(update={"name": "Old 0002, renamed"})
    added = [make_service(name=f"New {n:04d}") for n in range(1100)]
    with HubStore.open(tmp_path) as store:
        store.save_services(first)
        store.save_services([changed, *added])
        by_id = {service.id: service for service in store.services()}
        assert store.service_count() == 1105
    assert len(by_id) == 1105
    assert by_id[changed.id].name == "Old 0002, renamed"
    assert by_id[first[0].id] == first[0]


def test_a_streamed_save_that_fails_half_way_changes_nothing(tmp_path: Path) -> None:
    kept = [make_service(name="Kept")]

    def failing() -> Any:
        yield from [make_service(name=f"Group {n}") for n in range(10)]
        raise RuntimeError("the feed ran dry")

    with HubStore.open(tmp_path) as store:
        store.replace_services(kept)
        revision = store.directory_revision
        with pytest.raises(RuntimeError):
            store.replace_services(failing())
        assert store.directory_revision == revision
        assert not list(tmp_path.glob(".*.tmp"))
        assert store.services() == kept
    with HubStore.open(tmp_path) as store:
        assert store.services() == kept


def test_a_streamed_save_inside_a_transaction_lands_with_it(tmp_path: Path) -> None:
    services = [make_service(name=f"Group {n:04d}") for n in range(1000)]
    with HubStore.open(tmp_path) as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.replace_services(services)
            assert len(store.services()) == 1000
            raise RuntimeError("something else failed")
        assert store.services() == []
        with store.transaction():
            store.replace_services(services)
            store.set_meta("imported", True)
    with HubStore.open(tmp_path) as store:
        assert store.services() == sorted(services, key=lambda s: (s.name.casefold(), s.id))
        assert store.meta("imported") is True
