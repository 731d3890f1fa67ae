"""The hub's keyed collections (one JSON file each) and its referrals, sharded by month.

Split out of hub.storage (which re-exports `Collection` and `SHARD_SIZE`). A collection is
a TinyDB table whose document ids are our records' UUIDs, saved through
`data_files.AtomicJSONStorage`. TinyDB rewrites a whole file on every change, so
referrals are sharded: `referrals/YYYY-MM/NNNN.json`, at most `SHARD_SIZE` records each,
and a save rewrites one small shard whether 100 or 100,000 referrals are on record.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from hub.data_files import AtomicJSONStorage, FileIdentity, file_identity
from hub.durable_files import StorageError, fsync_folder, note_change, prepare_change

SHARD_SIZE = 128
"""Referrals per shard file. Small enough that rewriting one costs about as much as
rewriting a nearly empty one (about 0.2 ms of JSON), large enough to keep file counts sane."""


# --- keyed collections -----------------------------------------------------------


class _KeyedTable(Table):
    """A TinyDB table whose document ids are our records' UUID strings."""

    # TinyDB types this as int, but any hashable id class works; ours are UUID strings.
    document_id_class = str  # type: ignore[assignment]

    def replace_documents(self, docs: Mapping[str, Mapping[str, Any]]) -> None:
        """Insert or wholly replace documents by id, in one write."""

        def updater(table: dict[Any, Any]) -> None:
            for doc_id, doc in docs.items():
                table[doc_id] = dict(doc)

        self._update_table(updater)

    def remove_documents(self, doc_ids: Iterable[str]) -> None:
        """Remove documents by id (missing ids are ignored), in one write."""
        doomed = set(doc_ids)

        def updater(table: dict[Any, Any]) -> None:
            for doc_id in doomed:
                table.pop(doc_id, None)

        self._update_table(updater)

    def set_all(self, docs: Mapping[str, Mapping[str, Any]]) -> None:
        """Make the table hold exactly `docs`, in one write."""

        def updater(table: dict[Any, Any]) -> None:
            table.clear()
            table.update({doc_id: dict(doc) for doc_id, doc in docs.items()})

        self._update_table(updater)

    def raw(self) -> Mapping[str, Mapping[str, Any]]:
        """Return the stored documents by id, without copying (callers must not edit)."""
        tables = self._storage.read() or {}
        table: Mapping[str, Mapping[str, Any]] = tables.get(self.name, {})
        return table


class _HubTinyDB(TinyDB):
    table_class = _KeyedTable


Writing = Callable[[], AbstractContextManager[None]]
"""Returns the context a save runs in: the folder's write lock (`FolderLock.writing`)."""


def _unlocked() -> AbstractContextManager[None]:
    """No lock of its own: for a file whose owner takes the lock around every save."""
    return contextlib.nullcontext()


