"""The fields of one Open Referral record, read into our `Service`'s shape.

Each reader takes a record (HSDS 3.0, ORUK v3 or ORUK v1 keys alike) and returns the
plain values our models take; a value that cannot be read raises `RecordProblem` naming
the field, and `hub.formats.to_model` leaves that field out of the service and says so.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping
from typing import Any

from hub.formats.common import (
    ACCESS_LABELS,
    AREA_LIMIT,
    HUB_NAMESPACE,
    SCHEDULE_NOTE_LIMIT,
    VOCAB_ACCESS,
    WEEKDAY_CODES,
    RecordProblem,
    feed_uuid,
    json_type,
    objects_of,
    parse_date,
    parse_time,
    text_of,
    unique,
)
from hub.formats.taxonomy import (
    attribute_terms,
    our_terms,
)
from hub.models import (
    PHONE,
    POSTCODE,
)


def organisation_name(record: Mapping[str, Any], service_name: Any) -> str | None:
    """Return the organisation's name; None when absent or just the service's own name.

    ORUK v1 requires an organisation, so a service we export without one carries its own
    name there; reading that back as "no organisation" keeps the round trip faithful.
    """
    org = record.get("organization")
    if org is None:
        return None
    if not isinstance(org, dict):
        raise RecordProblem("organization", f"should be an object, not {json_type(org)}")
    name = text_of(org, "name")
    if name is None or name == service_name:
        return None
    return name


def area_names(record: Mapping[str, Any]) -> list[str]:
    """Return area names. Long "names" are really descriptions of coverage, so skip them."""
    names: list[str] = []
    for area in objects_of(record, "service_areas"):
        name = text_of(area, "name") or text_of(area, "service_area")
        if name and len(name) <= AREA_LIMIT:
            names.append(name)
    return unique(names)[:20]


def contact_fields(record: Mapping[str, Any], notes: list[str]) -> dict[str, Any]:
    """Return the Contact fields: service phones, contacts' phones, email and website."""
    phones: list[dict[str, Any]] = []
    raw_phones = list(objects_of(record, "phones"))
    for contact in objects_of(record, "contacts"):
        raw_phones.extend(objects_of(contact, "phones"))
    seen: set[str] = set()
    for raw in raw_phones:
        phone = phone_fields(raw, notes)
        if phone and phone["number"] not in seen:
            seen.add(phone["number"])
            phones.append(phone)
    website = text_of(record, "url")
    scheme = re.match(r"^(https?)://", website or "", re.IGNORECASE)
    if website and scheme:
        # "HTTPS://" is the same address; browsers and our checks want it lower-case.
        website = scheme.group(1).lower() + website[scheme.end(1) :]
    elif website:
        # Feeds often write "www.example.org"; a visitor's browser needs the scheme.
        website = f"https://{website}" if "." in website and " " not in website else website
    return {"phones": phones[:20], "email": text_of(record, "email"), "website": website}


def phone_fields(raw: Mapping[str, Any], notes: list[str]) -> dict[str, Any] | None:
    """Return one Phone's fields, moving words after the number ("ext 2") to its description."""
    number = text_of(raw, "number")
    if number is None:
        return None
    number = number.strip("\"' ")  # the spec's own example quotes its number
    description = text_of(raw, "description") or text_of(raw, "type")
    extension = raw.get("extension")
    if isinstance(extension, int | float) and not isinstance(extension, bool):
        description = " ".join(filter(None, [description, f"extension {int(extension)}"]))
    if not PHONE.match(number):
        lead = re.match(r"^[+0-9 ()\-]+", number)
        digits = lead.group(0).rstrip(" (-") if lead else ""
        if sum(ch.isdigit() for ch in digits) >= 7:
            rest = number[len(digits) :].strip(" ,;/()")
            number = digits.strip()
            description = " ".join(filter(None, [description, rest])) or None
            notes.append(f"phone number {raw.get('number')!r} split into {number!r} and a note")
    return {"number": number, "description": description}


