"""Durable file writes: a file is replaced whole or not at all, even by a power cut.

Every save writes a temporary file in the same folder, flushes and fsyncs it, renames it
over the old file, then fsyncs the folder. A kill or power cut leaves either the old file
or the new one, never half of each; the previous good copy can be kept as `NAME.bak`.
Temporary files a killed process leaves behind are named `.NAME.PID.N.tmp` and removed by
the next process to take the folder's lock (`remove_stale_temp_files`), once that PID is
no longer running.

Also here: the errors every data file raises (`StorageError`, `ReadOnlyFolder`).
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

TEMP_SUFFIX = ".tmp"
_temp_counter = itertools.count()


class StorageError(Exception):
    """A data file could not be read or written; the message names the file."""


class ReadOnlyFolder(StorageError):
    """A write was tried on a data folder this process opened only to read."""


# --- durable file writes ---------------------------------------------------------

_changes = itertools.count()
_last_change = 0


def note_change() -> None:
    """Count one file put in place or removed (the write lock bumps the revision only then)."""
    global _last_change
    _last_change = next(_changes) + 1


_change_hooks = threading.local()


def prepare_change() -> None:
    """Call just before a file is put in place or removed (before `note_change`).

    The thread's write lock (`folder_lock`) then bumps the folder's revision first, once
    per lock, and raises StorageError if it cannot: a save other processes could not
    notice is refused before anything changes. Outside a write lock it does nothing.
    """
    hook: Callable[[], None] | None = getattr(_change_hooks, "before", None)
    if hook is not None:
        hook()


def set_change_hook(hook: Callable[[], None] | None) -> Callable[[], None] | None:
    """Make `hook` this thread's `prepare_change`; return the one it replaces."""
    previous: Callable[[], None] | None = getattr(_change_hooks, "before", None)
    _change_hooks.before = hook
    return previous


def changes_so_far() -> int:
    """Return a number that grows whenever this process changes a file (`note_change`)."""
    return _last_change


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so a rename inside it survives a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_path_for(path: Path) -> Path:
    """Return a fresh temporary name beside `path` (removed at start-up if left behind)."""
    return path.parent / f".{path.name}.{os.getpid()}.{next(_temp_counter)}{TEMP_SUFFIX}"


def write_synced(temp: Path, payload: bytes | Iterable[bytes]) -> None:
    """Write `payload` (bytes, or chunks of them) to the new file `temp` (mode 0600), flushed.

    Chunks let a big file (a directory of 15,000 services) be written without ever holding
    all of its text at once.
    """
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        for chunk in [payload] if isinstance(payload, bytes) else payload:
            view = memoryview(chunk)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def keep_backup_of(path: Path) -> None:
    """Make `NAME.bak` the current version of `path` (if there is one), before it is replaced."""
    if not path.exists():
        return
    backup = path.with_name(path.name + ".bak")
    with contextlib.suppress(FileNotFoundError):
        if os.path.samefile(path, backup):
            return  # already this version: a process killed before its rename made it so
    # The current file is never modified in place, so a hard link to it is a
    # complete copy of the last good version at the cost of one directory entry.
    backup_temp = path.parent / f".{path.name}.bak.{os.getpid()}{TEMP_SUFFIX}"
    with contextlib.suppress(FileNotFoundError):
        backup_temp.unlink()
    try:
        os.link(path, backup_temp)
    except OSError:
        shutil.copy2(path, backup_temp)
    os.replace(backup_temp, backup)
    # rename(2) does nothing when both names are links to one file, so the temporary name
    # would stay (named for this process, which never removes its own while it runs).
    with contextlib.suppress(FileNotFoundError):
        backup_temp.unlink()


def failure_reason(exc: OSError) -> str:
    return "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)


def replace_file(
    path: Path, payload: bytes | Iterable[bytes], *, keep_backup: bool = False
) -> None:
    """Replace `path` with `payload` (bytes, or chunks) so a crash leaves the old file or the new.

    The one atomic write every module uses. Raises OSError when the disk refuses (callers
    turn it into their own error); the old file is then untouched and no temporary file is
    left behind.
    """
    temp = temp_path_for(path)
    try:
        write_synced(temp, payload)
        prepare_change()  # the folder's revision first: StorageError if it cannot be
        if keep_backup:
            keep_backup_of(path)
        os.replace(temp, path)
        note_change()
        fsync_folder(path.parent)
    except BaseException:
        # Chunks are made as they are written: one that fails leaves no half file behind.
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def write_file_atomically(
    path: Path, payload: bytes | Iterable[bytes], *, keep_backup: bool = False
) -> None:
    """Replace `path` with `payload` (bytes, or chunks) so a crash leaves the old file or the new.

    Raises StorageError (naming the file) when the disk refuses, e.g. when it is full; the
    old file is then untouched and no temporary file is left behind.
    """
    try:
        replace_file(path, payload, keep_backup=keep_backup)
    except OSError as exc:
        raise StorageError(
            f"could not save {path}: {failure_reason(exc)}; nothing was changed"
        ) from exc


_TEMP_PID = re.compile(r"\.(\d+)(?:\.\d+)?\.tmp$")


def _process_is_running(pid: int) -> bool:
    """True when a process with this id is running (ours, or another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temp_files(root: Path) -> int:
    """Delete temporary files killed processes left behind; return how many went.

    Other processes may have the folder open and be writing temporary files of their own
    right now (a search index, say), so a file is removed only when the process named in
    it has ended. A name without a process id is an old leftover and goes too.
    """
    removed = 0
    for temp in root.rglob(f".*{TEMP_SUFFIX}"):
        match = _TEMP_PID.search(temp.name)
        if match is not None and int(match.group(1)) != os.getpid():
            if _process_is_running(int(match.group(1))):
                continue
        elif match is not None:
            continue  # this process's own, being written now by another thread
        with contextlib.suppress(OSError):
            temp.unlink()
            removed += 1
    return removed
