"""Where the hub's files live: the data folder, and the bundled defaults in data/."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "community-hub-kiosk"
DATA_DIR_ENV = "HUB_DATA_DIR"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder: `--data-dir`, else $HUB_DATA_DIR, else the platform's own."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser().resolve()
    # Imported only here: a kiosk given its folder never needs it before Home is drawn.
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def bundled_data_dir() -> Path:
    """Return the folder holding needs.json, urgent.json and directory.sample.json.

    An installed wheel carries them as hub/_data; a source checkout (and an editable
    install) has them in data/ at the top of the repository.
    """
    packaged = Path(__file__).resolve().parent / "_data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


def bundled_file(name: str) -> Path:
    """Return the path of one bundled default, e.g. bundled_file("needs.json")."""
    return bundled_data_dir() / name


SAMPLE_DIRECTORY = "directory.sample.json"
NEEDS_FILE = "needs.json"
URGENT_FILE = "urgent.json"
LOCAL_URGENT_FILE = "urgent.local.json"
"""A hub's own crisis lines, in its data folder, shown after the national ones."""


def local_urgent_file(folder: Path) -> Path:
    """Return where a data folder keeps the hub's own urgent lines (it may not exist)."""
    return folder / LOCAL_URGENT_FILE
