"""The hub's records on disk: the only module that touches TinyDB.

Three promises, because a kiosk PC gets switched off at the wall:

* **Atomic, durable writes.** Every save writes a temporary file in the same folder,
  flushes and fsyncs it, renames it over the old file, then fsyncs the folder. A kill or
  power cut leaves either the old file or the new one, never half of each. The previous
  good copy is kept beside it as `NAME.bak`.
* **Many processes, short write transactions.** Any number of kiosk, browser-session and
  CLI processes may open one folder. A save takes the folder's lock (`hub.lock`, see
  `folder_lock`) only while it writes: under it the files it changes are read again if
  another process saved them since (each file's inode, mtime and size are checked), the
  change is made and put in place, and the folder's revision is bumped. Readers take no
  lock: each file was put in place whole, by a rename, and a read notices a newer version
  by its identity, so every process sees the others' saves on its next read (a read of
  several files that must agree goes through `read_snapshot`, a seqlock that takes the
  lock briefly after a few spoiled tries, so a writer saving nonstop cannot starve it; a
  save whose revision bump cannot be written is refused before anything moves). A command
  that only reads (a report, a list, a search) opens the folder read-only: every write it
  tries is refused (`ReadOnlyFolder`), and it never repairs or tidies anything.
* **Saves that do not slow down.** TinyDB rewrites a whole file on every change, so
  referrals are sharded: `referrals/YYYY-MM/NNNN.json`, at most `SHARD_SIZE` records each.
  A save rewrites one small shard whether 100 or 100,000 referrals are on record.

Records are keyed by their UUIDs (TinyDB's document id is the record's id), and stored
documents are converted to and from the pydantic models here and nowhere else.

The directory's services are the exception to TinyDB: they live in `directory.sqlite3`
(`directory_file`), each service's JSON by id with the columns lists need, so a kiosk
reads the services it shows and never holds the whole directory. `service`,
`services_by_id`, `iter_services` (name order, a page with offset/limit), `service_count`
read it; `save_services` and `replace_services` write it in one SQLite transaction, which
joins `transaction` (its commit is then the moment of commit). `directory_revision` is a
random mark committed with every save. A folder from before keeps its TinyDB
`services.json` until it is opened once: it is moved in, then deleted.

The pieces live by job: `durable_files` (the atomic write and the errors),
`folder_safety` (who may own the data folder), `folder_lock` (the write lock and the
revision), `data_files` (TinyDB's storage and multi-file transactions), `keyed_files`
(collections and referral shards); this module is
the store built on them. Their public names are imported here too (`__all__`), so
`from hub.storage import StorageError, write_file_atomically` keeps working.

Why one module of about 650 lines after the split above: what is left is `HubStore`, one
class whose methods share its open SQLite connection, its TinyDB files and its lock, and
the one-time move of an old folder's services into it (which must use the same pieces).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from hub.data_files import (
    JOURNAL_FILE,
    AtomicJSONStorage,
    Transaction,
    dumps_compact,
    finish_pending_renames,
    open_transaction,
    recover_transaction,
)
from hub.directory_file import DIRECTORY_FILE, DirectoryFile, ServiceRow
from hub.durable_files import (
    ReadOnlyFolder,
    StorageError,
    fsync_folder,
    note_change,
    prepare_change,
    remove_stale_temp_files,
    write_file_atomically,
)
from hub.folder_lock import LOCK_FILE, LOCK_TIMEOUT, FolderBusy, FolderLock, read_revision
from hub.folder_safety import FILE_MODE, FOLDER_MODE, UnsafeDataFolder, secure_data_folder
from hub.keyed_files import SHARD_SIZE, Collection, ReferralShards

# The models (and pydantic) are imported when a record is first read or written: opening
# the folder and reading its settings, all the kiosk does before Home is drawn, needs
# neither.
if TYPE_CHECKING:
    from hub.models import Referral, Service

log = logging.getLogger(__name__)

OLD_SERVICES_FILE = "services.json"
"""Where the directory was kept before directory.sqlite3 (TinyDB); migrated on open."""
_COLLECTION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


# --- the store -------------------------------------------------------------------


class HubStore:
    """Everything a hub keeps: its directory, referrals, settings and small records."""

    def __init__(
        self, root: Path, *, read_only: bool = False, lock_timeout: float | None = None
    ) -> None:
        self.root = root
        self.read_only = read_only
        """True when this store was opened only to read: every write is refused."""
        self._lock = FolderLock(
            root,
            on_acquire=self._on_lock_acquired,
            on_bump=self._on_revision_bumped,
            read_only=read_only,
            timeout=lock_timeout,
        )
        self._revision_at_lock = 0
        self.snapshot_tries = 0
        self._snapshot = threading.local()
        """How many times `read_snapshot` has read (tries that a save spoiled included)."""
        self._collections: dict[str, Collection] = {}
        self._referrals = self._new_referral_shards()
        self._directory = DirectoryFile(root, read_only=read_only)
        self._directory_ready = read_only
        """True once the directory's tables are there (a writer makes them under the lock)."""
        self._directory_version = 0
        if not read_only:
            try:
                with self._lock.writing():
                    # Every write to the SQLite file is made under the folder's lock, as
                    # every JSON save is: first the tables, then a killed process's renames,
                    # then an old folder's services.json moves in.
                    self._directory.create()
                    self._directory_ready = True
                    _tidy(root, self._directory)
                    migrate_services_file(root, self._directory)
            except BaseException:
                self._directory.close()
                raise
        self._directory_seen = self.directory_revision

    @classmethod
    def open(
        cls, root: Path, *, read_only: bool = False, lock_timeout: float | None = None
    ) -> HubStore:
        """Return the store for `root`, creating the folder if it is new.

        No lock is held while the store is open: each save takes the folder's lock while it
        writes (waiting at most `lock_timeout` seconds, default `folder_lock.LOCK_TIMEOUT`,
        for another process's save; then FolderBusy). Opening to write finishes a save a
        killed process left half done and removes its temporary files, under the lock.
        With `read_only` every write raises ReadOnlyFolder; a half-done save is still
        finished if the lock is free (it had committed), else left to the next writer.
        """
        root = Path(root)
        try:
            root.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            # Said as what to do, not an errno: this is a person's typo more often than not.
            what = "is a file, not a folder" if root.is_file() else "could not be made"
            if not root.is_file() and exc.strerror:
                what += f" ({exc.strerror.lower()})"
            raise StorageError(
                f"the data folder {root} {what}: give a folder you can write to with "
                "--data-dir DIR (or $HUB_DATA_DIR)"
            ) from exc
        secure_data_folder(root)
        root = root.resolve()
        if read_only:
            if (root / JOURNAL_FILE).exists():
                FolderLock(
                    root, on_acquire=lambda: _tidy(root), on_bump=lambda _: None
                ).acquire_briefly()
            if (root / OLD_SERVICES_FILE).exists() and not _directory_filled(root):
                _migrate_with_a_writer(root, lock_timeout)
            return cls(root, read_only=True, lock_timeout=lock_timeout)
        return cls(root, lock_timeout=lock_timeout)

    def close(self) -> None:
        """Close every file (no lock is held between saves)."""
        for collection in self._collections.values():
            collection.close()
        self._collections.clear()
        self._referrals.close()
        self._directory.close()

    def __enter__(self) -> HubStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- the write lock ---

    def writing(self) -> AbstractContextManager[None]:
        """Hold the folder's lock for a block of saves (they nest; each is still durable).

        For a change that reads before it writes (a counter, a merge), so no other process
        saves in between: reads inside see the latest saved version of every file. Raises
        ReadOnlyFolder in a read-only store, FolderBusy when the lock cannot be had in time.
        """
        return self._lock.writing()

    def read_snapshot(self, read: Callable[[], T]) -> T:
        """Return `read()` as of one whole committed state of the folder, across its files.

        Readers take no lock, and a multi-file save puts its files in place one rename at a
        time, so a read of two files could see one new and one old. This runs `read` when
        no writer holds the lock, and keeps its answer only if, just after, still none does
        and the folder's revision has not moved (each save bumps it under the lock):
        otherwise it waits a moment and reads again. After `SNAPSHOT_TRIES` such tries it
        takes the folder's lock to read (`FolderLock.reading`: the save under way ends and
        the next waits), so a reader always finishes however busy the writers are. The
        directory's SQLite reads inside `read` are one read transaction (one snapshot of
        that file). Snapshots nest: one inside another just reads. `read` must only read.
        Raises FolderBusy only when one save held the lock for `LOCK_TIMEOUT` seconds; an
        error `read` raises while no save got in its way goes on as it is.
        """
        nested: int = getattr(self._snapshot, "depth", 0)
        if self._lock.held or nested:
            return read()  # our own lock, or inside a snapshot already: read as it is
        self._snapshot.depth = 1
        try:
            return self._read_whole(read)
        finally:
            self._snapshot.depth = 0

    def _read_whole(self, read: Callable[[], T]) -> T:
        """The seqlock of `read_snapshot`: optimistic tries, then one under the lock."""
        for _ in range(SNAPSHOT_TRIES):
            self.snapshot_tries += 1
            before = read_revision(self.root)
            if self._lock.probe() is not False:
                try:
                    answer = self._directory_snapshot(read)
                except (StorageError, OSError):
                    # A file read as a save replaced or removed it: read again, unless
                    # nothing was saved meanwhile (then the error is real).
                    if self._undisturbed_since(before):
                        raise
                else:
                    if self._undisturbed_since(before):
                        return answer
            time.sleep(_SNAPSHOT_RETRY_SECONDS)
        self.snapshot_tries += 1
        with self._lock.reading():
            return self._directory_snapshot(read)

    def _undisturbed_since(self, revision: int) -> bool:
        """True when no writer holds the lock now and the revision is still `revision`."""
        return self._lock.probe() is not False and read_revision(self.root) == revision

    def _directory_snapshot(self, read: Callable[[], T]) -> T:
        """Return `read()` with this thread's reads of the directory in one transaction."""
        with self._directory.reading():
            return read()

    def _on_lock_acquired(self) -> None:
        """Under the lock: finish a killed process's save, then note the revision.

        A save committed in the directory's SQLite file keeps its renames there (one
        SELECT to look); one in JSON files only, in the journal file.
        """
        directory = self._directory if self._directory_ready and not self.read_only else None
        if (self.root / JOURNAL_FILE).exists() or (
            directory is not None and directory.pending_renames()
        ):
            _tidy(self.root, directory)
        self._revision_at_lock = read_revision(self.root)

    def _on_revision_bumped(self, revision: int) -> None:
        """Our own save bumped the revision (under the lock, before its first change and
        after its last): the referral list is still current if it was when the lock was
        taken (this store adds the shards it makes to it)."""
        if self._referrals.seen_revision == self._revision_at_lock:
            self._referrals.seen_revision = revision
        self._revision_at_lock = revision

    def _new_referral_shards(self) -> ReferralShards:
        return ReferralShards(
            self.root / "referrals",
            writing=self._lock.writing,
            revision=lambda: read_revision(self.root),
            folder=self.root,
            read_only=self.read_only,
        )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Make every save inside the block land together, or none of them (even on kill -9).

        The folder's lock is held for the whole block, so what the block reads is the
        latest saved version and no other process saves in between. Reads inside the block
        see the unsaved changes. If the block raises, or the commit fails (StorageError),
        nothing is saved and the store forgets the changes. Only saves from this thread
        join; transactions do not nest.
        """
        if open_transaction.get() is not None:
            raise RuntimeError("transactions do not nest")
        with self._lock.writing():
            transaction = Transaction(self.root)
            token = open_transaction.set(transaction)
            try:
                yield
                open_transaction.reset(token)
                transaction.commit()
            except BaseException:
                if open_transaction.get() is transaction:
                    open_transaction.reset(token)
                self._forget_unsaved(transaction)
                raise

    def _forget_unsaved(self, transaction: Transaction) -> None:
        """Drop in-memory changes a failed transaction made (reload what the disk holds)."""
        for storage in transaction.pending.values():
            storage.reload()
        self._directory.rollback()
        self._referrals.close()
        self._referrals = self._new_referral_shards()
        self._directory_changed()

    # --- generic collections ---

    def collection(self, name: str) -> Collection:
        """Return the keyed collection `name` (a file `NAME.json` in the data folder)."""
        if not _COLLECTION_NAME.match(name) or name == "referrals":
            raise ValueError(f"bad collection name {name!r}")
        if name not in self._collections:
            self._collections[name] = Collection(
                self.root / f"{name}.json",
                name,
                writing=self._lock.writing,
                folder=self.root,
                read_only=self.read_only,
            )
        return self._collections[name]

    # --- settings ---

    def meta(self, key: str, default: Any = None) -> Any:
        """Return one of this hub's settings (hub id and name, flags, marks), or default."""
        doc = self.collection("meta").get(key)
        return default if doc is None else doc.get("value", default)

    def set_meta(self, key: str, value: Any) -> None:
        """Save one setting durably; the value must be JSON-serialisable."""
        self.collection("meta").put(key, {"value": value})

    def set_metas(self, values: Mapping[str, Any]) -> None:
        """Save several settings durably in one write (a reader sees all of them or none)."""
        self.collection("meta").put_many({key: {"value": value} for key, value in values.items()})

    # --- directory ---

    @property
    def directory_version(self) -> int:
        """Return a number that changes whenever the directory changes, here or elsewhere.

        A save by another process (a `hub sync import` beside the kiosk) is noticed by the
        directory's new revision (one SELECT): the cached services are dropped and the
        number moves on, so a search index built from the old directory is seen as stale.
        """
        if self.directory_revision != self._directory_seen:
            self._directory_changed()
        return self._directory_version

    @property
    def directory_revision(self) -> str:
        """Return a mark of the saved directory that changes whenever it does, across runs.

        A new random value is committed with every save of services, here or by another
        process (see hub.directory_file). Changes still waiting in an open `transaction`
        are read by this thread only, and their mark with them.
        """
        return self._directory.revision()

    def services(self) -> list[Service]:
        """Return every service, retired ones included, sorted by name then id.

        Reads and checks the whole directory: for exports, sync and reports. Screens page
        through `iter_services` or read the services they show with `service(s)_by_id`.
        """
        return list(self.iter_services())

    def iter_services(
        self, *, listed_only: bool = False, offset: int = 0, limit: int | None = None
    ) -> Iterator[Service]:
        """Yield services in name-then-id order, one at a time (a page with offset/limit).

        Only the services visitors see, with `listed_only`. Nothing is kept in memory.
        """
        for row in self._directory.rows(listed_only=listed_only, offset=offset, limit=limit):
            yield _service_from_json(row.id, row.document, self._directory.path)

    def service_count(self, *, listed_only: bool = False) -> int:
        """Return how many services the directory holds (only listed ones, if asked)."""
        return self._directory.count(listed_only=listed_only)

    def has_services(self) -> bool:
        """Return True when the directory holds any service (none is turned into a model)."""
        return self._directory.count() > 0

    def service(self, service_id: str) -> Service | None:
        """Return one service by id, or None."""
        document = self._directory.document(service_id)
        return (
            None
            if document is None
            else _service_from_json(service_id, document, self._directory.path)
        )

    def services_by_id(self, service_ids: Iterable[str]) -> dict[str, Service]:
        """Return the services with these ids that are stored, by id (one read for all)."""
        return {
            service_id: _service_from_json(service_id, document, self._directory.path)
            for service_id, document in self._directory.documents(service_ids).items()
        }

    def service_ids(self) -> set[str]:
        """Return the id of every service in the directory (none is read)."""
        return self._directory.ids()

    def save_services(
        self, items: Iterable[Service | PackedService], *, remove: Sequence[str] = ()
    ) -> None:
        """Insert or replace services, and delete those with the ids in `remove`, in one
        durable write (one SQLite transaction)."""
        self._write_services(items, replace=False, remove=remove)

    def replace_services(self, items: Iterable[Service | PackedService]) -> None:
        """Make the directory exactly these services, in one durable write.

        Each service is encoded and written as it comes: an import of 50,000 services never
        holds them all as documents.
        """
        self._write_services(items, replace=True)

    def _write_services(
        self,
        items: Iterable[Service | PackedService],
        *,
        replace: bool,
        remove: Sequence[str] = (),
    ) -> None:
        """Save services in one SQLite transaction, under the folder's lock (ReadOnlyFolder
        in a read-only store); inside `transaction` the SQLite commit waits for its commit."""
        rows: Iterator[ServiceRow] = (
            ServiceRow.from_document(*_service_entry(item)) for item in items
        )
        if not replace:
            # Nothing to save is no save (no new revision); otherwise the rows stay a stream.
            first = next(rows, None)
            if first is None and not remove:
                return
            rows = itertools.chain([] if first is None else [first], rows)
        with self._lock.writing():
            transaction = open_transaction.get()
            joined = transaction is not None and transaction.covers(self._directory.path)
            self._directory.save(rows, replace=replace, in_transaction=joined, remove=remove)
            if joined:
                assert transaction is not None
                transaction.database = self._directory
            self._directory_changed()

    def _directory_changed(self) -> None:
        self._directory_version += 1
        self._directory_seen = self.directory_revision

    # --- referrals ---

    def save_referral(self, referral: Referral) -> None:
        """Save one referral durably: when this returns, it survives a power cut."""
        self._referrals.save({referral.id: referral.model_dump(mode="json")})

    def save_referrals(self, referrals: Iterable[Referral]) -> None:
        """Save many referrals, one durable write per shard touched."""
        self._referrals.save({r.id: r.model_dump(mode="json") for r in referrals})

    def referral(self, referral_id: str) -> Referral | None:
        """Return one referral by id, or None."""
        from hub.models import Referral

        doc = self._referrals.get(referral_id)
        return None if doc is None else _to_model(Referral, doc, self._referrals.root)

    def referrals(self, since: datetime | None = None) -> list[Referral]:
        """Return referrals (recorded at or after `since`, if given), oldest first."""
        from hub.models import Referral

        since_month = None if since is None else since.astimezone(UTC).strftime("%Y-%m")
        found = [
            _to_model(Referral, doc, self._referrals.root)
            for doc in self._referrals.iter_raw(since_month)
        ]
        if since is not None:
            found = [r for r in found if r.recorded_at >= since]
        found.sort(key=lambda r: (r.recorded_at, r.id))
        return found

    def referral_documents(self) -> Iterator[Mapping[str, Any]]:
        """Yield stored referral documents without building models (read-only, fast)."""
        return self._referrals.iter_raw()

    def delete_referrals(self, ids: Iterable[str]) -> int:
        """Delete referrals by id, durably; return how many were removed."""
        return self._referrals.delete(ids)


