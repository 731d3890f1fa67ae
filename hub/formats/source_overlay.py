"""Give a service back as its publisher wrote it: the source record, with our edits laid over.

Every imported service keeps its record exactly as the feed gave it (`Service.source`). On
export in the same format the record is the starting point, and the rule for each field is:

- a field the hub has not changed (its value in our model is what the source reads as) is
  written exactly as the source wrote it: HTML, phone types, schedule notes, cost currency,
  extension fields we do not know, all of it;
- a field the hub has changed (staff edited it, or a newer import changed it) is written from
  our model, replacing the source's keys for that field (the table `HSDS3_FIELDS` /
  `ORUK1_FIELDS` says which keys each of our fields owns);
- needs, keywords and how-to-go live in our own attributes (`community-hub-*` vocabularies);
  they are added only when they differ from what the source reads as, after the source's own
  attributes, which are kept.

Exporting to the other format (an ORUK v1 record as HSDS 3.0, or back) builds the record from
our model, and keeps the source's organisation (id, name, description, website) and its
extension fields (keys neither format defines, such as ORUK's `pc_targetAudience`).

A field left out on import because it could not be read (an email that is not one) is still
the publisher's word: an export in the same format gives it back as they wrote it, unless
staff have set that field since.

Normalisations (what an import and export of the same format changes; a test holds the HSDS 3.0
full example to this list): the service id is written in canonical UUID form (a non-UUID id
becomes its stable uuid5); `last_modified` is added when the source had none (sync needs it).
ORUK v1 adds the few its schema forces (`hub.formats.oruk1.to_oruk1`): list fields in v1's own
words with the publisher's beside them, empty list fields as null, web addresses with a
small-letter scheme.

A staff edit is detected by a digest of each of our fields taken on import
(`SourceRecord.read_as`), so an export never has to read the source again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic_core import to_json

from hub.formats.common import (
    OUR_VOCABULARIES,
    Flavour,
    RecordProblem,
    feed_uuid,
    parse_datetime,
)
from hub.models import Service

# Our fields (a dotted path on Service) and the keys of a record each one owns.
HSDS3_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "description": ("description",),
    "organisation": ("organization", "organization_id"),
    "contact.website": ("url",),
    "contact.email": ("email",),
    "contact.phones": ("phones",),
    "status": ("status",),
    "cost": ("fees_description", "cost_options"),
    "eligibility": ("eligibility_description", "minimum_age", "maximum_age"),
    "assured_date": ("assured_date",),
    "schedules": ("schedules",),
    "areas": ("service_areas",),
    "locations": ("service_at_locations",),
    "languages": ("languages",),
    "attendance": ("application_process",),
}
ORUK1_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "description": ("description",),
    "organisation": ("organization",),
    "contact.website": ("url",),
    "contact.email": ("email",),
    "contact.phones": ("contacts",),
    "status": ("status",),
    "cost": ("fees", "cost_options"),
    "eligibility": ("eligibilitys",),
    "assured_date": ("assured_date",),
    "schedules": ("regular_schedules",),
    "areas": ("service_areas",),
    "locations": ("service_at_locations",),
    "languages": ("languages",),
    "attendance": ("attending_type", "attending_access"),
}
OUR_ATTRIBUTE_FIELDS = ("needs", "keywords", "attendance")
"""Fields carried in our own attributes / service_taxonomys, not in the format's own keys."""

_HSDS3_KEYS = frozenset(
    [
        "id",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "fees_description",
        "wait_time",
        "fees",
        "accreditations",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "assurer_email",
        "licenses",
        "alert",
        "last_modified",
        "phones",
        "schedules",
        "service_areas",
        "service_at_locations",
        "languages",
        "organization",
        "organization_id",
        "funding",
        "cost_options",
        "program",
        "program_id",
        "required_documents",
        "contacts",
        "attributes",
        "metadata",
    ]
)
_ORUK1_KEYS = frozenset(
    [
        "id",
        "name",
        "description",
        "url",
        "email",
        "status",
        "fees",
        "accreditations",
        "deliverable_type",
        "attending_type",
        "attending_access",
        "assured_date",
        "organization",
        "contacts",
        "cost_options",
        "eligibilitys",
        "fundings",
        "health_issues",
        "languages",
        "regular_schedules",
        "holiday_schedules",
        "review",
        "service_areas",
        "service_at_locations",
        "service_taxonomys",
        "last_modified",
    ]
)


def _value(service: Service, path: str) -> Any:
    """Return the model's value at a dotted path such as "contact.email"."""
    value: Any = service
    for part in path.split("."):
        value = getattr(value, part)
    return value


