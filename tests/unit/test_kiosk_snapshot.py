"""The staff screens' reads through the Hub see one whole saved state (issue 16).

Another process saves while a staff screen reads: a note left and the last one handled
in one transaction (two files), or the directory replaced by one of another size. The
Hub's reads of more than one file (`open_suggestions`, `listed_page`) must never show
half of such a save.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from datetime import UTC, date, datetime
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from pathlib import Path

from hub import suggestions
from hub.kiosk_service import Hub
from hub.needs import kiosk_needs
from hub.storage import HubStore
from tests.factories import make_service

_fork = multiprocessing.get_context("fork")
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SERVICE = "a0000000-0000-4000-8000-000000000001"


def _notes_nonstop(root: Path, started: Event, stop: Event, saves: Synchronized[int]) -> None:
    """Leave a new note and handle the last one, in one transaction, until stopped."""
    with HubStore.open(root) as store:
        last = suggestions.leave_suggestion(store, SERVICE, "The phone number", date(2026, 11, 1))
        while not stop.is_set():
            with store.transaction():
                note = suggestions.leave_suggestion(store, SERVICE, "Closed", date(2026, 11, 2))
                suggestions.accept_suggestion(store, last.id, "staff-1", NOW)
            last = note
            saves.value += 1
            started.set()


def _directories_nonstop(root: Path, started: Event, stop: Event, saves: Synchronized[int]) -> None:
    """Replace the directory with 1, 2, ... 5 services, over and over, until stopped."""
    with HubStore.open(root) as store:
        size = 0
        while not stop.is_set():
            size = size % 5 + 1
            store.replace_services(make_service(name=f"Service {n}") for n in range(size))
            saves.value += 1
            started.set()


def _beside(
    root: Path,
    saving: Callable[[Path, Event, Event, Synchronized[int]], None],
    read: Callable[[Hub], None],
) -> None:
    """Run `read` on a read-only Hub while `saving` runs in another process, until it has
    run 40 times and seen the writer save 5 times more (at most 5,000 reads)."""
    HubStore.open(root).close()
    started, stop = _fork.Event(), _fork.Event()
    saves = _fork.Value("i", 0)
    writer = _fork.Process(target=saving, args=(root, started, stop, saves))
    writer.start()
    try:
        assert started.wait(60)
        with HubStore.open(root, read_only=True) as store:
            kiosk_hub = Hub(store, needs=kiosk_needs(), clock=lambda: NOW)
            reads, first = 0, saves.value
            while reads < 5_000 and (reads < 40 or saves.value < first + 5):
                read(kiosk_hub)
                reads += 1
    finally:
        stop.set()
        writer.join(60)
    assert writer.exitcode == 0


def test_visitors_notes_read_while_another_process_handles_them(tmp_path: Path) -> None:
    seen: set[str] = set()

    def one_open_note(kiosk_hub: Hub) -> None:
        notes = kiosk_hub.open_suggestions()
        assert len(notes) == 1, f"{len(notes)} open notes: half of a save was read"
        seen.add(notes[0].id)

    _beside(tmp_path / "data", _notes_nonstop, one_open_note)
    assert len(seen) > 1, "the reads never saw the writer's saves"


def test_a_page_of_services_and_its_count_agree_while_the_directory_changes(
    tmp_path: Path,
) -> None:
    sizes: set[int] = set()

    def page_and_count(kiosk_hub: Hub) -> None:
        page, total = kiosk_hub.listed_page(limit=50)
        assert len(page) == total, f"a page of {len(page)} beside a count of {total}"
        sizes.add(total)

    _beside(tmp_path / "data", _directories_nonstop, page_and_count)
    assert len(sizes) > 1, "the reads never saw the writer's saves"
