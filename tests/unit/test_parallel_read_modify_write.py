"""A change that reads before it writes holds the folder's lock across both (issue 16).

Two processes change one hub's settings and staff lockouts at once. Each change must land
whole, as if the two ran one after the other: never half of one and half of the other,
never one process writing over a change the other made after it had read.
"""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from hub import audit
from hub.config import load_settings, update_settings
from hub.folder_lock import read_revision
from hub.staff import (
    MAX_TRIES,
    StaffError,
    add_staff,
    clear_lockout,
    list_staff,
    locked_out_staff,
    unlock,
)
from hub.storage import HubStore

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
PIN = "246810"
WRONG = "000000"
ROUNDS = 60

_fork = multiprocessing.get_context("fork")


def _change_settings(root: Path, tag: str, results: Path) -> None:
    """Save (area, region) = (tag N, tag N) ROUNDS times; note any answer that is a mix."""
    mixed = 0
    with HubStore.open(root) as store:
        for number in range(ROUNDS):
            words = f"{tag} {number}"
            settings = update_settings(store, area=words, region=words)
            # The settings returned are read under the same lock as the save: this change.
            if (settings.area, settings.region) != (words, words):
                mixed += 1
    results.joinpath(tag).write_text(str(mixed), encoding="ascii")


def test_two_processes_changing_settings_each_land_whole(tmp_path: Path) -> None:
    root, results = tmp_path / "data", tmp_path / "results"
    results.mkdir()
    HubStore.open(root).close()
    writers = [
        _fork.Process(target=_change_settings, args=(root, tag, results)) for tag in ("A", "B")
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
        assert writer.exitcode == 0
    assert [results.joinpath(tag).read_text(encoding="ascii") for tag in ("A", "B")] == [
        "0",
        "0",
    ], "an update's own settings were mixed with another process's"
    with HubStore.open(root, read_only=True) as store:
        final = load_settings(store)
    assert final.area == final.region, "the settings left are half of one change"
    assert final.area in {f"A {ROUNDS - 1}", f"B {ROUNDS - 1}"}


def _clear(root: Path, results: Path, name: str, read: Event, go: Event | None) -> None:
    """Clear Ana's lockout and note whether she was locked; with `go`, pause once her
    state has been read, before anything is saved (as a slow disk would)."""
    if go is not None:
        real_record = audit.record_action

        def paused_record(*args: Any, **kwargs: Any) -> audit.AuditEntry:
            read.set()
            go.wait(5)
            return real_record(*args, **kwargs)

        audit.record_action = paused_record
    with HubStore.open(root) as store:
        was_locked = clear_lockout(store, "Ana", NOW + timedelta(minutes=1))
    results.joinpath(name).write_text(str(was_locked), encoding="ascii")


def test_two_colleagues_clearing_one_lockout_at_once_clear_it_once(tmp_path: Path) -> None:
    """Two screens clear Ana's lockout at the same moment: one clears it, and the other
    finds it already cleared. Read apart from the delete, both said "she was locked"
    (and logged clearing a lockout that was no longer there)."""
    root, results = tmp_path / "data", tmp_path / "results"
    results.mkdir()
    with HubStore.open(root) as store:
        add_staff(store, "Ana", PIN, NOW)
        for number in range(MAX_TRIES):
            unlock(store, "Ana", WRONG, NOW + timedelta(seconds=number))
        assert locked_out_staff(store, NOW + timedelta(seconds=10))
    read, go = _fork.Event(), _fork.Event()
    first = _fork.Process(target=_clear, args=(root, results, "first", read, go))
    first.start()
    assert read.wait(30), "the first clearing never started"
    second = _fork.Process(target=_clear, args=(root, results, "second", read, None))
    second.start()
    second.join(3)  # it waits for the first clearing's lock, if the first holds it
    go.set()
    for process in (first, second):
        process.join(60)
        assert process.exitcode == 0
    answers = sorted(
        results.joinpath(name).read_text(encoding="ascii") for name in ("first", "second")
    )
    assert answers == ["False", "True"], "both clearings said they cleared the lockout"
    with HubStore.open(root, read_only=True) as store:
        assert not locked_out_staff(store, NOW + timedelta(minutes=2))


def test_saving_settings_is_one_write_transaction(tmp_path: Path) -> None:
    """Every setting given is saved under one lock: the folder's revision moves as for one
    save (twice: before its files and after them), not once a setting."""
    with HubStore.open(tmp_path) as store:
        before = read_revision(tmp_path)
        update_settings(store, area="Church End", region="London", country="GB")
        assert read_revision(tmp_path) == before + 2
        assert load_settings(store).area == "Church End"


def _add_ana(root: Path, results: Path, name: str) -> None:
    with HubStore.open(root) as store:
        try:
            add_staff(store, "Ana", PIN, NOW)
        except StaffError:
            results.joinpath(name).write_text("refused", encoding="ascii")
        else:
            results.joinpath(name).write_text("added", encoding="ascii")


def test_two_processes_adding_one_name_add_it_once(tmp_path: Path) -> None:
    root, results = tmp_path / "data", tmp_path / "results"
    results.mkdir()
    HubStore.open(root).close()
    adders = [_fork.Process(target=_add_ana, args=(root, results, f"p{n}")) for n in range(3)]
    for adder in adders:
        adder.start()
    for adder in adders:
        adder.join(60)
        assert adder.exitcode == 0
    answers = sorted(path.read_text(encoding="ascii") for path in results.iterdir())
    assert answers == ["added", "refused", "refused"]
    with HubStore.open(root, read_only=True) as store:
        assert [member.name for member in list_staff(store)] == ["Ana"]
