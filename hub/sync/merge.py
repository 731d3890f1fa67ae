"""Merging checked bundles into this hub's records: once and only once, all or nothing.

`import_bundles` checks *every* file first (`hub.sync.checks`); one bad file and nothing
changes at all. Then it decides, file by file, what wins, and saves every change in one
storage transaction (`HubStore.transaction`): a kill -9 at any moment leaves all of the
import or none of it. The checks and the deciding run without the folder's lock; the lock
is held only for the commit, once the folder's revision shows nothing was saved meanwhile.
Merging is idempotent: the same file twice adds and updates nothing, and writes nothing.

Merge rules: referrals by id, the later `updated_at` wins; services by id, the later
`last_modified` wins (a retired service travels as status "defunct", so the later
retirement wins too). When the times are equal, the copy whose canonical JSON has the
greater SHA-256 wins: decided by content alone, so the result never depends on the order
files come in or on which hub's id sorts last. Contact details and notes a file did not
send (redacted, or sealed to another key) are never erased.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hub.config import load_settings
from hub.durable_files import changes_so_far
from hub.folder_lock import read_revision
from hub.hub_identity import hub_info, load_signing_key
from hub.index_follow import index_following
from hub.models import HubInfo, Referral, Service, Suggestion, UnmetSearch
from hub.needs import normalise
from hub.sample_directory import remember_sample_flag
from hub.storage import HubStore
from hub.suggestions import COLLECTION as SUGGESTIONS
from hub.sync.bundle import BundleBatchError, BundleError, content_digest
from hub.sync.checks import CheckedFile, DetailsMode, Receiver, check_file, fill_details
from hub.sync.signing import trusted_keys

HUBS = "hubs"
"""Collection: every hub seen in an imported bundle, by id (names for reports)."""

IMPORTED_UNMET = "imported_unmet_searches"
"""Collection: other hubs' searches that found nothing, keyed by hub, day and words.

Kept apart from this hub's own `unmet_searches`, so a coordinator never sends other
hubs' searches back out as its own."""


