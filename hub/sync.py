"""Sync bundles: a hub's log exported to one JSON file, checked in full, merged once.

A bundle ("Sync bundle v1" in DESIGN.md) travels on a USB stick or a shared folder, so it
may arrive copied twice, cut short, edited by hand or mixed up with another file. Hence:

* **Export** (`export_bundle`) writes the file atomically, and moves this hub's export
  mark only once the file is safely on disk; a failed export changes nothing.
* **Check** (`check_bundle_file`) reads and validates a whole file before anything is
  changed: size (before reading), UTF-8, JSON, shape, format and version, checksum,
  every record's fields and lengths, duplicate ids, and dates in the future. A problem is
  a `BundleError` whose one line names the file, the record and what is wrong.
* **Import** (`import_bundles`) checks *every* file first; one bad file and nothing
  changes at all. Then it merges by the contract's rules, with one durable write per
  kind of record (referrals: one per shard touched). Merging is idempotent: the same
  file twice adds and updates nothing, and writes nothing.

Merge rules: referrals by id, the later `updated_at` wins, a tie goes to the greater
`hub_id`; services by id, the later `last_modified` wins (a retired service travels as
status "defunct", so the later retirement wins too). If even those tie, the copy whose
canonical JSON sorts last wins, so the result never depends on the order files come in.

Run `python -m hub.sync --write-schema` to regenerate docs/bundle.schema.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from hub.config import load_settings
from hub.directory import sample_service_ids
from hub.directory_edits import local_changes_since
from hub.hub_identity import hub_info
from hub.models import (
    HubInfo,
    Referral,
    Service,
    StrictModel,
    Suggestion,
    UnmetSearch,
    UtcDatetime,
)
from hub.needs import normalise
from hub.openreferral import parse_directory, to_hsds3
from hub.schedule import LONDON
from hub.storage import HubStore, StorageError, write_file_atomically
from hub.suggestions import COLLECTION as SUGGESTIONS
from hub.unmet import unmet_searches

BUNDLE_FORMAT = "community-hub-bundle"
BUNDLE_VERSION = 1
MAX_BUNDLE_BYTES = 40 * 1024 * 1024
"""The biggest bundle read. A busy hub's year is a few megabytes; a 40 MB file is a
mistake (the wrong file picked), and is refused before it is read into memory."""

CLOCK_SKEW = timedelta(days=1)
"""How far in the future a date may be: hub PCs' clocks drift, but not by a year."""

EXPORT_MARK_KEY = "sync_last_export_at"
"""Meta key: when this hub last exported; the next export sends what changed after it."""

HUBS = "hubs"
"""Collection: every hub seen in an imported bundle, by id (names for reports)."""

IMPORTED_UNMET = "imported_unmet_searches"
"""Collection: other hubs' searches that found nothing, keyed by hub, day and words.

Kept apart from this hub's own `unmet_searches`, so a coordinator never sends other
hubs' searches back out as its own."""

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "docs" / "bundle.schema.json"

_MAX_RECORDS_NAMED = 3
"""A bad file's line names at most this many bad records, then says how many more."""


# --- the bundle --------------------------------------------------------------------


class Bundle(StrictModel):
    """One sync bundle, exactly as "Sync bundle v1" in DESIGN.md describes it."""

    format: Literal["community-hub-bundle"]
    version: Literal[1]
    hub: HubInfo
    exported_at: UtcDatetime
    referrals: list[Referral] = Field(max_length=200_000)
    services: list[dict[str, Any]] = Field(
        max_length=20_000,
        description="HSDS 3.0 service objects, read by hub.openreferral; "
        'a retired service has "status": "defunct"',
    )
    suggestions: list[Suggestion] = Field(max_length=100_000)
    unmet_searches: list[UnmetSearch] = Field(max_length=100_000)
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$",
        description="hex SHA-256 of the canonical JSON of the bundle without this key: "
        'keys sorted, separators (",", ":"), ensure_ascii false, UTF-8',
    )


def canonical_json(document: Any) -> bytes:
    """Return the canonical UTF-8 JSON the checksum is taken over (keys sorted, no spaces)."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def bundle_checksum(document: Mapping[str, Any]) -> str:
    """Return the hex SHA-256 of a bundle's canonical JSON, leaving out its "sha256" key."""
    body = {key: value for key, value in document.items() if key != "sha256"}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def bundle_schema() -> dict[str, Any]:
    """Return the JSON Schema of a bundle, as published in docs/bundle.schema.json."""
    schema = Bundle.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://example.org/community-hub-kiosk/bundle.schema.json"
    schema["title"] = "Community hub sync bundle, version 1"
    return schema


