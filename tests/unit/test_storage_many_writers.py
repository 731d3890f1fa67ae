"""Many processes write one data folder at once: no acknowledged save is ever lost (issue 16).

Writers run in their own processes (forked, each opening its own `HubStore`, as a kiosk, a
browser session or a command would), plus the real `hub sync import` command as a
subprocess. Each writer notes a save in its own acknowledgement file only once the save
has returned. Afterwards every acknowledged save must be in the folder, counts that were
read and bumped by several processes must add up, and multi-file saves are all there or
not at all. Then the same writers are killed with SIGKILL mid-flight: the folder must
open, every file must parse, and nothing acknowledged may be missing.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub.directory_edits import add_service
from hub.directory_file import DirectoryFile
from hub.storage import HubStore
from hub.unmet import log_unmet_search, unmet_searches
from tests.bundles import trusted_bundle
from tests.factories import make_referral, make_service

NOW = datetime.now(UTC).replace(microsecond=0)
DAY = NOW.date()
WORDS = "swimming lessons"
PAIRS = "paired"

_fork = multiprocessing.get_context("fork")


class Acks:
    """One writer's acknowledgement file: a line per save that has returned."""

    def __init__(self, folder: Path, name: str) -> None:
        self.path = folder / f"{name}.acks"
        self._fd: int | None = None

    def note(self, *words: str) -> None:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.write(self._fd, (" ".join(words) + "\n").encode("ascii"))

    def lines(self) -> list[list[str]]:
        if not self.path.exists():
            return []
        text = self.path.read_text(encoding="ascii")
        # A line cut by a kill has no newline yet: its save may not have returned.
        return [line.split() for line in text.splitlines(keepends=True) if line.endswith("\n")]


# --- the writers (each runs in its own process) --------------------------------------


def write_referrals(root: Path, acks: Path, count: int, month_offset: int) -> None:
    """Save referrals one by one (two of these share months, so shards are fought over)."""
    note = Acks(acks, f"referrals-{month_offset}").note
    with HubStore.open(root) as store:
        for number in range(count):
            moment = NOW - timedelta(days=(number + month_offset) % 3 * 31)
            referral = make_referral(now=moment)
            store.save_referral(referral)
            note(referral.id)


def edit_directory(root: Path, acks: Path, count: int) -> None:
    """Add services through the staff edit path (each also records a local change)."""
    note = Acks(acks, "directory").note
    with HubStore.open(root) as store:
        for number in range(count):
            service = add_service(store, make_service(name=f"Group {number}"), "staff-1", NOW)
            note(service.id)


def count_searches(root: Path, acks: Path, count: int) -> None:
    """Log the same search that found nothing: a count read and bumped by each process."""
    note = Acks(acks, f"counts-{os.getpid()}").note
    with HubStore.open(root) as store:
        for _ in range(count):
            log_unmet_search(store, WORDS, DAY)
            note("counted")


def save_pairs(root: Path, acks: Path, count: int) -> None:
    """Save a referral and a record naming it in one transaction: both land, or neither."""
    note = Acks(acks, "pairs").note
    with HubStore.open(root) as store:
        for _ in range(count):
            referral = make_referral(now=NOW - timedelta(days=1))
            with store.transaction():
                store.save_referral(referral)
                store.collection(PAIRS).put(referral.id, {"pid": os.getpid()})
            note(referral.id)


# --- helpers -----------------------------------------------------------------------------


def make_bundle(tmp_path: Path, coordinator: Path, referrals: int) -> tuple[Path, set[str]]:
    """Return a signed bundle from another hub (enrolled at `coordinator`) and its referral ids."""
    bundle, sent = trusted_bundle(tmp_path, coordinator, referrals=referrals, now=NOW)
    return bundle, {r.id for r in sent}


def start(target: Callable[..., None], *args: object) -> multiprocessing.process.BaseProcess:
    process = _fork.Process(target=target, args=args, daemon=True)
    process.start()
    return process


def acked(acks: Path, prefix: str) -> list[list[str]]:
    return [
        line
        for path in sorted(acks.glob(f"{prefix}*.acks"))
        for line in Acks(path.parent, path.stem).lines()
    ]


def every_file_parses(root: Path) -> None:
    """Every data file and every backup of one (the fallback for a damaged file) parses."""
    for path in [*root.rglob("*.json"), *root.rglob("*.json.bak")]:
        json.loads(path.read_text(encoding="utf-8"))


def unfinished_renames(root: Path) -> list[list[str]]:
    """Return the renames of a save committed in the directory's SQLite file not yet done."""
    directory = DirectoryFile(root, read_only=True)
    try:
        return directory.pending_renames()
    finally:
        directory.close()


