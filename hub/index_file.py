"""The search index kept in the data folder, so a kiosk start loads it instead of rebuilding it.

Building the index reads every service's words (tokens, stems, field weights, topics): at
50,000 services that is most of the start-up work. Those parts are saved in
`search-index.sqlite3` beside the directory, with the directory revision they were built
from (`HubStore.directory_revision`) and a fingerprint of everything else the build
depends on: the needs, the lay vocabulary and the code that turns text into index words.
The next start that finds the same revision and fingerprint loads them.

A file that is for another revision or fingerprint, or is damaged, or does not add up
(a number out of range, arrays of different lengths, an id the directory does not have)
is never trusted: the index is built again and the file replaced.

A staff change (one service added, edited, retired or checked) gives the directory a new
revision, and the index follows it without a build: `SavedIndexCache.apply_change` takes
the service's old words out and puts its new ones in (`SearchIndex.with_change`), and
`save_change` writes only the rows that differ, into a copy of the file keyed to the new
revision, renamed into place. An import or a sync that changed a few services is
followed the same way in the file, by the process that saved it (hub.index_follow). Any
other change (a bigger import, or one made while the file was not for the directory as it
was) builds the index again.

The index keeps no service: each listed service's entry (id, name order, needs, areas,
filters, schedules as text) is saved with the words, and results read the services they
show from the directory by id (`HubStore.services_by_id`).

SQLite (stdlib) rather than pickle: a data file must never be able to run code. The file
is written whole under a temporary name (mode 0600, like every file in the folder), flushed
and renamed into place, so a kill leaves the old file or the new one; a leftover temporary
file is removed at the next start (`storage.remove_stale_temp_files`). This module touches
only its own file; hub.storage keeps the hub's records.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import shutil
import sqlite3
import sys
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import snowballstemmer

from hub import lay_vocabulary, needs, search, search_parts, search_weights, search_words, text
from hub.lay_vocabulary import load_lay_vocabulary
from hub.models import Need, Service
from hub.search import IndexChange, IndexOutOfStep, SavedParts, SearchIndex, ServiceFetcher
from hub.search_parts import _Entry
from hub.storage import fsync_folder

log = logging.getLogger(__name__)

INDEX_FILE = "search-index.sqlite3"
INDEX_FORMAT = "7"
"""Changes whenever the file's layout does; a file of another format is rebuilt."""

_NUMBERS = "I"  # service numbers: unsigned 32-bit
_WEIGHTS = "f"  # posting weights, as SearchIndex.build keeps them
_STRENGTHS = "d"  # topic strengths: Python floats
_temp_counter = itertools.count()


def index_fingerprint(need_list: Sequence[Need]) -> str:
    """Return a digest of what an index depends on besides the directory.

    The needs, the lay vocabulary, and the source of the modules that turn a service's
    text into index words and weights (so any change to them, such as new field weights,
    invalidates saved files), with the stemmer's version.
    """
    digest = hashlib.sha256()
    digest.update(f"format {INDEX_FORMAT}\n".encode())
    # search_parts, search_weights and search_words make the words, weights and topics too.
    for module in (search, search_parts, search_weights, search_words, text, needs, lay_vocabulary):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(str(getattr(snowballstemmer, "__version__", "")).encode())
    for need in need_list:
        digest.update(need.model_dump_json().encode())
    digest.update(load_lay_vocabulary().model_dump_json().encode())
    return digest.hexdigest()