def schema_text() -> str:
    """Return docs/bundle.schema.json's exact text (stable, so a stale file is noticed)."""
    return json.dumps(bundle_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


# --- errors ------------------------------------------------------------------------


class SyncError(Exception):
    """A sync step that cannot go ahead; the message says what to do."""


class BundleError(SyncError):
    """One bundle file is unusable. Renders as "FILE: record …: what is wrong"."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{path}: {message}")


class BundleBatchError(SyncError):
    """Some of the files given are unusable, so nothing was imported."""

    def __init__(self, errors: Sequence[BundleError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


# --- checking a file ---------------------------------------------------------------


@dataclass(frozen=True)
class CheckedBundle:
    """A bundle file that passed every check, with its services read into the model."""

    path: Path
    bundle: Bundle
    services: list[Service]
    size: int


_SECTIONS = {
    "referrals": "referral",
    "services": "service",
    "suggestions": "suggestion",
    "unmet_searches": "unmet search",
}


def _record_name(section: str, index: int, item: Any) -> str:
    """Return "referral 3 (id …)": the record's place in the file (from 1) and its id."""
    name = f"{_SECTIONS[section]} {index + 1}"
    if isinstance(item, dict):
        rid = item.get("id")
        if isinstance(rid, str) and rid:
            return f"{name} (id {rid[:40]})"
        text = item.get("text")
        if isinstance(text, str) and text:
            return f"{name} ({text[:40]!r})"
    return name


def _named_problems(problems: Mapping[str, list[str]]) -> str:
    """Return problems grouped by record as one line, naming at most a few records."""
    parts = []
    for record, items in list(problems.items())[:_MAX_RECORDS_NAMED]:
        more = f" (and {len(items) - 3} more)" if len(items) > 3 else ""
        parts.append(f"{record}: " + "; ".join(items[:3]) + more)
    hidden = len(problems) - _MAX_RECORDS_NAMED
    if hidden > 0:
        parts.append(f"and {hidden} more record{'s' if hidden != 1 else ''} with problems")
    return " | ".join(parts)


def _describe_invalid(
    error: ValidationError, data: Mapping[str, Any], referral_positions: Sequence[int]
) -> str:
    """Return pydantic's complaints as "referral 3 (id …): field: what is wrong" parts.

    `referral_positions` gives each validated referral's place in the file (some may
    have been left out of validation as already stored).
    """
    problems: dict[str, list[str]] = {}
    for item in error.errors():
        loc = item["loc"]
        message = item["msg"].removeprefix("Value error, ")
        if len(loc) >= 2 and loc[0] in _SECTIONS and isinstance(loc[1], int):
            section, index = str(loc[0]), loc[1]
            records = data.get(section)
            raw = records[index] if isinstance(records, list) and index < len(records) else None
            if section == "referrals" and index < len(referral_positions):
                index = referral_positions[index]  # its place in the file, as people count
            record = _record_name(section, index, raw)
            where = ".".join(str(part) for part in loc[2:])
        else:
            record = "bundle"
            where = ".".join(str(part) for part in loc)
        problems.setdefault(record, []).append(f"{where}: {message}" if where else message)
    return _named_problems(problems)


def _read_json(path: Path) -> tuple[Any, int]:
    """Return the file's decoded JSON and its size; raise BundleError for any failure."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BundleError(path, "no such file") from None
    except OSError as exc:
        raise BundleError(path, f"cannot be read ({exc.strerror or exc})") from None
    if path.is_dir():
        raise BundleError(path, "is a folder, not a bundle file")
    if size > MAX_BUNDLE_BYTES:
        # Refused by its size alone: reading 50 MB of something else is slow and pointless.
        raise BundleError(
            path,
            f"is {size / 1_048_576:.1f} MB; a bundle may be at most "
            f"{MAX_BUNDLE_BYTES // 1_048_576} MB, so this is probably not a hub's bundle",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BundleError(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")  # a BOM added by a Windows editor is harmless
    except UnicodeDecodeError as exc:
        raise BundleError(
            path, f"is not UTF-8 text (bad byte at position {exc.start}); is it the right file?"
        ) from None
    if not text.strip():
        raise BundleError(path, "is empty; copy it again from the hub")
    try:
        return json.loads(text, parse_constant=_refuse_constant), size
    except json.JSONDecodeError as exc:
        if _stops_early(text, exc):
            raise BundleError(
                path,
                f"is cut short: the JSON stops at line {exc.lineno} before it is complete; "
                "copy it again from the hub",
            ) from None
        raise BundleError(
            path, f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except ValueError as exc:  # NaN or Infinity, which JSON does not have
        raise BundleError(path, f"is not valid JSON: {exc}") from None
    except RecursionError:
        raise BundleError(path, "is not valid JSON we can read: nested too deeply") from None


_NUMBER_PART = re.compile(r"[-+.eE0-9]*")


def _stops_early(text: str, error: json.JSONDecodeError) -> bool:
    """True when the JSON was fine up to where the text ends: a file cut short."""
    # An unterminated string always runs to the end of the text (a raw line break inside
    # one is a different error); otherwise what is left must be a piece of a literal or
    # a number, like `fals` or `12.`, for the text to be a cut-off prefix.
    if error.msg.startswith("Unterminated string"):
        return True
    tail = text[error.pos :].rstrip()
    return any(word.startswith(tail) for word in ("true", "false", "null")) or bool(
        _NUMBER_PART.fullmatch(tail)
    )


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _check_envelope(path: Path, data: Any) -> None:
    """Raise BundleError unless data is a v1 bundle object whose checksum matches."""
    if not isinstance(data, dict):
        kind = "an array" if isinstance(data, list) else f"a {type(data).__name__}"
        raise BundleError(path, f"is not a hub bundle: expected a JSON object, found {kind}")
    if data.get("format") != BUNDLE_FORMAT:
        found = data.get("format")
        raise BundleError(
            path,
            f"is not a hub bundle: its format is {str(found)[:60]!r}, not {BUNDLE_FORMAT!r}"
            if found is not None
            else f'is not a hub bundle: it has no "format": {BUNDLE_FORMAT!r}',
        )
    version = data.get("version")
    if version != BUNDLE_VERSION or isinstance(version, bool):
        raise BundleError(
            path,
            f"is bundle version {str(version)[:20]}; this app reads version {BUNDLE_VERSION} "
            "only (update the app, or export the file again)",
        )
    claimed = data.get("sha256")
    if not isinstance(claimed, str):
        raise BundleError(path, "has no sha256 checksum, so it cannot be trusted")
    try:
        actual = bundle_checksum(data)
    except ValueError as exc:
        raise BundleError(path, f"cannot be checked: {exc}") from None
    if claimed != actual:
        raise BundleError(
            path,
            "checksum does not match: the file was changed or damaged after it was exported; "
            "export it again at the hub",
        )


def _check_services(path: Path, bundle: Bundle, now: datetime) -> list[Service]:
    """Return the bundle's services read through hub.openreferral, or raise BundleError."""
    if not bundle.services:
        return []
    parsed = parse_directory(bundle.services, source=str(path), now=now)
    index_of = {
        str(item.get("id")): index for index, item in enumerate(bundle.services) if "id" in item
    }
    problems: dict[str, list[str]] = {}

    def note(service_id: str | None, label: str, message: str) -> None:
        index = index_of.get(service_id or "", -1)
        record = _record_name("services", index, bundle.services[index]) if index >= 0 else label
        problems.setdefault(record, []).append(message)

    if parsed.flavour != "hsds3":
        raise BundleError(path, "services: these are ORUK v1 records; a bundle holds HSDS 3.0")
    for rejected in parsed.rejected:
        note(
            rejected.label.split(" ")[0],
            f"service {rejected.label}",
            rejected.reason.removeprefix(rejected.label + ": "),
        )
    for service in parsed.services:
        if service.id in parsed.undated_ids:
            note(service.id, service.id, "last_modified: missing; sync needs it to pick a copy")
    for fix in parsed.notes:
        # The reader quietly fixes small faults in council feeds; a bundle is written by
        # this app, so a fault means it was edited by hand, and it is refused instead.
        label, _, message = fix.partition(": ")
        note(label.split(" ")[0], f"service {label}", f"would need fixing ({message})")
    if problems:
        raise BundleError(path, _named_problems(problems))
    if len(parsed.services) != len(bundle.services):  # pragma: no cover - the parser's promise
        raise BundleError(path, "services: some records could not be read")
    return parsed.services


def _check_ids_and_dates(
    path: Path,
    bundle: Bundle,
    services: list[Service],
    now: datetime,
    referral_positions: Sequence[int],
    stored_ids: Sequence[tuple[int, str]],
) -> None:
    """Raise BundleError for an id used twice in one list or a date in the future."""
    latest = now.astimezone(UTC) + CLOCK_SKEW
    latest_day = latest.date()
    problems: dict[str, list[str]] = {}

    def future(moment: datetime | date) -> str:
        shown = _iso(moment) if isinstance(moment, datetime) else moment.isoformat()
        return f"is in the future ({shown}); check the hub PC's clock"

    if bundle.exported_at > latest:
        problems.setdefault("bundle", []).append("exported_at " + future(bundle.exported_at))
    seen: set[str] = set()
    in_order = sorted(
        [*stored_ids, *zip(referral_positions, (r.id for r in bundle.referrals), strict=True)]
    )
    for position, rid in in_order:
        if rid in seen:
            problems.setdefault(f"referral {position + 1} (id {rid})", []).append(
                "id: used by an earlier referral in the file"
            )
        seen.add(rid)
    for position, referral in zip(referral_positions, bundle.referrals, strict=True):
        record = f"referral {position + 1} (id {referral.id})"
        if referral.updated_at > latest:  # recorded_at is never after updated_at
            problems.setdefault(record, []).append("updated_at " + future(referral.updated_at))
    seen.clear()
    for index, service in enumerate(services):
        record = f"service {index + 1} (id {service.id})"
        if service.id in seen:
            problems.setdefault(record, []).append("id: used by an earlier service in the file")
        seen.add(service.id)
        if service.last_modified > latest:
            problems.setdefault(record, []).append("last_modified " + future(service.last_modified))
        if service.assured_date and service.assured_date > latest_day:
            problems.setdefault(record, []).append("assured_date " + future(service.assured_date))
    seen.clear()
    for index, suggestion in enumerate(bundle.suggestions):
        record = f"suggestion {index + 1} (id {suggestion.id})"
        if suggestion.id in seen:
            problems.setdefault(record, []).append("id: used by an earlier suggestion in the file")
        seen.add(suggestion.id)
        if suggestion.day > latest_day:
            problems.setdefault(record, []).append("day " + future(suggestion.day))
    seen.clear()
    for index, search in enumerate(bundle.unmet_searches):
        record = f"unmet search {index + 1} ({search.text[:40]!r})"
        key = f"{search.day}|{normalise(search.text)}"
        if key in seen:
            problems.setdefault(record, []).append("the same words and day appear earlier")
        seen.add(key)
        if search.day > latest_day:
            problems.setdefault(record, []).append("day " + future(search.day))
    if problems:
        raise BundleError(path, _named_problems(problems))


@dataclass
class _Checked:
    """A checked file, as the import needs it."""

    checked: CheckedBundle
    raw_referrals: list[Any]
    """The file's referrals that were validated, as they were in the file (aligned with
    `checked.bundle.referrals`)."""
    already_stored: int
    """Referrals left out of validation because they are exactly as already stored."""


def _check(
    path: Path, now: datetime, stored: Mapping[str, Mapping[str, Any]] | None = None
) -> _Checked:
    """Return the checked file; raise BundleError at the first kind of problem found.

    A referral exactly equal to one in `stored` (the store's documents by id) is not
    validated again: storage holds only validated records, so it would pass, and this
    keeps a repeat import of 100,000 referrals quick. It still counts for duplicate ids.
    """
    data, size = _read_json(path)
    _check_envelope(path, data)
    raw_referrals = data.get("referrals")
    positions: list[int] = []
    known_ids: list[tuple[int, str]] = []
    if stored and isinstance(raw_referrals, list):
        fresh = []
        for position, item in enumerate(raw_referrals):
            rid = item.get("id") if isinstance(item, dict) else None
            if isinstance(rid, str) and stored.get(rid) == item:
                known_ids.append((position, rid))
            else:
                positions.append(position)
                fresh.append(item)
        data = {**data, "referrals": fresh}
        raw_referrals = fresh
    elif isinstance(raw_referrals, list):
        positions = list(range(len(raw_referrals)))
    try:
        bundle = Bundle.model_validate(data)
    except ValidationError as exc:
        raise BundleError(path, _describe_invalid(exc, data, positions)) from None
    services = _check_services(path, bundle, now)
    _check_ids_and_dates(path, bundle, services, now, positions, known_ids)
    checked = CheckedBundle(path=path, bundle=bundle, services=services, size=size)
    return _Checked(checked, list(raw_referrals), len(known_ids))


def check_bundle_file(path: Path, *, now: datetime | None = None) -> CheckedBundle:
    """Return the bundle in `path` once every check has passed; raise BundleError if not.

    Nothing is changed anywhere: this only reads the file.
    """
    return _check(Path(path), now or datetime.now(UTC)).checked


# --- export ------------------------------------------------------------------------


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
        lines = [
            f"Wrote {self.path} ({_size(self.size)}) for {self.hub.name}: {scope}.",
            f"  {self.referrals} referral{_s(self.referrals)}"
            + (" (contact details and notes left out)" if self.redacted else ""),
            f"  {services}",
            f"  {self.suggestions} visitor suggestion{_s(self.suggestions)}",
            f"  {self.unmet_searches} search{'es' if self.unmet_searches != 1 else ''}"
            " that found nothing",
        ]
        return lines


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


def export_bundle(
    store: HubStore,
    path: Path,
    *,
    everything: bool = False,
    redact: bool = False,
    now: datetime,
) -> ExportSummary:
    """Return a summary after writing this hub's bundle to `path` atomically.

    Sends this hub's referrals recorded or changed since the last export (all of them
    with `everything`), the services changed here (the whole directory with
    `everything`, which is how a coordinator sends the directory back to the hubs),
    visitors' suggestions and searches that found nothing. The export mark moves only
    after the file is safely on disk. Raises SyncError when the hub has no id yet or the
    file cannot be written; nothing is changed then.
    """
    hub = hub_info(store)
    if hub is None:
        raise SyncError('this hub has no id yet: run `hub setup --name "HUB NAME"` first')
    path = Path(path)
    if path.is_dir():
        raise SyncError(f"{path} is a folder: give a file name, like {path / 'hub-bundle.json'}")
    if not path.parent.is_dir():
        raise SyncError(f"the folder {path.parent} does not exist (is the USB stick plugged in?)")
    stamp = now.astimezone(UTC)
    since = None if everything else export_mark(store)

    referral_docs = []
    for doc in store.referral_documents():
        if doc.get("hub_id") != hub.id:
            continue  # other hubs' referrals (at a coordinator) are theirs to send
        if since is not None and datetime.fromisoformat(str(doc["updated_at"])) <= since:
            continue
        referral = dict(doc)
        if redact:
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

    document: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "hub": hub.model_dump(mode="json"),
        "exported_at": _iso(stamp.replace(microsecond=0)),
        "referrals": referral_docs,
        "services": [to_hsds3(service) for service in services],
        "suggestions": suggestions,
        "unmet_searches": [item.model_dump(mode="json") for item in unmet],
    }
    document["sha256"] = bundle_checksum(document)
    payload = (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if len(payload) > MAX_BUNDLE_BYTES:
        raise SyncError(
            f"the bundle would be {len(payload) / 1_048_576:.0f} MB, more than the "
            f"{MAX_BUNDLE_BYTES // 1_048_576} MB an import accepts; export without --all"
        )
    try:
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
    )


