"""The data folder's write lock, held only while a change is being written.

Any number of kiosk, browser-session and CLI processes may have one data folder open.
Each save takes the folder's lock (`hub.lock`, a filelock) for just as long as it reads
the files it changes, changes them and puts them in place; a second writer waits for it
(at most `LOCK_TIMEOUT` seconds, then `FolderBusy`). Under the lock a writer first
finishes a multi-file save a killed process left half done (`on_acquire`), and every
data file it then reads is checked against the disk (see `data_files.AtomicJSONStorage`),
so it changes the latest saved version, never an old copy it held in memory.

Each lock that changes a file bumps the revision number in `hub.revision` twice: first
just before its first file is put in place (`durable_files.prepare_change`), then once
they all are, before the lock is let go. If the first cannot be written (a full disk)
the save is refused with a StorageError before anything changes: a save no other process
could notice would let a snapshot read or a sync import miss it. The second tells a
store that read the first before the files were in place to look again. A store looks
at the revision to know cheaply whether anyone saved since it last looked (to notice new
referral shards, say). A read of several files that must agree
(`HubStore.read_snapshot`) is a seqlock on it: the lock is free just before and just
after the read (`probe`) and the revision did not move, so no save was under way in
between.

Readers never wait on the lock, but one that keeps losing to a writer saving nonstop
takes it (`reading`), to read once in peace. So that it gets it, a reader waiting for the
lock holds a second one, the turnstile (`hub.turn`), which every writer passes through
(takes and drops at once) before it takes the lock: the save under way finishes, the
next waits at the turnstile, and the reader reads. Writers hold the turnstile for
microseconds only, so it never holds them up otherwise.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import filelock

from hub.durable_files import (
    ReadOnlyFolder,
    StorageError,
    changes_so_far,
    failure_reason,
    set_change_hook,
    temp_path_for,
)

log = logging.getLogger(__name__)

LOCK_FILE = "hub.lock"
TURNSTILE_FILE = "hub.turn"
REVISION_FILE = "hub.revision"

LOCK_TIMEOUT = 10.0
"""Seconds a save waits for another process's save before giving up. The longest save a
hub makes (importing a 15,000-service directory) holds the lock for a second or two."""

_POLL_SECONDS = 0.002
"""How often a waiting writer tries the lock: saves take milliseconds, so wait in those."""


class FolderBusy(StorageError):
    """The folder's lock could not be had in time: another process kept saving."""


def read_revision(root: Path) -> int:
    """Return the folder's revision: how many changes have been written (0 before any)."""
    try:
        return int((root / REVISION_FILE).read_bytes() or b"0")
    except (FileNotFoundError, ValueError):
        return 0


def _write_revision(root: Path, revision: int) -> None:
    """Put the new revision in place by a rename (a reader sees the old number or the new).

    Not flushed to disk: after a power cut every process starts afresh and reads every
    file anyway, so a lost bump costs nothing.
    """
    path = root / REVISION_FILE
    temp = temp_path_for(path)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, str(revision).encode("ascii"))
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


