"""A directory file opened for import: its records one at a time, its envelope, its size.

Most feeds are a few megabytes and are read whole (`jsonio.read_json_file`: exact error
positions). A file over `STREAM_ABOVE` is read a record at a time with ijson, so a 200 MB
feed never sits in memory as one string and one tree of objects:

* an array (`[...]`) is streamed straight away;
* an envelope (`{"contents": [...], "total_pages": ...}`) is read twice: once for its own
  fields (which may come after the list), then for its records;
* a single service object is read whole (it is one record, however big).

A streamed array is "not an Open Referral directory" when none of its first
`SHAPE_SAMPLE` items is a service (the whole-file reader looks at every item; streaming
cannot hold ten million numbers to decide).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from hub.formats.common import UNKNOWN_SHAPE, DirectoryFileError, Flavour, PageInfo
from hub.formats.detect import looks_like_service, page_info, records_of
from hub.formats.jsonio import file_status, read_json_file

STREAM_ABOVE = 32 * 1024 * 1024
"""Files bigger than this (bytes) are streamed a record at a time instead of read whole."""

SHAPE_SAMPLE = 200
"""A streamed array with no service among this many first items is not a directory."""

_CHUNK = 256 * 1024
_ENVELOPES: dict[str, Flavour] = {"contents": "hsds3", "content": "oruk1"}
_PAGE_KEYS = frozenset(
    {"page_number", "total_pages", "total_items", "number", "totalPages", "totalElements"}
)

Progress = Callable[[int], None]
"""Called with how many more bytes of work were done (see `FeedDocument.work`)."""


@dataclass
class FeedDocument:
    """One file of a feed: its records (read once), the flavour its wrapper implies, and
    what its paged envelope says."""

    source: str
    records: Iterator[Any]
    hint: Flavour | None = None
    page: PageInfo | None = None
    work: int = 0
    """Bytes of reading still to do for its records, for a progress bar."""
    streamed: bool = False
    """True for a big file read a record at a time: its services are then kept packed."""
    _peeked: list[Any] = field(default_factory=list)

    def peek(self, count: int) -> list[Any]:
        """Return up to `count` first records, kept to be given again by `__iter__`."""
        while len(self._peeked) < count:
            try:
                self._peeked.append(next(self.records))
            except StopIteration:
                break
        return self._peeked[:count]

    def __iter__(self) -> Iterator[Any]:
        """Yield every record once: those peeked at first, then the rest as they are read."""
        while self._peeked:
            yield self._peeked.pop(0)
        yield from self.records


def document_of(source: str, data: Any) -> FeedDocument:
    """Return decoded JSON as a document; raise DirectoryFileError for an unknown shape."""
    records, hint = records_of(data, source)
    return FeedDocument(source, iter(records), hint, page_info(data, source))


def open_feed_file(path: Path, *, progress: Progress | None = None) -> FeedDocument:
    """Return the directory file at `path` ready to read; whole-file problems raise
    DirectoryFileError (a missing file, a folder, a pipe, an empty file, not JSON...)."""
    name = str(path)
    info = file_status(path)
    if stat.S_ISREG(info.st_mode) and info.st_size > STREAM_ABOVE:
        return _streamed(path, name, info.st_size, progress)
    # Small (or not a file at all: the whole-file reader says what is wrong with it).
    data = read_json_file(path, max_bytes=STREAM_ABOVE)
    document = document_of(name, data)
    if progress is not None:
        document.records = _counted(document.records, info.st_size, progress)
        document.work = info.st_size
    return document


def feed_file_work(path: Path) -> int:
    """Return the bytes of reading `open_feed_file(path, progress=...)` will report.

    A streamed envelope is read twice (its own fields, then its records); 0 when the file
    cannot be read (opening it says why).
    """
    try:
        size = path.stat().st_size
        if size <= STREAM_ABOVE:
            return size
        with _open_regular(path, str(path)) as stream:
            return size * 2 if _start(stream, str(path)) == b"{" else size
    except (OSError, DirectoryFileError):
        return 0


def _counted(records: Iterator[Any], size: int, progress: Progress) -> Iterator[Any]:
    """Yield the records of a file read whole, telling progress its share of the file each."""
    items = list(records)
    done = 0
    for number, record in enumerate(items, start=1):
        yield record
        share = size * number // len(items)
        progress(share - done)
        done = share
    if not items:
        progress(size)


class _CountingReader:
    """A binary file that tells progress how many bytes were read, and remembers it."""

    def __init__(self, stream: BinaryIO, progress: Progress | None) -> None:
        self.stream = stream
        self.progress = progress
        self.done = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.done += len(chunk)
        if self.progress is not None and chunk:
            self.progress(len(chunk))
        return chunk


def _open_regular(path: Path, name: str) -> BinaryIO:
    """Return the file opened for reading, refusing anything but an ordinary file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise DirectoryFileError(f"{name}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DirectoryFileError(f"{name} is not an ordinary file; give a JSON file")
    return os.fdopen(fd, "rb")


def _start(stream: BinaryIO, name: str) -> bytes:
    """Return the first byte of the JSON value, leaving the stream at the value's start."""
    head = stream.read(_CHUNK)
    offset = 3 if head.startswith(b"\xef\xbb\xbf") else 0  # a byte-order mark is allowed
    body = head[offset:].lstrip()
    if not body:
        raise DirectoryFileError(f"{name} is empty")
    stream.seek(len(head) - len(body))
    return body[:1]


def _streamed(path: Path, name: str, size: int, progress: Progress | None) -> FeedDocument:
    """Return a big file's document: an array streamed, an envelope surveyed then streamed."""
    with _open_regular(path, name) as stream:
        first = _start(stream, name)
        start = stream.tell()
        if first == b"[":
            records = _shape_checked(_items(path, name, start, "item", progress), name)
            return FeedDocument(name, records, work=size, streamed=True)
        if first != b"{":
            if first not in b'"-0123456789tfn':
                raise DirectoryFileError(f"{name} is not JSON: it does not start like JSON")
            raise DirectoryFileError(f"{name} is {UNKNOWN_SHAPE}")
        survey = _CountingReader(stream, progress)
        keys, arrays, scalars = _survey(survey, name)
    for key, flavour in _ENVELOPES.items():
        if key in arrays:
            page = page_info({**scalars, key: []}, name)
            records = _items(path, name, start, f"{key}.item", progress)
            return FeedDocument(name, records, flavour, page, work=size, streamed=True)
    if "id" in keys or "name" in keys:
        records = _items(path, name, start, "", progress)
        return FeedDocument(name, records, work=size, streamed=True)
    raise DirectoryFileError(f"{name} is {UNKNOWN_SHAPE}")


def _survey(reader: _CountingReader, name: str) -> tuple[set[str], set[str], dict[str, Any]]:
    """Return an envelope's own keys, which of them hold arrays, and its page fields."""
    keys: set[str] = set()
    arrays: set[str] = set()
    scalars: dict[str, Any] = {}
    with _json_errors(name, reader):
        for prefix, event, value in ijson.parse(reader, use_float=True, buf_size=_CHUNK):
            if prefix == "" and event == "map_key":
                keys.add(value)
            elif prefix in _ENVELOPES and event == "start_array":
                arrays.add(prefix)
            elif prefix in _PAGE_KEYS and event in ("number", "boolean", "string", "null"):
                scalars[prefix] = value
    return keys, arrays, scalars


def _items(
    path: Path, name: str, start: int, prefix: str, progress: Progress | None
) -> Iterator[Any]:
    """Yield the values at `prefix` of the JSON in the file, reading from byte `start`."""
    with _open_regular(path, name) as stream:
        stream.seek(start)
        reader = _CountingReader(stream, progress)
        if progress is not None:
            progress(start)
        with _json_errors(name, reader):
            yield from ijson.items(reader, prefix, use_float=True, buf_size=_CHUNK)


def _shape_checked(records: Iterator[Any], name: str) -> Iterator[Any]:
    """Yield a streamed array's items, refusing it when none of the first few is a service."""
    seen_service = False
    count = 0
    for count, record in enumerate(records, start=1):
        seen_service = seen_service or looks_like_service(record)
        if count == SHAPE_SAMPLE and not seen_service:
            raise DirectoryFileError(f"{name} is {UNKNOWN_SHAPE}")
        yield record
    if count and not seen_service:  # a short array with no service at all
        raise DirectoryFileError(f"{name} is {UNKNOWN_SHAPE}")


@contextlib.contextmanager
def _json_errors(name: str, reader: _CountingReader) -> Iterator[None]:
    """Turn ijson's errors into one DirectoryFileError line saying about where."""
    try:
        yield
    except ijson.JSONError as exc:
        near = f"near byte {reader.done:,}"
        if "UTF8" in str(exc) or "UTF-8" in str(exc):
            raise DirectoryFileError(
                f"{name} is not UTF-8 text ({near}); save it as UTF-8 and try again"
            ) from None
        if "overflow" in str(exc) or "number" in str(exc):
            raise DirectoryFileError(
                f"{name} is not JSON we can read: it holds a number too long to be real "
                f"({near}); check the file came from the publisher unchanged"
            ) from None
        reason = (
            "it ends too soon"
            if isinstance(exc, ijson.IncompleteJSONError) and "premature EOF" in str(exc)
            else "something that is not JSON"
        )
        raise DirectoryFileError(f"{name} is not JSON: {reason} ({near})") from None
    except RecursionError:
        raise DirectoryFileError(f"{name} is not JSON we can read: nested too deeply") from None
    except ValueError:
        # A number of thousands of digits: Python refuses to make it an int.
        raise DirectoryFileError(
            f"{name} is not JSON we can read: it holds a number too long to be real "
            "(thousands of digits); check the file came from the publisher unchanged"
        ) from None