def schedule_list(record: Mapping[str, Any], dropped: list[str]) -> list[dict[str, Any]]:
    """Return Schedule fields from `schedules` (3.0), `regular_schedules` (v1) and locations."""
    raw = [*objects_of(record, "schedules"), *objects_of(record, "regular_schedules")]
    for sal in objects_of(record, "service_at_locations"):
        raw.extend(objects_of(sal, "schedules"))
        raw.extend(objects_of(sal, "regular_schedule"))
    schedules: list[dict[str, Any]] = []
    for index, item in enumerate(raw):
        try:
            schedule = schedule_fields(item, index)
        except RecordProblem as exc:
            dropped.append(f"{exc}; left that schedule out")
            continue
        # Feeds repeat a service's schedule on its service_at_location; keep one copy.
        if schedule not in schedules:
            schedules.append(schedule)
    return schedules[:30]


def schedule_fields(raw: Mapping[str, Any], index: int) -> dict[str, Any]:
    """Return one Schedule's fields, converting v1's `weekday` and times with zones."""
    where = f"schedules[{index}]"
    freq = (text_of(raw, "freq") or "").upper() or None
    byday = text_of(raw, "byday")
    weekday = text_of(raw, "weekday")
    if weekday and not byday:
        code = WEEKDAY_CODES.get(weekday.lower()) or (
            weekday.upper() if weekday.upper() in WEEKDAY_CODES.values() else None
        )
        if code is None:
            raise RecordProblem(f"{where}.weekday", f"{weekday!r} is not a day of the week")
        byday = code
        freq = freq or "WEEKLY"
    description = text_of(raw, "description")
    if freq == "DAILY":
        freq, byday = "WEEKLY", "MO,TU,WE,TH,FR,SA,SU"
    elif freq not in (None, "WEEKLY", "MONTHLY"):
        # We only follow weekly and monthly patterns; keep the rest as words, not a rule.
        description = description or f"Runs {freq.lower()}"
        freq = None
    out: dict[str, Any] = {"freq": freq, "byday": byday}
    interval = raw.get("interval")
    if interval not in (None, "") and freq is not None:
        out["interval"] = interval
    for key in ("opens_at", "closes_at"):
        value = text_of(raw, key)
        if value:
            out[key] = parse_time(value, f"{where}.{key}")
    for key in ("valid_from", "valid_to", "dtstart"):
        value = raw.get(key)
        if value not in (None, ""):
            out[key] = parse_date(value, f"{where}.{key}")
    if description and len(description) > SCHEDULE_NOTE_LIMIT:
        description = description[: SCHEDULE_NOTE_LIMIT - 1] + "…"
    out["description"] = description
    return out


def cost_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """Return Cost fields from fees text and cost options: free when an amount is 0."""
    description = text_of(record, "fees_description") or text_of(record, "fees")
    amounts: list[float] = []
    words: list[str] = []
    for option in objects_of(record, "cost_options"):
        amount = option.get("amount")
        if isinstance(amount, int | float) and not isinstance(amount, bool):
            amounts.append(float(amount))
        elif isinstance(amount, str) and amount.strip():
            try:
                amounts.append(float(amount.strip().lstrip("£")))
            except ValueError:
                words.append(amount)
        words.extend(
            text
            for text in (text_of(option, "option"), text_of(option, "amount_description"))
            if text
        )
    free: bool | None = None
    if any(amount > 0 for amount in amounts):
        free = False
    elif amounts or any(word.strip().lower() == "free" for word in words):
        free = True
    elif any(word.strip().lower() == "charge" for word in words):
        free = False
    elif description and re.match(r"^\s*(it'?s\s+)?free\b", description, re.IGNORECASE):
        free = True
    return {"free": free, "description": description}


def eligibility_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """Return Eligibility fields from 3.0's flat fields or v1's `eligibilitys` list."""
    description = text_of(record, "eligibility_description")
    minimum = record.get("minimum_age")
    maximum = record.get("maximum_age")
    texts: list[str] = []
    for item in objects_of(record, "eligibilitys"):
        text = text_of(item, "eligibility")
        if text:
            texts.append(text)
        if minimum is None:
            minimum = item.get("minimum_age")
        if maximum is None:
            maximum = item.get("maximum_age")
    if description is None and texts:
        description = "; ".join(unique(texts))
    return {
        "description": description,
        "minimum_age": age_limit(minimum),
        "maximum_age": age_limit(maximum),
    }


