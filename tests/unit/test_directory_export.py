"""`export_directory` streams the services from the store and writes what a whole page would."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hub.directory import address_defaults, export_directory
from hub.formats import jsonio
from hub.formats.hsds3 import hsds3_page
from hub.formats.jsonio import dumps, dumps_chunks
from hub.formats.oruk1 import oruk1_page
from hub.sample_directory import sample_service_ids, seed_sample_if_new
from hub.storage import HubStore

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> HubStore:
    """Return an open store holding the bundled sample directory and copies of it: more
    services than one page of the store's stream (500)."""
    opened = HubStore.open(tmp_path / "data")
    seed_sample_if_new(opened, now=NOW)
    sample = opened.services()
    opened.save_services(
        service.model_copy(
            update={"id": str(uuid.UUID(int=number)), "name": f"{service.name} {number}"}
        )
        for number in range(1, 601)
        for service in [sample[number % len(sample)]]
    )
    return opened


@pytest.mark.parametrize("chunk", [1, 100, 1 << 16])
@pytest.mark.parametrize(
    ("envelope", "items"),
    [
        ({"total": 2, "name": "Café ł"}, [{"a": [1, {"b": "x\ny"}]}, {"c": {}}, [], "żłobek"]),
        ({"total": 0}, []),
        ({}, [{"only": True}]),
        ({}, []),
    ],
)
def test_chunks_join_to_the_same_text_as_dumps(
    envelope: dict[str, Any], items: list[Any], chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonio, "_CHUNK_CHARACTERS", chunk)
    pieces = list(dumps_chunks(envelope, "contents", iter(items)))
    assert "".join(pieces) == dumps({**envelope, "contents": items})
    if chunk == 1 and items:
        assert len(pieces) > 1  # handed on as it goes, not gathered whole


@pytest.mark.parametrize("fmt", ["hsds3", "oruk1"])
def test_export_writes_what_the_whole_page_would_without_reading_the_whole_directory(
    store: HubStore, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        services = store.services()
        if fmt == "hsds3":
            page = hsds3_page(
                services, sample_ids=sample_service_ids(store), address=address_defaults(store)
            )
        else:
            page = oruk1_page(services, address=address_defaults(store))
        expected = dumps(page)

        def whole_directory(_store: HubStore) -> None:
            raise AssertionError("the export read the whole directory into memory")

        monkeypatch.setattr(HubStore, "services", whole_directory)
        out = tmp_path / "out.json"
        count = export_directory(store, out, fmt)  # type: ignore[arg-type]
        assert count == len(services) > 500
        assert out.read_text(encoding="utf-8") == expected
        assert json.loads(expected)  # and it is JSON
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    finally:
        store.close()


def test_an_export_that_fails_midway_leaves_the_old_file(
    store: HubStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.json"
    out.write_text("the old export", encoding="utf-8")
    calls = 0
    from hub.formats import hsds3

    real = hsds3.to_hsds3

    def failing(*args: Any, **kwargs: Any) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 50:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(hsds3, "to_hsds3", failing)
    try:
        with pytest.raises(Exception, match=r"No space left|cannot write"):
            export_directory(store, out, "hsds3")
    finally:
        store.close()
    assert out.read_text(encoding="utf-8") == "the old export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
