"""Open Referral JSON records (HSDS 3.0, ORUK v3, ORUK v1) to our `Service`."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hub.formats.common import (
    ACCESS_LABELS,
    AREA_LIMIT,
    HUB_NAMESPACE,
    KEYWORD_LIMIT,
    MAX_FILE_BYTES,
    OUR_VOCABULARIES,
    SAMPLE_CODE,
    SCHEDULE_NOTE_LIMIT,
    VOCAB_ACCESS,
    VOCAB_ATTENDANCE,
    VOCAB_KEYWORDS,
    VOCAB_SAMPLE,
    WEEKDAY_CODES,
    Flavour,
    PageInfo,
    ParsedDirectory,
    RecordProblem,
    RejectedRecord,
    feed_uuid,
    json_type,
    objects_of,
    parse_date,
    parse_datetime,
    parse_time,
    service_label,
    text_of,
    unique,
)
from hub.formats.detect import detect_flavour, page_info, records_of
from hub.formats.html_text import plain_text
from hub.formats.jsonio import parse_json_bytes, read_json_file
from hub.formats.source_overlay import fingerprints
from hub.formats.taxonomy import (
    Term,
    attendance_for,
    attribute_terms,
    needs_for,
    our_terms,
    taxonomy_terms,
)
from hub.models import (
    PHONE,
    POSTCODE,
    Service,
    SourceRecord,
    describe_error,
    record_label,
)


def read_directory_file(
    path: Path, *, now: datetime | None = None, max_bytes: int = MAX_FILE_BYTES
) -> ParsedDirectory:
    """Return the services in an Open Referral JSON file, or raise DirectoryFileError."""
    return parse_directory(read_json_file(path, max_bytes=max_bytes), source=str(path), now=now)


def read_directory_files(
    paths: Sequence[Path], *, now: datetime | None = None, max_bytes: int = MAX_FILE_BYTES
) -> ParsedDirectory:
    """Return the services in several JSON files (the pages of one feed) as one directory.

    Every file is read before any is used; a file that is not a directory raises
    DirectoryFileError naming it. A service id on two pages keeps the first, as in one file.
    """
    documents = [
        (str(path), read_json_file(path, max_bytes=max_bytes)) for path in dict.fromkeys(paths)
    ]
    return parse_documents(documents, now=now)


def parse_directory_bytes(
    raw: bytes, *, source: str, now: datetime | None = None
) -> ParsedDirectory:
    """Return the services in the bytes of a directory file; `source` names it in errors."""
    return parse_directory(parse_json_bytes(raw, source=source), source=source, now=now)


def parse_directory(data: Any, *, source: str, now: datetime | None = None) -> ParsedDirectory:
    """Return the services in decoded JSON; whole-file problems raise DirectoryFileError."""
    return parse_documents([(source, data)], now=now)


def parse_documents(
    documents: Sequence[tuple[str, Any]], *, now: datetime | None = None
) -> ParsedDirectory:
    """Return the services in decoded JSON documents (source name, data), read as one feed.

    A document that is not a directory at all raises DirectoryFileError. Anything smaller is
    reported, not refused: a record that cannot be a service is skipped (one entry in
    `rejected`), a field that cannot be read is left out of its service (one in `dropped`).
    """
    batches: list[tuple[str, list[Any]]] = []
    hints: list[Flavour] = []
    pages: list[PageInfo] = []
    for source, data in documents:
        records, hint = records_of(data, source)
        batches.append((source, records))
        if hint is not None:
            hints.append(hint)
        page = page_info(data, source)
        if page is not None:
            pages.append(page)
    every = [record for _, records in batches for record in records]
    flavour = detect_flavour(every, hints[0] if len(set(hints)) == 1 else None)
    when = (now or datetime.now(UTC)).astimezone(UTC)
    parsed = ParsedDirectory(flavour=flavour, services=[], pages=pages)
    first_seen: dict[str, str] = {}
    sample_marks = 0
    for source, records in batches:
        for index, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                parsed.rejected.append(
                    RejectedRecord(
                        f"item {index}",
                        f"item {index}: is not a JSON object, so not a service",
                        warning=(
                            f"{source}: item {index} is {json_type(record)}, not a service; "
                            "skipped it"
                        ),
                    )
                )
                continue
            label = service_label(record)
            short = record_label(record)  # "ID 'NAME'": how RejectedRecord and notes name it
            raw_id = record.get("id")
            rid = None
            if (
                isinstance(raw_id, str | int)
                and not isinstance(raw_id, bool)
                and str(raw_id).strip()
            ):
                rid = feed_uuid(raw_id)
            if rid is not None and rid in first_seen:
                parsed.rejected.append(
                    RejectedRecord(
                        short,
                        f"{short}: id: the same as an earlier service's; kept the first",
                        warning=f"{source}: {label}: the same id as {first_seen[rid]}; "
                        "kept the first, skipped this one",
                    )
                )
                continue
            dropped: list[str] = []
            notes: list[str] = []
            try:
                result = _service_from_record(record, when, dropped, notes, flavour)
            except RecordProblem as exc:
                parsed.rejected.append(
                    RejectedRecord(
                        short,
                        f"{short}: {exc}",
                        rid,
                        warning=f"{source}: {label}: {exc}; skipped the service",
                    )
                )
                continue
            except ValidationError as exc:
                parsed.rejected.append(
                    RejectedRecord(
                        short,
                        describe_error(exc, short),
                        rid,
                        warning=f"{source}: {label}: {_first_problem(exc)}; skipped the service",
                    )
                )
                continue
            service, dated, is_sample, placed = result
            if rid is not None:
                first_seen[rid] = label
            parsed.services.append(service)
            parsed.dropped.extend(f"{source}: {label}: {what}" for what in dropped)
            parsed.fixed.extend(f"{source}: {label}: {what}" for what in notes)
            parsed.notes.extend(f"{short}: {what}" for what in [*notes, *dropped])
            parsed.placed[placed] = parsed.placed.get(placed, 0) + 1
            if not dated:
                parsed.undated_ids.add(service.id)
            sample_marks += is_sample
    parsed.is_sample = bool(parsed.services) and sample_marks == len(parsed.services)
    return parsed


def _first_problem(error: ValidationError) -> str:
    """Return the first problem pydantic found, as "field: what is wrong"."""
    item = error.errors()[0]
    where = ".".join(str(part) for part in item["loc"]) or "record"
    return f"{where}: {item['msg'].removeprefix('Value error, ')}"


_REQUIRED_INSIDE = frozenset({"number", "id"})
"""Nested fields without which their object means nothing: a phone's number, a place's id."""


def _drop_field(data: dict[str, Any], loc: Sequence[int | str]) -> str | None:
    """Remove the bad field pydantic points at from `data`; return its path, None if it may not go.

    The service's own id and name may not go (without them it is not a service). Otherwise the
    field itself is removed (the model's default, "not stated", takes its place), or, for a
    required part of a listed object (a phone's number), that object from its list.
    """
    if not loc or loc[0] in ("id", "name"):
        return None
    path = list(loc)
    last = path[-1]
    if isinstance(last, str) and last in _REQUIRED_INSIDE and len(path) > 1:
        path.pop()
    parent: Any = data
    for part in path[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return None
    key = path[-1]
    in_list = isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent)
    in_dict = isinstance(parent, dict) and key in parent
    if not (in_list or in_dict):
        return None
    del parent[key]
    return ".".join(str(part) for part in path)


def _guarded(dropped: list[str], default: Any, read: Callable[[], Any]) -> Any:
    """Return read(), or `default` with a line in `dropped` when one field cannot be read."""
    try:
        return read()
    except RecordProblem as exc:
        dropped.append(f"{exc}; left it out")
        return default


def _service_from_record(
    record: dict[str, Any],
    now: datetime,
    dropped: list[str],
    notes: list[str],
    flavour: Flavour,
) -> tuple[Service, bool, bool, str]:
    """Return (service, had last_modified, carries the sample marker, how its needs were found).

    A field that cannot be read is left out with a line in `dropped`; RecordProblem or
    ValidationError is raised only for a record that is not a service (no id, no name).
    """
    raw_id = record.get("id")
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        raise RecordProblem("id", "missing; every service needs an id")
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool):
        raise RecordProblem("id", f"should be text, not {json_type(raw_id)}")
    service_id = feed_uuid(raw_id)

    terms: list[Term] = _guarded(dropped, [], lambda: taxonomy_terms(record))
    ours = our_terms(terms)
    foreign = [term for term in terms if term[0] not in OUR_VOCABULARIES]

    description = _guarded(dropped, "", lambda: plain_text(text_of(record, "description") or ""))

    keywords = [code for code, _ in ours.get(VOCAB_KEYWORDS, [])]
    if not ours.get(VOCAB_KEYWORDS):
        keywords = unique(
            name[:KEYWORD_LIMIT] for _, _, name, _ in foreign if name and name.strip()
        )[:60]

    name = record.get("name")
    data: dict[str, Any] = {
        "id": service_id,
        "organisation": _guarded(dropped, None, lambda: _organisation(record, name)),
        "description": description,
        "keywords": keywords,
        "areas": _guarded(dropped, [], lambda: _areas(record)),
        "contact": _guarded(dropped, {}, lambda: _contact(record, notes)),
        "schedules": _guarded(dropped, [], lambda: _schedules(record, dropped)),
        "cost": _guarded(dropped, {}, lambda: _cost(record)),
        "eligibility": _guarded(dropped, {}, lambda: _eligibility(record)),
        "languages": _guarded(dropped, [], lambda: _languages(record)),
        "locations": _guarded(dropped, [], lambda: _locations(record, service_id, dropped)),
        "source": SourceRecord.of("oruk1" if flavour == "oruk1" else "hsds3", record),
    }
    status = record.get("status")
    if status not in (None, ""):
        data["status"] = status.strip().lower() if isinstance(status, str) else status
    assured = record.get("assured_date")
    if assured not in (None, ""):
        data["assured_date"] = _guarded(dropped, None, lambda: parse_date(assured, "assured_date"))
    modified = record.get("last_modified")
    dated = modified not in (None, "")
    if dated:
        data["last_modified"] = _guarded(
            dropped, None, lambda: parse_datetime(modified, "last_modified")
        )
        dated = data["last_modified"] is not None
    if not dated:
        data["last_modified"] = now

    if name is not None:  # absent: let the model say "name: Field required"
        data["name"] = name
    data["attendance"] = _guarded(
        dropped, {"stated": False}, lambda: attendance_for(record, ours.get(VOCAB_ATTENDANCE))
    )
    needs, placed = needs_for(ours, foreign, name, description, keywords)
    data["needs"] = needs
    for _ in range(40):  # each pass removes one bad field; a record has far fewer
        try:
            service = Service.model_validate(data)
            break
        except ValidationError as exc:
            item = exc.errors()[0]
            where = _drop_field(data, item["loc"])
            if where is None:
                raise
            value = item.get("input")
            message = item["msg"].removeprefix("Value error, ")
            shown = f" {value!r}" if isinstance(value, str | int | float) else ""
            if shown.strip() in message:
                shown = ""  # the message already quotes it
            dropped.append(f"{where}{shown}: {message}; left it out")
    else:  # pragma: no cover - forty bad fields in one record
        raise RecordProblem("record", "too many fields that cannot be read")
    if service.source is not None:
        service.source.read_as = fingerprints(service)
    is_sample = any(code == SAMPLE_CODE for code, _ in ours.get(VOCAB_SAMPLE, []))
    return service, dated, is_sample, placed


def _organisation(record: Mapping[str, Any], service_name: Any) -> str | None:
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


def _areas(record: Mapping[str, Any]) -> list[str]:
    """Return area names. Long "names" are really descriptions of coverage, so skip them."""
    names: list[str] = []
    for area in objects_of(record, "service_areas"):
        name = text_of(area, "name") or text_of(area, "service_area")
        if name and len(name) <= AREA_LIMIT:
            names.append(name)
    return unique(names)[:20]


def _contact(record: Mapping[str, Any], notes: list[str]) -> dict[str, Any]:
    """Return the Contact fields: service phones, contacts' phones, email and website."""
    phones: list[dict[str, Any]] = []
    raw_phones = list(objects_of(record, "phones"))
    for contact in objects_of(record, "contacts"):
        raw_phones.extend(objects_of(contact, "phones"))
    seen: set[str] = set()
    for raw in raw_phones:
        phone = _phone(raw, notes)
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


def _phone(raw: Mapping[str, Any], notes: list[str]) -> dict[str, Any] | None:
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


def _schedules(record: Mapping[str, Any], dropped: list[str]) -> list[dict[str, Any]]:
    """Return Schedule fields from `schedules` (3.0), `regular_schedules` (v1) and locations."""
    raw = [*objects_of(record, "schedules"), *objects_of(record, "regular_schedules")]
    for sal in objects_of(record, "service_at_locations"):
        raw.extend(objects_of(sal, "schedules"))
        raw.extend(objects_of(sal, "regular_schedule"))
    schedules: list[dict[str, Any]] = []
    for index, item in enumerate(raw):
        try:
            schedule = _schedule(item, index)
        except RecordProblem as exc:
            dropped.append(f"{exc}; left that schedule out")
            continue
        # Feeds repeat a service's schedule on its service_at_location; keep one copy.
        if schedule not in schedules:
            schedules.append(schedule)
    return schedules[:30]


def _schedule(raw: Mapping[str, Any], index: int) -> dict[str, Any]:
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


def _cost(record: Mapping[str, Any]) -> dict[str, Any]:
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


def _eligibility(record: Mapping[str, Any]) -> dict[str, Any]:
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
        "minimum_age": _whole_number(minimum),
        "maximum_age": _whole_number(maximum),
    }


def _whole_number(value: Any) -> Any:
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


def _languages(record: Mapping[str, Any]) -> list[str]:
    """Return language names: 3.0 `name` (or `code`), v1 `language`."""
    names: list[str] = []
    for item in objects_of(record, "languages"):
        name = text_of(item, "name") or text_of(item, "language") or text_of(item, "code")
        if name:
            names.append(name[:60])
    return unique(names)[:40]


def _locations(
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
        out.append(_location(raw, service_id, index, dropped))
    return out[:20]


def _location(
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
