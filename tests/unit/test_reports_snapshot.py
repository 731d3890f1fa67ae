"""Reports and the coordinator desk count one whole saved state (issue 16).

A writer process saves, again and again in one transaction, two referrals (in two
months, so two shard files) and one more "piano lessons" search that found nothing (the
unmet file). Whenever a reader looks, the referrals are twice the searches. A report or
dashboard read while the writer saves must never break that: a referral counted but the
search beside it missing would be one file new and another old.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Iterator
from datetime import UTC, date, datetime
from multiprocessing.synchronize import Event
from pathlib import Path

from hub.coordinator_desk import CoordinatorDesk
from hub.hub_identity import setup_hub
from hub.kiosk_service import Hub
from hub.needs import more_needs, tile_needs
from hub.report_output import report_document
from hub.reports import report, top_unmet_searches, total_referrals
from hub.storage import HubStore
from hub.unmet import log_unmet_search
from tests.factories import make_referral

_fork = multiprocessing.get_context("fork")
WORDS = "piano lessons"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
MONTHS = (datetime(2026, 10, 15, 12, 0, tzinfo=UTC), datetime(2026, 11, 16, 12, 0, tzinfo=UTC))


def _save_nonstop(root: Path, started: Event, stop: Event) -> None:
    """Two referrals (two shards) and one unmet search, in one transaction, until stopped."""
    with HubStore.open(root) as store:
        while not stop.is_set():
            with store.transaction():
                store.save_referrals(
                    make_referral(recorded_at=when, needs=["food"]) for when in MONTHS
                )
                log_unmet_search(store, WORDS, date(2026, 11, 20))
            started.set()


@contextlib.contextmanager
def writer_saving(root: Path) -> Iterator[None]:
    """Set up a hub in `root`, and keep another process saving to it until the block ends."""
    with HubStore.open(root) as store:
        setup_hub(store, "Church End Library")
    started, stop = _fork.Event(), _fork.Event()
    process = _fork.Process(target=_save_nonstop, args=(root, started, stop))
    process.start()
    assert started.wait(60)
    try:
        yield
    finally:
        stop.set()
        process.join(60)
    assert process.exitcode == 0


def _searches(rows: list[dict[str, object]]) -> int:
    return sum(int(str(row["count"])) for row in rows if row["text"] == WORDS)


def test_a_report_read_while_a_writer_saves_is_one_saved_state(tmp_path: Path) -> None:
    root = tmp_path / "data"
    totals: set[int] = set()
    with writer_saving(root), HubStore.open(root, read_only=True) as store:
        for _ in range(40):
            document = report_document(store, since=None, until=None, by="need", now=NOW)
            total = int(document["total_referrals"])
            searches = _searches(document["unmet_searches"])
            assert total == 2 * searches, f"{total} referrals beside {searches} searches"
            assert sum(row["referrals"] for row in document["rows"]) == total
            totals.add(total)
            # Each figure alone reads one state too (its own snapshot).
            rows = report(store, by="need")
            assert [row.referrals for row in rows] in ([], [rows[0].referrals])
            assert total_referrals(store) % 2 == 0
    assert len(totals) > 1, "the reports never saw the writer's saves"


def test_the_dashboard_s_figures_read_while_a_writer_saves_agree(tmp_path: Path) -> None:
    root = tmp_path / "data"
    totals: set[int] = set()
    with writer_saving(root), HubStore.open(root, read_only=True) as store:
        desk = CoordinatorDesk(Hub(store, needs=[*tile_needs(), *more_needs()]))
        for _ in range(40):
            total, unmet, by_need = desk.read_snapshot(
                lambda: (
                    desk.total_referrals(None, NOW.date()),
                    desk.top_unmet_searches(None, NOW.date(), 10),
                    desk.report(None, NOW.date(), "need"),
                )
            )
            searches = sum(row.count for row in unmet if row.text == WORDS)
            assert total == 2 * searches, f"{total} referrals beside {searches} searches"
            assert sum(row.referrals for row in by_need) == total
            totals.add(total)
    assert len(totals) > 1, "the dashboard never saw the writer's saves"


def test_top_unmet_searches_alone_reads_one_state(tmp_path: Path) -> None:
    """The figures need no caller's snapshot to be whole: each takes its own."""
    root = tmp_path / "data"
    with HubStore.open(root) as store:
        setup_hub(store, "Church End Library")
        with store.transaction():
            log_unmet_search(store, WORDS, date(2026, 11, 20))
        tries = store.snapshot_tries
        rows = top_unmet_searches(store, None, None, 10)
        assert [(row.text, row.count) for row in rows] == [(WORDS, 1)]
        assert store.snapshot_tries == tries + 1