def _tidy(root: Path, directory: DirectoryFile | None = None) -> None:
    """Under the folder's lock: finish a killed process's save, drop its temporary files.

    The renames of a save committed in the directory's SQLite file are finished too when
    `directory` is given (a writer's; a read-only store never writes to it).
    """
    recover_transaction(root)  # before the leftovers go: it may need them
    if directory is not None:
        finish_pending_renames(root, directory)
    remove_stale_temp_files(root)


def _directory_filled(root: Path) -> bool:
    """True when the folder's SQLite directory was saved or migrated (read, not written)."""
    directory = DirectoryFile(root, read_only=True)
    try:
        return directory.has_been_filled()
    finally:
        directory.close()


def _migrate_with_a_writer(root: Path, lock_timeout: float | None) -> None:
    """Move an old folder's services.json in through a short writer of its own, so a
    read-only store can read the directory (it never writes itself).

    An older copy of the app holds the folder's lock for as long as it runs: the folder is
    then refused with a clear error, not shown as an empty directory.
    """
    wait = _MIGRATION_WAIT if lock_timeout is None else min(lock_timeout, _MIGRATION_WAIT)
    try:
        HubStore(root, lock_timeout=wait).close()
    except FolderBusy:
        raise StorageError(
            f"{root} is open in an older version of the hub app (or busy); close it, then try again"
        ) from None


