"""A save other processes could not notice is refused (issue 16).

Every save bumps `hub.revision` before its first file moves: snapshot reads and the sync
import's check rely on it. When the revision cannot be written (here a full disk,
simulated), the save fails with a StorageError that says so, and nothing changes.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from hub import folder_lock
from hub.folder_lock import read_revision
from hub.storage import HubStore, StorageError
from tests.factories import make_referral, make_service


def _disk_full_for_the_revision(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(root: Path, revision: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(folder_lock, "_write_revision", full)


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith("directory.sqlite3")
    }


@pytest.mark.parametrize(
    "save",
    [
        pytest.param(lambda store: store.collection("hubs").put("a", {"name": "New"}), id="json"),
        pytest.param(lambda store: store.save_referral(make_referral()), id="referral"),
        pytest.param(lambda store: store.save_services([make_service()]), id="directory"),
        pytest.param(lambda store: _both_in_one_transaction(store), id="transaction with services"),
    ],
)
def test_a_save_whose_revision_cannot_be_written_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, save: object
) -> None:
    with HubStore.open(tmp_path) as store:
        store.collection("hubs").put("a", {"name": "Old"})
        revision = read_revision(tmp_path)
        services = store.service_count()
        before = _files(tmp_path)
        _disk_full_for_the_revision(monkeypatch)
        with pytest.raises(StorageError, match=r"hub\.revision could not be written") as caught:
            save(store)  # type: ignore[operator]
        assert "the disk is full" in str(caught.value)
        assert "nothing was changed" in str(caught.value)
        monkeypatch.undo()
        assert _files(tmp_path) == before
        assert read_revision(tmp_path) == revision
        assert store.collection("hubs").get("a") == {"name": "Old"}
        assert store.service_count() == services
        assert store.referrals() == []
    with HubStore.open(tmp_path, read_only=True) as again:  # a fresh look at the disk
        assert again.collection("hubs").get("a") == {"name": "Old"}
        assert again.service_count() == services
        assert again.referrals() == []


def _both_in_one_transaction(store: HubStore) -> None:
    with store.transaction():
        store.collection("hubs").put("a", {"name": "New"})
        store.save_services([make_service()])


def test_the_revision_moves_before_a_save_s_files_and_after_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A multi-file save moves it twice (not once a file): before its first file, so a
    snapshot reader notices, and after its last, so a store that listed the referral
    shards in between looks again. A lock that changed nothing leaves it alone."""
    with HubStore.open(tmp_path) as store:
        revision = read_revision(tmp_path)
        seen_in_between: list[int] = []
        real_replace = os.replace

        def watch(src: str | Path, dst: str | Path) -> None:
            if str(dst).endswith("left.json"):
                seen_in_between.append(read_revision(tmp_path))
            real_replace(src, dst)

        monkeypatch.setattr(os, "replace", watch)
        with store.transaction():
            store.collection("left").put("n", {"v": 1})
            store.collection("right").put("n", {"v": 1})
        monkeypatch.undo()
        assert seen_in_between == [revision + 1]
        assert read_revision(tmp_path) == revision + 2
        with store.writing():
            pass
        assert read_revision(tmp_path) == revision + 2


def test_a_reader_that_listed_shards_between_the_bumps_finds_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another store lists the referral shards after the first bump, before the new shard
    is in place: the second bump makes it list them again, so the referral is found."""
    with HubStore.open(tmp_path) as store, HubStore.open(tmp_path, read_only=True) as reader:
        referral = make_referral()
        real_replace = os.replace

        def list_first(src: str | Path, dst: str | Path) -> None:
            if "referrals" in str(dst) and not str(dst).endswith(".bak"):
                assert reader.referral(referral.id) is None  # lists the shards now
            real_replace(src, dst)

        monkeypatch.setattr(os, "replace", list_first)
        store.save_referral(referral)
        monkeypatch.undo()
        assert reader.referral(referral.id) == referral