def _to_bytes(typecode: str, values: Sequence[float] | Sequence[int]) -> bytes:
    """Return the values as little-endian bytes of the array type."""
    packed = array(typecode, values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _from_bytes(typecode: str, blob: bytes) -> array[int] | array[float]:
    """Return the array stored as little-endian bytes; ValueError when the size is wrong."""
    packed: array[int] | array[float] = array(typecode)
    packed.frombytes(blob)  # raises ValueError unless a whole number of items
    if sys.byteorder == "big":
        packed.byteswap()
    return packed


def save_index(path: Path, index: SearchIndex, *, revision: str, fingerprint: str) -> bool:
    """Write the index's saved parts to `path` atomically; return True if it was saved.

    A folder that will not take the file (full, read-only) is not an error for a visitor:
    the index works from memory and the next start builds it again.
    """
    parts = index.saved_parts()

    def fill(db: sqlite3.Connection) -> None:
        db.executescript(
            """
            CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE services (number INTEGER PRIMARY KEY, facts TEXT NOT NULL);
            CREATE TABLE postings (word TEXT PRIMARY KEY, numbers BLOB, weights BLOB);
            CREATE TABLE topics (concept TEXT PRIMARY KEY, numbers BLOB, strengths BLOB);
            """
        )
        db.executemany(
            "INSERT INTO about VALUES (?, ?)",
            [
                ("format", INDEX_FORMAT),
                ("revision", revision),
                ("fingerprint", fingerprint),
                ("services", str(len(parts.entries))),
            ],
        )
        db.executemany(
            "INSERT INTO services VALUES (?, ?)",
            ((number, _facts_json(entry)) for number, entry in enumerate(parts.entries)),
        )
        db.executemany(
            "INSERT INTO postings VALUES (?, ?, ?)",
            (
                (word, _to_bytes(_NUMBERS, numbers), _to_bytes(_WEIGHTS, weights))
                for word, (numbers, weights) in parts.postings.items()
            ),
        )
        db.executemany(
            "INSERT INTO topics VALUES (?, ?, ?)",
            (
                (concept, _to_bytes(_NUMBERS, numbers), _to_bytes(_STRENGTHS, strengths))
                for concept, (numbers, strengths) in parts.topics.items()
            ),
        )

    return _write_in_place(path, fill, start_from_current=False, what="search index")


def _facts_json(entry: _Entry) -> str:
    """Return a service's row in the file: its entry's facts as compact JSON."""
    return json.dumps(entry.facts(), ensure_ascii=False, separators=(",", ":"))


def _write_in_place(
    path: Path,
    fill: Callable[[sqlite3.Connection], None],
    *,
    start_from_current: bool,
    what: str,
) -> bool:
    """Write the index file anew beside `path` and rename it over `path`; True if saved.

    The new file starts empty, or as a copy of the file now at `path` when
    `start_from_current`; `fill` writes into it. A kill leaves the old file or the new
    one, and a reader never sees a file changed under it. A failure (a full or read-only
    folder) is logged and the temporary file removed: the index in memory still works.
    """
    temp = path.parent / f".{path.name}.{os.getpid()}.{next(_temp_counter)}.tmp"
    try:
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        if start_from_current:
            shutil.copyfile(path, temp)
        with contextlib.closing(sqlite3.connect(temp)) as db:
            # A file made whole, then renamed into place: no journal is needed.
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            fill(db)
            db.commit()
        _put_in_place(temp, path)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        log.warning("the %s was not saved to %s: %s", what, path, exc)
        return False
    return True


def _put_in_place(temp: Path, path: Path) -> None:
    """Make the written temporary file durable, then rename it over `path` and make the
    rename durable too: a crash leaves the old file or the new one, never half of either.
    Raises OSError."""
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    fsync_folder(path.parent)


def _rewrite_rows(
    db: sqlite3.Connection,
    table: str,
    key: str,
    changed: Iterable[str],
    rows: Mapping[str, tuple[Any, Any]],
    value_code: str,
) -> None:
    """Write the changed postings (or topics) into the file's `table`: each key the index
    still has gets its numbers and values, a key it no longer has is deleted. `table` and
    `key` are this module's own names, never outside text."""
    for name in changed:
        if name in rows:
            numbers, values = rows[name]
            db.execute(
                f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?)",
                (name, _to_bytes(_NUMBERS, numbers), _to_bytes(value_code, values)),
            )
        else:
            db.execute(f"DELETE FROM {table} WHERE {key} = ?", (name,))


