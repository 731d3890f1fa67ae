"""The kiosk's one door to the data: typed results, typed errors, one writer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import hub.durable_files
import hub.storage
from hub.hub_identity import setup_hub
from hub.kiosk_service import Hub, NotFound, NotSaved
from hub.models import Suggestion
from hub.needs import kiosk_needs, tile_needs
from hub.search import Filters
from hub.staff import add_staff
from hub.storage import HubStore
from hub.suggestions import open_suggestions
from tests.factories import make_service
from tests.full_disk import FullDiskOS

FOOD = "00000000-0000-4000-8000-000000000001"
ADVICE = "00000000-0000-4000-8000-000000000002"
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HubStore]:
    """Return a store with a hub set up and two services."""
    with HubStore.open(tmp_path / "data") as opened:
        setup_hub(opened, "Church End Library")
        opened.save_services(
            [
                make_service(id=FOOD, name="Harlesden Food Bank"),
                make_service(id=ADVICE, name="Money Advice Drop-in"),
            ]
        )
        yield opened


@pytest.fixture
def kiosk_hub(store: HubStore) -> Hub:
    """Return a Hub over the store, on a fixed clock."""
    return Hub(store, needs=kiosk_needs(), clock=lambda: NOW)


def test_a_note_comes_back_typed_and_is_stored(kiosk_hub: Hub, store: HubStore) -> None:
    note = kiosk_hub.leave_suggestion(FOOD, "They meet on Thursdays now")
    assert isinstance(note, Suggestion)
    assert note.day == NOW.date()
    assert [n.id for n in open_suggestions(store)] == [note.id]
    assert [n.id for n in kiosk_hub.open_suggestions()] == [note.id]


def test_search_finds_by_words_and_gives_results_with_services(kiosk_hub: Hub) -> None:
    found = kiosk_hub.search("food bank", filters=Filters())
    assert found and found[0].service.id == FOOD
    assert kiosk_hub.find_services(query="", need_id=None, filters=Filters()) == []


def test_an_unknown_service_is_not_found(kiosk_hub: Hub) -> None:
    with pytest.raises(NotFound):
        kiosk_hub.mark_checked("00000000-0000-4000-8000-00000000dead", "staff-1")
    with pytest.raises(NotFound):
        kiosk_hub.dismiss_suggestion("no-such-note", "staff-1")


def test_a_full_disk_is_not_saved_and_changes_nothing(
    kiosk_hub: Hub, store: HubStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub.durable_files, "os", FullDiskOS())
    with pytest.raises(NotSaved) as refused:
        kiosk_hub.leave_suggestion(FOOD, "Closed on Mondays")
    assert isinstance(refused.value.__cause__, hub.storage.StorageError | OSError)
    monkeypatch.undo()
    assert open_suggestions(store) == []


def test_writes_from_many_threads_are_all_kept(kiosk_hub: Hub, store: HubStore) -> None:
    """Without the one writer, threads saving at once lose each other's notes."""
    per_thread, threads = 15, 6
    start = threading.Barrier(threads)

    def leave_notes(n: int) -> None:
        start.wait()
        for i in range(per_thread):
            kiosk_hub.leave_suggestion(FOOD, f"note {n}-{i}")

    workers = [threading.Thread(target=leave_notes, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    texts = {note.text for note in open_suggestions(store)}
    assert len(texts) == per_thread * threads


def test_a_hub_it_opened_is_closed_and_can_be_opened_again(tmp_path: Path) -> None:
    needs = tile_needs()
    opened = Hub.open(tmp_path / "data", needs=needs, clock=lambda: NOW)
    opened.leave_suggestion(FOOD, "hello")
    opened.close()
    again = Hub.open(tmp_path / "data", needs=needs, clock=lambda: NOW)
    assert [n.text for n in again.open_suggestions()] == ["hello"]
    again.close()


def test_a_pin_is_hashed_without_holding_the_writer(
    kiosk_hub: Hub, store: HubStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow PIN check must not make a referral or a note wait behind it."""
    import hub.staff

    add_staff(store, "Ana Silva", "482193", NOW)
    hashing = threading.Event()
    release = threading.Event()
    real_verify = hub.staff.verify_pin

    def slow_verify(pin: str, stored: str) -> bool:
        hashing.set()
        assert release.wait(10), "the test never released the hash"
        return real_verify(pin, stored)

    monkeypatch.setattr(hub.staff, "verify_pin", slow_verify)
    results: list[object] = []
    signing_in = threading.Thread(
        target=lambda: results.append(kiosk_hub.unlock("Ana Silva", "482193"))
    )
    signing_in.start()
    try:
        assert hashing.wait(10)
        saved = threading.Event()

        def save_a_note() -> None:
            kiosk_hub.leave_suggestion(FOOD, "The phone number has changed")
            saved.set()

        writer = threading.Thread(target=save_a_note)
        writer.start()
        assert saved.wait(5), "a save waited for the PIN hash"
        writer.join()
    finally:
        release.set()
        signing_in.join(timeout=30)
    (result,) = results
    assert getattr(result, "member", None) is not None
    assert [s.text for s in open_suggestions(store)] == ["The phone number has changed"]


def test_an_import_by_another_process_shows_up_in_a_running_kiosk(
    kiosk_hub: Hub, store: HubStore
) -> None:
    """`hub directory import` beside the open kiosk: its next search finds the new services."""
    from tests.cli.runner import hub as run_hub

    def names() -> set[str]:
        return {result.service.name for result in kiosk_hub.search("memory cafe")}

    kiosk_hub.load_directory()
    assert "Kilburn Memory Café" not in names()
    assert not kiosk_hub.directory_changed()
    feed = Path(__file__).resolve().parents[1] / "fixtures" / "hsds3_council_feed.json"
    imported = run_hub(store.root, "directory", "import", str(feed))
    assert imported.returncode == 0, imported.stderr
    assert kiosk_hub.directory_changed()  # noticed without a restart: one SELECT of the revision
    kiosk_hub.load_directory()  # what the kiosk's worker runs when it notices
    assert not kiosk_hub.directory_changed()
    assert "Kilburn Memory Café" in names()
    assert {s.name for s in kiosk_hub.listed_services()} >= {"Harlesden Food Bank"}


def test_staff_never_see_a_referral_past_its_time_even_before_the_start_up_purge(
    store: HubStore,
) -> None:
    """The kiosk purges in a worker once Home is drawn; anything that shows staff
    referrals asks the Hub to tidy up first, so the order of the two never matters."""
    from datetime import timedelta

    from tests.factories import make_referral

    long_ago = NOW - timedelta(days=800)
    expired = make_referral(recorded_at=long_ago, updated_at=long_ago, now=long_ago)
    today = make_referral(now=NOW)
    store.save_referrals([expired, today])
    kiosk_hub = Hub(store, clock=lambda: NOW)
    info = kiosk_hub.hub_info()
    assert info is not None
    shown = kiosk_hub.todays_referrals(today.hub_id)
    assert [referral.id for referral in shown] == [today.id]
    assert [referral.id for referral in store.referrals()] == [today.id]  # purged, not hidden
    kiosk_hub.tidy_up()  # the worker's turn afterwards: nothing left to do
    assert [referral.id for referral in store.referrals()] == [today.id]


def test_a_hub_without_needs_given_searches_with_the_bundled_ones(store: HubStore) -> None:
    found = Hub(store, clock=lambda: NOW).search("food bank", filters=Filters())
    assert found and found[0].service.id == FOOD
