"""Shared test set-up: every test gets its own data folder, never the user's real one."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from hub import staff
from hub.locations import DATA_DIR_ENV

# Full passes of the cyclic collector go over every object a test process holds (the
# collected tests, Textual, the crisis phrase tables, hypothesis): with Python's default
# (one full pass per 100 young ones) they were about a fifth of a kiosk test's CPU and
# found next to nothing to free. Young passes run as before; a full pass is rarer. The
# kiosk itself manages its collector at start-up (hub/cli.py); this is the test process.
_YOUNG, _MIDDLE, _ = gc.get_threshold()
gc.set_threshold(_YOUNG, _MIDDLE, 1000)


@pytest.fixture(autouse=True)
def _data_dir_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point $HUB_DATA_DIR at a fresh folder under tmp_path for every test."""
    folder = tmp_path / "hub-data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder


QUICK_SCRYPT_N = 2**10
"""The scrypt cost of PINs hashed under `quick_pin_hashes`: 1/32 of the real one."""


@pytest.fixture
def quick_pin_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash PINs at scrypt n=2**10 instead of the real 2**15, the unknown-name decoy too.

    A real PIN hash is about 0.1 s of CPU, a third of a second on a busy machine, and a
    staff journey or a lockout test makes several: such tests are about screens and
    counting tries, not the hash. The cost is stored in each hash, so these verify at
    their own cost exactly as any other does. The tests of the hash itself
    (tests/unit/test_staff.py's hashing tests, the rehash test) and the CLI tests keep
    the real cost.
    """
    monkeypatch.setattr(staff, "SCRYPT_N", QUICK_SCRYPT_N)
    monkeypatch.setattr(staff, "_DECOY_HASH", staff.hash_pin("000000"))
