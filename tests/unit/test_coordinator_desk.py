"""The coordinator screens' door to the data: writes go through the Hub's one writer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hub.coordinator_desk import CoordinatorDesk
from hub.hub_identity import setup_hub
from hub.kiosk_service import Hub, NotSaved
from hub.needs import kiosk_needs
from hub.storage import HubStore
from hub.sync import SyncError, check_bundle_file
from tests.factories import make_service

LATER = datetime(2027, 1, 1, tzinfo=UTC)
"""When the bundle is checked: after the sample services' own last_modified dates."""
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HubStore]:
    """Return a set-up hub's data folder with one service."""
    with HubStore.open(tmp_path / "data") as opened:
        setup_hub(opened, "Church End Library")
        opened.save_services([make_service(name="Harlesden Food Bank")])
        yield opened


@pytest.fixture
def kiosk_hub(store: HubStore) -> Hub:
    """Return the kiosk's Hub over that folder, on a fixed clock."""
    return Hub(store, needs=kiosk_needs(), clock=lambda: NOW)


def test_an_export_waits_for_the_hubs_writer_and_then_writes_the_bundle(
    kiosk_hub: Hub, store: HubStore, tmp_path: Path
) -> None:
    desk = CoordinatorDesk(kiosk_hub)
    path = tmp_path / "bundle.json"
    done = threading.Event()

    def export() -> None:
        desk.export(path, everything=True, redact=True, replace=False, staff_id=None)
        done.set()

    with kiosk_hub.writing():  # another save is under way
        worker = threading.Thread(target=export)
        worker.start()
        assert not done.wait(0.3), "the export ran while another write held the folder"
    worker.join(timeout=30)
    assert done.is_set()
    assert check_bundle_file(path, store=store, now=LATER, accept_unsigned=True).bundle.services
    assert desk.export_mark() is not None


def test_an_export_over_an_existing_file_is_refused_and_the_mark_does_not_move(
    kiosk_hub: Hub, tmp_path: Path
) -> None:
    desk = CoordinatorDesk(kiosk_hub)
    path = tmp_path / "bundle.json"
    path.write_text("someone's file", encoding="utf-8")
    with pytest.raises(SyncError):
        desk.export(path, everything=True, redact=True, replace=False, staff_id=None)
    assert path.read_text(encoding="utf-8") == "someone's file"
    assert desk.export_mark() is None


def test_an_export_into_a_folder_that_cannot_be_written_is_not_saved(
    kiosk_hub: Hub, tmp_path: Path
) -> None:
    desk = CoordinatorDesk(kiosk_hub)
    with pytest.raises((NotSaved, SyncError)):
        desk.export(
            tmp_path / "missing" / "bundle.json",
            everything=True,
            redact=True,
            replace=False,
            staff_id=None,
        )
    assert desk.export_mark() is None
