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
  by its identity, so every process sees the others' saves on its next read. A command
  that only reads (a report, a list, a search) opens the folder read-only: every write it
  tries is refused (`ReadOnlyFolder`), and it never repairs or tidies anything.
* **Saves that do not slow down.** TinyDB rewrites a whole file on every change, so
  referrals are sharded: `referrals/YYYY-MM/NNNN.json`, at most `SHARD_SIZE` records each.
  A save rewrites one small shard whether 100 or 100,000 referrals are on record.

Records are keyed by their UUIDs (TinyDB's document id is the record's id), and stored
documents are converted to and from the pydantic models here and nowhere else.

The pieces live by job: `durable_files` (the atomic write and the errors),
`folder_safety` (who may own the data folder), `folder_lock` (the write lock and the
revision), `data_files` (TinyDB's storage and multi-file transactions), `keyed_files`
(collections and referral shards); this module is
the store built on them. Their public names are imported here too (`__all__`), so
`from hub.storage import StorageError, write_file_atomically` keeps working.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from hub.data_files import (
    JOURNAL_FILE,
    AtomicJSONStorage,
    Transaction,
    open_transaction,
    recover_transaction,
)
from hub.durable_files import (
    ReadOnlyFolder,
    StorageError,
    fsync_folder,
    remove_stale_temp_files,
    write_file_atomically,
)
from hub.folder_lock import LOCK_FILE, LOCK_TIMEOUT, FolderBusy, FolderLock, read_revision
from hub.folder_safety import FILE_MODE, FOLDER_MODE, UnsafeDataFolder, secure_data_folder
from hub.keyed_files import SHARD_SIZE, Collection, ReferralShards
from hub.models import Referral, Service, describe_error, record_label

log = logging.getLogger(__name__)

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
            on_release=self._on_lock_released,
            read_only=read_only,
            timeout=lock_timeout,
        )
        self._revision_at_lock = 0
        self._collections: dict[str, Collection] = {}
        self._referrals = self._new_referral_shards()
        self._services_cache: list[Service] | None = None
        self._directory_version = 0
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
                    root, on_acquire=lambda: _tidy(root), on_release=lambda _: None
                ).acquire_briefly()
            return cls(root, read_only=True, lock_timeout=lock_timeout)
        with FolderLock(
            root, on_acquire=lambda: _tidy(root), on_release=lambda _: None, timeout=lock_timeout
        ).writing():
            pass
        return cls(root, lock_timeout=lock_timeout)

    def close(self) -> None:
        """Close every file (no lock is held between saves)."""
        for collection in self._collections.values():
            collection.close()
        self._collections.clear()
        self._referrals.close()

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

    def _on_lock_acquired(self) -> None:
        """Under the lock: finish a killed process's save, then note the revision."""
        if (self.root / JOURNAL_FILE).exists():
            _tidy(self.root)
        self._revision_at_lock = read_revision(self.root)

    def _on_lock_released(self, revision: int) -> None:
        """Our own save bumped the revision: the referral list is still current if it was."""
        if self._referrals.seen_revision == self._revision_at_lock:
            self._referrals.seen_revision = revision

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

    # --- directory ---

    @property
    def directory_version(self) -> int:
        """Return a number that changes whenever the directory changes, here or elsewhere.

        A save by another process (a `hub sync import` beside the kiosk) is noticed by the
        services file's new identity (one `stat`): the cached services are dropped and the
        number moves on, so a search index built from the old directory is seen as stale.
        """
        if self.directory_revision != self._directory_seen:
            self._directory_changed()
        return self._directory_version

    @property
    def directory_revision(self) -> str:
        """Return a mark of the saved directory that changes whenever its file does, across runs.

        It is the services file's inode, modification time (in nanoseconds) and size: every
        save replaces the file by a rename (a new inode), so any save, here or by another
        process, or an edit from outside, gives a new mark, and reading it reads no record.
        Changes still waiting in an open `transaction` are not in it until the commit.
        """
        try:
            info = (self.root / "services.json").stat()
        except FileNotFoundError:
            return "none"
        return f"{info.st_ino}-{info.st_mtime_ns}-{info.st_size}"

    def services(self) -> list[Service]:
        """Return every service, retired ones included, sorted by name then id."""
        if self._services_cache is not None and self.directory_revision != self._directory_seen:
            self._directory_changed()  # another process saved the directory
        if self._services_cache is None:
            collection = self.collection("services")
            services = [
                _to_model(Service, doc, collection.path) for doc in collection.raw().values()
            ]
            services.sort(key=lambda s: (s.name.casefold(), s.id))
            self._services_cache = services
        return list(self._services_cache)

    def has_services(self) -> bool:
        """Return True when the directory holds any service (none is turned into a model)."""
        return len(self.collection("services")) > 0

    def service(self, service_id: str) -> Service | None:
        """Return one service by id, or None."""
        collection = self.collection("services")
        doc = collection.raw().get(service_id)
        return None if doc is None else _to_model(Service, doc, collection.path)

    def save_services(self, items: Iterable[Service | PackedService]) -> None:
        """Insert or replace services in one durable write.

        A few (a staff edit, a sync) are saved as documents and stay in memory; many (an
        import) are streamed to disk as text, and the file is read again when next needed.
        """
        services = list(items)
        if not services:
            return
        collection = self.collection("services")
        with self._lock.writing():
            if len(services) < _STREAMED_SAVE:
                collection.put_many(dict(map(_service_document, services)))
            else:
                collection.put_json(map(_service_entry, services))
            self._directory_changed()

    def replace_services(self, items: Iterable[Service | PackedService]) -> None:
        """Make the directory exactly these services, in one durable write.

        Each service is encoded as it is written (an import of 15,000 services never holds
        them as documents and as text at once).
        """
        with self._lock.writing():
            self.collection("services").put_json(map(_service_entry, items), replace=True)
            self._directory_changed()

    def _directory_changed(self) -> None:
        self._services_cache = None
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
        doc = self._referrals.get(referral_id)
        return None if doc is None else _to_model(Referral, doc, self._referrals.root)

    def referrals(self, since: datetime | None = None) -> list[Referral]:
        """Return referrals (recorded at or after `since`, if given), oldest first."""
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


def _tidy(root: Path) -> None:
    """Under the folder's lock: finish a killed process's save, drop its temporary files."""
    recover_transaction(root)  # before the leftovers go: it may need them
    remove_stale_temp_files(root)


M = TypeVar("M", Service, Referral)

_STREAMED_SAVE = 1000
"""Saves of this many services or more are streamed to disk (see `save_services`)."""


PackedService = tuple[str, bytes]
"""A service already encoded as its stored document: (id, JSON text), as an import packs it."""


def _service_entry(item: Service | PackedService) -> PackedService:
    """Return (id, stored JSON text) for a service, or a packed one as it is."""
    if isinstance(item, tuple):
        return item
    return item.id, item.__pydantic_serializer__.to_json(item)


def _service_document(item: Service | PackedService) -> tuple[str, dict[str, Any]]:
    """Return (id, stored document) for a service or a packed one."""
    if isinstance(item, tuple):
        return item[0], json.loads(item[1])
    return item.id, item.model_dump(mode="json")


def _to_model(model: type[M], doc: Mapping[str, Any], where: Path) -> M:
    """Return the stored document as a model; a bad one is a StorageError naming it."""
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        raise StorageError(f"{where}: {describe_error(exc, record_label(doc))}") from exc


# Keep the names other modules use together.
__all__ = [
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
