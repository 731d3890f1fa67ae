"""Multi-file saves (`HubStore.transaction`): every file lands, or none, even after a kill."""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub import durable_files
from hub.folder_lock import REVISION_FILE
from hub.storage import JOURNAL_FILE, HubStore, StorageError
from tests.factories import make_referral, make_service

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def contents(root: Path) -> dict[str, bytes]:
    """Return every data file under root (not backups or the lock) with its bytes."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*.json"))
        if path.is_file()
    }


def other_thread_sees(store: HubStore, service_id: str) -> object:
    """Return what another thread reads for the service (the committed state only)."""
    found: list[object] = []
    thread = threading.Thread(target=lambda: found.append(store.service(service_id)))
    thread.start()
    thread.join()
    return found[0]


def test_a_transaction_saves_every_file_together(tmp_path: Path) -> None:
    referrals = [make_referral(now=NOW - timedelta(days=40 * n)) for n in range(3)]
    service = make_service()
    with HubStore.open(tmp_path) as store:
        with store.transaction():
            store.save_referrals(referrals)
            store.save_services([service])
            store.collection("hubs").put("h", {"name": "Hub"})
            # Reads inside the block see the unsaved changes; the disk does not have them.
            assert store.service(service.id) == service
            assert not (tmp_path / "hubs.json").exists()
            assert other_thread_sees(store, service.id) is None
        assert not (tmp_path / JOURNAL_FILE).exists()
    with HubStore.open(tmp_path) as store:
        assert sorted(r.id for r in store.referrals()) == sorted(r.id for r in referrals)
        assert store.service(service.id) == service
        assert store.collection("hubs").get("h") == {"name": "Hub"}


def test_a_failure_inside_the_block_saves_nothing_and_forgets_the_changes(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        store.collection("hubs").put("old", {"name": "Kept"})
        before = contents(tmp_path)
        with pytest.raises(RuntimeError), store.transaction():
            store.save_referrals([make_referral(now=NOW)])
            store.collection("hubs").put("new", {"name": "Lost"})
            raise RuntimeError("stop")
        assert store.referrals() == []
        assert store.collection("hubs").get("new") is None
        assert store.collection("hubs").get("old") == {"name": "Kept"}
    assert contents(tmp_path) == before


def test_a_full_disk_before_the_journal_saves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with HubStore.open(tmp_path) as store:
        store.collection("hubs").put("old", {"name": "Kept"})
        before = contents(tmp_path)
        real = durable_files.write_synced
        calls = 0

        def fills_up(temp: Path, payload: bytes) -> None:
            nonlocal calls
            calls += 1
            if calls == 2:
                raise OSError(28, "No space left on device")
            real(temp, payload)

        monkeypatch.setattr(durable_files, "write_synced", fills_up)
        full = pytest.raises(StorageError, match="the disk is full; nothing was changed")
        with full, store.transaction():
            store.collection("hubs").put("new", {"name": "Lost"})
            store.collection("staff").put("p", {"name": "Lost"})
            store.save_services([make_service()])
        assert store.collection("hubs").get("new") is None
        assert store.services() == []
    assert contents(tmp_path) == before
    assert not list(tmp_path.rglob("*.tmp"))


def _killed_at_second_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the second rename of a staged file stop the process (as kill -9 would)."""
    real_replace = os.replace
    renamed = 0

    def killed_half_way(src: str | Path, dst: str | Path) -> None:
        nonlocal renamed
        staged = not str(dst).endswith((".bak", JOURNAL_FILE, REVISION_FILE))
        if str(src).endswith(".tmp") and staged:
            renamed += 1
            if renamed == 2:
                raise SystemExit("killed")  # nothing after this runs, as with kill -9
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", killed_half_way)