class Collection:
    """One TinyDB file of JSON documents keyed by string id, with atomic durable writes.

    Every save runs inside `writing()` (the folder's lock): TinyDB reads the file, changes
    it and writes it back, and under the lock that read is of the latest saved version
    (the storage reloads a file another process replaced), so no other process's save is
    lost. Reads take no lock and see another process's save as soon as it is in place.
    """

    def __init__(
        self,
        path: Path,
        name: str,
        *,
        writing: Writing = _unlocked,
        folder: Path | None = None,
        read_only: bool = False,
    ) -> None:
        self.path = path
        self.name = name
        self._writing = writing
        try:
            self._db = _HubTinyDB(
                path, storage=AtomicJSONStorage, folder=folder, read_only=read_only
            )
        except StorageError:
            raise
        except OSError as exc:
            raise StorageError(f"could not open {path}: {exc.strerror or exc}") from exc
        self._table: _KeyedTable = self._db.table(name)  # type: ignore[assignment]

    def get(self, doc_id: str) -> dict[str, Any] | None:
        """Return a copy of the document with this id, or None."""
        doc = self._table.raw().get(doc_id)
        return None if doc is None else copy.deepcopy(dict(doc))

    def all(self) -> dict[str, dict[str, Any]]:
        """Return copies of every document, by id."""
        return {doc_id: copy.deepcopy(dict(doc)) for doc_id, doc in self._table.raw().items()}

    def raw(self) -> Mapping[str, Mapping[str, Any]]:
        """Return the documents without copying, for fast read-only scans."""
        return self._table.raw()

    def __len__(self) -> int:
        return len(self._table.raw())

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._table.raw()

    def put(self, doc_id: str, doc: Mapping[str, Any]) -> None:
        """Save one document durably (insert or replace)."""
        with self._writing():
            self._table.replace_documents({doc_id: doc})

    def put_many(self, docs: Mapping[str, Mapping[str, Any]]) -> None:
        """Save many documents in one durable write."""
        if docs:
            with self._writing():
                self._table.replace_documents(docs)

    def replace_all(self, docs: Mapping[str, Mapping[str, Any]]) -> None:
        """Make the collection hold exactly `docs`, in one durable write."""
        with self._writing():
            self._table.set_all(docs)

    def put_json(self, docs: Iterable[tuple[str, bytes]], *, replace: bool = False) -> None:
        """Save documents given as (id, JSON text) in one durable write, streamed to disk.

        With `replace` the collection becomes exactly these. For big saves (a whole
        directory): nothing is decoded, and all of it is never in memory twice.
        """
        storage = self._db.storage
        assert isinstance(storage, AtomicJSONStorage)
        with self._writing():
            storage.write_table_json(self.name, docs, replace=replace)
        self._table.clear_cache()

    def delete(self, doc_id: str) -> None:
        """Remove a document durably; a missing id is not an error."""
        self.delete_many([doc_id])

    def delete_many(self, doc_ids: Iterable[str]) -> None:
        """Remove documents in one durable write."""
        with self._writing():
            ids = [doc_id for doc_id in doc_ids if doc_id in self]
            if ids:
                self._table.remove_documents(ids)
                # Deleted records are often personal data being purged: the backup of the
                # previous version would still hold them.
                storage = self._db.storage
                assert isinstance(storage, AtomicJSONStorage)
                storage.forget_backup()

    @property
    def version(self) -> FileIdentity | None:
        """Return the identity of the file version last read or written here (None: no file)."""
        storage = self._db.storage
        assert isinstance(storage, AtomicJSONStorage)
        return storage.identity

    def close(self) -> None:
        """Close the underlying TinyDB."""
        self._db.close()


# --- referrals, sharded ------------------------------------------------------------


