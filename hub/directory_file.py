"""The directory's services in one SQLite file, `directory.sqlite3`, read by id when shown.

A London-wide directory is tens of thousands of services and a kiosk PC has little memory,
so the services are not held in memory: each is kept as its JSON by id, with the few
columns lists need (name, status, whether visitors see it, dates), and a screen reads the
ones it shows. SQLite (the standard library's) rather than a JSON file: reading one service
costs a lookup, not a parse of the whole directory (benchmarks/service_store.py: 0.054 s and
33 MB to read by id at 50,000, against seconds and hundreds of MB for the whole file).

Durability, as for every file in the folder:

* WAL mode with `synchronous=FULL`: a save has reached the disk when it returns, and a
  kill or power cut at any moment leaves the last committed state (SQLite's own journal).
* A save is one SQLite transaction, so an import of 50,000 services lands whole or not at
  all. `revision` (in the `about` table) gets a new random value in the same transaction:
  the mark the saved search index is keyed to (`HubStore.directory_revision`).
* Inside `HubStore.transaction` (a sync import: services and JSON files together) the
  SQLite transaction stays open until the JSON files are staged; then the renames still
  to do are written into the `pending_renames` table and SQLite commits: that commit is
  the moment the whole change happens. The renames follow; a kill before they finish is
  completed by the next open (`finish_pending_renames`). See `hub.data_files.Transaction`.

Every write (a save, the tables, a migration, finishing renames) is made by a writer store
under the folder's lock (`hub.folder_lock`), like every JSON save, and counts as a change
(`durable_files.note_change`) so `hub.revision` moves; a read-only store opens the file
with `mode=ro` and never writes.

Each thread has its own connection (a worker reads while the UI thread saves). This
module touches only its own file; hub.storage turns rows into `Service` models.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hub.durable_files import StorageError, fsync_folder, note_change, prepare_change

log = logging.getLogger(__name__)

DIRECTORY_FILE = "directory.sqlite3"
FORMAT = "1"
"""Changes whenever the file's layout does."""

LISTED_STATUSES = ("active", "temporarily closed")
"""The statuses visitors see (as `Service.is_listed` says)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS about (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS services (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    status TEXT NOT NULL,
    listed INTEGER NOT NULL,
    assured_date TEXT,
    document BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS services_by_name ON services (name_key, id);
CREATE TABLE IF NOT EXISTS pending_renames (renames TEXT NOT NULL);
"""

_BATCH = 500
"""Rows fetched at a time when the whole directory is streamed."""


@dataclass(frozen=True, slots=True)
class ServiceRow:
    """One service as stored: its id, the columns lists need, and its JSON."""

    id: str
    name: str
    status: str
    assured_date: str | None
    document: bytes

    @property
    def listed(self) -> bool:
        """True when visitors see this service."""
        return self.status in LISTED_STATUSES

    @classmethod
    def from_document(cls, service_id: str, document: bytes) -> ServiceRow:
        """Return the row for a service's stored JSON (its columns read from the JSON).

        Raises StorageError when the JSON is not an object with a name.
        """
        try:
            data = json.loads(document)
            name = data["name"]
            status = data.get("status") or "active"
            assured = data.get("assured_date")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise StorageError(f"service {service_id} is not a service document ({exc})") from exc
        if not isinstance(name, str) or not isinstance(status, str):
            raise StorageError(f"service {service_id} is not a service document")
        return cls(
            service_id, name, status, assured if isinstance(assured, str) else None, document
        )


