"""Big directory files are read a record at a time, and give exactly what a whole read gives."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hub.directory import apply_import
from hub.formats import feed_files
from hub.formats.common import DirectoryFileError, PackedServices, ParsedDirectory
from hub.formats.to_model import feed_work, read_directory_files
from hub.storage import HubStore
from tests.factories import make_service

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)

FEEDS = [
    [FIXTURES / "oruk_v1_feed.json"],
    [FIXTURES / "oruk1_council_quirks.json"],
    [FIXTURES / "hsds3_council_feed.json"],
    [FIXTURES / "paged" / f"page{n}.json" for n in (1, 2, 3)],
]


def _summary(parsed: ParsedDirectory) -> dict[str, Any]:
    return {
        "flavour": parsed.flavour,
        "services": [service.model_dump(mode="json") for service in parsed.services],
        "warnings": parsed.warnings,
        "fixed": parsed.fixed,
        "placed": parsed.placed,
        "pages": parsed.pages,
        "undated": parsed.undated_ids,
    }


def _streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every file count as big, so it is streamed."""
    monkeypatch.setattr(feed_files, "STREAM_ABOVE", 0)


@pytest.mark.parametrize("paths", FEEDS, ids=lambda paths: paths[0].name)
def test_a_streamed_feed_reads_exactly_as_a_whole_one(
    paths: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _summary(read_directory_files(paths, now=NOW))
    _streamed(monkeypatch)
    assert _summary(read_directory_files(paths, now=NOW)) == whole
    assert whole["services"]


def test_an_envelope_whose_page_fields_follow_its_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "page.json"
    service = {"id": "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901", "name": "Food bank"}
    path.write_bytes(
        b"\xef\xbb\xbf\n "  # a byte-order mark and spaces before the JSON
        + json.dumps({"contents": [service], "page_number": 1, "total_pages": 2}).encode()
    )
    _streamed(monkeypatch)
    parsed = read_directory_files([path], now=NOW)
    assert [s.name for s in parsed.services] == ["Food bank"]
    assert parsed.flavour == "hsds3"
    [page] = parsed.pages
    assert (page.page, page.total_pages) == (1, 2)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b'[{"id": "a1", "name": "Cut off', "is not JSON: it ends too soon"),
        (b'{"contents": [{"id": "a1", "name": oops}]}', "is not JSON"),
        ('[{"id": "a1", "name": "Caf\u00e9"}]'.encode("latin-1"), "is not UTF-8 text"),
        (b"   \n ", "is empty"),
        (b"[" + b",".join([b"1"] * 5000) + b"]", "not an Open Referral directory"),
        (b"[1, 2, 3]", "not an Open Referral directory"),
        (b'{"hello": "world"}', "not an Open Referral directory"),
        (b'"a string"', "not an Open Referral directory"),
        (b"\x00\x00\x00", "is not JSON"),
        (b'[{"id": "a1", "name": "x", "n": 1' + b"0" * 5000 + b"}]", "a number too long"),
    ],
    ids=lambda value: str(value)[:30],
)
def test_a_streamed_file_that_is_not_a_directory_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, said: str
) -> None:
    path = tmp_path / "feed.json"
    path.write_bytes(content)
    _streamed(monkeypatch)
    with pytest.raises(DirectoryFileError) as caught:
        read_directory_files([path], now=NOW)
    message = str(caught.value)
    assert said in message
    assert str(path) in message and "\n" not in message


def test_progress_is_told_of_every_byte_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = FEEDS[3]
    for streamed in (False, True):
        if streamed:
            _streamed(monkeypatch)
        told: list[int] = []
        parsed = read_directory_files(paths, now=NOW, progress=told.append)
        assert parsed.services
        assert sum(told) == feed_work(paths) > 0


def _import(paths: list[Path], root: Path, *, replace: bool) -> list[Any]:
    """Import the feed over a directory that already holds part of it, changed; return it."""
    with HubStore.open(root) as store:
        before = read_directory_files(paths, now=NOW)
        old = [
            service.model_copy(update={"name": service.name + " (old)"})
            for service in before.services[:2]
        ]
        store.replace_services([*old, make_service(name="Only here")])
        report = apply_import(
            store, read_directory_files(paths, now=NOW), source="feed", replace=replace, now=NOW
        )
        assert (report.added, report.updated) == (len(before.services) - 2, 2)
    with HubStore.open(root) as store:
        services = store.services()
    # The one service only the directory had (made afresh each time) is kept or dropped.
    return [s.model_dump(mode="json") if s.name != "Only here" else "Only here" for s in services]


@pytest.mark.parametrize("replace", [True, False])
def test_a_streamed_feed_kept_packed_imports_as_a_whole_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replace: bool
) -> None:
    paths = FEEDS[2]
    whole = _import(paths, tmp_path / "whole", replace=replace)
    _streamed(monkeypatch)
    assert isinstance(read_directory_files(paths, now=NOW).services, PackedServices)
    assert _import(paths, tmp_path / "streamed", replace=replace) == whole
    assert ("Only here" in whole) is not replace
