"""Writing this hub's bundle: what changed since the last export, signed, details sealed.

The file is written whole or not at all, to a new path only (an existing file is replaced
only with `force`, and never anything that is not a regular file: a device, a folder, a
pipe). This hub's export mark moves only once the file and its folder are flushed to
disk, so a failed export sends the same records next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hub.directory_edits import local_changes_since
from hub.formats.hsds3 import to_hsds3
from hub.hub_identity import ensure_signing_key, hub_info
from hub.models import HubInfo, Service, UnmetSearch
from hub.sample_directory import sample_service_ids
from hub.schedule import LONDON
from hub.storage import HubStore, StorageError, write_file_atomically
from hub.suggestions import COLLECTION as SUGGESTIONS
from hub.sync.bundle import (
    BUNDLE_FORMAT,
    BUNDLE_VERSION,
    MAX_BUNDLE_BYTES,
    SyncError,
    signed_bytes,
)
from hub.sync.signing import Details, coordinator_key, encode_key, seal_details, sign
from hub.unmet import unmet_searches

EXPORT_MARK_KEY = "sync_last_export_at"
"""Meta key: when this hub last exported; the next export sends what changed after it."""


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote, for the person who ran it."""

    path: Path
    hub: HubInfo
    exported_at: datetime
    since: datetime | None
    """The previous export mark; None when every record was sent."""
    referrals: int
    services: int
    retired_services: int
    suggestions: int
    unmet_searches: int
    redacted: bool
    everything: bool
    """True when the whole directory was sent, not only services changed here."""
    size: int
    sealed_to: str | None = None
    """The fingerprint of the coordinator key contact details and notes are sealed to."""

    def lines(self) -> list[str]:
        """Return the summary as short lines of plain English."""
        scope = (
            "everything on record"
            if self.since is None
            else f"changes since the last export ({_iso(self.since)})"
        )
        services = f"{self.services} service{_s(self.services)}" + (
            " (the whole directory)" if self.everything else " changed at this hub"
        )
        if self.retired_services:
            services += f" ({self.retired_services} retired)"
        if self.redacted:
            details = " (contact details and notes left out)"
        elif self.sealed_to and self.referrals:
            details = f" (contact details and notes sealed for the coordinator, {self.sealed_to})"
        else:
            details = ""
        return [
            f"Wrote {self.path} ({_size(self.size)}) for {self.hub.name}: {scope}.",
            f"  {self.referrals} referral{_s(self.referrals)}{details}",
            f"  {services}",
            f"  {self.suggestions} visitor suggestion{_s(self.suggestions)}",
            f"  {self.unmet_searches} search{'es' if self.unmet_searches != 1 else ''}"
            " that found nothing",
            "  Signed with this hub's key. Keep the file safe until the coordinator has it.",
        ]