class FolderLock:
    """Short write transactions on one data folder, shared by every thread of a process.

    `writing()` nests (a save inside `HubStore.transaction` takes it again for free).
    Each thread takes the lock through its own file descriptor, so two threads of one
    process exclude each other just as two processes do.
    """

    def __init__(
        self,
        root: Path,
        *,
        on_acquire: Callable[[], None],
        on_bump: Callable[[int], None],
        read_only: bool = False,
        timeout: float | None = None,
    ) -> None:
        self.root = root
        self.read_only = read_only
        self._timeout = LOCK_TIMEOUT if timeout is None else timeout
        self._on_acquire = on_acquire
        self._on_bump = on_bump
        self._file_lock = self._lock_file(LOCK_FILE)
        self._turnstile = self._lock_file(TURNSTILE_FILE)
        self._local = threading.local()

    def _lock_file(self, name: str) -> filelock.FileLock:
        """Return a lock on the file `name` in the data folder (made on first use)."""
        return filelock.FileLock(
            str(self.root / name),
            timeout=self._timeout,
            mode=0o600,
            poll_interval=_POLL_SECONDS,
            # Deleting the lock file on release would let two processes lock two files.
            preserve_lock_file=True,
        )

    @property
    def held(self) -> bool:
        """True while this thread is inside `writing()`."""
        return bool(getattr(self._local, "depth", 0))

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the folder's lock for the block; bump the revision when it ends.

        Raises ReadOnlyFolder for a store opened only to read, and FolderBusy when another
        process holds the lock for longer than the timeout (then nothing was changed).
        """
        if self.read_only:
            raise ReadOnlyFolder(
                f"this command may only read {self.root}, so it cannot save anything"
            )
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield
            finally:
                self._local.depth = depth
            return
        try:
            self._pass_turnstile()
            self._file_lock.acquire()
        except filelock.Timeout:
            raise FolderBusy(
                f"another hub program kept {self.root} busy for {self._timeout:g} seconds, "
                "so nothing was saved; try again in a moment"
            ) from None
        except OSError as exc:
            raise StorageError(
                f"could not lock {self.root / LOCK_FILE}: {exc.strerror or exc}"
            ) from exc
        self._local.depth = 1
        self._local.bumped = None
        before = changes_so_far()
        previous_hook = set_change_hook(self._bump_revision)
        try:
            self._on_acquire()
            yield
        finally:
            set_change_hook(previous_hook)
            try:
                if self._local.bumped is not None or changes_so_far() != before:
                    # Bumped again now the files are in place: a store that read the first
                    # bump before they were (to list referral shards, say) looks again.
                    revision = read_revision(self.root) + 1
                    try:
                        _write_revision(self.root, revision)
                    except OSError as exc:
                        log.warning(
                            "%s could not be written (%s): other hub programs may not "
                            "notice the save just finished until the next one",
                            self.root / REVISION_FILE,
                            failure_reason(exc),
                        )
                    else:
                        self._on_bump(revision)
            finally:
                self._local.depth = 0
                self._file_lock.release()

    def _bump_revision(self) -> None:
        """Bump the revision before this lock's first change; StorageError if it cannot be.

        Once a lock (a multi-file save is one change to readers), and before the files
        move, so a reader that sees a new file also sees the revision has moved.
        """
        if self._local.bumped is not None:
            return
        revision = read_revision(self.root) + 1
        try:
            _write_revision(self.root, revision)
        except OSError as exc:
            raise StorageError(
                f"could not save to {self.root}: {self.root / REVISION_FILE} could not be "
                f"written ({failure_reason(exc)}), so other hub programs would not notice "
                "the save; nothing was changed"
            ) from exc
        self._local.bumped = revision
        self._on_bump(revision)

    def _pass_turnstile(self) -> None:
        """Take the turnstile and drop it at once: wait while a starved reader takes its turn.

        On a folder where the turnstile cannot be made (read-only media) there is no
        reader to wait for: the lock itself says what can be done there.
        """
        try:
            self._turnstile.acquire()
        except OSError:
            return
        self._turnstile.release()

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the lock for a read that must not be interrupted by a save (no revision bump).

        For a reader that kept losing to writers: it holds the turnstile while it waits,
        so no new save starts, and gets the lock as soon as the save under way is done.
        Runs `on_acquire` (finishing a killed process's save). Raises FolderBusy when one
        save holds the lock longer than the timeout. Where the lock file cannot be used
        (read-only media) no writer can be at work, and it just reads.
        """
        try:
            self._turnstile.acquire()
        except filelock.Timeout:
            raise FolderBusy(
                f"other hub programs kept {self.root} busy for {self._timeout:g} seconds, "
                "so it could not be read; try again in a moment"
            ) from None
        except OSError:
            yield
            return
        try:
            locked = self._take_lock_to_read()
        finally:
            self._turnstile.release()
        if not locked:
            yield
            return
        try:
            self._on_acquire()
            yield
        finally:
            self._file_lock.release()

    def _take_lock_to_read(self) -> bool:
        """Take the lock for `reading`; False if the lock file cannot be used here."""
        try:
            self._file_lock.acquire()
        except filelock.Timeout:
            raise FolderBusy(
                f"another hub program kept {self.root} busy for {self._timeout:g} "
                "seconds, so it could not be read; try again in a moment"
            ) from None
        except OSError:
            return False
        return True

    def probe(self) -> bool | None:
        """Return True if no writer holds the lock now (taken and dropped at once, running
        `on_acquire`), False if one does, None if the lock file cannot be used here (a
        folder on read-only media): then no writer can be at work either."""
        try:
            self._file_lock.acquire(timeout=0)
        except filelock.Timeout:
            return False
        except OSError:
            return None
        try:
            self._on_acquire()
        finally:
            self._file_lock.release()
        return True

    def acquire_briefly(self) -> bool:
        """Take and drop the lock at once, running `on_acquire`; return False if busy.

        For a store opened to read: a half-done save a killed process left is finished
        (it had committed), without waiting behind a long import.
        """
        try:
            self._file_lock.acquire(timeout=0)
        except (filelock.Timeout, OSError):
            return False
        try:
            self._on_acquire()
        finally:
            self._file_lock.release()
        return True