# --- import ------------------------------------------------------------------------


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
    referrals: Counts = field(default_factory=Counts)
    services: Counts = field(default_factory=Counts)
    suggestions_added: int = 0
    unmet_searches_changed: int = 0
    expired: int = 0
    """Referrals left out because they are older than this hub keeps referrals."""

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
        lines = [
            f"{self.path}: from {self.hub.name}, exported {_iso(self.exported_at)}",
            f"  referrals: {self.referrals.words()}",
            f"  services: {self.services.words()}",
            f"  suggestions: {self.suggestions_added} added;"
            f" searches that found nothing: {self.unmet_searches_changed} added or updated",
        ]
        if self.expired:
            lines.append(
                f"  {self.expired} referral{_s(self.expired)} left out: older than this hub "
                "keeps referrals"
            )
        return lines


_ADDED, _UPDATED, _UNCHANGED = "added", "updated", "unchanged"


def _later_copy(
    new_key: tuple[datetime, str], old_key: tuple[datetime, str], new_doc: Any, old_doc: Any
) -> bool:
    """True when the new copy wins: the later time, then the greater hub id, then content."""
    if new_key != old_key:
        return new_key > old_key
    return canonical_json(new_doc) > canonical_json(old_doc)


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
        self._stored_services: dict[str, Service] | None = None
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

    def stored_services(self) -> dict[str, Service]:
        """Return the stored services by id (loaded once)."""
        if self._stored_services is None:
            self._stored_services = {s.id: s for s in self.store.services()}
        return self._stored_services

    def add(self, result: _Checked) -> None:
        """Decide what this file changes, on top of the files before it in the batch."""
        checked = result.checked
        bundle = checked.bundle
        summary = FileSummary(path=checked.path, hub=bundle.hub, exported_at=bundle.exported_at)
        # A referral exactly as stored loses to (or equals) anything an earlier file in
        # the batch brought, since that had to beat the stored copy to be kept.
        summary.referrals.unchanged += result.already_stored
        for referral, raw in zip(bundle.referrals, result.raw_referrals, strict=True):
            if referral.recorded_at < self.keep_after:
                summary.expired += 1
                continue
            outcome = self._referral(referral, raw)
            setattr(summary.referrals, outcome, getattr(summary.referrals, outcome) + 1)
        for service in checked.services:
            outcome = self._service(service)
            setattr(summary.services, outcome, getattr(summary.services, outcome) + 1)
        summary.suggestions_added = self._suggestions(bundle.suggestions)
        summary.unmet_searches_changed = self._unmet(bundle.hub, bundle.unmet_searches)
        self._hub(bundle.hub, bundle.exported_at)
        self.summaries.append(summary)

    def _referral(self, incoming: Referral, raw: Any) -> str:
        pending = self.referrals.get(incoming.id)
        if pending is not None:  # an earlier file in this batch had it
            if pending == incoming:
                return _UNCHANGED
            if _later_copy(
                (incoming.updated_at, incoming.hub_id),
                (pending.updated_at, pending.hub_id),
                incoming.model_dump(mode="json"),
                pending.model_dump(mode="json"),
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
        stored_key = (datetime.fromisoformat(str(stored["updated_at"])), str(stored["hub_id"]))
        if _later_copy((incoming.updated_at, incoming.hub_id), stored_key, doc, stored):
            self.referrals[incoming.id] = incoming
            return _UPDATED
        return _UNCHANGED

    def _service(self, incoming: Service) -> str:
        current = self.services.get(incoming.id) or self.stored_services().get(incoming.id)
        if current is None:
            self.services[incoming.id] = incoming
            return _ADDED
        new_doc = incoming.model_dump(mode="json")
        old_doc = current.model_dump(mode="json")
        if new_doc == old_doc:
            return _UNCHANGED
        # The key's second part is equal for both copies: services carry no hub id.
        if _later_copy((incoming.last_modified, ""), (current.last_modified, ""), new_doc, old_doc):
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
        """Save every decided change, one durable write per kind (and per shard)."""
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
        return self.summaries


def import_bundles(store: HubStore, paths: Sequence[Path], *, now: datetime) -> list[FileSummary]:
    """Return what each file changed, after merging every file in; or change nothing.

    Every file is checked completely first. If any is bad, BundleBatchError lists one
    line per bad file and nothing at all is changed. Referrals older than this hub's
    retention period are left out, so a re-sent old file cannot bring back purged data.
    """
    merge = _Merge(store, now)
    stored = merge.stored_referrals()
    errors: list[BundleError] = []
    for path in paths:
        try:
            result = _check(Path(path), now, stored)
        except BundleError as exc:
            errors.append(exc)
            continue
        if not errors:  # once a file is bad nothing will be saved; only keep checking
            merge.add(result)
        del result
    if errors:
        raise BundleBatchError(errors)
    return merge.commit()


# --- python -m hub.sync --write-schema -------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or check) docs/bundle.schema.json; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m hub.sync", description="The sync bundle's JSON Schema."
    )
    parser.add_argument("--write-schema", action="store_true", help="write the schema file")
    parser.add_argument(
        "--path", type=Path, default=SCHEMA_PATH, help=f"where (default {SCHEMA_PATH})"
    )
    args = parser.parse_args(argv)
    text = schema_text()
    if args.write_schema:
        args.path.write_text(text, encoding="utf-8")
        print(f"wrote {args.path}")
        return 0
    current = args.path.read_text(encoding="utf-8") if args.path.exists() else ""
    if current != text:
        print(f"{args.path} is stale: run python -m hub.sync --write-schema", file=sys.stderr)
        return 1
    print(f"{args.path} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
