"""PIN lockout that cannot be turned into a weapon: kiosk-wide wait, unlock by a colleague,
stronger hashes with old ones still working. Real stores in tmp_path, the clock passed in."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub import audit
from hub import staff as staff_accounts
from hub.staff import (
    KIOSK_FREE_FAILURES,
    KIOSK_MAX_WAIT,
    KIOSK_WINDOW,
    LOCKED_OUT,
    MAX_TRIES,
    STAFF,
    UNLOCK_FAILED,
    StaffError,
    _kiosk_wait,
    add_staff,
    clear_lockout,
    find_staff,
    kiosk_wait_until,
    locked_out_staff,
    needs_rehash,
    unlock,
    verify_pin,
)
from hub.storage import HubStore

REAL_SCRYPT_N = staff_accounts.SCRYPT_N
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
PIN = "246810"
WRONG = "000000"


@pytest.fixture
def store(tmp_path: Path, quick_pin_hashes: None) -> Iterator[HubStore]:
    """Return a store with two staff members, Ana and Ben, their PINs hashed cheaply."""
    opened = HubStore.open(tmp_path / "data")
    add_staff(opened, "Ana", PIN, NOW)
    add_staff(opened, "Ben", "135791", NOW)
    yield opened
    opened.close()


def _cycle_names(store: HubStore, count: int, at: datetime) -> list[str | None]:
    """Try `count` different made-up names once each, a second apart; return the answers."""
    return [
        unlock(store, f"Guess {i}", WRONG, at + timedelta(seconds=i)).message for i in range(count)
    ]


def test_cycling_names_makes_the_whole_kiosk_wait(store: HubStore) -> None:
    answers = _cycle_names(store, KIOSK_FREE_FAILURES - 1, NOW)
    assert answers == [UNLOCK_FAILED] * (KIOSK_FREE_FAILURES - 1)  # no single name locked
    tenth = unlock(store, "Guess 10", WRONG, NOW + timedelta(seconds=10))
    assert (
        tenth.message
        == "Too many wrong tries on this kiosk. Please wait 5 seconds, then try again."
    )
    assert tenth.locked_until == NOW + timedelta(seconds=15)
    # While the kiosk waits even a right PIN is not checked: the answer is the wait.
    during = unlock(store, "Ana", PIN, NOW + timedelta(seconds=12))
    assert not during.ok and during.message is not None and "3 seconds" in during.message
    assert kiosk_wait_until(store, NOW + timedelta(seconds=12)) == NOW + timedelta(seconds=15)
    # Once the wait is over, a right PIN opens and ends the kiosk-wide count.
    assert unlock(store, "Ana", PIN, NOW + timedelta(seconds=15)).ok
    assert kiosk_wait_until(store, NOW + timedelta(seconds=15)) is None
    assert unlock(store, "Guess 11", WRONG, NOW + timedelta(seconds=16)).message == UNLOCK_FAILED


def test_each_further_wrong_try_waits_longer_up_to_a_limit(store: HubStore) -> None:
    at = NOW
    _cycle_names(store, KIOSK_FREE_FAILURES - 1, at)
    at += timedelta(seconds=KIOSK_FREE_FAILURES)
    waits = []
    for i in range(3):
        result = unlock(store, f"More {i}", WRONG, at)
        assert result.locked_until is not None
        waits.append(result.locked_until - at)
        at = result.locked_until  # the next try comes as soon as it is allowed
    assert waits == [timedelta(seconds=5), timedelta(seconds=10), timedelta(seconds=20)]
    assert [_kiosk_wait(KIOSK_FREE_FAILURES + k) for k in (3, 4, 5, 6, 50)] == [
        timedelta(seconds=40),
        timedelta(seconds=80),
        KIOSK_MAX_WAIT,
        KIOSK_MAX_WAIT,
        KIOSK_MAX_WAIT,
    ]
    assert _kiosk_wait(KIOSK_FREE_FAILURES - 1) == timedelta(0)


def test_wrong_tries_older_than_the_window_are_forgotten(store: HubStore) -> None:
    _cycle_names(store, KIOSK_FREE_FAILURES - 1, NOW)
    later = NOW + KIOSK_WINDOW + timedelta(seconds=KIOSK_FREE_FAILURES)
    assert unlock(store, "Guess late", WRONG, later).message == UNLOCK_FAILED
    assert kiosk_wait_until(store, later) is None


def test_a_locked_name_is_unlocked_by_a_colleague(store: HubStore) -> None:
    for i in range(MAX_TRIES):
        last = unlock(store, "Ana", WRONG, NOW + timedelta(seconds=i))
    assert last.message == LOCKED_OUT
    at = NOW + timedelta(minutes=1)
    assert [m.name for m, _ in locked_out_staff(store, at)] == ["Ana"]
    assert unlock(store, "Ana", PIN, at).message == LOCKED_OUT
    ben = find_staff(store, "Ben")
    assert ben is not None
    assert clear_lockout(store, "ana", at, actor=ben.id) is True
    assert locked_out_staff(store, at) == []
    assert unlock(store, "Ana", PIN, at + timedelta(seconds=1)).ok
    ana = find_staff(store, "Ana")
    assert ana is not None
    cleared = [
        (e.staff_id, e.record_id)
        for e in audit.audit_entries(store)
        if e.action == audit.STAFF_LOCKOUT_CLEARED
    ]
    assert cleared == [(ben.id, ana.id)]


def test_clearing_a_name_that_is_not_locked_says_so(store: HubStore) -> None:
    assert clear_lockout(store, "Ben", NOW) is False
    with pytest.raises(StaffError, match="no staff member called 'Zed'"):
        clear_lockout(store, "Zed", NOW)


def test_an_old_cheaper_hash_still_signs_in_and_is_remade_stronger(
    store: HubStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staff_accounts, "SCRYPT_N", REAL_SCRYPT_N)  # remade at today's real cost
    ana = find_staff(store, "Ana")
    assert ana is not None
    staff = store.collection(STAFF)
    doc = staff.get(ana.id)
    assert doc is not None
    # Made exactly as the first release made it: n=2**14.
    digest = hashlib.scrypt(PIN.encode(), salt=b"s" * 16, n=2**14, r=8, p=1, dklen=32)
    old = f"scrypt$16384$8$1${(b's' * 16).hex()}${digest.hex()}"
    staff.put(ana.id, {**doc, "pin_hash": old})
    assert needs_rehash(old) and verify_pin(PIN, old)

    assert not unlock(store, "Ana", WRONG, NOW).ok
    assert staff.get(ana.id)["pin_hash"] == old  # type: ignore[index]  # a wrong PIN changes nothing
    assert unlock(store, "Ana", PIN, NOW + timedelta(seconds=1)).ok
    remade = staff.get(ana.id)["pin_hash"]  # type: ignore[index]
    assert remade != old and not needs_rehash(remade)
    assert remade.startswith(f"scrypt${REAL_SCRYPT_N}$8$1$")
    assert verify_pin(PIN, remade)
    assert unlock(store, "Ana", PIN, NOW + timedelta(seconds=2)).ok


def test_a_stored_hash_asking_for_huge_memory_does_not_verify() -> None:
    greedy = "scrypt$1073741824$8$1$" + "00" * 16 + "$" + "00" * 32
    assert not verify_pin(PIN, greedy)
