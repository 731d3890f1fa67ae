"""Our `Service` to Open Referral UK v1 JSON."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from hub.formats.common import (
    ATTENDANCE_LABELS,
    NO_ADDRESS_DEFAULTS,
    VOCAB_ATTENDANCE,
    VOCAB_KEYWORDS,
    VOCAB_NEEDS,
    AddressDefaults,
    term_id,
    uid,
)
from hub.formats.hsds3 import (
    access_attributes,
    cost_options,
    iso_utc,
    organization_of,
    schedule_hsds3,
)
from hub.formats.source_overlay import is_our_entry, overlay
from hub.models import (
    Location,
    Service,
)

# ORUK v1 allows only these words for how to go (None: not stated).
ATTENDING_TYPES = ("phone", "online", "venue", "home visit")
ATTENDING_ACCESS = ("referral", "appointment", "membership", "drop-in")
DELIVERABLE_TYPES = (
    "Advice",
    "Assessment",
    "Counselling",
    "Equipment",
    "Financial Support",
    "Information",
    "Permission",
    "Training",
)


def to_oruk1(service: Service, *, address: AddressDefaults = NO_ADDRESS_DEFAULTS) -> dict[str, Any]:
    """Return one service as an ORUK v1 service object (valid against the v1 schema).

    A service imported from ORUK v1 comes back as its publisher wrote it, with the hub's
    changes laid over (`hub.formats.source_overlay`). The publisher's words for how to go
    that v1's lists do not have ("Self referral", "Assessment"), or have in other letters
    ("Phone"), cannot stay in `attending_type` / `attending_access`; the list's word (or
    null) goes there and the publisher's own beside it, in `attending_type_words` /
    `attending_access_words`, which is what a reader of ours reads back. An empty string
    in a v1 list field (`deliverable_type: ""`) is written as null, v1's "not given"; web
    addresses are written as v1's schema wants them (`_v1_url`), and an organisation's
    empty `url` is left out.
    """
    out = overlay(service, _built_oruk1(service, address), "oruk1", is_our_entry)
    out["url"] = _v1_url(out.get("url")) or ""  # v1 requires the key; "" is its "none"
    org = out.get("organization")
    if isinstance(org, dict) and "url" in org:
        org = dict(org)
        url = _v1_url(org.pop("url"))
        out["organization"] = org | ({"url": url} if url else {})
    enums = (
        ("attending_type", ATTENDING_TYPES),
        ("attending_access", ATTENDING_ACCESS),
        ("deliverable_type", DELIVERABLE_TYPES),
    )
    for key, allowed in enums:
        value = out.get(key)
        if value is None or value in allowed:
            continue
        word = value.strip().lower().replace("drop in", "drop-in") if isinstance(value, str) else ""
        fitted = next((choice for choice in allowed if choice.lower() == word), None)
        out[key] = fitted
        if isinstance(value, str) and value.strip() and key != "deliverable_type":
            out[f"{key}_words"] = value  # "Phone" stays "Phone"; "Self referral" is kept
    return out


def _v1_url(value: Any) -> str | None:
    """Return a web address as v1's schema wants it, or None when there is none.

    v1 wants a scheme in small letters: "HTTPS://x" is written "https://x", and a bare
    "www.example.org" (how publishers often write it) "https://www.example.org", the same
    rule the reader uses. Empty text is no address.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    scheme = re.match(r"^(https?)://", text, re.IGNORECASE)
    if scheme:
        return scheme.group(1).lower() + text[scheme.end(1) :]
    if "." in text and " " not in text and "://" not in text:
        return f"https://{text}"
    return text