def check_nothing_acknowledged_is_lost(root: Path, acks: Path) -> tuple[int, int, int]:
    """Assert every acknowledged save is in the folder.

    Return how many referrals were acknowledged, how many counts were acknowledged, and
    the count stored.
    """
    every_file_parses(root)
    referral_ids = {line[0] for line in acked(acks, "referrals-")}
    pair_ids = {line[0] for line in acked(acks, "pairs")}
    service_ids = {line[0] for line in acked(acks, "directory")}
    counted = len(acked(acks, "counts-"))
    with HubStore.open(root) as store:
        stored = {r.id for r in store.referrals()}
        assert referral_ids <= stored, f"{len(referral_ids - stored)} acknowledged referrals lost"
        paired = set(store.collection(PAIRS).raw())
        assert pair_ids <= paired and pair_ids <= stored, "an acknowledged transaction was lost"
        # All or nothing: every pair record has its referral, and no pair referral lacks one.
        assert paired <= stored, "a transaction's record landed without its referral"
        services = {s.id for s in store.services()}
        assert service_ids <= services, "an acknowledged directory edit was lost"
        logged = {s.text: s.count for s in unmet_searches(store)}.get(WORDS, 0)
    return len(referral_ids | pair_ids), counted, logged


# --- the tests -----------------------------------------------------------------------------


def test_parallel_writers_and_a_sync_import_lose_nothing(tmp_path: Path) -> None:
    root, acks = tmp_path / "data", tmp_path / "acks"
    acks.mkdir()
    bundle, bundled = make_bundle(tmp_path, root, referrals=20)
    started = time.monotonic()
    writers = [
        start(write_referrals, root, acks, 50, 0),
        start(write_referrals, root, acks, 50, 1),
        start(edit_directory, root, acks, 30),
        start(count_searches, root, acks, 25),
        start(count_searches, root, acks, 25),
        start(save_pairs, root, acks, 20),
    ]
    imported = subprocess.run(
        [sys.executable, "-m", "hub.cli", "--data-dir", str(root), "sync", "import", str(bundle)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    for writer in writers:
        writer.join(120)
        assert writer.exitcode == 0
    elapsed = time.monotonic() - started
    assert imported.returncode == 0, imported.stderr
    assert "referrals: 20 added" in imported.stdout

    saved, counted, logged = check_nothing_acknowledged_is_lost(root, acks)
    assert saved == 120 and counted == 50
    assert logged == 50, "a count bumped by two processes at once lost a bump"
    with HubStore.open(root) as store:
        assert bundled <= {r.id for r in store.referrals()}, "the sync import was lost"
        assert len(store.referrals()) == 140
        assert len(store.services()) == 30
    print(f"\n220 transactions and a sync import from 7 processes in {elapsed:.1f} s")


@pytest.mark.parametrize("round_seed", [1, 2, 3])
def test_kill_9_during_parallel_writes_leaves_a_whole_folder(
    tmp_path: Path, round_seed: int
) -> None:
    root, acks = tmp_path / "data", tmp_path / "acks"
    acks.mkdir()
    rng = random.Random(round_seed)
    for _ in range(2):  # kill, then write again on top of what the kill left
        writers = [
            start(write_referrals, root, acks, 400, 0),
            start(write_referrals, root, acks, 400, 1),
            start(edit_directory, root, acks, 400),
            start(count_searches, root, acks, 400),
            start(save_pairs, root, acks, 400),
        ]
        deadline = time.monotonic() + 30
        while len(acked(acks, "")) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.3))
        for writer in writers:
            assert writer.pid is not None
            os.kill(writer.pid, signal.SIGKILL)
        for writer in writers:
            writer.join(30)
            assert writer.exitcode == -signal.SIGKILL
        saved, counted, logged = check_nothing_acknowledged_is_lost(root, acks)
        assert saved > 0
        # A kill between a count's save and its acknowledgement adds one unacknowledged.
        assert counted <= logged <= counted + 1, "an acknowledged count was lost"
    # Every writer is dead: the next one to open the folder finishes what a kill left half
    # done and removes every temporary file, leaving none of its own (a backup renamed onto
    # a link to the same file is a no-op rename: see durable_files.keep_backup_of).
    with HubStore.open(root) as store:
        assert not (root / "transaction.journal").exists()
        assert not unfinished_renames(root), "a killed save was not finished"
        left = sorted(path.name for path in root.rglob(".*.tmp"))
        assert not left, f"temporary files left after the next writer opened: {left}"
        assert store.referrals()  # and every file read (above) parsed