@dataclass
class Counts:
    """How one file's records of one kind fared: new, newer than ours, or not."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def words(self) -> str:
        """Return "3 added, 1 updated, 0 unchanged"."""
        return f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class FileSummary:
    """What importing one bundle did (or, for a batch, will do once it is saved)."""

    path: Path
    hub: HubInfo
    exported_at: datetime
    signer: str = "hub"
    referrals: Counts = field(default_factory=Counts)
    services: Counts = field(default_factory=Counts)
    suggestions_added: int = 0
    unmet_searches_changed: int = 0
    expired: int = 0
    """Referrals left out because they are older than this hub keeps referrals."""
    warnings: list[str] = field(default_factory=list)
    """Lines to show as `warning:` (an unsigned file, details that could not be read)."""

    @property
    def changed(self) -> bool:
        """True when this file added or updated anything."""
        return bool(
            self.referrals.added
            or self.referrals.updated
            or self.services.added
            or self.services.updated
            or self.suggestions_added
            or self.unmet_searches_changed
        )

    def lines(self) -> list[str]:
        """Return the summary as short lines: the file, then counts per kind."""
        signed = {
            "coordinator": "signed by the coordinator",
            "hub": "signed",
            "this hub": "signed by this hub",
            "unsigned": "UNSIGNED",
        }.get(self.signer, self.signer)
        lines = [
            f"{self.path}: from {self.hub.name} ({signed}), exported {_iso(self.exported_at)}",
            f"  referrals: {self.referrals.words()}",
            f"  services: {self.services.words()}",
            f"  suggestions: {self.suggestions_added} added;"
            f" searches that found nothing: {self.unmet_searches_changed} added or updated",
        ]
        if self.expired:
            lines.append(
                f"  {self.expired} referral{'' if self.expired == 1 else 's'} left out: older "
                "than this hub keeps referrals"
            )
        return lines


_ADDED, _UPDATED, _UNCHANGED = "added", "updated", "unchanged"


def _later_copy(new_time: datetime, old_time: datetime, new_doc: Any, old_doc: Any) -> bool:
    """True when the new copy wins: the later time, then the greater content digest."""
    if new_time != old_time:
        return new_time > old_time
    return content_digest(new_doc) > content_digest(old_doc)


class _Merge:
    """Decides, file by file, what an import will change, then saves it all at once.

    Nothing is written until `commit`; deciding as each file is checked means only the
    winning records stay in memory, not every file's records at once.
    """

    def __init__(self, store: HubStore, now: datetime) -> None:
        self.store = store
        self.now = now
        self.keep_after = now.astimezone(UTC) - timedelta(days=load_settings(store).retention_days)
        self._stored_referrals: dict[str, Mapping[str, Any]] | None = None
        self.referrals: dict[str, Referral] = {}
        self.services: dict[str, Service] = {}
        self.suggestions: dict[str, dict[str, Any]] = {}
        self.unmet: dict[str, dict[str, Any]] = {}
        self.hubs: dict[str, dict[str, Any]] = {}
        self.summaries: list[FileSummary] = []

    def stored_referrals(self) -> dict[str, Mapping[str, Any]]:
        """Return the stored referral documents by id (read-only; loaded once)."""
        if self._stored_referrals is None:
            self._stored_referrals = {
                str(doc["id"]): doc for doc in self.store.referral_documents()
            }
        return self._stored_referrals

    def stored_service(self, service_id: str) -> Service | None:
        """Return the stored service with this id, or None (read by id: a directory of
        50,000 services is never loaded whole for a bundle of a few)."""
        return self.store.service(service_id)

    def add(self, result: CheckedFile) -> None:
        """Decide what this file changes, on top of the files before it in the batch."""
        checked = result.checked
        bundle = checked.bundle
        summary = FileSummary(
            path=checked.path,
            hub=bundle.hub,
            exported_at=bundle.exported_at,
            signer=checked.signer,
            warnings=list(checked.warnings),
        )
        # A referral exactly as stored loses to (or equals) anything an earlier file in
        # the batch brought, since that had to beat the stored copy to be kept.
        summary.referrals.unchanged += result.already_stored
        for referral, raw in zip(bundle.referrals, result.raw_referrals, strict=True):
            if referral.recorded_at < self.keep_after:
                summary.expired += 1
                continue
            outcome = self._referral(referral, raw, checked.details)
            setattr(summary.referrals, outcome, getattr(summary.referrals, outcome) + 1)
        for service in checked.services:
            outcome = self._service(service)
            setattr(summary.services, outcome, getattr(summary.services, outcome) + 1)
        summary.suggestions_added = self._suggestions(bundle.suggestions)
        summary.unmet_searches_changed = self._unmet(bundle.hub, bundle.unmet_searches)
        self._hub(bundle.hub, bundle.exported_at)
        self.summaries.append(summary)

    def _referral(self, incoming: Referral, raw: Any, details: DetailsMode) -> str:
        pending = self.referrals.get(incoming.id)
        if pending is not None:  # an earlier file in this batch had it
            doc = incoming.model_dump(mode="json")
            if details != "known":  # keep what the earlier file sent, as for stored copies
                fill_details(doc, pending.model_dump(mode="json"), details)
                incoming = Referral.model_validate(doc)
            if pending == incoming:
                return _UNCHANGED
            if _later_copy(
                incoming.updated_at, pending.updated_at, doc, pending.model_dump(mode="json")
            ):
                self.referrals[incoming.id] = incoming
                return _UPDATED
            return _UNCHANGED
        stored = self.stored_referrals().get(incoming.id)
        if stored is None:
            self.referrals[incoming.id] = incoming
            return _ADDED
        # Fast path: a file we exported holds exactly what storage holds.
        if raw == stored:
            return _UNCHANGED
        doc = incoming.model_dump(mode="json")
        if doc == stored:
            return _UNCHANGED
        stored_time = datetime.fromisoformat(str(stored["updated_at"]))
        if _later_copy(incoming.updated_at, stored_time, doc, stored):
            self.referrals[incoming.id] = incoming
            return _UPDATED
        return _UNCHANGED

    def _service(self, incoming: Service) -> str:
        current = self.services.get(incoming.id) or self.stored_service(incoming.id)
        if current is None:
            self.services[incoming.id] = incoming
            return _ADDED
        new_doc = incoming.model_dump(mode="json")
        old_doc = current.model_dump(mode="json")
        if new_doc == old_doc:
            return _UNCHANGED
        if _later_copy(incoming.last_modified, current.last_modified, new_doc, old_doc):
            self.services[incoming.id] = incoming
            return _UPDATED
        return _UNCHANGED

    def _suggestions(self, suggestions: Sequence[Suggestion]) -> int:
        stored = self.store.collection(SUGGESTIONS).raw()
        added = 0
        for suggestion in suggestions:
            # A note never changes once written, so the first copy seen is kept.
            if suggestion.id in stored or suggestion.id in self.suggestions:
                continue
            self.suggestions[suggestion.id] = suggestion.model_dump(mode="json")
            added += 1
        return added

    def _unmet(self, hub: HubInfo, searches: Sequence[UnmetSearch]) -> int:
        stored = self.store.collection(IMPORTED_UNMET).raw()
        changed = 0
        for search in searches:
            # Keyed by hub, day and words with the count *replaced*: a later export of
            # the same day carries the new total, and a second import changes nothing.
            key = f"{hub.id}|{search.day.isoformat()}|{normalise(search.text)}"
            doc = {
                "hub_id": hub.id,
                "text": search.text,
                "day": search.day.isoformat(),
                "count": search.count,
            }
            current = self.unmet.get(key) or stored.get(key)
            if current != doc:
                self.unmet[key] = doc
                changed += 1
        return changed

    def _hub(self, hub: HubInfo, exported_at: datetime) -> None:
        current = self.hubs.get(hub.id) or self.store.collection(HUBS).raw().get(hub.id)
        doc = {"id": hub.id, "name": hub.name, "last_exported_at": _iso(exported_at)}
        if current == doc:
            return
        if (
            current is not None
            and str(current.get("last_exported_at", "")) > doc["last_exported_at"]
        ):
            return  # an older file: keep the name the hub has now
        self.hubs[hub.id] = doc

    def _drain_referrals(self) -> Iterator[Referral]:
        """Yield the winning referrals, letting go of each once storage has it."""
        while self.referrals:
            _, referral = self.referrals.popitem()
            yield referral

    def commit(self) -> list[FileSummary]:
        """Save every decided change in one transaction: all of it lands, or none."""
        if not (self.services or self.referrals or self.suggestions or self.unmet or self.hubs):
            return self.summaries
        # The saved search index follows a few changed services, once they are committed.
        with index_following(self.store, self.services.keys()), self.store.transaction():
            if self.services:
                self.store.save_services(self.services.values())
            if self.referrals:
                self.store.save_referrals(self._drain_referrals())
            if self.suggestions:
                self.store.collection(SUGGESTIONS).put_many(self.suggestions)
            if self.unmet:
                self.store.collection(IMPORTED_UNMET).put_many(self.unmet)
            if self.hubs:
                self.store.collection(HUBS).put_many(self.hubs)
        if self.services:
            remember_sample_flag(self.store)  # after the commit: it is keyed to the saved file
        return self.summaries


def receiver_for(store: HubStore, *, accept_unsigned: bool = False) -> Receiver:
    """Return what the checks need to know about this hub: its id, key and enrolled keys."""
    return Receiver(
        hub=hub_info(store),
        key=load_signing_key(store),
        trusted=trusted_keys(store),
        accept_unsigned=accept_unsigned,
    )


def import_bundles(
    store: HubStore,
    paths: Sequence[Path],
    *,
    now: datetime,
    accept_unsigned: bool = False,
) -> list[FileSummary]:
    """Return what each file changed, after merging every file in; or change nothing.

    Every file is checked completely first. If any is bad, BundleBatchError lists one
    line per bad file and nothing at all is changed. Referrals older than this hub's
    retention period are left out, so a re-sent old file cannot bring back purged data.

    The files are checked and the merge decided *without* the folder's lock (a big bundle
    takes seconds, and no kiosk should wait behind it), against the folder's revision
    read first. The lock is then taken only to commit, and only if the revision has not
    moved (no process saved, nor did taking the lock finish a killed save): else the merge
    is decided again against what is saved now. After `_OPTIMISTIC_TRIES` such rounds it
    is decided under the lock, so an import on a busy folder still ends.
    """
    for _ in range(_OPTIMISTIC_TRIES):
        seen = read_revision(store.root)
        decided = _decide(store, paths, now=now, accept_unsigned=accept_unsigned)
        changes_before = changes_so_far()
        with store.writing():
            if read_revision(store.root) == seen and changes_so_far() == changes_before:
                return decided.commit()
    with store.writing():
        return _decide(store, paths, now=now, accept_unsigned=accept_unsigned).commit()


_OPTIMISTIC_TRIES = 3
"""Times an import checks and decides without the lock before it does so under it."""


def _decide(
    store: HubStore, paths: Sequence[Path], *, now: datetime, accept_unsigned: bool
) -> _Merge:
    """Return the merge decided from every file, each checked whole; change nothing.

    Raises BundleBatchError, one line per bad file, when any file is bad."""
    receiver = receiver_for(store, accept_unsigned=accept_unsigned)
    merge = _Merge(store, now)
    stored = merge.stored_referrals()
    errors: list[BundleError] = []
    for path in paths:
        try:
            result = check_file(Path(path), now, receiver, stored)
        except BundleError as exc:
            errors.append(exc)
            continue
        if not errors:  # once a file is bad nothing will be saved; only keep checking
            merge.add(result)
        del result
    if errors:
        raise BundleBatchError(errors)
    return merge


def _iso(moment: datetime) -> str:
    """Return "2026-11-26T14:03:00Z" (microseconds only when there are some)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