def save_change(
    path: Path,
    index: SearchIndex,
    change: IndexChange,
    *,
    before: str,
    revision: str,
    fingerprint: str,
) -> bool:
    """Write a one-service change to the index file; return True if it was saved.

    When the file holds the index at revision `before` (the one `change` was made from),
    it is copied, only the changed rows (the service's words and topics, its entry and a
    moved one's) are rewritten in the copy, and the copy is renamed into place: a kill
    leaves the old file or the new one, and a reader never sees a file changed under it.
    Otherwise the whole index is written (`save_index`).
    """
    try:
        about = _about(path)
    except (OSError, sqlite3.Error):
        about = {}
    if (
        about.get("format") != INDEX_FORMAT
        or about.get("revision") != before
        or about.get("fingerprint") != fingerprint
    ):
        return save_index(path, index, revision=revision, fingerprint=fingerprint)
    parts = index.saved_parts()
    count = len(parts.entries)

    def fill(db: sqlite3.Connection) -> None:
        _rewrite_rows(db, "postings", "word", change.words, parts.postings, _WEIGHTS)
        _rewrite_rows(db, "topics", "concept", change.topics, parts.topics, _STRENGTHS)
        for number in change.numbers:
            if number < count:
                db.execute(
                    "INSERT OR REPLACE INTO services VALUES (?, ?)",
                    (number, _facts_json(parts.entries[number])),
                )
            else:
                db.execute("DELETE FROM services WHERE number = ?", (number,))
        db.executemany(
            "UPDATE about SET value = ? WHERE key = ?",
            [(revision, "revision"), (str(count), "services")],
        )

    return _write_in_place(path, fill, start_from_current=True, what="search index change")


def _about(path: Path) -> dict[str, str]:
    """Return the file's `about` rows (format, revision, fingerprint, services)."""
    if not path.is_file():
        return {}
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        return {str(key): str(value) for key, value in db.execute("SELECT key, value FROM about")}


class IndexFileUnusable(Exception):
    """The index file is missing, for another directory or build, or damaged."""


def load_parts(path: Path, *, revision: str, fingerprint: str) -> SavedParts:
    """Return the saved parts in `path` if they are for this revision and fingerprint.

    Raises IndexFileUnusable otherwise (missing, stale, damaged or not adding up).
    """
    if not path.is_file():
        raise IndexFileUnusable("there is no index file yet")
    try:
        # immutable: the file is only ever replaced by a rename, never changed in place.
        uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            about = dict(db.execute("SELECT key, value FROM about").fetchall())
            if about.get("format") != INDEX_FORMAT:
                raise IndexFileUnusable("it is of another format")
            if about.get("revision") != revision:
                raise IndexFileUnusable("it is for another version of the directory")
            if about.get("fingerprint") != fingerprint:
                raise IndexFileUnusable("it was built with other needs, words or code")
            shared: dict[object, object] = {}
            entries: list[_Entry] = []
            for place, (number, facts) in enumerate(
                db.execute("SELECT number, facts FROM services ORDER BY number")
            ):
                if number != place or not isinstance(facts, str):
                    raise IndexFileUnusable("its list of services does not add up")
                entries.append(_Entry.from_facts(json.loads(facts), shared))
            count = len(entries)
            if str(count) != about.get("services"):
                raise IndexFileUnusable("its list of services does not add up")
            if len({entry.service_id for entry in entries}) != count:
                raise IndexFileUnusable("it names a service twice")
            postings: dict[str, tuple[array[int], array[float]]] = {}
            for word, numbers_blob, weights_blob in db.execute("SELECT * FROM postings"):
                numbers = _from_bytes(_NUMBERS, numbers_blob)
                weights = _from_bytes(_WEIGHTS, weights_blob)
                _check(word, numbers, weights, count)
                postings[word] = (numbers, weights)  # type: ignore[assignment]
            # A topic's members are lists (a search's loop over them is quickest over
            # Python numbers it need not make), but of shared numbers: each service's
            # number is one object for every topic it is in, and each strength (a few
            # dozen values) one object for all. At 50,000 services that is 13 MB less
            # than a new number per entry.
            service_numbers = list(range(count))
            strength_values: dict[float, float] = {}
            topics: dict[str, tuple[list[int], list[float]]] = {}
            for concept, numbers_blob, strengths_blob in db.execute("SELECT * FROM topics"):
                numbers = _from_bytes(_NUMBERS, numbers_blob)
                strengths = _from_bytes(_STRENGTHS, strengths_blob)
                _check(concept, numbers, strengths, count)
                topics[concept] = (
                    [service_numbers[number] for number in numbers],  # type: ignore[index]
                    [strength_values.setdefault(value, value) for value in strengths],
                )
    except (sqlite3.Error, ValueError, TypeError) as exc:  # json's errors are ValueErrors
        raise IndexFileUnusable(f"it is damaged ({exc})") from exc
    return SavedParts(entries=entries, postings=postings, topics=topics)