def age_limit(value: Any) -> Any:
    """Return 12 for 12.0 (JSON numbers from other tools), None for "no limit"; else as given.

    Publishers write "no limit" as -1, an empty string or null; all of them mean no age limit.
    """
    if value in (None, "", -1, "-1"):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def language_names(record: Mapping[str, Any]) -> list[str]:
    """Return language names: 3.0 `name` (or `code`), v1 `language`."""
    names: list[str] = []
    for item in objects_of(record, "languages"):
        name = text_of(item, "name") or text_of(item, "language") or text_of(item, "code")
        if name:
            names.append(name[:60])
    return unique(names)[:40]


def location_list(
    record: Mapping[str, Any], service_id: str, dropped: list[str]
) -> list[dict[str, Any]]:
    """Return Location fields for each `service_at_locations[].location`."""
    out: list[dict[str, Any]] = []
    for index, sal in enumerate(objects_of(record, "service_at_locations")):
        raw = sal.get("location")
        if raw is None:
            continue
        if not isinstance(raw, dict):
            raise RecordProblem(
                f"service_at_locations[{index}].location",
                f"should be an object, not {json_type(raw)}",
            )
        out.append(location_fields(raw, service_id, index, dropped))
    return out[:20]


def location_fields(
    raw: Mapping[str, Any], service_id: str, index: int, dropped: list[str]
) -> dict[str, Any]:
    """Return one Location's fields: address, position, accessibility and our access flags."""
    raw_id = raw.get("id")
    if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and str(raw_id).strip():
        location_id = feed_uuid(raw_id)
    else:
        location_id = str(uuid.uuid5(HUB_NAMESPACE, f"{service_id}/location/{index}"))
    addresses = objects_of(raw, "addresses") or objects_of(raw, "physical_addresses")
    physical = [a for a in addresses if a.get("address_type") in (None, "physical")]
    address = (physical or addresses or [{}])[0]
    lines: list[str] = []
    for key in ("address_1", "address_2"):
        text = text_of(address, key)
        if text:
            lines.extend(part.strip() for part in text.split("\n") if part.strip())
    postcode = text_of(address, "postal_code")
    if postcode and not POSTCODE.match(re.sub(r"\s+", "", postcode.upper())):
        # Not a UK postcode (the spec's own examples are American): keep it, as words.
        lines.append(postcode)
        postcode = None
    out: dict[str, Any] = {
        "id": location_id,
        "name": text_of(raw, "name"),
        "address_lines": lines[:6],
        "town": text_of(address, "city"),
        "postcode": postcode,
    }
    for key, limit in (("latitude", 90), ("longitude", 180)):
        value = raw.get(key)
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                value = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            if math.isfinite(value) and -limit <= value <= limit:
                out[key] = value
            else:
                dropped.append(f"location {key} {value} is out of range; left it out")
    texts = [
        text_of(item, "description") or text_of(item, "accessibility")
        for item in (
            objects_of(raw, "accessibility") or objects_of(raw, "accessibility_for_disabilities")
        )
    ]
    accessibility = "\n".join(unique(text for text in texts if text)) or None
    out["accessibility"] = accessibility[:1000] if accessibility else None
    flags = our_terms(attribute_terms(objects_of(raw, "attributes"))).get(VOCAB_ACCESS)
    if flags is not None:
        for code, value in flags:
            if code in ACCESS_LABELS:
                out[code] = value != "false"
    elif accessibility:
        out.update(_access_from_text(accessibility))
    return out


_NEGATED = re.compile(r"\b(no|not|without|isn't|is not)\b[^.]{0,25}$", re.IGNORECASE)


def _access_from_text(text: str) -> dict[str, bool]:
    """Return step_free / hearing_loop flags a foreign feed's accessibility text states."""
    flags: dict[str, bool] = {}
    patterns = {
        "step_free": r"step[- ]free|level access|wheelchair[- ]accessible|wheelchair access|ramp",
        "hearing_loop": r"hearing loop|induction loop|loop system",
    }
    for key, pattern in patterns.items():
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            flags[key] = not _NEGATED.search(text[: match.start()])
    return flags