def test_a_kill_after_the_journal_is_finished_by_the_next_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Renames stop half way (as if killed); opening the folder again completes them."""
    with HubStore.open(tmp_path) as store:
        store.collection("hubs").put("old", {"name": "Old name"})
        _killed_at_second_rename(monkeypatch)
        with pytest.raises(SystemExit), store.transaction():
            store.collection("hubs").put("old", {"name": "New name"})
            store.collection("staff").put("p", {"name": "Pat"})
            store.collection("suggestions").put("s", {"text": "x"})
        monkeypatch.undo()
        journal = json.loads((tmp_path / JOURNAL_FILE).read_text(encoding="utf-8"))
        assert len(journal["renames"]) == 3
    with HubStore.open(tmp_path) as store:  # recovery runs here
        assert not (tmp_path / JOURNAL_FILE).exists()
        assert store.collection("hubs").get("old") == {"name": "New name"}
        assert store.collection("staff").get("p") == {"name": "Pat"}
        assert store.collection("suggestions").get("s") == {"text": "x"}
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_kill_after_the_directory_committed_is_finished_by_the_next_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With services in the block, the directory's SQLite commit is the moment of commit:
    the renames still to do are in it (no journal file), and the next open does them."""
    service = make_service()
    with HubStore.open(tmp_path) as store:
        store.collection("hubs").put("old", {"name": "Old name"})
        _killed_at_second_rename(monkeypatch)
        with pytest.raises(SystemExit), store.transaction():
            store.collection("hubs").put("old", {"name": "New name"})
            store.save_services([service])
            store.collection("staff").put("p", {"name": "Pat"})
            store.collection("suggestions").put("s", {"text": "x"})
        monkeypatch.undo()
        assert not (tmp_path / JOURNAL_FILE).exists()
        assert len(list(tmp_path.glob(".*.tmp"))) == 2  # one renamed before the "kill"
    with HubStore.open(tmp_path) as store:  # recovery runs here
        assert store.collection("hubs").get("old") == {"name": "New name"}
        assert store.service(service.id) == service
        assert store.collection("staff").get("p") == {"name": "Pat"}
        assert store.collection("suggestions").get("s") == {"text": "x"}
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_kill_between_the_backup_and_the_rename_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after `hubs.json.bak` was made a link to the current `hubs.json` but before
    the new version was renamed over it: the recovering process backs the same file up
    again, and a rename of a link onto another link to the same file does nothing (POSIX),
    so its own backup temporary file used to be left behind for as long as it ran."""
    with HubStore.open(tmp_path) as store:
        store.collection("hubs").put("old", {"name": "Old name"})
        store.collection("hubs").put("old", {"name": "Still old"})  # a .bak exists too
        real_replace = os.replace

        def killed_at_first_rename(src: str | Path, dst: str | Path) -> None:
            if str(dst).endswith(("hubs.json", "staff.json")):
                raise SystemExit("killed")  # after the backup, before the rename
            real_replace(src, dst)

        monkeypatch.setattr(os, "replace", killed_at_first_rename)
        with pytest.raises(SystemExit), store.transaction():
            store.collection("hubs").put("old", {"name": "New name"})
            store.collection("staff").put("p", {"name": "Pat"})
        monkeypatch.undo()
        assert (tmp_path / "hubs.json.bak").samefile(tmp_path / "hubs.json")
    with HubStore.open(tmp_path) as store:  # recovery runs here, in this same process
        assert store.collection("hubs").get("old") == {"name": "New name"}
        assert store.collection("staff").get("p") == {"name": "Pat"}
        backup = json.loads((tmp_path / "hubs.json.bak").read_text(encoding="utf-8"))
        assert backup["hubs"]["old"] == {"name": "Still old"}
    assert not list(tmp_path.rglob("*.tmp"))


def test_backing_up_the_same_version_twice_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "hubs.json"
    path.write_text('{"hubs": {}}', encoding="utf-8")
    durable_files.keep_backup_of(path)
    durable_files.keep_backup_of(path)
    assert (tmp_path / "hubs.json.bak").read_text(encoding="utf-8") == '{"hubs": {}}'
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_failed_block_with_services_saves_none_of_them(tmp_path: Path) -> None:
    kept = make_service(name="Kept")
    with HubStore.open(tmp_path) as store:
        store.save_services([kept])
        revision = store.directory_revision
        with pytest.raises(RuntimeError), store.transaction():
            store.replace_services([make_service(name="Lost")])
            store.collection("hubs").put("new", {"name": "Lost"})
            raise RuntimeError("stop")
        assert store.services() == [kept]
        assert store.directory_revision == revision
        assert store.collection("hubs").get("new") is None
    with HubStore.open(tmp_path) as store:
        assert store.services() == [kept]


def test_temporary_files_without_a_journal_are_rolled_back(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        store.collection("hubs").put("old", {"name": "Kept"})
    before = contents(tmp_path)
    # A kill after the new versions were written but before the journal was: leftovers.
    (tmp_path / ".hubs.json.999.0.tmp").write_text('{"hubs": {}}', encoding="utf-8")
    with HubStore.open(tmp_path) as store:
        assert store.collection("hubs").get("old") == {"name": "Kept"}
    assert contents(tmp_path) == before


def test_transactions_do_not_nest(tmp_path: Path) -> None:
    with (
        HubStore.open(tmp_path) as store,
        store.transaction(),
        pytest.raises(RuntimeError, match="do not nest"),
        store.transaction(),
    ):
        pass
