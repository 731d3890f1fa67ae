"""What the coordinator screens may ask of a hub's data: figures, an export, an import.

The kiosk's screens reach the data through one door, the `Hub` (`hub.kiosk_service`). The
three coordinator screens (export for the coordinator, import files, the dashboard) ask
for more than a visitor or a referral does, so their questions live here, in a desk built
over that same Hub: every write goes through the Hub's one writer (its lock), and every
read takes the lock so it never sees this process's import half-applied. Another
process's save is kept out by snapshots: each figure from `hub.reports` is read from one
whole saved state, and the dashboard reads all of its figures in one (`read_snapshot`).

Errors come back typed: `NotSaved` when the folder could not be written, and the sync
package's own `SyncError` / `BundleError` / `BundleBatchError` when a bundle is refused,
because those carry the words a coordinator needs to fix the file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from hub import audit
from hub.config import load_settings
from hub.kiosk_service import Hub, NotSaved
from hub.models import HubInfo, Service
from hub.reports import (
    GroupBy,
    Row,
    UnmetRow,
    report,
    services_to_check,
    top_unmet_searches,
    total_referrals,
    urgent_search_counts,
)
from hub.staff import staff_member
from hub.storage import StorageError
from hub.sync import CheckedBundle, ExportSummary, FileSummary, check_bundle_file
from hub.sync import export_bundle as _export_bundle
from hub.sync import export_mark as _export_mark
from hub.sync import import_bundles as _import_bundles

T = TypeVar("T")

SYNC_EXPORT = "sync.export"
"""The audit action for an export (the count is its referrals)."""
SYNC_IMPORT = "sync.import"
"""The audit action for an import that changed something (the count is its referrals)."""


class CoordinatorDesk:
    """The coordinator screens' questions, answered over the kiosk's Hub."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    # --- who and where ---------------------------------------------------------------------

    def now(self) -> datetime:
        """Return the time now, by the hub's clock."""
        return self.hub.now()

    def staff_name(self, staff_id: str | None) -> str | None:
        """Return the signed-in staff member's name, or None when nobody (or nobody known)."""
        if staff_id is None:
            return None
        with self.hub.reading():
            member = staff_member(self.hub.store, staff_id)
        return member.name if member is not None else None

    def staff_idle_seconds(self) -> int:
        """Return how long a staff screen waits, untouched, before the kiosk closes it."""
        with self.hub.reading():
            return load_settings(self.hub.store).staff_idle_seconds

    def hub_info(self) -> HubInfo | None:
        """Return this hub's name and id, or None before `hub setup`."""
        return self.hub.hub_info()

    def export_mark(self) -> datetime | None:
        """Return when this hub last exported, or None if it never has."""
        with self.hub.reading():
            return _export_mark(self.hub.store)

    # --- the dashboard's figures -----------------------------------------------------------

    def read_snapshot(self, read: Callable[[], T]) -> T:
        """Return `read()` (the desk's own questions) as of one whole saved state.

        The dashboard asks several questions of many files (referral shards, hubs, unmet
        searches, services) while a kiosk or an import may be saving: inside this they all
        answer from one state (see `HubStore.read_snapshot`). Call it from a worker thread:
        it may wait a few milliseconds for another process's save.
        """
        return self.hub.read_snapshot(read)

    def report(self, since: date | None, until: date, by: GroupBy) -> list[Row]:
        """Return referral counts grouped `by` ("need", "week", "hub"), in the period."""
        with self.hub.reading():
            return report(self.hub.store, since=since, until=until, by=by)

    def total_referrals(self, since: date | None, until: date) -> int:
        """Return how many referrals were made in the period."""
        with self.hub.reading():
            return total_referrals(self.hub.store, since=since, until=until)

    def top_unmet_searches(self, since: date | None, until: date, limit: int) -> list[UnmetRow]:
        """Return the searches that found nothing in the period, most asked first."""
        with self.hub.reading():
            return top_unmet_searches(self.hub.store, since, until, limit)

    def services_to_check(self) -> list[Service]:
        """Return the services whose details are due a check, oldest first."""
        with self.hub.reading():
            return services_to_check(self.hub.store, self.hub.now())

    def urgent_search_counts(self, since: date | None, until: date) -> dict[str, int]:
        """Return searches that called for urgent help in the period, by crisis kind."""
        with self.hub.reading():
            return urgent_search_counts(self.hub.store, since, until)

    # --- export and import -----------------------------------------------------------------

    def export(
        self, path: Path, *, everything: bool, redact: bool, replace: bool, staff_id: str | None
    ) -> ExportSummary:
        """Write a bundle for the coordinator at `path`; return what it holds.

        Raises SyncError when the export is refused (a path that is a device or link, an
        existing file not to be replaced) and NotSaved when the file or the export mark
        could not be written.
        """
        now = self.hub.now()
        with self.hub.writing():
            summary = _export_bundle(
                self.hub.store, path, everything=everything, redact=redact, force=replace, now=now
            )
            self._audit(staff_id, SYNC_EXPORT, now, summary.referrals)
        return summary

    def check_bundle(self, path: Path) -> CheckedBundle:
        """Return the bundle at `path` checked (read only); raises BundleError if refused."""
        with self.hub.reading():
            return check_bundle_file(path, store=self.hub.store, now=self.hub.now())

    def import_bundles(self, paths: Sequence[Path], *, staff_id: str | None) -> list[FileSummary]:
        """Import every bundle or none; return a summary a file.

        Raises BundleBatchError naming each file refused (nothing is changed) and NotSaved
        when the folder could not be written.
        """
        now = self.hub.now()
        with self.hub.writing():
            summaries = _import_bundles(self.hub.store, paths, now=now)
            if any(summary.changed for summary in summaries):
                count = sum(s.referrals.added + s.referrals.updated for s in summaries)
                self._audit(staff_id, SYNC_IMPORT, now, count)
        return summaries

    def _audit(self, staff_id: str | None, action: str, now: datetime, count: int) -> None:
        # The export or import is saved: a missing audit line must not hide that.
        with contextlib.suppress(audit.AuditError, StorageError, OSError):
            audit.record_action(
                self.hub.store, staff_id or audit.SYSTEM, action, None, now, count=count
            )


__all__ = ["SYNC_EXPORT", "SYNC_IMPORT", "CoordinatorDesk", "NotSaved"]