def _size(size: int) -> str:
    return f"{size:,} bytes" if size < 10_240 else f"{size / 1024:,.0f} KB"


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _iso(moment: datetime) -> str:
    """Return "2026-11-26T14:03:00Z" (microseconds only when there are some)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def export_mark(store: HubStore) -> datetime | None:
    """Return when this hub last exported, or None if it never has."""
    value = store.meta(EXPORT_MARK_KEY)
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value).astimezone(UTC)
    except ValueError:
        return None  # a hand-edited mark: send everything rather than guess


def check_export_path(path: Path, *, force: bool) -> None:
    """Raise SyncError unless `path` may be written: new, or a regular file with `force`."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise SyncError(
                f"the folder {path.parent} does not exist (is the USB stick plugged in?)"
            ) from None
        return
    except OSError as exc:
        raise SyncError(f"{path} cannot be checked ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise SyncError(f"{path} is a folder: give a file name, like {path / 'hub-bundle.json'}")
    if not stat.S_ISREG(info.st_mode):
        raise SyncError(
            f"{path} is not a regular file (a device, a pipe or a link); give a new file name"
        )
    if not force:
        raise SyncError(
            f"{path} already exists (an earlier bundle the coordinator may not have yet); "
            "give a new file name, or add --force to replace it"
        )


_Gathered = tuple[
    list[dict[str, Any]], Details, list[Service], list[dict[str, Any]], list[UnmetSearch]
]
"""What a bundle sends, read together: referrals, their details, services, suggestions,
searches that found nothing."""


def export_bundle(
    store: HubStore,
    path: Path,
    *,
    everything: bool = False,
    redact: bool = False,
    force: bool = False,
    now: datetime,
) -> ExportSummary:
    """Return a summary after writing this hub's signed bundle to `path` atomically.

    Sends this hub's referrals recorded or changed since the last export (all of them
    with `everything`), the services changed here (the whole directory with
    `everything`, which is how a coordinator sends the directory back to the hubs),
    visitors' suggestions and searches that found nothing. Referrals' contact and notes
    are sealed to the enrolled coordinator's key, or left out with `redact`. Raises
    SyncError when the hub has no id yet, the path is taken, no coordinator key is
    enrolled for details that would travel, or the file cannot be written; nothing is
    changed then.
    """
    hub = hub_info(store)
    if hub is None:
        raise SyncError('this hub has no id yet: run `hub setup --name "HUB NAME"` first')
    path = Path(path)
    check_export_path(path, force=force)
    try:
        key = ensure_signing_key(store)  # hubs set up before signing get their key here
    except StorageError as exc:
        raise SyncError(str(exc)) from exc
    stamp = now.astimezone(UTC)
    since = None if everything else export_mark(store)

    def gather() -> _Gathered:
        """Read everything the bundle sends, from one committed state of the folder."""
        referral_docs: list[dict[str, Any]] = []
        details: Details = {}
        for doc in store.referral_documents():
            if doc.get("hub_id") != hub.id:
                continue  # other hubs' referrals (at a coordinator) are theirs to send
            if since is not None and datetime.fromisoformat(str(doc["updated_at"])) <= since:
                continue
            referral = dict(doc)
            if referral.get("contact") or referral.get("notes"):
                details[str(referral["id"])] = (referral.get("contact"), referral.get("notes"))
            referral["contact"] = None
            referral["notes"] = None
            referral_docs.append(referral)
        referral_docs.sort(key=lambda doc: (str(doc["recorded_at"]), str(doc["id"])))

        # The bundled sample is fictional: it must never reach a coordinator's directory.
        fictional = sample_service_ids(store)
        services = [
            service
            for service in (store.services() if everything else local_changes_since(store, since))
            if service.id not in fictional
        ]
        since_day = None if since is None else since.astimezone(LONDON).date() - timedelta(days=1)
        suggestions = [
            doc
            for doc in store.collection(SUGGESTIONS).all().values()
            if since_day is None or str(doc.get("day", "")) >= since_day.isoformat()
        ]
        suggestions.sort(key=lambda doc: (str(doc.get("day")), str(doc.get("id"))))
        unmet = unmet_searches(store, since_day)
        return referral_docs, details, services, suggestions, unmet

    # Read as one snapshot: a save landing half way must not send a referral without the
    # service change made with it (see HubStore.read_snapshot).
    referral_docs, details, services, suggestions, unmet = store.read_snapshot(gather)

    coordinator = None if redact else coordinator_key(store)
    if not redact and coordinator is None and referral_docs:
        raise SyncError(
            "no coordinator key is enrolled at this hub, so referrals' contact details and "
            "notes cannot be protected on the way: enrol it with "
            "`hub sync trust --coordinator FILE|KEY`, or export with --redact to leave them out"
        )

    document: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "hub": hub.model_dump(mode="json"),
        "exported_at": _iso(stamp.replace(microsecond=0)),
        "referrals": referral_docs,
        "services": [to_hsds3(service) for service in services],
        "suggestions": suggestions,
        "unmet_searches": [item.model_dump(mode="json") for item in unmet],
        "public_key": encode_key(bytes(key.verify_key)),
    }
    sealed_to = None
    if coordinator is None:
        document["personal_details"] = "redacted"
    else:
        sealed_to = coordinator.fingerprint
        document["personal_details"] = "sealed"
        document["sealed_to"] = sealed_to
        document["sealed_details"] = seal_details(details, coordinator.public_key)
    digest = hashlib.sha256(signed_bytes(document)).digest()
    document["signature"] = sign(digest, key)
    document["sha256"] = digest.hex()
    payload = (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if len(payload) > MAX_BUNDLE_BYTES:
        raise SyncError(
            f"the bundle would be {len(payload) / 1_048_576:.0f} MB, more than the "
            f"{MAX_BUNDLE_BYTES // 1_048_576} MB an import accepts; export without --all"
        )
    check_export_path(path, force=force)  # again: a file may have appeared meanwhile
    try:
        # Writes a temporary file, fsyncs it, renames it into place and fsyncs the folder.
        write_file_atomically(path, payload)
    except StorageError as exc:  # the message names the file; nothing was written
        raise SyncError(str(exc)) from exc
    # Only now is the file safely on disk, so only now may the next export skip these.
    store.set_meta(EXPORT_MARK_KEY, _iso(stamp))
    return ExportSummary(
        path=path,
        hub=hub,
        exported_at=stamp,
        since=since,
        referrals=len(referral_docs),
        services=len(services),
        retired_services=sum(1 for s in services if s.status == "defunct"),
        suggestions=len(suggestions),
        unmet_searches=len(unmet),
        redacted=redact,
        everything=everything,
        size=len(payload),
        sealed_to=sealed_to,
    )


__all__ = ["EXPORT_MARK_KEY", "ExportSummary", "check_export_path", "export_bundle", "export_mark"]
