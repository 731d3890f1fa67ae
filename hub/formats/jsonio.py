"""The one JSON reader and writer for the hub's files: file checks, UTF-8, clear errors.

`read_json_file(path)` returns the decoded JSON of an ordinary file or raises
`DirectoryFileError` with one line naming the file and what to do; `parse_json_bytes` does the
same for bytes already in hand. Any module that reads a JSON file from outside (a directory
feed, a sync bundle) can call these rather than keep its own reader.

`dumps` writes a directory file's text; `dumps_chunks` writes the same text a piece at a
time for a paged list whose items come from a stream (an export of 50,000 services never
holds them all).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from hub.formats.common import MAX_FILE_BYTES, DirectoryFileError


def read_json_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Return the decoded JSON of an ordinary file, or raise DirectoryFileError.

    The size is checked before anything is read, so a huge file is refused at once; a
    large file of garbage fails at its first bad character.
    """
    name = str(path)
    # Checked before opening: opening a named pipe blocks until someone writes to it,
    # and reading a device such as /dev/zero never ends.
    before = file_status(path)
    if stat.S_ISDIR(before.st_mode):
        raise DirectoryFileError(f"{name} is a folder, not a directory file")
    if not stat.S_ISREG(before.st_mode):
        raise DirectoryFileError(
            f"{name} is not an ordinary file (a pipe or a device?); give the path of a JSON file"
        )
    if before.st_size > max_bytes:
        raise DirectoryFileError(
            f"{name} is {before.st_size / 1_048_576:.0f} MB; a directory file may be at most "
            f"{max_bytes // 1_048_576} MB"
        )
    raw = read_regular_file(path, name, max_bytes)
    return parse_json_bytes(raw, source=name)


def file_status(path: Path) -> os.stat_result:
    """Return what `os.stat` says of `path` (without opening it), or raise
    DirectoryFileError: no such file, or it cannot be read."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        raise DirectoryFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise DirectoryFileError(f"{path}: cannot be read ({exc.strerror})") from None


def read_regular_file(path: Path, name: str, max_bytes: int) -> bytes:
    """Return the bytes of an ordinary file, or raise DirectoryFileError.

    Opened without blocking and checked again once open, so a file swapped for a pipe or
    a device after the first check is still refused; at most `max_bytes` are read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise DirectoryFileError(f"{name}: cannot be read ({exc.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise DirectoryFileError(f"{name} is not an ordinary file; give a JSON file")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            raw = stream.read(max_bytes + 1)
    except OSError as exc:
        raise DirectoryFileError(f"{name}: cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)
    if len(raw) > max_bytes:
        raise DirectoryFileError(
            f"{name} is over {max_bytes // 1_048_576} MB; a directory file may be at most that"
        )
    return raw


def parse_json_bytes(raw: bytes, *, source: str) -> Any:
    """Return the decoded JSON in `raw`, or raise DirectoryFileError; `source` names it."""
    try:
        text = raw.decode("utf-8-sig")  # tolerate the byte-order mark some Windows tools add
    except UnicodeDecodeError as exc:
        raise DirectoryFileError(
            f"{source} is not UTF-8 text (bad byte at position {exc.start}); "
            "save it as UTF-8 and try again"
        ) from None
    if not text.strip():
        raise DirectoryFileError(f"{source} is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DirectoryFileError(
            f"{source} is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise DirectoryFileError(f"{source} is not JSON we can read: nested too deeply") from None
    except ValueError as exc:
        # Python refuses to turn a number of more than 4,300 digits into an int (a guard
        # against slow conversions); no directory needs such a number.
        raise DirectoryFileError(
            f"{source} is not JSON we can read: it holds a number too long to be real "
            "(thousands of digits); check the file came from the publisher unchanged"
        ) from exc
    return data


def dumps(document: Any) -> str:
    """Return JSON text as we write directory files: UTF-8 friendly, indented, stable."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_CHUNK_CHARACTERS = 1 << 16
"""About how much text `dumps_chunks` gathers before handing on a chunk."""


def dumps_chunks(envelope: dict[str, Any], key: str, items: Iterable[Any]) -> Iterator[str]:
    """Yield, in chunks, exactly the text `dumps({**envelope, key: list(items)})` returns.

    `key` comes last, as in a paged list's envelope; the items are encoded one at a time,
    so only one item's text (and a chunk's worth) is held at once.
    """
    if key in envelope:
        raise ValueError(f"the envelope already has {key!r}")
    head = json.dumps(envelope, ensure_ascii=False, indent=2)
    head = head[: head.rfind("\n}")] if envelope else "{"  # "{...\n}" without its close
    opening = f"{head}{',' if envelope else ''}\n  {json.dumps(key, ensure_ascii=False)}: ["
    pending = [opening]
    size = len(opening)
    empty = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2)
        # Inside the list each item is indented by four more spaces; a JSON string never
        # holds a raw line break, so every line break here is the layout's.
        part = ("\n    " if empty else ",\n    ") + text.replace("\n", "\n    ")
        empty = False
        pending.append(part)
        size += len(part)
        if size >= _CHUNK_CHARACTERS:
            yield "".join(pending)
            pending, size = [], 0
    pending.append("]\n}\n" if empty else "\n  ]\n}\n")
    yield "".join(pending)
