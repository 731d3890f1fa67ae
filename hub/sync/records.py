"""Checking the records inside a bundle: their fields, whose they are, ids, dates.

Each problem is one part of the file's one error line: "referral 3 (id …): what is
wrong", naming at most a few records and then how many more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hub.formats.to_model import parse_directory
from hub.models import Service
from hub.needs import normalise
from hub.schedule import LONDON
from hub.sync.bundle import Bundle, BundleError

CLOCK_SKEW = timedelta(minutes=5)
"""How far in the future a time may be: PC clocks drift by seconds, not hours. A record
dated later would win every merge until that time came."""

_MAX_RECORDS_NAMED = 3
"""A bad file's line names at most this many bad records, then says how many more."""

_SECTIONS = {
    "referrals": "referral",
    "services": "service",
    "suggestions": "suggestion",
    "unmet_searches": "unmet search",
}


def record_name(section: str, index: int, item: Any) -> str:
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


def named_problems(problems: Mapping[str, list[str]]) -> str:
    """Return problems grouped by record as one line, naming at most a few records."""
    parts = []
    for record, items in list(problems.items())[:_MAX_RECORDS_NAMED]:
        more = f" (and {len(items) - 3} more)" if len(items) > 3 else ""
        parts.append(f"{record}: " + "; ".join(items[:3]) + more)
    hidden = len(problems) - _MAX_RECORDS_NAMED
    if hidden > 0:
        parts.append(f"and {hidden} more record{'s' if hidden != 1 else ''} with problems")
    return " | ".join(parts)


def describe_invalid(
    error: ValidationError, data: Mapping[str, Any], referral_positions: Sequence[int]
) -> str:
    """Return pydantic's complaints as "referral 3 (id …): field: what is wrong" parts."""
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
            record = record_name(section, index, raw)
            where = ".".join(str(part) for part in loc[2:])
        else:
            record = "bundle"
            where = ".".join(str(part) for part in loc)
        problems.setdefault(record, []).append(f"{where}: {message}" if where else message)
    return named_problems(problems)


def check_services(path: Path, bundle: Bundle, now: datetime) -> list[Service]:
    """Return the bundle's services read through hub.formats, or raise BundleError."""
    if not bundle.services:
        return []
    parsed = parse_directory(bundle.services, source=str(path), now=now)
    index_of = {
        str(item.get("id")): index for index, item in enumerate(bundle.services) if "id" in item
    }
    problems: dict[str, list[str]] = {}

    def note(service_id: str | None, label: str, message: str) -> None:
        index = index_of.get(service_id or "", -1)
        record = record_name("services", index, bundle.services[index]) if index >= 0 else label
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
        raise BundleError(path, named_problems(problems))
    if len(parsed.services) != len(bundle.services):  # pragma: no cover - the parser's promise
        raise BundleError(path, "services: some records could not be read")
    return list(parsed.services)  # never packed: a bundle is decoded JSON, read whole


def check_records(
    path: Path,
    bundle: Bundle,
    services: list[Service],
    now: datetime,
    referral_positions: Sequence[int],
    stored_ids: Sequence[tuple[int, str]],
    foreign: Sequence[tuple[int, Mapping[str, Any]]],
    stored: Mapping[str, Mapping[str, Any]],
) -> None:
    """Raise BundleError for another hub's referral, an id used twice, or a future date.

    `foreign` holds the file's referrals (with their places) that name another hub, or
    whose id is held here for another hub.
    """
    latest = now.astimezone(UTC) + CLOCK_SKEW
    latest_day = latest.astimezone(LONDON).date()  # visitors' days are London days
    problems: dict[str, list[str]] = {}
    sender = bundle.hub.id

    def future(moment: datetime | date) -> str:
        shown = _iso(moment) if isinstance(moment, datetime) else moment.isoformat()
        return f"is in the future ({shown}); check the hub PC's clock"

    if bundle.exported_at > latest:
        problems.setdefault("bundle", []).append("exported_at " + future(bundle.exported_at))
    for position, item in foreign:
        owner, rid = item.get("hub_id"), item.get("id")
        held = stored.get(rid) if isinstance(rid, str) else None
        if owner != sender:
            problems.setdefault(record_name("referrals", position, item), []).append(
                f"hub_id: belongs to hub {str(owner)[:40]}, not to {bundle.hub.name} which "
                "sent this file; a hub sends only its own referrals"
            )
        elif held is not None:
            problems.setdefault(record_name("referrals", position, item), []).append(
                f"id: already held here for hub {held.get('hub_id')}; a hub cannot change "
                "another hub's referral"
            )
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
        raise BundleError(path, named_problems(problems))


def _iso(moment: datetime) -> str:
    """Return "2026-11-26T14:03:00Z" (microseconds only when there are some)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
