"""Our `Service` to HSDS 3.0 JSON (also the item shape of ORUK v3 lists)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from hub.formats.common import (
    ACCESS_LABELS,
    ATTENDANCE_LABELS,
    NO_ADDRESS_DEFAULTS,
    SAMPLE_CODE,
    VOCAB_ACCESS,
    VOCAB_ATTENDANCE,
    VOCAB_KEYWORDS,
    VOCAB_NEEDS,
    VOCAB_SAMPLE,
    AddressDefaults,
    term_id,
    uid,
)
from hub.formats.source_overlay import is_our_entry, overlay
from hub.formats.taxonomy import attendance_for
from hub.models import (
    Attendance,
    Location,
    Service,
)


@lru_cache(maxsize=1)
def _need_labels() -> dict[str, tuple[str, str]]:
    """Return {need id: (label, description)} from data/needs.json, or {} if unreadable."""
    try:
        from hub import needs as hub_needs

        return {need.id: (need.label, need.description) for need in hub_needs.load_needs()}
    except Exception:  # labels only decorate the export; ids alone still round-trip
        return {}


def _attribute(
    link_id: str,
    link_entity: str,
    vocabulary: str,
    code: str,
    name: str,
    description: str,
    value: str | None = None,
) -> dict[str, Any]:
    """Return an HSDS 3.0 attribute linking a record to one of our taxonomy terms."""
    tid = term_id(vocabulary, code)
    attribute: dict[str, Any] = {
        "id": uid(link_id, "attribute", vocabulary, code),
        "link_id": link_id,
        "link_type": vocabulary,
        "link_entity": link_entity,
        "taxonomy_term_id": tid,
        "taxonomy_term": {
            "id": tid,
            "code": code,
            "name": name,
            "description": description,
            "taxonomy": vocabulary,
        },
    }
    if value is not None:
        attribute["value"] = value
    return attribute


def said_in_words(attendance: Attendance) -> bool:
    """True when the publisher's words alone give these flags (no one has changed them since)."""
    if not attendance.words:
        return False
    flags = attendance_for({"application_process": attendance.words}, None)
    return all(getattr(attendance, key) == flags[key] for key in ATTENDANCE_LABELS)


def application_process(attendance: Attendance) -> str:
    """Return how to take part, in words: e.g. "Drop in." or "Book first. By phone or online."."""
    parts = [
        label
        for key, label in (
            ("drop_in", "Drop in"),
            ("booking", "Book first"),
            ("referral_needed", "Referral needed"),
        )
        if getattr(attendance, key)
    ]
    ways = [
        label
        for key, label in (("in_person", "in person"), ("phone", "by phone"), ("online", "online"))
        if getattr(attendance, key)
    ]
    if ways and not (parts and ways == ["in person"]):  # "Drop in" already says in person
        parts.append(" or ".join(ways).capitalize())
    return ". ".join(parts) + "." if parts else "Contact the service to ask how to take part."


def organization_of(service: Service) -> dict[str, Any]:
    """Return the organisation object (ORUK v1 needs one; it falls back to the service's name)."""
    name = service.organisation or service.name
    return {"id": uid("organization", name), "name": name, "description": ""}


def to_hsds3(
    service: Service, *, sample: bool = False, address: AddressDefaults = NO_ADDRESS_DEFAULTS
) -> dict[str, Any]:
    """Return one service as an HSDS 3.0 service object (valid against the 3.0 schema).

    A service imported from HSDS 3.0 comes back as its publisher wrote it, with the hub's
    changes laid over (`hub.formats.source_overlay` says the rule). `address` fills the
    region and country of addresses built from our record (never the publisher's own).
    """
    built = _built_hsds3(service, sample=sample, address=address)
    out = overlay(service, built, "hsds3", is_our_entry)
    if sample and not any(
        isinstance(a, dict) and a.get("link_type") == VOCAB_SAMPLE for a in out["attributes"]
    ):
        out["attributes"] = [*out["attributes"], *built["attributes"][-1:]]
    return out


