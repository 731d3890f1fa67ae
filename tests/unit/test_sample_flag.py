"""Whether the fictional sample is loaded: a stored flag, kept with the directory's revision."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hub.models import Status
from hub.sample_directory import META_SAMPLE_FLAG, sample_is_loaded, seed_sample_if_new
from hub.storage import HubStore
from tests.factories import make_service

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def _no_reading(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("the directory was read")


def test_a_seeded_folder_knows_at_start_without_reading_a_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with HubStore.open(tmp_path) as store:
        assert seed_sample_if_new(store, now=NOW) is True
    monkeypatch.setattr(HubStore, "services", _no_reading)
    monkeypatch.setattr(HubStore, "service", _no_reading)
    with HubStore.open(tmp_path) as store:
        assert sample_is_loaded(store) is True


def test_the_flag_follows_the_directory_when_it_changes(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        seed_sample_if_new(store, now=NOW)
        assert sample_is_loaded(store)
        store.save_services(
            s.model_copy(update={"status": Status.DEFUNCT}) for s in store.services()
        )
        assert not sample_is_loaded(store)
        assert store.meta(META_SAMPLE_FLAG)["revision"] == store.directory_revision


def test_a_change_made_by_another_process_is_noticed(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        seed_sample_if_new(store, now=NOW)
        assert sample_is_loaded(store)
    # Another process (here: another store on the folder) replaces the directory and
    # does not touch the flag.
    with HubStore.open(tmp_path) as other:
        other.replace_services([make_service(name="Harlesden Food Bank")])
    with HubStore.open(tmp_path) as store:
        assert not sample_is_loaded(store)


def test_a_flag_for_another_revision_is_never_trusted(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        store.save_services([make_service(name="Harlesden Food Bank")])
        store.set_meta(META_SAMPLE_FLAG, {"revision": "an old one", "loaded": True})
        assert not sample_is_loaded(store)
        store.set_meta(META_SAMPLE_FLAG, {"revision": store.directory_revision, "loaded": "yes"})
        assert not sample_is_loaded(store)
