"""The audit log: which staff member did what, when, to which record. Never visitor details.

An entry holds only a staff id (or "system" / "command-line"), an action name from a
fixed pattern, a time, a record id (a UUID) and, for bulk actions, a count. There is no
free-text field, so nothing a visitor said can end up here.

Entries are kept one collection per month (`audit_2026_11`), so writing an entry rewrites
one month's file however many years of entries are on record. The months in use are
listed in the store's meta, so reading needs no folder scan.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hub.storage import HubStore

SYSTEM = "system"
"""The actor for things the app does by itself, such as the purge at start."""
COMMAND_LINE = "command-line"
"""The actor for `hub` commands run at the terminal (no staff member is unlocked there)."""

# Action names used by the core; screens may add their own matching ACTION_PATTERN.
STAFF_UNLOCK = "staff.unlock"
STAFF_LOCK = "staff.lock"
STAFF_LOCKED_OUT = "staff.locked_out"
STAFF_ADD = "staff.add"
STAFF_REMOVE = "staff.remove"
STAFF_LOCKOUT_CLEARED = "staff.lockout_cleared"
REFERRAL_RECORD = "referral.record"
REFERRAL_OUTCOME = "referral.outcome"
REFERRAL_PURGE = "referral.purge"
SERVICE_ADD = "service.add"
SERVICE_EDIT = "service.edit"
SERVICE_RETIRE = "service.retire"
SERVICE_CHECK = "service.check"

ACTION_PATTERN = re.compile(r"^[a-z][a-z_]{0,29}\.[a-z][a-z_]{0,29}$")
ACTOR_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MONTHS_KEY = "audit_months"


class AuditError(ValueError):
    """An audit entry was asked for with a malformed actor, action or record id."""


@dataclass(frozen=True)
class AuditEntry:
    """One staff action: who, what, when, which record (and how many, for bulk actions)."""

    id: str
    at: datetime
    staff_id: str
    action: str
    record_id: str | None = None
    count: int | None = None

    def to_document(self) -> dict[str, Any]:
        """Return the entry as a JSON-ready dict."""
        return {
            "at": self.at.astimezone(UTC).isoformat(),
            "staff_id": self.staff_id,
            "action": self.action,
            "record_id": self.record_id,
            "count": self.count,
        }

    @classmethod
    def from_document(cls, entry_id: str, doc: dict[str, Any]) -> AuditEntry:
        """Return the entry stored as `doc`."""
        return cls(
            id=entry_id,
            at=datetime.fromisoformat(doc["at"]),
            staff_id=doc["staff_id"],
            action=doc["action"],
            record_id=doc.get("record_id"),
            count=doc.get("count"),
        )


def _collection_name(month: str) -> str:
    """Return the collection holding one month's entries ("2026-11" -> "audit_2026_11")."""
    return "audit_" + month.replace("-", "_")


def _check(staff_id: str, action: str, record_id: str | None, count: int | None) -> None:
    """Raise AuditError unless every part is a plain identifier, never free text."""
    if not ACTOR_PATTERN.match(staff_id):
        raise AuditError(f"audit actor must be a staff id, not {staff_id[:20]!r}")
    if not ACTION_PATTERN.match(action):
        raise AuditError(f"audit action must look like 'referral.record', not {action[:40]!r}")
    if record_id is not None:
        try:
            uuid.UUID(record_id)
        except ValueError:
            raise AuditError("audit record id must be a UUID") from None
    if count is not None and count < 0:
        raise AuditError("audit count must not be negative")


def record_action(
    store: HubStore,
    staff_id: str,
    action: str,
    record_id: str | None,
    now: datetime,
    *,
    count: int | None = None,
) -> AuditEntry:
    """Return the audit entry after saving it durably.

    `staff_id` is a staff member's id, SYSTEM or COMMAND_LINE; `action` is a name like
    "referral.record"; `record_id` is the UUID of the record acted on, if any.
    """
    _check(staff_id, action, record_id, count)
    entry = AuditEntry(
        id=str(uuid.uuid4()),
        at=now.astimezone(UTC),
        staff_id=staff_id,
        action=action,
        record_id=record_id,
        count=count,
    )
    month = entry.at.strftime("%Y-%m")
    with store.writing():  # the list of months is read and extended in one step
        months: list[str] = list(store.meta(MONTHS_KEY, []))
        if month not in months:
            # Listed before the first write, so a crash in between at worst lists an empty month.
            store.set_meta(MONTHS_KEY, sorted([*months, month]))
        store.collection(_collection_name(month)).put(entry.id, entry.to_document())
    return entry


def audit_entries(store: HubStore, since: datetime | None = None) -> list[AuditEntry]:
    """Return audit entries (at or after `since`, if given), oldest first."""
    since_month = None if since is None else since.astimezone(UTC).strftime("%Y-%m")
    found: list[AuditEntry] = []
    for month in store.meta(MONTHS_KEY, []):
        if since_month is not None and month < since_month:
            continue
        collection = store.collection(_collection_name(month))
        for entry_id, doc in collection.all().items():
            entry = AuditEntry.from_document(entry_id, doc)
            if since is None or entry.at >= since:
                found.append(entry)
    # A stable sort on time alone: entries made in the same instant keep the order they
    # were written in (each month file keeps insertion order).
    found.sort(key=lambda entry: entry.at)
    return found


def purge_before(store: HubStore, cutoff: datetime) -> int:
    """Return how many audit entries were deleted for being older than `cutoff`.

    The audit log is kept as long as the referrals it speaks of, and no longer: an entry
    naming a purged referral's id would outlive the record it is about.
    """
    with store.writing():  # the months are read and trimmed in one step
        return _purge_before(store, cutoff)


def _purge_before(store: HubStore, cutoff: datetime) -> int:
    cutoff_month = cutoff.astimezone(UTC).strftime("%Y-%m")
    months: list[str] = list(store.meta(MONTHS_KEY, []))
    removed = 0
    emptied: list[str] = []
    for month in months:
        if month > cutoff_month:
            continue
        collection = store.collection(_collection_name(month))
        entries = collection.all()
        keep = {
            entry_id: doc
            for entry_id, doc in entries.items()
            if datetime.fromisoformat(doc["at"]) >= cutoff
        }
        if len(keep) == len(entries):
            continue
        # Written twice on purpose: storage keeps the previous version of a file as
        # NAME.bak, and after one write that backup still holds the deleted entries.
        collection.replace_all(keep)
        collection.replace_all(keep)
        removed += len(entries) - len(keep)
        if not keep:
            emptied.append(month)
    if emptied:
        store.set_meta(MONTHS_KEY, [m for m in months if m not in emptied])
    return removed