def _built_hsds3(
    service: Service, *, sample: bool, address: AddressDefaults = NO_ADDRESS_DEFAULTS
) -> dict[str, Any]:
    """Return one service as HSDS 3.0 from our model alone."""
    sid = service.id
    out: dict[str, Any] = {"id": sid, "name": service.name, "description": service.description}
    if service.contact.website:
        out["url"] = service.contact.website
    if service.contact.email:
        out["email"] = service.contact.email
    out["status"] = service.status.value
    if service.attendance.stated:  # not stated stays unsaid: nothing is invented
        out["application_process"] = (
            service.attendance.words
            if said_in_words(service.attendance)
            else application_process(service.attendance)
        )
    if service.cost.description:
        out["fees_description"] = service.cost.description
    eligibility = service.eligibility
    if eligibility.description:
        out["eligibility_description"] = eligibility.description
    if eligibility.minimum_age is not None:
        out["minimum_age"] = eligibility.minimum_age
    if eligibility.maximum_age is not None:
        out["maximum_age"] = eligibility.maximum_age
    if service.assured_date:
        out["assured_date"] = service.assured_date.isoformat()
    out["last_modified"] = iso_utc(service.last_modified)
    if service.organisation:
        org = organization_of(service)
        out["organization_id"] = org["id"]
        out["organization"] = org
    out["phones"] = [
        {"id": uid(sid, "phone", str(i)), "service_id": sid, "number": phone.number}
        | ({"description": phone.description} if phone.description else {})
        for i, phone in enumerate(service.contact.phones)
    ]
    out["schedules"] = [schedule_hsds3(sid, i, s) for i, s in enumerate(service.schedules)]
    out["service_areas"] = [
        {"id": uid(sid, "area", area), "service_id": sid, "name": area} for area in service.areas
    ]
    out["service_at_locations"] = [_location_hsds3(sid, loc, address) for loc in service.locations]
    out["languages"] = [
        {"id": uid(sid, "language", name), "service_id": sid, "name": name}
        for name in service.languages
    ]
    out["cost_options"] = cost_options(service)
    out["attributes"] = _attributes_hsds3(service, sample=sample)
    return out


def iso_utc(moment: datetime) -> str:
    """Return "2026-11-26T14:03:00Z" (microseconds kept only when there are some)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def schedule_hsds3(sid: str, index: int, schedule: Any) -> dict[str, Any]:
    """Return one HSDS 3.0 schedule object."""
    out: dict[str, Any] = {"id": uid(sid, "schedule", str(index)), "service_id": sid}
    if schedule.freq is not None:
        out["freq"] = schedule.freq.value
        out["interval"] = schedule.interval
    if schedule.byday:
        out["byday"] = schedule.byday
    for key in ("opens_at", "closes_at"):
        value = getattr(schedule, key)
        if value is not None:
            out[key] = value.isoformat()
    for key in ("valid_from", "valid_to", "dtstart"):
        value = getattr(schedule, key)
        if value is not None:
            out[key] = value.isoformat()
    if schedule.description:
        out["description"] = schedule.description
    return out


def _location_hsds3(sid: str, location: Location, defaults: AddressDefaults) -> dict[str, Any]:
    """Return one HSDS 3.0 service_at_location with its nested location."""
    lid = location.id
    loc: dict[str, Any] = {"id": lid, "location_type": "physical"}
    if location.name:
        loc["name"] = location.name
    if location.latitude is not None:
        loc["latitude"] = location.latitude
    if location.longitude is not None:
        loc["longitude"] = location.longitude
    if location.address_lines or location.town or location.postcode:
        lines = location.address_lines
        address: dict[str, Any] = {
            "id": uid(lid, "address"),
            "location_id": lid,
            "address_1": lines[0] if lines else "",
            "city": location.town or "",
            "state_province": defaults.region,
            "postal_code": location.postcode or "",
            "country": defaults.country,
            "address_type": "physical",
        }
        if len(lines) > 1:
            # Lines after the second are kept one per line so they come back apart.
            address["address_2"] = "\n".join(lines[1:])
        loc["addresses"] = [address]
    if location.accessibility:
        loc["accessibility"] = [
            {
                "id": uid(lid, "accessibility"),
                "location_id": lid,
                "description": location.accessibility,
            }
        ]
    flags = access_attributes(location)
    if flags:
        loc["attributes"] = flags
    return {
        "id": uid(sid, "service_at_location", lid),
        "service_id": sid,
        "location_id": lid,
        "location": loc,
    }


def access_attributes(location: Location) -> list[dict[str, Any]]:
    """Return attributes for the location's step-free and hearing-loop flags, when known."""
    return [
        _attribute(location.id, "location", VOCAB_ACCESS, key, label, label, str(value).lower())
        for key, label in ACCESS_LABELS.items()
        if (value := getattr(location, key)) is not None
    ]


