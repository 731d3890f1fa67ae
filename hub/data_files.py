"""The hub's JSON data files, as TinyDB sees them: saved whole, alone or several together.

`AtomicJSONStorage` is the TinyDB storage for every data file: each save goes through
`durable_files.write_file_atomically`, a damaged file falls back to its `.bak` copy, and
big tables are written in chunks, one document encoded at a time, so a directory of
15,000 services is never held as one string. Inside `HubStore.transaction` saves wait in
a `Transaction`, whose commit puts several files in place together through a journal
(`transaction.journal`), finished by `recover_transaction` if a kill interrupts it.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from tinydb.storages import Storage

from hub import durable_files
from hub.durable_files import (
    StorageError,
    failure_reason,
    fsync_folder,
    keep_backup_of,
    temp_path_for,
    write_file_atomically,
)

log = logging.getLogger(__name__)

# --- several files at once ---------------------------------------------------------

JOURNAL_FILE = "transaction.journal"
"""Present only while a multi-file save is being put in place; see `Transaction`."""

open_transaction: contextvars.ContextVar[Transaction | None] = contextvars.ContextVar(
    "hub_storage_transaction", default=None
)


class Transaction:
    """Saves to several data files that land together or not at all, even under kill -9.

    While it is open, data files under `root` are changed in memory only. On commit:
    each new version is written to a temporary file and flushed; then a journal naming
    every rename is written atomically (this is the moment of commit); then the files
    are renamed into place, the folders flushed, and the journal deleted. All of it runs
    under the folder's lock (`HubStore.transaction`), so the next process to take the lock
    finds either no journal (any temporary files of a dead process are leftovers,
    deleted: nothing happened) or a whole journal (renames still to do are done: all of
    it happened). See `recover_transaction`.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pending: dict[Path, AtomicJSONStorage] = {}
        self.database: CommitPoint | None = None
        """The directory's SQLite file, when the block saved services: its commit is then
        the moment of commit, with the renames written into it instead of a journal file."""

    def covers(self, path: Path) -> bool:
        """True when a save to `path` belongs to this transaction."""
        return path.is_relative_to(self.root)

    def commit(self) -> None:
        """Put every pending file in place, all together; raise StorageError if not."""
        staged: list[tuple[Path, Path]] = []
        try:
            for path, storage in self.pending.items():
                temp = temp_path_for(path)
                staged.append((temp, path))
                durable_files.write_synced(temp, dump_chunks(storage.read() or {}))
            journal = [
                [str(temp.relative_to(self.root)), str(path.relative_to(self.root))]
                for temp, path in staged
            ]
            database = self.database
            if database is not None and database.has_unsaved_changes:
                database.commit_with_renames(journal)
            else:
                database = None
                write_file_atomically(self.root / JOURNAL_FILE, dumps_compact({"renames": journal}))
        except (OSError, StorageError) as exc:
            for temp, _ in staged:
                with contextlib.suppress(OSError):
                    temp.unlink()
            reason = failure_reason(exc) if isinstance(exc, OSError) else str(exc)
            raise StorageError(
                f"could not save to {self.root}: {reason}; nothing was changed"
            ) from exc
        # The journal is on disk: from here on the change has happened, and a kill now
        # is finished by the next process to take the folder's lock.
        _apply_journal(self.root, staged, journal_file=database is None)
        if database is not None:
            database.forget_renames()
        for storage in self.pending.values():
            storage.saved()


class CommitPoint(Protocol):
    """A database whose own commit can carry a multi-file save's renames (the directory's
    SQLite file, `hub.directory_file.DirectoryFile`)."""

    @property
    def has_unsaved_changes(self) -> bool: ...

    def commit_with_renames(self, renames: list[list[str]]) -> None: ...

    def pending_renames(self) -> list[list[str]]: ...

    def forget_renames(self) -> None: ...


def finish_pending_renames(root: Path, database: CommitPoint) -> bool:
    """Finish the renames of a save committed in `database` that a kill interrupted;
    return True if there were any. Like `recover_transaction`, run it under the folder's
    lock (renames seen then belong to a dead process), in a writer, before
    `remove_stale_temp_files`."""
    renames = database.pending_renames()
    if not renames:
        return False
    _apply_journal(
        root,
        [
            (root / str(temp), root / str(path))
            for temp, path in renames
            if (root / str(temp)).resolve().is_relative_to(root.resolve())
            and (root / str(path)).resolve().is_relative_to(root.resolve())
        ],
        journal_file=False,
    )
    database.forget_renames()
    return True


def _apply_journal(
    root: Path, renames: list[tuple[Path, Path]], *, journal_file: bool = True
) -> None:
    """Rename each temporary file still present over its data file, then drop the journal
    (the journal file, unless the renames were committed in the directory's database)."""
    folders = set()
    for temp, path in renames:
        if temp.exists():  # gone means renamed already, before a kill
            with contextlib.suppress(OSError):
                keep_backup_of(path)  # a backup is a convenience; the rename is what counts
            durable_files.prepare_change()
            os.replace(temp, path)
            durable_files.note_change()
        folders.add(path.parent)
    for folder in sorted(folders):
        fsync_folder(folder)
    if journal_file:
        (root / JOURNAL_FILE).unlink()
        fsync_folder(root)


