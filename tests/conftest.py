"""Shared test set-up: every test gets its own data folder, never the user's real one."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.locations import DATA_DIR_ENV


@pytest.fixture(autouse=True)
def _data_dir_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point $HUB_DATA_DIR at a fresh folder under tmp_path for every test."""
    folder = tmp_path / "hub-data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder
