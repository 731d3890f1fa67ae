"""The data folder is private to the hub's user, and holds only plain files that user made.

Runs at every start, before any referral is read: a folder made by hand (or by an old
version) with mode 777 is made 0700 with files 0600, and a folder where anything belongs
to another user, or is a link, pipe or device, is refused (`UnsafeDataFolder`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from hub.durable_files import StorageError


class UnsafeDataFolder(StorageError):
    """The data folder, or something in it, belongs to another user or is not a plain file."""


FOLDER_MODE = 0o700
FILE_MODE = 0o600


def secure_data_folder(root: Path) -> int:
    """Make the data folder 0700 and every file in it 0600; return how many modes changed.

    Runs at every start, so a folder made by hand (or by an old version) with mode 777 is
    fixed before any referral is read. Raises UnsafeDataFolder, and changes nothing more,
    when the folder or anything in it belongs to another user (someone else could have
    put their own PIN hash in `staff.json`), or is a link, pipe or device: the hub's files
    are only ever plain files and folders that this user made.
    """
    me = os.geteuid() if hasattr(os, "geteuid") else None
    changed = 0
    try:
        found = os.stat(root)  # the folder itself may be reached through a link
    except OSError as exc:
        raise StorageError(f"could not open the data folder {root}: {exc.strerror}") from exc
    entries: list[tuple[Path, os.stat_result]] = [(root, found)]
    for folder, dirs, files in os.walk(root):
        for entry in [*dirs, *files]:
            path = Path(folder) / entry
            try:
                entries.append((path, os.lstat(path)))
            except FileNotFoundError:
                continue  # a temporary file another copy just renamed
    for path, info in entries:
        _refuse_unless_ours(path, info, me)
        wanted = FOLDER_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
        if stat.S_IMODE(info.st_mode) != wanted:
            try:
                os.chmod(path, wanted)
            except OSError as exc:
                raise UnsafeDataFolder(
                    f"could not make {path} private to this user: {exc.strerror}"
                ) from exc
            changed += 1
    return changed


def _refuse_unless_ours(path: Path, info: os.stat_result, me: int | None) -> None:
    """Raise UnsafeDataFolder unless `path` is a plain file or folder owned by `me`."""
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeDataFolder(
            f"{path} is a link; the hub keeps only plain files in its data folder, "
            "so it will not use it. Ask whoever looks after this computer to check it"
        )
    if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
        raise UnsafeDataFolder(
            f"{path} is not a plain file (a pipe or a device?); the hub will not use it. "
            "Ask whoever looks after this computer to check it"
        )
    if me is not None and info.st_uid != me:
        raise UnsafeDataFolder(
            f"{path} belongs to another user on this computer (user id {info.st_uid}), so "
            "the hub will not use it: it may have been tampered with. Ask whoever looks "
            "after this computer to check it"
        )