class DirectoryFile:
    """The services in `directory.sqlite3`: read by id, listed a page at a time, saved whole."""

    def __init__(self, root: Path, *, read_only: bool = False) -> None:
        self.root = root
        self.path = root / DIRECTORY_FILE
        self.read_only = read_only
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._writing: sqlite3.Connection | None = None
        """The connection holding an open `HubStore.transaction`'s writes, if any."""

    # --- connections ---------------------------------------------------------------

    def create(self) -> None:
        """Make the file (mode 0600, WAL) and its tables if they are not there yet.

        A writer calls it once, under the folder's lock, before anything else.
        """
        if self.read_only:
            raise StorageError(f"{self.path} was opened only to read")
        try:
            if not self.path.exists():
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
                fsync_folder(self.root)
            db = self._connection()
            with db:
                db.executescript(_SCHEMA)
                db.execute("INSERT OR IGNORE INTO about VALUES ('format', ?)", (FORMAT,))
                db.execute("INSERT OR IGNORE INTO about VALUES ('revision', 'empty')")
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"could not open {self.path}: {exc}") from exc

    def _connection(self) -> sqlite3.Connection:
        """Return this thread's connection, opening it the first time."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is not None:
            return db
        try:
            if self.read_only:
                uri = self.path.resolve().as_uri() + "?mode=ro"
                db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                db = sqlite3.connect(self.path, check_same_thread=False)
                # WAL: readers never wait for a save, and a save is one append and a sync.
                db.execute("PRAGMA journal_mode=WAL")
            # FULL: in WAL mode NORMAL may lose the last saves at a power cut.
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=10000")
        except sqlite3.Error as exc:
            raise StorageError(f"could not open {self.path}: {exc}") from exc
        db.isolation_level = None  # transactions are begun and ended here, explicitly
        self._local.db = db
        with self._connections_lock:
            self._connections.append(db)
        return db

    def exists(self) -> bool:
        """True when the file is there (a read-only open never makes it)."""
        return self.path.is_file()

    def close(self) -> None:
        """Close every thread's connection."""
        with self._connections_lock:
            for db in self._connections:
                with contextlib.suppress(sqlite3.Error):
                    db.close()
            self._connections.clear()
        self._local = threading.local()
        self._writing = None

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Return every row of a read; a damaged or missing file is a StorageError."""
        if self.read_only and not self.exists():
            return []
        try:
            return self._connection().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StorageError(f"could not read {self.path}: {exc}") from exc

    # --- reading -------------------------------------------------------------------

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Make this thread's reads inside the block one read transaction: they all see
        one committed state of the file, whatever is saved meanwhile (WAL keeps it).

        Nests, and inside a save's open transaction it reads that (its own writes).
        """
        if self.read_only and not self.exists():
            yield
            return
        db = self._connection()
        if db.in_transaction:
            yield
            return
        try:
            db.execute("BEGIN")
        except sqlite3.Error as exc:
            raise StorageError(f"could not read {self.path}: {exc}") from exc
        try:
            yield
        finally:
            if db.in_transaction and self._writing is not db:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("COMMIT")

    def revision(self) -> str:
        """Return the mark of the committed directory: new at every save, in any process."""
        rows = self._query("SELECT value FROM about WHERE key = 'revision'")
        return str(rows[0][0]) if rows else "none"

    def count(self, *, listed_only: bool = False) -> int:
        """Return how many services are stored (only those visitors see, if `listed_only`)."""
        where = " WHERE listed = 1" if listed_only else ""
        rows = self._query(f"SELECT count(*) FROM services{where}")
        return int(str(rows[0][0])) if rows else 0

    def ids(self) -> set[str]:
        """Return the id of every stored service (no document is read)."""
        return {str(service_id) for (service_id,) in self._query("SELECT id FROM services")}

    def document(self, service_id: str) -> bytes | None:
        """Return one service's JSON, or None."""
        rows = self._query("SELECT document FROM services WHERE id = ?", (service_id,))
        return bytes(rows[0][0]) if rows else None

    def documents(self, service_ids: Iterable[str]) -> dict[str, bytes]:
        """Return the JSON of each of these services that is stored, by id (read in batches,
        all in one read transaction: one saved directory)."""
        wanted = list(dict.fromkeys(service_ids))
        found: dict[str, bytes] = {}
        with self.reading():
            for start in range(0, len(wanted), _BATCH):
                chunk = wanted[start : start + _BATCH]
                marks = ",".join("?" * len(chunk))
                for service_id, document in self._query(
                    f"SELECT id, document FROM services WHERE id IN ({marks})",
                    chunk,
                ):
                    found[str(service_id)] = bytes(document)
        return found

    def rows(
        self, *, listed_only: bool = False, offset: int = 0, limit: int | None = None
    ) -> Iterator[ServiceRow]:
        """Yield stored services in name order (then id), a batch at a time.

        `offset` and `limit` give one page of that order: lists page through the store
        instead of holding the whole directory.
        """
        where = "WHERE listed = 1" if listed_only else ""
        if self.read_only and not self.exists():
            return
        db = self._connection()
        # One read transaction across the batches: they all see one committed state,
        # whatever is saved meanwhile (WAL keeps that snapshot for this reader).
        snapshot = self._writing is not db and not db.in_transaction
        if snapshot:
            db.execute("BEGIN")
        try:
            yield from self._batches(where, offset, limit)
        finally:
            if snapshot and db.in_transaction:
                db.execute("COMMIT")

    def _batches(self, where: str, offset: int, limit: int | None) -> Iterator[ServiceRow]:
        """Yield the rows of `rows`, a batch at a time, in name order."""
        after: tuple[str, str] | None = None
        left = limit
        while left is None or left > 0:
            take = _BATCH if left is None else min(_BATCH, left)
            if after is None:
                sql = f"{where} ORDER BY name_key, id LIMIT ? OFFSET ?"
                params: tuple[object, ...] = (take, offset)
            else:
                # Keyset paging: each batch starts after the last one, whatever the size.
                sql = (
                    f"{where + ' AND' if where else 'WHERE'} (name_key, id) > (?, ?) "
                    "ORDER BY name_key, id LIMIT ?"
                )
                params = (*after, take)
            batch = self._query(
                "SELECT name_key, id, name, status, assured_date, document FROM services " + sql,
                params,
            )
            for name_key, service_id, name, status, assured, document in batch:
                yield ServiceRow(
                    str(service_id),
                    str(name),
                    str(status),
                    None if assured is None else str(assured),
                    bytes(document),
                )
                after = (str(name_key), str(service_id))
            if len(batch) < take:
                return
            if left is not None:
                left -= len(batch)

    # --- writing -------------------------------------------------------------------

    def save(
        self,
        rows: Iterable[ServiceRow],
        *,
        replace: bool,
        in_transaction: bool,
        remove: Iterable[str] = (),
    ) -> None:
        """Insert or replace services (with `replace`, make the directory exactly these),
        and delete those with the ids in `remove`.

        One SQLite transaction with a new revision; durable when it returns. With
        `in_transaction` the SQLite transaction is left open for `commit_with_renames`.
        """
        db = self._connection()
        try:
            if self._writing is None:
                db.execute("BEGIN IMMEDIATE")
                self._writing = db
            elif self._writing is not db:
                raise StorageError("the directory is being saved by another thread")
            if replace:
                db.execute("DELETE FROM services")
            db.executemany("DELETE FROM services WHERE id = ?", ((i,) for i in remove))
            db.executemany(
                "INSERT OR REPLACE INTO services VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        row.id,
                        row.name,
                        row.name.casefold(),
                        row.status,
                        int(row.listed),
                        row.assured_date,
                        row.document,
                    )
                    for row in rows
                ),
            )
            db.execute("UPDATE about SET value = ? WHERE key = 'revision'", (uuid.uuid4().hex,))
            if not in_transaction:
                prepare_change()  # the folder's revision first: StorageError if it cannot be
                self._writing = None
                db.execute("COMMIT")
                note_change()  # the folder's revision moves when the lock is let go
        except BaseException as exc:
            if not in_transaction:
                self.rollback()
            if isinstance(exc, sqlite3.Error):
                raise StorageError(f"could not save to {self.path}: {exc}") from exc
            raise

    @property
    def has_unsaved_changes(self) -> bool:
        """True while a `HubStore.transaction` holds saves not yet committed."""
        return self._writing is not None

    def rollback(self) -> None:
        """Forget saves not yet committed."""
        db, self._writing = self._writing, None
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    def commit_with_renames(self, renames: list[list[str]]) -> None:
        """Commit the open transaction together with the renames still to do (the moment
        a multi-file save happens); raise StorageError, having changed nothing, if it fails."""
        db = self._writing
        if db is None:
            return
        try:
            prepare_change()
            db.execute("INSERT INTO pending_renames VALUES (?)", (json.dumps(renames),))
            db.execute("COMMIT")
        except StorageError:
            self.rollback()
            raise
        except sqlite3.Error as exc:
            self.rollback()
            raise StorageError(f"could not save to {self.path}: {exc}") from exc
        self._writing = None
        note_change()

    def pending_renames(self) -> list[list[str]]:
        """Return the renames a committed multi-file save has still to do (none, usually)."""
        found: list[list[str]] = []
        for (text,) in self._query("SELECT renames FROM pending_renames"):
            found.extend(json.loads(str(text)))
        return found

    def forget_renames(self) -> None:
        """Note that every committed rename is done."""
        db = self._connection()
        try:
            db.execute("DELETE FROM pending_renames")
        except sqlite3.Error as exc:
            raise StorageError(f"could not save to {self.path}: {exc}") from exc

    def has_been_filled(self) -> bool:
        """True once the directory was saved or migrated here (a folder's old services
        file then has nothing more to give)."""
        rows = self._query("SELECT value FROM about WHERE key = 'revision'")
        return bool(rows) and rows[0][0] != "empty"