def _check(
    key: object, numbers: array[int] | array[float], values: array[int] | array[float], count: int
) -> None:
    """Raise IndexFileUnusable unless the row is a word with numbers in range, one value each."""
    if not isinstance(key, str) or len(numbers) != len(values):
        raise IndexFileUnusable("a row does not add up")
    if numbers and max(numbers) >= count:
        raise IndexFileUnusable("a row names a service that is not there")


class SavedIndexCache:
    """Holds one SearchIndex: loaded from the data folder's index file when that is for the
    directory as it is now, else built and saved for the next start."""

    def __init__(self, need_list: Sequence[Need], folder: Path, *, save: bool = True) -> None:
        self._needs = list(need_list)
        self.path = folder / INDEX_FILE
        self._save = save
        """False for a store opened only to read: an index it builds is not written."""
        self._index: SearchIndex | None = None
        self.revision: str | None = None
        """The directory revision the index in hand was made for (None before one is)."""
        self._fingerprint: str | None = None
        self.loaded_from_file = False
        """True when the index in hand came from the file (for tests and benchmarks)."""
        self.building = False
        """True while `index_for` builds the whole index (seconds on a big directory), so
        searches may answer from the index in hand meanwhile (Hub.search_index)."""

    def current(self, version: int) -> SearchIndex | None:
        """Return the index in hand if the directory is still at `version`, else None."""
        if self._index is not None and not self._index.is_stale(version):
            return self._index
        return None

    def index_for(
        self,
        listed_services: Callable[[], Iterable[Service]],
        fetch: ServiceFetcher,
        *,
        version: int,
        revision: str,
    ) -> SearchIndex:
        """Return the index of the directory at `version` and `revision`.

        Loaded from the file when it is for that revision (no service is read then);
        otherwise built from `listed_services()` (streamed: each service is read for its
        words and let go), and the file replaced. `fetch` reads the services results show.
        """
        if self._fingerprint is None:
            self._fingerprint = index_fingerprint(self._needs)
        try:
            parts = load_parts(self.path, revision=revision, fingerprint=self._fingerprint)
            index = SearchIndex.from_saved_parts(parts, self._needs, fetch=fetch, version=version)
            self.loaded_from_file = True
        except IndexFileUnusable as exc:
            log.info("building the search index: the saved one is not used (%s)", exc)
            self.building = True
            try:
                index = SearchIndex.build(
                    listed_services(), self._needs, version=version, fetch=fetch
                )
            finally:
                self.building = False
            self.loaded_from_file = False
            if self._save:
                save_index(self.path, index, revision=revision, fingerprint=self._fingerprint)
        self._index = index
        self.revision = revision
        return index

    def apply_change(
        self,
        previous: Service | None,
        current: Service,
        *,
        before: str,
        version: int,
        revision: str,
    ) -> Callable[[], bool] | None:
        """Follow a one-service change in the index in hand, if it is for revision `before`.

        `previous` is the service as it was at `before` (None when it is new), `current`
        as saved, which made the directory `revision` (store version `version`). Returns
        what saves the change to the file (call it outside the store's lock), or None when
        the index in hand is not for `before`: the next search then loads or builds it.
        """
        index = self._index
        if index is None or self.revision != before or self._fingerprint is None:
            return None
        try:
            changed, change = index.with_change(previous, current, version=version)
        except IndexOutOfStep as exc:
            log.info("building the search index again: %s", exc)
            return None
        self._index = changed
        self.revision = revision
        self.loaded_from_file = False
        if not self._save:
            return None
        fingerprint = self._fingerprint

        def save() -> bool:
            return save_change(
                self.path,
                changed,
                change,
                before=before,
                revision=revision,
                fingerprint=fingerprint,
            )

        return save
