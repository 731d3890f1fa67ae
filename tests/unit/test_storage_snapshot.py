"""Readers see one whole committed state across several files (issue 16).

A writer process saves two files together, again and again (`HubStore.transaction`); a
reader in another process reads both through `HubStore.read_snapshot` and must never see
one file's new version beside the other's old one.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Event
from pathlib import Path

from hub.directory_file import DirectoryFile
from hub.storage import SNAPSHOT_TRIES, HubStore
from tests.factories import make_service

_fork = multiprocessing.get_context("fork")
SAVES = 300


def _save_pairs(root: Path, started: Event) -> None:
    """Save the same number to left.json and right.json in one transaction, SAVES times."""
    with HubStore.open(root) as store:
        for number in range(1, SAVES + 1):
            with store.transaction():
                store.collection("left").put("n", {"v": number})
                store.collection("right").put("n", {"v": number})
            started.set()


def _both(store: HubStore) -> tuple[object, object]:
    left, right = store.collection("left").get("n"), store.collection("right").get("n")
    return (left or {}).get("v"), (right or {}).get("v")


def test_a_reader_never_sees_half_of_a_multi_file_save(tmp_path: Path) -> None:
    root = tmp_path / "data"
    HubStore.open(root).close()
    started = _fork.Event()
    writer = _fork.Process(target=_save_pairs, args=(root, started))
    writer.start()
    assert started.wait(60)
    seen: set[object] = set()
    reads = 0
    with HubStore.open(root, read_only=True) as store:
        while writer.is_alive() or reads == 0:
            left, right = store.read_snapshot(lambda: _both(store))
            assert left == right, f"read half of a save: left {left}, right {right}"
            seen.add(left)
            reads += 1
        writer.join(60)
        assert writer.exitcode == 0
        assert store.read_snapshot(lambda: _both(store)) == (SAVES, SAVES)
    assert len(seen) > 1, "the reader never saw the writer's saves"
    print(f"\n{reads} consistent reads, {len(seen)} versions seen")


def test_a_snapshot_inside_this_process_s_own_lock_reads_at_once(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store, store.writing():
        store.collection("left").put("n", {"v": 1})
        assert store.read_snapshot(lambda: _both(store)) == (1, None)


def _save_nonstop(root: Path, started: Event, stop: Event) -> None:
    """Save both files together in a tight loop until told to stop."""
    with HubStore.open(root) as store:
        number = 0
        while not stop.is_set():
            number += 1
            with store.transaction():
                store.collection("left").put("n", {"v": number})
                store.collection("right").put("n", {"v": number})
            started.set()


def test_a_writer_saving_nonstop_cannot_starve_a_reader(tmp_path: Path) -> None:
    """Each snapshot read ends within SNAPSHOT_TRIES spoiled tries and one under the lock,
    however fast the writer saves (counted in tries, not seconds)."""
    root = tmp_path / "data"
    HubStore.open(root).close()
    started, stop = _fork.Event(), _fork.Event()
    writer = _fork.Process(target=_save_nonstop, args=(root, started, stop))
    writer.start()
    reads = 30
    try:
        assert started.wait(60)
        seen: set[object] = set()
        with HubStore.open(root, read_only=True) as store:
            for _ in range(reads):
                tries_before = store.snapshot_tries
                left, right = store.read_snapshot(lambda: _both(store))
                assert left == right, f"read half of a save: left {left}, right {right}"
                assert store.snapshot_tries - tries_before <= SNAPSHOT_TRIES + 1
                seen.add(left)
            tries = store.snapshot_tries
        assert writer.is_alive(), "the writer stopped before the reads were done"
    finally:
        stop.set()
        writer.join(60)
    assert writer.exitcode == 0
    assert len(seen) > 1, "the reader never saw the writer's saves"
    print(f"\n{reads} reads in {tries} tries beside a writer saving nonstop")


def test_directory_reads_in_one_read_transaction_agree(tmp_path: Path) -> None:
    """A page of services and their count read inside `DirectoryFile.reading` (as every
    `read_snapshot` does) agree, even when another store saves between the two reads."""
    with HubStore.open(tmp_path) as writer:
        writer.save_services([make_service(name="Alpha")])
        reader = DirectoryFile(tmp_path, read_only=True)
        try:
            with reader.reading():
                page = list(reader.rows())
                writer.save_services([make_service(name="Beta")])  # lands between the reads
                assert reader.count() == len(page) == 1
            assert reader.count() == 2  # the next read sees the save
        finally:
            reader.close()
