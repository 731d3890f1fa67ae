"""Shared test set-up: every test gets its own data folder, never the user's real one."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

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
