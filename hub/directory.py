"""The directory's use-cases over the store: import a file, export one (the sample is in
hub.sample_directory).

Every import checks the whole file before touching the store, then makes one durable
write (or none, when nothing changed), so a bad file, or a second import of the same
file, leaves the data folder exactly as it was.
"""

from __future__ import annotations

import itertools
import logging
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from hub.config import load_settings
from hub.durable_files import replace_file
from hub.formats.common import (
    FLAVOUR_LABELS,
    AddressDefaults,
    DirectoryFileError,
    PackedServices,
    ParsedDirectory,
    RejectedRecord,
)
from hub.models import Service
from hub.sample_directory import remember_sample_flag, remember_sample_ids, sample_service_ids
from hub.storage import HubStore, PackedService

log = logging.getLogger(__name__)

ExportFormat = Literal["hsds3", "oruk1"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("hsds3", "oruk1")

_COMPARE_BATCH = 500
"""Incoming services compared with their stored copies this many at a time."""


@dataclass
class ImportReport:
    """What an import did: counts, the records left out and why, and small fixes made."""

    source: str
    flavour: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    """Services dropped because `replace` made the directory exactly the file's."""
    rejected: list[RejectedRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    is_sample: bool = False

    @property
    def changed(self) -> bool:
        """True when the directory is different after the import."""
        return bool(self.added or self.updated or self.removed)

    @property
    def imported(self) -> int:
        """Return how many of the file's services are now in the directory."""
        return self.added + self.updated + self.unchanged


def import_directory_file(
    store: HubStore, path: Path, *, replace: bool, now: datetime
) -> ImportReport:
    """Return what importing an Open Referral file did; whole-file problems raise first.

    Raises DirectoryFileError (nothing changed) for a file that cannot be used at all.
    """
    from hub.formats.to_model import read_directory_file  # not on the kiosk's way to Home

    parsed = read_directory_file(path, now=now)
    return apply_import(store, parsed, source=str(path), replace=replace, now=now)


def apply_import(
    store: HubStore, parsed: ParsedDirectory, *, source: str, replace: bool, now: datetime
) -> ImportReport:
    """Return the report of merging already-read services into the store.

    A service is "updated" when the stored copy differs. A record without its own
    `last_modified` is compared ignoring that field, and gets `now` only if it changed,
    so re-importing a council feed that carries no dates changes nothing.
    """
    report = ImportReport(
        source=source,
        flavour=FLAVOUR_LABELS[parsed.flavour],
        rejected=list(parsed.rejected),
        notes=list(parsed.notes),
        is_sample=parsed.is_sample,
    )
    if replace and not parsed.services:
        raise DirectoryFileError(
            f"{source} has no services that can be imported, and --replace would empty "
            "the directory; nothing was changed"
        )
    # The stored services are read a batch at a time, only those the file also has (to
    # compare): an import into a directory of 50,000 never holds the directory whole.
    stored_ids = store.service_ids()
    # What to write is noted by id, and the services read again from `parsed` as they are
    # written: a big feed's are in a spool file (PackedServices), not in memory.
    changed_ids: set[str] = set()
    restamped: dict[str, PackedService] = {}  # updated undated services, with their new date
    kept: set[str] = set()
    incoming_services = _incoming(parsed)
    while batch := list(itertools.islice(incoming_services, _COMPARE_BATCH)):
        stored_batch = store.services_by_id(
            service_id for service_id, _entry in batch if service_id in stored_ids
        )
        for service_id, entry in batch:
            kept.add(service_id)
            stored = stored_batch.get(service_id)
            if stored is None:
                report.added += 1
                changed_ids.add(service_id)
                continue
            incoming = (
                entry if isinstance(entry, Service) else Service.model_validate_json(entry[1])
            )
            candidate = incoming
            if incoming.id in parsed.undated_ids:
                candidate = incoming.model_copy(update={"last_modified": stored.last_modified})
            if candidate == stored or _is_our_export_of(candidate, stored):
                report.unchanged += 1
                continue
            if incoming.id in parsed.undated_ids:
                candidate = incoming.model_copy(update={"last_modified": now.astimezone(UTC)})
                restamped[service_id] = _packed(candidate)
            report.updated += 1
            changed_ids.add(service_id)
    removed: set[str] = set()
    if replace:
        # A record the file has but we could not read keeps its stored copy: the file
        # still means it to exist, and dropping it would lose a good service over a typo.
        kept.update(
            r.service_id
            for r in parsed.rejected
            if r.service_id is not None and r.service_id in stored_ids
        )
        removed = stored_ids - kept
        report.removed = len(removed)
    if changed_ids or removed:
        from hub.index_follow import index_following  # the search code: only for a change

        # What `replace` leaves is the file's services and the unreadable ones kept: the
        # same as writing them all, written as the changes alone (one transaction). The
        # saved search index follows a few changed services before the lock is let go.
        with store.writing(), index_following(store, changed_ids | removed):
            store.save_services(
                (
                    restamped.get(service_id, entry)
                    for service_id, entry in _incoming(parsed)
                    if service_id in changed_ids
                ),
                remove=sorted(removed),
            )
    if parsed.is_sample and report.changed:
        ids = parsed.services.ids if isinstance(parsed.services, PackedServices) else None
        remember_sample_ids(store, ids or (service.id for service in parsed.services))
    if report.changed:
        remember_sample_flag(store)  # now, so the kiosk's next start need not
    return report


def _incoming(parsed: ParsedDirectory) -> Iterator[tuple[str, Service | PackedService]]:
    """Yield (id, service) for the parsed services; a big feed's stay packed as text, so
    only those that are already in the directory are decoded (to compare)."""
    if isinstance(parsed.services, PackedServices):
        for service_id, text in parsed.services.packed():
            yield service_id, (service_id, text)
    else:
        for service in parsed.services:
            yield service.id, service


def _packed(service: Service) -> PackedService:
    """Return a service as the store keeps it: (id, JSON text)."""
    return service.id, service.__pydantic_serializer__.to_json(service)


def _is_our_export_of(incoming: Service, stored: Service) -> bool:
    """True when `incoming` is just our own export of `stored` read back (nothing to change).

    Each service keeps its publisher's record; reading our export back gives the same fields
    with a source record that is that export, not the publisher's. Keeping the stored copy
    then keeps the publisher's record, and importing our own file twice changes nothing.
    """
    if incoming.source is None or incoming.source == stored.source:
        return False
    if incoming.model_copy(update={"source": None}) != stored.model_copy(update={"source": None}):
        return False
    from hub.formats.hsds3 import to_hsds3
    from hub.formats.oruk1 import to_oruk1

    record = incoming.source.record
    if incoming.source.format == "oruk1":
        return record == to_oruk1(stored)
    return record in (to_hsds3(stored), to_hsds3(stored, sample=True))


def export_directory(store: HubStore, path: Path, fmt: ExportFormat = "hsds3") -> int:
    """Return how many services were written to `path` as an Open Referral file.

    Retired services are included, so a hub that imports the file learns of them. The
    services are streamed from the store a page at a time and written as they come
    (`dumps_chunks`), so an export of 50,000 services never holds them all; the text is
    the same as `dumps(hsds3_page(store.services()))`. The file is written to a temporary
    file beside it, synced, then renamed over the target (`write_text_atomically`), so a
    reader never sees half a file.
    """
    from hub.formats.hsds3 import hsds3_envelope, to_hsds3
    from hub.formats.jsonio import dumps_chunks
    from hub.formats.oruk1 import oruk1_envelope, to_oruk1

    if fmt not in EXPORT_FORMATS:  # argparse limits the choice; this guards other callers
        raise ValueError(f"unknown export format {fmt!r}")
    _check_target(path)
    address = address_defaults(store)
    marked = sample_service_ids(store) if fmt == "hsds3" else set()
    services = store.iter_services()
    first = next(services, None)
    # Counted after the first page is read: the stream holds one read transaction, so the
    # count is of the very services it yields, whatever another process saves meanwhile.
    count = store.service_count()
    streamed = itertools.chain([] if first is None else [first], services)
    if fmt == "hsds3":
        chunks = dumps_chunks(
            hsds3_envelope(count),
            "contents",
            (to_hsds3(s, sample=s.id in marked, address=address) for s in streamed),
        )
    else:
        chunks = dumps_chunks(
            oruk1_envelope(count), "content", (to_oruk1(s, address=address) for s in streamed)
        )
    write_text_atomically(path, chunks)
    return count


def address_defaults(store: HubStore) -> AddressDefaults:
    """Return the region and country this hub's exports give an address that has none
    (`hub setup --region/--country`; empty until set)."""
    settings = load_settings(store)
    return AddressDefaults(region=settings.region or "", country=settings.country or "")


def write_text_atomically(path: Path, text: str | Iterable[str]) -> None:
    """Write UTF-8 text (or chunks of it) to `path` all at once, or raise DirectoryFileError
    and leave it be (through the folder's one atomic write, `durable_files.replace_file`)."""
    _check_target(path)
    payload = text.encode("utf-8") if isinstance(text, str) else (t.encode("utf-8") for t in text)
    try:
        replace_file(path, payload)
    except OSError as exc:
        raise DirectoryFileError(f"cannot write {path}: {exc.strerror or exc}") from None


def _check_target(path: Path) -> None:
    """Raise DirectoryFileError unless `path` may be written: a new or ordinary file in a
    folder that exists."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise DirectoryFileError(f"{path} is a folder; give a file name such as directory.json")
    try:
        existing = os.lstat(path)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise DirectoryFileError(f"cannot write {path}: {exc.strerror}") from None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        # Renaming over a pipe, a device such as /dev/full, or a link would replace the
        # thing itself with our file.
        raise DirectoryFileError(
            f"{path} is not an ordinary file (a pipe, a device or a link); "
            "give a new file name such as directory.json"
        )
    if not folder.is_dir():
        raise DirectoryFileError(f"cannot write {path}: the folder {folder} does not exist")