def recover_transaction(root: Path) -> bool:
    """Finish a multi-file save a killed process left half done; return True if there was one.

    Must run under the folder's lock (a journal seen then belongs to a dead process), and
    before `remove_stale_temp_files`, which would delete the files to put in place.
    """
    journal = root / JOURNAL_FILE
    try:
        data = json.loads(journal.read_bytes().decode("utf-8"))
        renames = [
            (root / str(temp), root / str(path))
            for temp, path in data["renames"]
            if (root / str(temp)).resolve().is_relative_to(root.resolve())
            and (root / str(path)).resolve().is_relative_to(root.resolve())
        ]
    except FileNotFoundError:
        return False
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        # Written atomically by us, so this is damage from outside: roll back (the
        # temporary files are then removed as leftovers) and say so.
        log.warning("%s is damaged (%s); the save it describes was not finished", journal, exc)
        journal.unlink()
        return False
    _apply_journal(root, renames)
    return True


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a half-written file, and notices others' saves.

    Stock `JSONStorage` truncates the file and writes in place: killed mid-write, the file
    is left unreadable. This one writes a temporary file and renames it (see
    `write_file_atomically`). The parsed contents are cached, with the identity of the
    file they came from (inode, modification time in nanoseconds, size): every read
    compares that with the file on disk, one `stat`, and reads the file again when another
    process has put a new version in place. Every save renames a new file in, so any save
    changes the identity. Inside a writer's lock (`folder_lock`) this means a change is
    always made to the latest saved version.
    """

    def __init__(
        self, path: str | Path, folder: Path | None = None, *, read_only: bool = False
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        """True in a store opened only to read: a damaged file is then not repaired."""
        self.folder = self.path.parent if folder is None else folder
        """The data folder (where a multi-file save's journal would be)."""
        self._identity: FileIdentity | None = None
        self._cache: dict[str, Any] | None = self._load()
        self._stale = False
        """True after a table was written straight from JSON text: read the file again."""

    def _load(self) -> dict[str, Any] | None:
        """Return the file's contents, falling back to the .bak copy if it is damaged."""
        backup = self.path.with_name(self.path.name + ".bak")
        try:
            data, self._identity = read_json_with_identity(self.path)
            return data
        except FileNotFoundError:
            self._identity = None
            return None
        except StorageError:
            if not backup.exists() or self.read_only:
                raise  # a reader leaves repairs to a process that may write
            # Only damage from outside (a hand edit, a failing disk) gets here: our writes
            # are atomic. Keep the damaged file for inspection and carry on from the backup.
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            damaged = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
            os.replace(self.path, damaged)
            log.warning("%s was damaged; kept it as %s and used %s", self.path, damaged, backup)
            data = read_json(backup)
            write_file_atomically(self.path, dumps_compact(data))
            self._identity = file_identity(self.path)
            return data

    def _changed_on_disk(self) -> bool:
        """True when the file on disk is not the version cached here (another process saved)."""
        transaction = open_transaction.get()
        if transaction is not None and self.path in transaction.pending:
            return False  # this transaction's own unsaved version is the one to read
        return file_identity(self.path) != self._identity

    def read(self) -> dict[str, Any] | None:
        """Return the database contents (a shallow copy: TinyDB edits what it is given)."""
        if self._stale or self._changed_on_disk():
            wait_for_commit(self.folder)
            self._cache = self._load()
            self._stale = False
        return None if self._cache is None else dict(self._cache)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Save the whole database durably; the cache changes only once the disk has it.

        Inside `HubStore.transaction` the save waits for the transaction's commit.
        """
        transaction = open_transaction.get()
        if transaction is not None and transaction.covers(self.path):
            self._cache = data
            transaction.pending[self.path] = self
            return
        write_file_atomically(self.path, dump_chunks(data), keep_backup=True)
        self._cache = data
        self._identity = file_identity(self.path)
        self._stale = False

    def write_table_json(
        self, name: str, docs: Iterable[tuple[str, bytes]], *, replace: bool
    ) -> None:
        """Save table `name` from documents already JSON (id, UTF-8 text), durably.

        With `replace` the table becomes exactly `docs`; otherwise they are added to it or
        replace the documents with their ids. Each document goes to disk as it comes, and the
        cache is let go (read again when next needed): a big directory is never held as
        objects and as text at once. Inside a transaction the documents are decoded and
        saved the ordinary way, so they still land with the rest.
        """
        transaction = open_transaction.get()
        tables = self.read() or {}
        if transaction is not None and transaction.covers(self.path):
            table = {} if replace else dict(tables.get(name, {}))
            table.update((doc_id, json.loads(text)) for doc_id, text in docs)
            self.write({**tables, name: table})
            return
        kept: Mapping[str, Any] = {} if replace else tables.get(name, {})
        chunks = _table_chunks(tables, name, kept, docs)
        write_file_atomically(self.path, chunks, keep_backup=True)
        self._cache = None
        self._stale = True

    @property
    def identity(self) -> FileIdentity | None:
        """Return the identity of the file version cached here (None when there was none)."""
        return self._identity

    def saved(self) -> None:
        """Note that the version cached here is now the one on disk (a transaction put it)."""
        self._identity = file_identity(self.path)

    def reload(self) -> None:
        """Forget unsaved changes: read the file again."""
        self._cache = self._load()
        self._stale = False

    def forget_backup(self) -> None:
        """Delete the .bak copy, so records removed on purpose do not linger in it."""
        backup = self.path.with_name(self.path.name + ".bak")
        try:
            backup.unlink()
        except FileNotFoundError:
            return
        fsync_folder(self.path.parent)

    def close(self) -> None:
        """Nothing to release: no file is held open between writes."""


def dumps_compact(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_CHUNK_BYTES = 1 << 20
"""Documents are gathered into writes of about a megabyte."""


def dump_chunks(data: Mapping[str, Any]) -> Iterator[bytes]:
    """Yield a data file's JSON (tables of documents) in chunks, one document encoded at a time.

    The same JSON as `dumps_compact(data)` gives, without building all of it as one string.
    """
    yield b"{"
    for number, (name, table) in enumerate(data.items()):
        yield (b"," if number else b"") + dumps_compact(str(name)) + b":"
        if isinstance(table, Mapping):
            yield from _documents_chunks((str(k), dumps_compact(doc)) for k, doc in table.items())
        else:  # not a table of documents (never written by us): as it is
            yield dumps_compact(table)
    yield b"}"


def _documents_chunks(docs: Iterable[tuple[str, bytes]]) -> Iterator[bytes]:
    """Yield `{"id":doc,...}` for documents already encoded, gathered into ~1 MB chunks."""
    buffer = bytearray(b"{")
    first = True
    for doc_id, text in docs:
        if not first:
            buffer += b","
        first = False
        buffer += dumps_compact(doc_id)
        buffer += b":"
        buffer += text
        if len(buffer) >= _CHUNK_BYTES:
            yield bytes(buffer)
            buffer.clear()
    buffer += b"}"
    yield bytes(buffer)


def _table_chunks(
    tables: Mapping[str, Any],
    name: str,
    kept: Mapping[str, Any],
    docs: Iterable[tuple[str, bytes]],
) -> Iterator[bytes]:
    """Yield a data file with table `name` made of `kept` documents updated by `docs`.

    The other tables are written as they are. A kept document that `docs` replaces is
    written in its new form, where it was; new ones follow.
    """
    fresh = dict(docs) if kept else None
    others = {key: value for key, value in tables.items() if key != name}
    yield from list(dump_chunks(others))[:-1]  # every other table, without the closing }
    yield b"," if others else b""
    yield dumps_compact(name) + b":"
    if fresh is None:
        yield from _documents_chunks(docs)
    else:
        merged = (
            (doc_id, fresh.pop(doc_id) if doc_id in fresh else dumps_compact(doc))
            for doc_id, doc in kept.items()
        )
        yield from _documents_chunks(itertools.chain(merged, list(fresh.items())))
    yield b"}"


FileIdentity = tuple[int, int, int]
"""A file version's (inode, modification time in nanoseconds, size)."""


def file_identity(path: Path) -> FileIdentity | None:
    """Return the identity of the file at `path` now, or None when there is none."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


_COMMIT_WAIT_SECONDS = 2.0


def wait_for_commit(folder: Path) -> None:
    """Wait (briefly) while another process is putting a multi-file save in place.

    Its journal exists only between the moment of commit and the last rename, so a reader
    that waits it out reads every file of that save in its new version. A journal still
    there after the wait was left by a killed process: the files are each whole, and the
    next writer finishes the save.
    """
    journal = folder / JOURNAL_FILE
    deadline = time.monotonic() + _COMMIT_WAIT_SECONDS
    while journal.exists() and time.monotonic() < deadline:
        time.sleep(0.002)


def read_json_with_identity(path: Path) -> tuple[dict[str, Any], FileIdentity]:
    """Return a data file's parsed JSON object and the identity of the version read.

    The identity comes from the open file, so it is that of the bytes read even when
    another process renames a new version in meanwhile.
    """
    with open(path, "rb") as file:
        info = os.fstat(file.fileno())
        raw = file.read()
    return parse_json(path, raw), (info.st_ino, info.st_mtime_ns, info.st_size)


def read_json(path: Path) -> dict[str, Any]:
    """Return a data file's parsed JSON object, or raise StorageError naming the file."""
    return parse_json(path, path.read_bytes())


def parse_json(path: Path, raw: bytes) -> dict[str, Any]:
    """Return the parsed JSON object `raw` read from `path`; StorageError naming it if bad."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StorageError(f"{path} is damaged and cannot be read ({exc})") from exc
    if not isinstance(data, dict):
        raise StorageError(f"{path} is damaged: expected a JSON object")
    return data