class ReferralShards:
    """Referrals spread over small files: referrals/YYYY-MM/NNNN.json.

    A new referral goes to the newest shard of its month until that shard holds
    SHARD_SIZE records; an edit goes back to the shard that holds it. Shards load
    lazily, the first time any referral is asked for, and the list of shards is read
    again whenever the folder's revision (`revision()`) shows another process saved, so
    its new shards are seen and, under the lock, a new shard never takes a name another
    process already gave one.
    """

    def __init__(
        self,
        root: Path,
        *,
        writing: Writing = _unlocked,
        revision: Callable[[], int] = lambda: 0,
        folder: Path | None = None,
        read_only: bool = False,
    ) -> None:
        self.root = root
        self._writing = writing
        self._revision = revision
        self._folder = folder
        self._read_only = read_only
        self._shards: dict[Path, Collection] | None = None
        self.seen_revision: int | None = None
        """The folder revision the list of shards was last read at."""
        self._where: dict[str, Path] = {}
        self._indexed: dict[Path, tuple[FileIdentity | None, frozenset[str]]] = {}
        """Each shard's file identity when its ids were put in `_where`, and those ids."""
        # The newest shard of each month, so finding where a save goes never scans them all.
        self._newest: dict[str, Path] = {}

    def _load(self) -> dict[Path, Collection]:
        revision = self._revision()
        if self._shards is None or revision != self.seen_revision:
            self._shards = self._rescan(self._shards or {})
            self.seen_revision = revision
        return self._shards

    def _rescan(self, known: dict[Path, Collection]) -> dict[Path, Collection]:
        """Return the shards on disk now, keeping those already open (they reload themselves).

        Only shards whose file changed since they were last indexed are read again, so
        noticing another process's save costs a `stat` per shard, not a read of them all.
        """
        shards: dict[Path, Collection] = {}
        self._newest.clear()
        paths = sorted(self.root.glob("*/*.json")) if self.root.exists() else []
        for path in paths:
            shard = known.pop(path, None) or self._shard(path)
            shards[path] = shard
            self._newest[path.parent.name] = path  # sorted, so the last one wins
            indexed = self._indexed.get(path)
            if indexed is None or indexed[0] != file_identity(path):
                self._index(path, shard)
        for path, gone in known.items():  # emptied and removed by another process
            gone.close()
            self._unindex(path)
        for path in set(self._indexed) - set(shards):
            self._unindex(path)
        return shards

    def _index(self, path: Path, shard: Collection) -> None:
        """Note which referrals the shard at `path` holds now."""
        self._unindex(path)
        ids = frozenset(shard.raw())
        for doc_id in ids:
            self._where[doc_id] = path
        self._indexed[path] = (shard.version, ids)

    def _unindex(self, path: Path) -> None:
        _, ids = self._indexed.pop(path, (None, frozenset[str]()))
        for doc_id in ids:
            if self._where.get(doc_id) == path:
                del self._where[doc_id]

    def _shard(self, path: Path) -> Collection:
        """Open one shard (its saves run inside this object's `writing()`)."""
        return Collection(path, "referrals", folder=self._folder, read_only=self._read_only)

    def _open_shard_for(self, month: str) -> Path:
        """Return the shard a new referral of this month goes to, creating one if needed."""
        shards = self._load()
        folder = self.root / month
        newest = self._newest.get(month)
        if newest is not None and newest in shards and len(shards[newest]) < SHARD_SIZE:
            return newest
        number = int(newest.stem) + 1 if newest is not None else 1
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
            fsync_folder(folder.parent)
        path = folder / f"{number:04d}.json"
        shards[path] = self._shard(path)
        self._newest[month] = path
        return path

    def save(self, docs: Mapping[str, dict[str, Any]]) -> None:
        """Save referral documents, one durable write per shard touched."""
        with self._writing():
            self._save(docs)

    def _save(self, docs: Mapping[str, dict[str, Any]]) -> None:
        shards = self._load()
        by_shard: dict[Path, dict[str, dict[str, Any]]] = {}
        fresh: dict[str, dict[str, dict[str, Any]]] = {}
        for doc_id, doc in docs.items():
            if doc_id in self._where:
                by_shard.setdefault(self._where[doc_id], {})[doc_id] = doc
            else:
                fresh.setdefault(str(doc["recorded_at"])[:7], {})[doc_id] = doc
        for path, batch in by_shard.items():
            shards[path].put_many(batch)
        for month, batch in sorted(fresh.items()):
            items = sorted(batch.items(), key=lambda item: str(item[1]["recorded_at"]))
            while items:
                path = self._open_shard_for(month)
                room = SHARD_SIZE - len(shards[path])
                chunk, items = items[:room], items[room:]
                shards[path].put_many(dict(chunk))
                for doc_id, _ in chunk:
                    self._where[doc_id] = path

    def get(self, doc_id: str) -> dict[str, Any] | None:
        shards = self._load()
        path = self._where.get(doc_id)
        return None if path is None else shards[path].get(doc_id)

    def iter_raw(self, since_month: str | None = None) -> Iterator[Mapping[str, Any]]:
        """Yield stored documents (not copies), oldest shard first."""
        for path, shard in sorted(self._load().items()):
            if since_month is None or path.parent.name >= since_month:
                yield from shard.raw().values()

    def delete(self, doc_ids: Iterable[str]) -> int:
        """Delete referrals by id, durably; return how many were removed."""
        with self._writing():
            return self._delete(doc_ids)

    def _delete(self, doc_ids: Iterable[str]) -> int:
        shards = self._load()
        by_shard: dict[Path, list[str]] = {}
        for doc_id in doc_ids:
            path = self._where.get(doc_id)
            if path is not None:
                by_shard.setdefault(path, []).append(doc_id)
        removed = 0
        for path, ids in by_shard.items():
            shard = shards[path]
            shard.delete_many(ids)
            removed += len(ids)
            for doc_id in ids:
                del self._where[doc_id]
            if len(shard) == 0:
                # An empty shard is dropped (with its backup: the records were purged on
                # purpose and must not linger on disk).
                shard.close()
                del shards[path]
                self._unindex(path)
                prepare_change()
                for leftover in (path, path.with_name(path.name + ".bak")):
                    with contextlib.suppress(FileNotFoundError):
                        leftover.unlink()
                note_change()
                fsync_folder(path.parent)
        return removed

    def close(self) -> None:
        for shard in (self._shards or {}).values():
            shard.close()
