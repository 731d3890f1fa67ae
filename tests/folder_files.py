"""Which files in a data folder are the hub's data, for tests that check nothing changed."""

from __future__ import annotations

from pathlib import Path


def holds_data(path: Path) -> bool:
    """Return False for SQLite's working files when they hold no data, True otherwise.

    The `-shm` index, and a `-wal` with nothing in it, are made by any connection (a
    read-only command's too, which cannot remove them; the next writer does). A `-wal`
    holding saves is data and counts.
    """
    if path.name.endswith("-shm"):
        return False
    return not (path.name.endswith("-wal") and path.stat().st_size == 0)