def _built_oruk1(
    service: Service, address: AddressDefaults = NO_ADDRESS_DEFAULTS
) -> dict[str, Any]:
    """Return one service as ORUK v1 from our model alone."""
    sid = service.id
    attendance = service.attendance
    out: dict[str, Any] = {
        "id": sid,
        "name": service.name,
        "description": service.description,
        "url": service.contact.website or "",
        "status": service.status.value,
        "organization": organization_of(service),
    }
    if service.contact.email:
        out["email"] = service.contact.email
    if service.cost.description:
        out["fees"] = service.cost.description
    if service.assured_date:
        out["assured_date"] = service.assured_date.isoformat()
    # Not an ORUK v1 field, but sync needs it to decide which copy is newer; readers that
    # do not know it ignore it.
    out["last_modified"] = iso_utc(service.last_modified)
    out["attending_type"] = (
        "venue"
        if attendance.in_person
        else "phone"
        if attendance.phone
        else "online"
        if attendance.online
        else None
    )
    out["attending_access"] = (
        "referral"
        if attendance.referral_needed
        else "appointment"
        if attendance.booking
        else "drop-in"
        if attendance.drop_in
        else None
    )
    out["contacts"] = (
        [
            {
                "id": uid(sid, "contact"),
                "name": service.organisation or service.name,
                "phones": [
                    {"id": uid(sid, "phone", str(i)), "number": phone.number}
                    | ({"description": phone.description} if phone.description else {})
                    for i, phone in enumerate(service.contact.phones)
                ],
            }
        ]
        if service.contact.phones
        else []
    )
    out["cost_options"] = [
        {key: value for key, value in option.items() if key not in ("service_id", "currency")}
        for option in cost_options(service)
    ]
    eligibility = service.eligibility
    out["eligibilitys"] = (
        [
            {
                "id": uid(sid, "eligibility"),
                "eligibility": eligibility.description,
                "minimum_age": eligibility.minimum_age,
                "maximum_age": eligibility.maximum_age,
            }
        ]
        if eligibility.description
        or eligibility.minimum_age is not None
        or eligibility.maximum_age is not None
        else []
    )
    out["languages"] = [
        {"id": uid(sid, "language", name), "language": name} for name in service.languages
    ]
    out["regular_schedules"] = [
        {key: value for key, value in schedule_hsds3(sid, i, s).items() if key != "service_id"}
        for i, s in enumerate(service.schedules)
    ]
    out["service_areas"] = [
        {"id": uid(sid, "area", area), "service_area": area} for area in service.areas
    ]
    out["service_at_locations"] = [_location_oruk1(sid, loc, address) for loc in service.locations]
    taxonomies = [(VOCAB_NEEDS, need) for need in service.needs] + [
        (VOCAB_KEYWORDS, word) for word in service.keywords
    ]
    taxonomies += [(VOCAB_ATTENDANCE, key) for key in ATTENDANCE_LABELS if getattr(attendance, key)]
    out["service_taxonomys"] = [
        {
            "id": uid(sid, "service_taxonomy", vocabulary, code),
            "taxonomy": {
                "id": term_id(vocabulary, code),
                "name": code,
                "vocabulary": vocabulary,
                "parent": None,
            },
        }
        for vocabulary, code in taxonomies
    ]
    return out


def _location_oruk1(sid: str, location: Location, defaults: AddressDefaults) -> dict[str, Any]:
    """Return one ORUK v1 service_at_location with its nested location."""
    lid = location.id
    loc: dict[str, Any] = {
        "id": lid,
        "name": location.name or "",
        "latitude": location.latitude,
        "longitude": location.longitude,
        "physical_addresses": [],
        "accessibility_for_disabilities": [],
    }
    if location.address_lines or location.town or location.postcode:
        lines = location.address_lines
        address: dict[str, Any] = {
            "id": uid(lid, "address"),
            "address_1": lines[0] if lines else "",
            "city": location.town or "",
            "state_province": defaults.region,
            "postal_code": location.postcode or "",
            "country": defaults.country,
        }
        if len(lines) > 1:
            address["address_2"] = "\n".join(lines[1:])
        loc["physical_addresses"] = [address]
    if location.accessibility:
        loc["accessibility_for_disabilities"] = [
            {"id": uid(lid, "accessibility"), "accessibility": location.accessibility}
        ]
    flags = access_attributes(location)
    if flags:
        # Not in ORUK v1; carried the HSDS 3.0 way so our own v1 files round-trip.
        loc["attributes"] = flags
    return {"id": uid(sid, "service_at_location", lid), "location": loc}


def oruk1_page(
    services: Sequence[Service], *, address: AddressDefaults = NO_ADDRESS_DEFAULTS
) -> dict[str, Any]:
    """Return a whole directory as one ORUK v1 paginated list (every service on page 1)."""
    content = [to_oruk1(service, address=address) for service in services]
    return {**oruk1_envelope(len(content)), "content": content}


def oruk1_envelope(count: int) -> dict[str, Any]:
    """Return the paginated list's fields around `content`, for `count` services on page 1
    (an export streams the content after them: hub.formats.jsonio.dumps_chunks)."""
    return {
        "totalElements": count,
        "totalPages": 1,
        "number": 1,
        "size": count,
        "first": True,
        "last": True,
        "empty": not count,
    }