def fingerprints(service: Service) -> dict[str, str]:
    """Return a short digest of each of our fields, to tell later which ones were changed."""
    paths = dict.fromkeys([*HSDS3_FIELDS, *ORUK1_FIELDS, *OUR_ATTRIBUTE_FIELDS])
    return {path: _digest(_value(service, path)) for path in paths}


def _digest(value: Any) -> str:
    """Return 16 hex digits identifying a field's value (its JSON, hashed)."""
    # Our fields are models, lists and plain values: their JSON has a fixed key order.
    return hashlib.blake2b(to_json(value), digest_size=8).hexdigest()


def _changed(service: Service, reread: Service | None, path: str) -> bool:
    """True when our field differs from what the source record read as on import."""
    assert service.source is not None
    known = service.source.read_as.get(path)
    if known is not None:
        return _digest(_value(service, path)) != known
    return reread is None or _value(service, path) != _value(reread, path)


def _source_time(record: Mapping[str, Any]) -> datetime | None:
    """Return the record's own last_modified as an instant, None when absent or unreadable."""
    value = record.get("last_modified")
    if value in (None, ""):
        return None
    try:
        return parse_datetime(value, "last_modified")
    except RecordProblem:
        return None


def as_source_reads(service: Service) -> Service | None:
    """Return the service its source record reads as today, or None when it has no source."""
    if service.source is None:
        return None
    from hub.formats.to_model import parse_documents  # late: to_model is the heavier side

    parsed = parse_documents(
        [("source", service.source.record)], now=datetime(1970, 1, 1, tzinfo=UTC)
    )
    return parsed.services[0] if parsed.services else None


def overlay(
    service: Service,
    built: dict[str, Any],
    fmt: Flavour,
    our_entries: Callable[[Mapping[str, Any]], bool],
) -> dict[str, Any]:
    """Return the record to export: the source with our changed fields laid over `built`.

    `built` is the record made from our model alone; `our_entries(item)` tells one of our own
    attributes (HSDS 3.0) or service_taxonomys (ORUK v1) from the publisher's.
    """
    source = service.source
    if source is None:
        return built
    if source.format != fmt:
        return _across(service, built, fmt)
    fields = HSDS3_FIELDS if fmt == "hsds3" else ORUK1_FIELDS
    every = [*fields, *OUR_ATTRIBUTE_FIELDS]
    # Digests kept at import say what changed; an older record without them is read again.
    reread = None if all(p in source.read_as for p in every) else as_source_reads(service)
    record = source.record
    out = dict(record)
    out["id"] = service.id
    for path, keys in fields.items():
        if not _changed(service, reread, path):
            continue
        for key in keys:
            out.pop(key, None)
            if key in built:
                out[key] = built[key]
    list_key = "attributes" if fmt == "hsds3" else "service_taxonomys"
    # last_modified is compared as an instant: the source's own text is kept while it says
    # the same time, and ours is written when it differs or is missing (sync needs it).
    if _source_time(record) != service.last_modified:
        out["last_modified"] = built["last_modified"]
    if any(_changed(service, reread, f) for f in OUR_ATTRIBUTE_FIELDS):
        theirs = [
            item
            for item in out.get(list_key) or []
            if not (isinstance(item, Mapping) and our_entries(item))
        ]
        ours = [item for item in built.get(list_key, []) if our_entries(item)]
        out[list_key] = theirs + ours
    return out


def _across(service: Service, built: dict[str, Any], fmt: Flavour) -> dict[str, Any]:
    """Return `built` with the source's organisation and extension fields kept (other format)."""
    assert service.source is not None
    record = service.source.record
    out = dict(built)
    org = record.get("organization")
    if isinstance(org, Mapping) and service.organisation is not None:
        website = org.get("website") if service.source.format == "hsds3" else org.get("url")
        kept: dict[str, Any] = {"name": service.organisation}
        if isinstance(org.get("id"), str | int) and str(org.get("id")).strip():
            kept["id"] = feed_uuid(org["id"])
        if isinstance(org.get("description"), str):
            kept["description"] = org["description"]
        if isinstance(website, str) and website:
            kept["website" if fmt == "hsds3" else "url"] = website
        out["organization"] = {**built.get("organization", {}), **kept}
        if fmt == "hsds3" and "id" in kept:
            out["organization_id"] = kept["id"]
    known = _HSDS3_KEYS | _ORUK1_KEYS
    for key, value in record.items():
        if key not in known and key not in out:
            out[key] = value
    return out


def is_our_entry(item: Mapping[str, Any]) -> bool:
    """True for an attribute or service_taxonomy in one of our own vocabularies."""
    term = item.get("taxonomy_term") or item.get("taxonomy")
    if not isinstance(term, Mapping):
        return False
    return (term.get("taxonomy") or term.get("vocabulary")) in OUR_VOCABULARIES
