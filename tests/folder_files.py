"""Data folders for tests: one holding the sample directory, and which files are its data."""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from pathlib import Path

from hub.sample_directory import seed_sample_if_new
from hub.storage import HubStore

CSV_EXAMPLE = Path(__file__).resolve().parents[1] / "data/openreferral/hsds-3.0/csv-example"
"""The HSDS 3.0 specification's CSV example package, as bundled in data/."""


def sample_data_folder(tmp_path: Path, now: datetime) -> Path:
    """Return a new data folder under `tmp_path` holding the bundled sample directory."""
    data = tmp_path / "data"
    with HubStore.open(data) as store:
        seed_sample_if_new(store, now=now)
    return data


def holds_data(path: Path) -> bool:
    """Return False for SQLite's working files when they hold no data, True otherwise.

    The `-shm` index, and a `-wal` with nothing in it, are made by any connection (a
    read-only command's too, which cannot remove them; the next writer does). A `-wal`
    holding saves is data and counts.
    """
    if path.name.endswith("-shm"):
        return False
    return not (path.name.endswith("-wal") and path.stat().st_size == 0)


def csv_example_copy(tmp_path: Path) -> Path:
    """Return a writable copy of the specification's CSV example (tmp_path/package)."""
    folder = tmp_path / "package"
    shutil.copytree(CSV_EXAMPLE, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    return folder


def folder_hashes(folder: Path) -> dict[str, str]:
    """Return {relative path: sha256} for every file under `folder`.

    SQLite's working files count only when they hold data (`holds_data`).
    """
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and holds_data(path)
    }