def cost_options(service: Service) -> list[dict[str, Any]]:
    """Return cost options: amount 0 for free, a "Charge" option when not free."""
    sid = service.id
    if service.cost.free is True:
        return [
            {
                "id": uid(sid, "cost"),
                "service_id": sid,
                "option": "Free",
                "amount": 0,
                "currency": "GBP",
            }
        ]
    if service.cost.free is False:
        option: dict[str, Any] = {"id": uid(sid, "cost"), "service_id": sid, "option": "Charge"}
        if service.cost.description:
            option["amount_description"] = service.cost.description
        return [option]
    return []


def _attributes_hsds3(service: Service, *, sample: bool) -> list[dict[str, Any]]:
    """Return our attributes: needs, keywords, all six attendance flags, the sample marker."""
    sid = service.id
    labels = _need_labels()
    out = [
        _attribute(
            sid,
            "service",
            VOCAB_NEEDS,
            need,
            labels.get(need, (need, ""))[0],
            labels.get(need, ("", "A community hub browse-by-need category"))[1]
            or "A community hub browse-by-need category",
        )
        for need in service.needs
    ]
    out.extend(
        _attribute(sid, "service", VOCAB_KEYWORDS, word, word, "A community hub search keyword")
        for word in service.keywords
    )
    out.extend(
        _attribute(
            sid,
            "service",
            VOCAB_ATTENDANCE,
            key,
            label,
            f"How to take part: {label.lower()}",
            "true" if getattr(service.attendance, key) else "false",
        )
        for key, label in ATTENDANCE_LABELS.items()
        # Not stated: no flags, so nothing is invented. Said in the publisher's words: the
        # words (application_process) say it, and read back as the same flags.
        if service.attendance.stated and not said_in_words(service.attendance)
    )
    if sample:
        out.append(
            _attribute(
                sid,
                "service",
                VOCAB_SAMPLE,
                SAMPLE_CODE,
                "Sample data",
                "A fictional service from the community hub's bundled sample directory",
            )
        )
    return out


def hsds3_page(
    services: Sequence[Service],
    *,
    sample_ids: Iterable[str] = (),
    address: AddressDefaults = NO_ADDRESS_DEFAULTS,
) -> dict[str, Any]:
    """Return a whole directory as one HSDS 3.0 paginated list (every service on page 1)."""
    marked = set(sample_ids)
    contents = [
        to_hsds3(service, sample=service.id in marked, address=address) for service in services
    ]
    return {**hsds3_envelope(len(contents)), "contents": contents}


def hsds3_envelope(count: int) -> dict[str, Any]:
    """Return the paginated list's fields around `contents`, for `count` services on page 1
    (an export streams the contents after them: hub.formats.jsonio.dumps_chunks)."""
    return {
        "total_items": count,
        "total_pages": 1,
        "page_number": 1,
        "size": count,
        "first_page": True,
        "last_page": True,
        "empty": not count,
    }