SNAPSHOT_TRIES = 3
"""Reads `read_snapshot` tries without the lock before it takes the lock to read: a save
takes milliseconds, so three spoiled reads mean writers are saving nonstop."""

_SNAPSHOT_RETRY_SECONDS = 0.002
"""How long a snapshot read waits before reading again after a save got in its way."""

_MIGRATION_WAIT = 2.0
"""Seconds a read-only open waits to move an old folder's services in: a save takes a
second or two at most, an older app holds the lock for good."""


M = TypeVar("M", "Service", "Referral")
T = TypeVar("T")


PackedService = tuple[str, bytes]
"""A service already encoded as its stored document: (id, JSON text), as an import packs it."""


def _service_entry(item: Service | PackedService) -> PackedService:
    """Return (id, stored JSON text) for a service, or a packed one as it is."""
    if isinstance(item, tuple):
        return item
    return item.id, item.__pydantic_serializer__.to_json(item)


def _service_from_json(service_id: str, document: bytes, where: Path) -> Service:
    """Return a stored service as a model; a bad one is a StorageError naming it."""
    from pydantic import ValidationError

    from hub.models import Service, describe_error

    try:
        return Service.model_validate_json(document)
    except ValidationError as exc:
        raise StorageError(f"{where}: {describe_error(exc, f'service {service_id}')}") from exc


def migrate_services_file(root: Path, directory: DirectoryFile) -> bool:
    """Move an old folder's services (TinyDB's `services.json`) into the directory's SQLite
    file, once; return True if it did. Run it under the folder's lock, in a writer.

    The old file is read whole (as the old code did at every start), written to SQLite in
    one transaction, and deleted (with its backup) only once that has committed: a kill
    before the commit leaves the old file to migrate again, a kill after it leaves a file
    the next open sees is already migrated and deletes.
    """
    old = root / OLD_SERVICES_FILE
    if not old.exists():
        return False
    if not directory.has_been_filled():
        tables = AtomicJSONStorage(old).read() or {}
        documents = tables.get("services", {})
        directory.save(
            (
                ServiceRow.from_document(str(service_id), dumps_compact(document))
                for service_id, document in documents.items()
            ),
            replace=True,
            in_transaction=False,
        )
        log.info("moved %d services from %s into %s", len(documents), old, directory.path)
    prepare_change()
    for leftover in (old, old.with_name(old.name + ".bak")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
            note_change()
    fsync_folder(root)
    return True


def _to_model(model: type[M], doc: Mapping[str, Any], where: Path) -> M:
    """Return the stored document as a model; a bad one is a StorageError naming it."""
    from pydantic import ValidationError

    from hub.models import describe_error, record_label

    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        raise StorageError(f"{where}: {describe_error(exc, record_label(doc))}") from exc


# Keep the names other modules use together.
__all__ = [
    "DIRECTORY_FILE",
    "FILE_MODE",
    "FOLDER_MODE",
    "JOURNAL_FILE",
    "LOCK_FILE",
    "LOCK_TIMEOUT",
    "SHARD_SIZE",
    "AtomicJSONStorage",
    "Collection",
    "FolderBusy",
    "HubStore",
    "PackedService",
    "ReadOnlyFolder",
    "StorageError",
    "UnsafeDataFolder",
    "fsync_folder",
    "recover_transaction",
    "remove_stale_temp_files",
    "secure_data_folder",
    "write_file_atomically",
]
