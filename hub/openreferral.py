"""Open Referral directory files to and from `Service`: HSDS 3.0, ORUK v3 and ORUK v1 JSON.

This module owns the Open Referral formats; nothing else reads or writes them.

Reading (`read_directory_file`, `parse_directory`):

- A file may hold one service object, a bare array of services, or a paginated list
  (`contents` for HSDS 3.0 / ORUK v3, `content` for ORUK v1). The flavour is detected from
  the keys the records use; one tolerant reader handles both flavours, so a feed that mixes
  them still loads.
- Whole-file problems (too big, not UTF-8, not JSON, empty, an unknown shape, the same id
  twice) raise `DirectoryFileError` naming the file. Problems with one record reject only
  that record, with a reason that names the service and the field.
- Ids: Open Referral ids are UUIDs. A record whose id is *not* a UUID (some ORUK v1 feeds use
  numbers) is given a stable UUID derived from it with uuid5, so re-importing the same feed
  updates those services instead of duplicating them; the same happens for nested
  locations. A record with no id at all is rejected.
- Needs: our own `community-hub-needs` attributes first; else the feed's taxonomy terms
  through `hub.needs.map_terms_to_needs`; else `hub.needs.needs_from_text` over the name,
  description and keywords, so browse-by-need works on a council feed that knows nothing
  of our needs.

Writing (`to_hsds3`, `to_oruk1`, `hsds3_page`, `oruk1_page`):

- Every nested record gets a uuid5 id derived from the service id, so exporting the same
  directory twice gives identical bytes.
- What HSDS has no field for (needs, keywords, attendance, step-free access, hearing
  loops, the sample-data marker) goes in `attributes[]` under our own vocabularies
  (`VOCAB_*` below), whose taxonomy term ids are uuid5 of vocabulary and code.
- An HSDS 3.0 round trip (model -> HSDS 3.0 -> model) keeps every field the model holds.
  So does ORUK v1, which has nowhere for a location's step-free and hearing-loop flags or
  a service's `last_modified`: our v1 files carry those the HSDS 3.0 way (location
  `attributes`, `last_modified`); readers that do not know them ignore them.
- Whole directories are written as paginated lists: HSDS 3.0 as `{total_items, ...,
  contents}` (the shape ORUK v3's `service_list.schema.json` describes, each item a full
  HSDS 3.0 service) and ORUK v1 as `{totalElements, ..., content}` (its
  `service_list.schema.json`). HSDS 3.0's own `service_list.schema.json` describes one
  item of such a list, and every item validates against it as well.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import stat
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from hub.models import (
    PHONE,
    POSTCODE,
    Attendance,
    Location,
    Service,
    describe_error,
    record_label,
)

# --- constants ----------------------------------------------------------------------

MAX_FILE_BYTES = 50 * 1024 * 1024
"""The biggest directory file we read: a whole borough's feed is a few megabytes."""

Flavour = Literal["hsds3", "oruk1"]
FLAVOUR_LABELS: dict[str, str] = {"hsds3": "HSDS 3.0 / ORUK v3", "oruk1": "ORUK v1"}

HUB_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://example.org/community-hub-kiosk")
"""Namespace for every uuid5 id this module derives, so derived ids never clash with others."""

VOCAB_NEEDS = "community-hub-needs"
VOCAB_KEYWORDS = "community-hub-keywords"
VOCAB_ATTENDANCE = "community-hub-attendance"
VOCAB_ACCESS = "community-hub-access"
VOCAB_SAMPLE = "community-hub-sample"
SAMPLE_CODE = "sample-data"
OUR_VOCABULARIES = frozenset(
    {VOCAB_NEEDS, VOCAB_KEYWORDS, VOCAB_ATTENDANCE, VOCAB_ACCESS, VOCAB_SAMPLE}
)

ATTENDANCE_LABELS: dict[str, str] = {
    "drop_in": "Drop in",
    "booking": "Book first",
    "referral_needed": "Referral needed",
    "in_person": "In person",
    "phone": "By phone",
    "online": "Online",
}
ACCESS_LABELS: dict[str, str] = {"step_free": "Step-free access", "hearing_loop": "Hearing loop"}

_LONDON = ZoneInfo("Europe/London")
_WEEKDAYS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}
_DESCRIPTION_LIMIT = 5000
_SCHEDULE_NOTE_LIMIT = 1000
_AREA_LIMIT = 80
_KEYWORD_LIMIT = 60
_UNKNOWN_SHAPE = (
    "not an Open Referral directory: expected a service, an array of services or a paginated list"
)


# --- results and errors -------------------------------------------------------------


class DirectoryFileError(Exception):
    """The whole file cannot be used; the message names the file and says why."""


@dataclass(frozen=True)
class RejectedRecord:
    """One record left out of an import: how to find it in the file, and why."""

    label: str
    reason: str
    service_id: str | None = None
    """The record's id as a UUID, when it had a usable one."""


@dataclass
class ParsedDirectory:
    """What a directory file held: its flavour, the services that passed, and the rest."""

    flavour: Flavour
    services: list[Service]
    rejected: list[RejectedRecord] = field(default_factory=list)
    is_sample: bool = False
    """True when every service carries our sample-data marker (the bundled sample)."""
    undated_ids: set[str] = field(default_factory=set)
    """Services whose record had no `last_modified`; theirs was set to the import time."""
    notes: list[str] = field(default_factory=list)
    """Small fixes made on the way in (a map position out of range left out, and so on)."""

    @property
    def flavour_label(self) -> str:
        """Return the flavour in words, e.g. "ORUK v1"."""
        return FLAVOUR_LABELS[self.flavour]


class _RecordProblem(Exception):
    """One field of one record cannot be read; the record is rejected."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")


# --- reading a file -----------------------------------------------------------------


def read_directory_file(
    path: Path, *, now: datetime | None = None, max_bytes: int = MAX_FILE_BYTES
) -> ParsedDirectory:
    """Return the services in an Open Referral JSON file, or raise DirectoryFileError.

    The size is checked before anything is read, so a huge file is refused at once; a
    large file of garbage fails at its first bad character.
    """
    name = str(path)
    try:
        # Checked before opening: opening a named pipe blocks until someone writes to it,
        # and reading a device such as /dev/zero never ends.
        before = os.stat(path)
    except FileNotFoundError:
        raise DirectoryFileError(f"{name}: no such file") from None
    except OSError as exc:
        raise DirectoryFileError(f"{name}: cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(before.st_mode):
        raise DirectoryFileError(f"{name} is a folder, not a directory file")
    if not stat.S_ISREG(before.st_mode):
        raise DirectoryFileError(
            f"{name} is not an ordinary file (a pipe or a device?); give the path of a JSON file"
        )
    if before.st_size > max_bytes:
        raise DirectoryFileError(
            f"{name} is {before.st_size / 1_048_576:.0f} MB; a directory file may be at most "
            f"{max_bytes // 1_048_576} MB"
        )
    raw = _read_regular_file(path, name, max_bytes)
    return parse_directory_bytes(raw, source=name, now=now)


def _read_regular_file(path: Path, name: str, max_bytes: int) -> bytes:
    """Return the bytes of an ordinary file, or raise DirectoryFileError.

    Opened without blocking and checked again once open, so a file swapped for a pipe or
    a device after the first check is still refused; at most `max_bytes` are read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise DirectoryFileError(f"{name}: cannot be read ({exc.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise DirectoryFileError(f"{name} is not an ordinary file; give a JSON file")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            raw = stream.read(max_bytes + 1)
    except OSError as exc:
        raise DirectoryFileError(f"{name}: cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)
    if len(raw) > max_bytes:
        raise DirectoryFileError(
            f"{name} is over {max_bytes // 1_048_576} MB; a directory file may be at most that"
        )
    return raw


def parse_directory_bytes(
    raw: bytes, *, source: str, now: datetime | None = None
) -> ParsedDirectory:
    """Return the services in the bytes of a directory file; `source` names it in errors."""
    try:
        text = raw.decode("utf-8-sig")  # tolerate the byte-order mark some Windows tools add
    except UnicodeDecodeError as exc:
        raise DirectoryFileError(
            f"{source} is not UTF-8 text (bad byte at position {exc.start}); "
            "save it as UTF-8 and try again"
        ) from None
    if not text.strip():
        raise DirectoryFileError(f"{source} is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DirectoryFileError(
            f"{source} is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise DirectoryFileError(f"{source} is not JSON we can read: nested too deeply") from None
    except ValueError as exc:
        # Python refuses to turn a number of more than 4,300 digits into an int (a guard
        # against slow conversions); no directory needs such a number.
        raise DirectoryFileError(
            f"{source} is not JSON we can read: it holds a number too long to be real "
            "(thousands of digits); check the file came from the publisher unchanged"
        ) from exc
    return parse_directory(data, source=source, now=now)


def parse_directory(data: Any, *, source: str, now: datetime | None = None) -> ParsedDirectory:
    """Return the services in decoded JSON; whole-file problems raise DirectoryFileError."""
    records, hint = _records_of(data, source)
    flavour = _detect_flavour(records, hint)
    _refuse_duplicate_ids(records, source)
    when = (now or datetime.now(UTC)).astimezone(UTC)
    parsed = ParsedDirectory(flavour=flavour, services=[])
    sample_marks = 0
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            parsed.rejected.append(
                RejectedRecord(
                    f"item {index}", f"item {index}: is not a JSON object, so not a service"
                )
            )
            continue
        label = record_label(record)
        raw_id = record.get("id")
        rid = None
        if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and str(raw_id).strip():
            rid = _service_id(raw_id)
        try:
            service, dated, is_sample, notes = _service_from_record(record, when)
        except _RecordProblem as exc:
            parsed.rejected.append(RejectedRecord(label, f"{label}: {exc}", rid))
            continue
        except ValidationError as exc:
            parsed.rejected.append(RejectedRecord(label, describe_error(exc, label), rid))
            continue
        parsed.services.append(service)
        parsed.notes.extend(f"{label}: {note}" for note in notes)
        if not dated:
            parsed.undated_ids.add(service.id)
        sample_marks += is_sample
    parsed.is_sample = bool(parsed.services) and sample_marks == len(parsed.services)
    return parsed


def _records_of(data: Any, source: str) -> tuple[list[Any], Flavour | None]:
    """Return the file's service records and the flavour its wrapper implies, if any."""
    if isinstance(data, dict):
        if isinstance(data.get("contents"), list):
            return list(data["contents"]), "hsds3"
        if isinstance(data.get("content"), list):
            return list(data["content"]), "oruk1"
        if _looks_like_service(data):
            return [data], None
    elif isinstance(data, list) and (not data or any(map(_looks_like_service, data))):
        return data, None
    raise DirectoryFileError(f"{source} is {_UNKNOWN_SHAPE}")


def _looks_like_service(item: Any) -> bool:
    """True for a JSON object with a service's id or name."""
    return isinstance(item, dict) and ("id" in item or "name" in item)


# Keys that only one flavour uses; the flavour with more of them across the file wins.
_V1_KEYS = ("regular_schedules", "service_taxonomys", "eligibilitys", "fees", "attending_type")
_V3_KEYS = ("schedules", "attributes", "phones", "fees_description", "application_process")


def _detect_flavour(records: Sequence[Any], hint: Flavour | None) -> Flavour:
    """Return "oruk1" or "hsds3": the wrapper decides, else the keys the records use."""
    if hint is not None:
        return hint
    v1 = v3 = 0
    for record in records[:200]:
        if not isinstance(record, dict):
            continue
        v1 += sum(key in record for key in _V1_KEYS)
        v3 += sum(key in record for key in _V3_KEYS)
        for sal in _dicts(record.get("service_at_locations")):
            location = sal.get("location")
            if isinstance(location, dict):
                v1 += "physical_addresses" in location
                v3 += "addresses" in location
        for language in _dicts(record.get("languages")):
            v1 += "language" in language
            v3 += "name" in language
        for contact in _dicts(record.get("contacts")):
            v1 += "phones" in contact
    return "oruk1" if v1 > v3 else "hsds3"


def _refuse_duplicate_ids(records: Sequence[Any], source: str) -> None:
    """Raise DirectoryFileError if two records share an id: which one is right is unknowable."""
    ids = Counter(
        _service_id(record["id"])
        for record in records
        if isinstance(record, dict) and isinstance(record.get("id"), str | int)
    )
    repeated = [(rid, count) for rid, count in ids.items() if count > 1]
    if repeated:
        rid, count = repeated[0]
        more = f" (and {len(repeated) - 1} more ids)" if len(repeated) > 1 else ""
        raise DirectoryFileError(
            f"{source}: the id {rid} appears {count} times{more}; each service needs its own id"
        )


# --- one record to a Service --------------------------------------------------------


def _service_from_record(
    record: dict[str, Any], now: datetime
) -> tuple[Service, bool, bool, list[str]]:
    """Return (service, had last_modified, carries the sample marker, notes) for one record.

    Raises _RecordProblem or pydantic's ValidationError for a record that cannot be used.
    """
    notes: list[str] = []
    raw_id = record.get("id")
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        raise _RecordProblem("id", "missing; every service needs an id")
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool):
        raise _RecordProblem("id", f"should be text, not {_json_type(raw_id)}")
    service_id = _service_id(raw_id)

    terms = _taxonomy_terms(record)
    ours = _our_terms(terms)
    foreign = [term for term in terms if term[0] not in OUR_VOCABULARIES]

    description = _plain_text(_text(record, "description") or "")
    if len(description) > _DESCRIPTION_LIMIT:
        description = description[: _DESCRIPTION_LIMIT - 1].rsplit(" ", 1)[0] + "…"
        notes.append("description shortened to 5,000 characters")

    keywords = [code for code, _ in ours.get(VOCAB_KEYWORDS, [])]
    if not ours.get(VOCAB_KEYWORDS):
        keywords = _unique(
            name[:_KEYWORD_LIMIT] for _, _, name, _ in foreign if name and name.strip()
        )[:60]

    name = record.get("name")
    organisation = _organisation(record, name)
    data: dict[str, Any] = {
        "id": service_id,
        "organisation": organisation,
        "description": description,
        "keywords": keywords,
        "areas": _areas(record),
        "contact": _contact(record, notes),
        "schedules": _schedules(record),
        "cost": _cost(record),
        "eligibility": _eligibility(record),
        "languages": _languages(record),
        "locations": _locations(record, service_id, notes),
    }
    status = record.get("status")
    if status not in (None, ""):
        data["status"] = status.strip().lower() if isinstance(status, str) else status
    assured = record.get("assured_date")
    if assured not in (None, ""):
        data["assured_date"] = _parse_date(assured, "assured_date")
    modified = record.get("last_modified")
    dated = modified not in (None, "")
    data["last_modified"] = _parse_datetime(modified, "last_modified") if dated else now

    if name is not None:  # absent: let the model say "name: Field required"
        data["name"] = name
    data["attendance"] = _attendance(record, ours.get(VOCAB_ATTENDANCE))
    data["needs"] = _needs(ours, foreign, name, description, keywords)
    service = Service.model_validate(data)
    is_sample = any(code == SAMPLE_CODE for code, _ in ours.get(VOCAB_SAMPLE, []))
    return service, dated, is_sample, notes


def _service_id(raw_id: str | int) -> str:
    """Return the record's id as a canonical UUID, deriving one (uuid5) for a non-UUID id."""
    text = str(raw_id).strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return str(uuid.uuid5(HUB_NAMESPACE, f"feed-id:{text}"))


def _text(record: Mapping[str, Any], key: str) -> str | None:
    """Return a text field, None when absent or blank; raise for a value that is not text."""
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _RecordProblem(key, f"should be text, not {_json_type(value)}")
    text = str(value).strip()
    return text or None


def _json_type(value: Any) -> str:
    """Return a JSON type name for an error message."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "null"
    return "text"


def _list(record: Mapping[str, Any], key: str) -> list[Any]:
    """Return a list field ([] when absent); raise when the field is not a list."""
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _RecordProblem(key, f"should be a list, not {_json_type(value)}")
    return value


def _dicts(value: Any) -> list[dict[str, Any]]:
    """Return the JSON objects in a list, ignoring anything else (for sniffing only)."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def _objects(record: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    """Return a list-of-objects field; raise naming the field when an item is not an object."""
    items = _list(record, key)
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise _RecordProblem(f"{key}[{index}]", f"should be an object, not {_json_type(item)}")
    return items


def _unique(items: Iterable[str]) -> list[str]:
    """Return the items without repeats (ignoring case), keeping the first spelling."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        text = item.strip()
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return out


_TAG = re.compile(r"<[^>]+>")
_BLOCK_TAG = re.compile(r"<\s*(br|/p|/li|/div|/h[1-6])\b[^>]*>", re.IGNORECASE)


def _plain_text(text: str) -> str:
    """Return text with HTML tags and entities removed; council feeds often carry HTML."""
    if not _TAG.search(text) and "&" not in text:
        return text
    text = _BLOCK_TAG.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def _organisation(record: Mapping[str, Any], service_name: Any) -> str | None:
    """Return the organisation's name; None when absent or just the service's own name.

    ORUK v1 requires an organisation, so a service we export without one carries its own
    name there; reading that back as "no organisation" keeps the round trip faithful.
    """
    org = record.get("organization")
    if org is None:
        return None
    if not isinstance(org, dict):
        raise _RecordProblem("organization", f"should be an object, not {_json_type(org)}")
    name = _text(org, "name")
    if name is None or name == service_name:
        return None
    return name


def _areas(record: Mapping[str, Any]) -> list[str]:
    """Return area names. Long "names" are really descriptions of coverage, so skip them."""
    names: list[str] = []
    for area in _objects(record, "service_areas"):
        name = _text(area, "name") or _text(area, "service_area")
        if name and len(name) <= _AREA_LIMIT:
            names.append(name)
    return _unique(names)[:20]


def _contact(record: Mapping[str, Any], notes: list[str]) -> dict[str, Any]:
    """Return the Contact fields: service phones, contacts' phones, email and website."""
    phones: list[dict[str, Any]] = []
    raw_phones = list(_objects(record, "phones"))
    for contact in _objects(record, "contacts"):
        raw_phones.extend(_objects(contact, "phones"))
    seen: set[str] = set()
    for raw in raw_phones:
        phone = _phone(raw, notes)
        if phone and phone["number"] not in seen:
            seen.add(phone["number"])
            phones.append(phone)
    website = _text(record, "url")
    if website and not re.match(r"^https?://", website, re.IGNORECASE):
        # Feeds often write "www.example.org"; a visitor's browser needs the scheme.
        website = f"https://{website}" if "." in website and " " not in website else website
    return {"phones": phones[:20], "email": _text(record, "email"), "website": website}


def _phone(raw: Mapping[str, Any], notes: list[str]) -> dict[str, Any] | None:
    """Return one Phone's fields, moving words after the number ("ext 2") to its description."""
    number = _text(raw, "number")
    if number is None:
        return None
    number = number.strip("\"' ")  # the spec's own example quotes its number
    description = _text(raw, "description") or _text(raw, "type")
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


def _schedules(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return Schedule fields from `schedules` (3.0), `regular_schedules` (v1) and locations."""
    raw = [*_objects(record, "schedules"), *_objects(record, "regular_schedules")]
    for sal in _objects(record, "service_at_locations"):
        raw.extend(_objects(sal, "schedules"))
        raw.extend(_objects(sal, "regular_schedule"))
    schedules: list[dict[str, Any]] = []
    for index, item in enumerate(raw):
        schedule = _schedule(item, index)
        # Feeds repeat a service's schedule on its service_at_location; keep one copy.
        if schedule not in schedules:
            schedules.append(schedule)
    return schedules[:30]


def _schedule(raw: Mapping[str, Any], index: int) -> dict[str, Any]:
    """Return one Schedule's fields, converting v1's `weekday` and times with zones."""
    where = f"schedules[{index}]"
    freq = (_text(raw, "freq") or "").upper() or None
    byday = _text(raw, "byday")
    weekday = _text(raw, "weekday")
    if weekday and not byday:
        code = _WEEKDAYS.get(weekday.lower()) or (
            weekday.upper() if weekday.upper() in _WEEKDAYS.values() else None
        )
        if code is None:
            raise _RecordProblem(f"{where}.weekday", f"{weekday!r} is not a day of the week")
        byday = code
        freq = freq or "WEEKLY"
    description = _text(raw, "description")
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
        value = _text(raw, key)
        if value:
            out[key] = _parse_time(value, f"{where}.{key}")
    for key in ("valid_from", "valid_to", "dtstart"):
        value = raw.get(key)
        if value not in (None, ""):
            out[key] = _parse_date(value, f"{where}.{key}")
    if description and len(description) > _SCHEDULE_NOTE_LIMIT:
        description = description[: _SCHEDULE_NOTE_LIMIT - 1] + "…"
    out["description"] = description
    return out


def _cost(record: Mapping[str, Any]) -> dict[str, Any]:
    """Return Cost fields from fees text and cost options: free when an amount is 0."""
    description = _text(record, "fees_description") or _text(record, "fees")
    amounts: list[float] = []
    words: list[str] = []
    for option in _objects(record, "cost_options"):
        amount = option.get("amount")
        if isinstance(amount, int | float) and not isinstance(amount, bool):
            amounts.append(float(amount))
        elif isinstance(amount, str) and amount.strip():
            try:
                amounts.append(float(amount.strip().lstrip("£")))
            except ValueError:
                words.append(amount)
        words.extend(
            text for text in (_text(option, "option"), _text(option, "amount_description")) if text
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
    description = _text(record, "eligibility_description")
    minimum = record.get("minimum_age")
    maximum = record.get("maximum_age")
    texts: list[str] = []
    for item in _objects(record, "eligibilitys"):
        text = _text(item, "eligibility")
        if text:
            texts.append(text)
        if minimum is None:
            minimum = item.get("minimum_age")
        if maximum is None:
            maximum = item.get("maximum_age")
    if description is None and texts:
        description = "; ".join(_unique(texts))
    return {
        "description": description,
        "minimum_age": _whole_number(minimum),
        "maximum_age": _whole_number(maximum),
    }


def _whole_number(value: Any) -> Any:
    """Return 12 for 12.0 (JSON numbers from other tools); anything else as given."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _languages(record: Mapping[str, Any]) -> list[str]:
    """Return language names: 3.0 `name` (or `code`), v1 `language`."""
    names: list[str] = []
    for item in _objects(record, "languages"):
        name = _text(item, "name") or _text(item, "language") or _text(item, "code")
        if name:
            names.append(name[:60])
    return _unique(names)[:40]


def _locations(
    record: Mapping[str, Any], service_id: str, notes: list[str]
) -> list[dict[str, Any]]:
    """Return Location fields for each `service_at_locations[].location`."""
    out: list[dict[str, Any]] = []
    for index, sal in enumerate(_objects(record, "service_at_locations")):
        raw = sal.get("location")
        if raw is None:
            continue
        if not isinstance(raw, dict):
            raise _RecordProblem(
                f"service_at_locations[{index}].location",
                f"should be an object, not {_json_type(raw)}",
            )
        out.append(_location(raw, service_id, index, notes))
    return out[:20]


def _location(
    raw: Mapping[str, Any], service_id: str, index: int, notes: list[str]
) -> dict[str, Any]:
    """Return one Location's fields: address, position, accessibility and our access flags."""
    raw_id = raw.get("id")
    if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and str(raw_id).strip():
        location_id = _service_id(raw_id)
    else:
        location_id = str(uuid.uuid5(HUB_NAMESPACE, f"{service_id}/location/{index}"))
    addresses = _objects(raw, "addresses") or _objects(raw, "physical_addresses")
    physical = [a for a in addresses if a.get("address_type") in (None, "physical")]
    address = (physical or addresses or [{}])[0]
    lines: list[str] = []
    for key in ("address_1", "address_2"):
        text = _text(address, key)
        if text:
            lines.extend(part.strip() for part in text.split("\n") if part.strip())
    postcode = _text(address, "postal_code")
    if postcode and not POSTCODE.match(re.sub(r"\s+", "", postcode.upper())):
        # Not a UK postcode (the spec's own examples are American): keep it, as words.
        lines.append(postcode)
        postcode = None
    out: dict[str, Any] = {
        "id": location_id,
        "name": _text(raw, "name"),
        "address_lines": lines[:6],
        "town": _text(address, "city"),
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
                notes.append(f"location {key} {value} is out of range; left out")
    texts = [
        _text(item, "description") or _text(item, "accessibility")
        for item in (
            _objects(raw, "accessibility") or _objects(raw, "accessibility_for_disabilities")
        )
    ]
    accessibility = "\n".join(_unique(text for text in texts if text)) or None
    out["accessibility"] = accessibility[:1000] if accessibility else None
    flags = _our_terms(_attribute_terms(_objects(raw, "attributes"))).get(VOCAB_ACCESS)
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


# --- taxonomy terms, needs and attendance -------------------------------------------

Term = tuple[str | None, str | None, str | None, str | None]
"""(vocabulary, code, name, value) of one taxonomy term on a record."""


def _taxonomy_terms(record: Mapping[str, Any]) -> list[Term]:
    """Return every taxonomy term on a record: 3.0 `attributes`, v1 `service_taxonomys`."""
    terms = _attribute_terms(_objects(record, "attributes"))
    for index, item in enumerate(_objects(record, "service_taxonomys")):
        taxonomy = item.get("taxonomy")
        if not isinstance(taxonomy, dict):
            raise _RecordProblem(
                f"service_taxonomys[{index}].taxonomy", "should be an object with a name"
            )
        vocabulary = _text(taxonomy, "vocabulary")
        name = _text(taxonomy, "name")
        # v1 terms have no code; ours put the code in `name`, council lists often in `id`.
        code = name if vocabulary in OUR_VOCABULARIES else _text(taxonomy, "id")
        terms.append((vocabulary, code, name, None))
    for item in _objects(record, "eligibilitys"):
        for taxonomy in _dicts(item.get("taxonomys")):
            terms.append(
                (
                    _text(taxonomy, "vocabulary"),
                    _text(taxonomy, "id"),
                    _text(taxonomy, "name"),
                    None,
                )
            )
    return terms


def _attribute_terms(attributes: Sequence[Mapping[str, Any]]) -> list[Term]:
    """Return the taxonomy terms of HSDS 3.0 attributes, with each attribute's value."""
    terms: list[Term] = []
    for index, attribute in enumerate(attributes):
        term = attribute.get("taxonomy_term")
        if term is None:
            continue
        if not isinstance(term, dict):
            raise _RecordProblem(f"attributes[{index}].taxonomy_term", "should be an object")
        detail = term.get("taxonomy_detail")
        vocabulary = _text(term, "taxonomy") or _text(term, "vocabulary")
        if vocabulary is None and isinstance(detail, dict):
            vocabulary = _text(detail, "name")
        name = _text(term, "name") or _text(term, "term")
        terms.append((vocabulary, _text(term, "code"), name, _text(attribute, "value")))
    return terms


def _our_terms(terms: Iterable[Term]) -> dict[str, list[tuple[str, str | None]]]:
    """Return our own vocabularies' (code, value) pairs, keyed by vocabulary."""
    ours: dict[str, list[tuple[str, str | None]]] = {}
    for vocabulary, code, name, value in terms:
        if vocabulary in OUR_VOCABULARIES and (code or name):
            ours.setdefault(vocabulary, []).append((code or name or "", value))
    return ours


def _needs(
    ours: Mapping[str, list[tuple[str, str | None]]],
    foreign: Sequence[Term],
    name: Any,
    description: str,
    keywords: Sequence[str],
) -> list[str]:
    """Return hub need ids: ours, else from the feed's taxonomy, else from the words."""
    if VOCAB_NEEDS in ours:
        return [code for code, _ in ours[VOCAB_NEEDS]]
    from hub import needs as hub_needs  # imported late: needs.json is read on first use

    mapped = hub_needs.map_terms_to_needs(
        (vocabulary, code, term_name) for vocabulary, code, term_name, _ in foreign
    )
    if mapped:
        return list(mapped)
    words = " ".join([name if isinstance(name, str) else "", description, *keywords])
    return list(hub_needs.needs_from_text(words))


def _attendance(
    record: Mapping[str, Any], ours: Sequence[tuple[str, str | None]] | None
) -> dict[str, bool]:
    """Return Attendance flags: ours when present, else inferred from the feed's words."""
    if ours is not None:
        flags = {code: value != "false" for code, value in ours if code in ATTENDANCE_LABELS}
        # Our export writes all six; an older file listing only the true ones reads the same.
        return {key: flags.get(key, False) for key in ATTENDANCE_LABELS}
    words: list[str] = []
    for key in ("application_process", "attending_type", "attending_access"):
        value = record.get(key)
        if isinstance(value, str):
            words.append(value)
    for item in [*_dicts(record.get("schedules")), *_dicts(record.get("regular_schedules"))]:
        value = item.get("attending_type")
        if isinstance(value, str):
            words.append(value)
    text = " ".join(words).lower()
    flags = Attendance().model_dump()
    if not text:
        return flags
    flags["drop_in"] = bool(re.search(r"drop[- ]?in|just turn up|no need to book", text))
    flags["booking"] = bool(
        re.search(r"\bbook|appointment", text) and not re.search(r"no need to book", text)
    )
    flags["referral_needed"] = bool(re.search(r"referral|referred", text))
    flags["phone"] = bool(re.search(r"\bphone|telephone|call us", text))
    flags["online"] = bool(re.search(r"online|video|remote|zoom|teams", text))
    in_person = bool(re.search(r"in[- ]person|venue|face[- ]to[- ]face|home visit|drop", text))
    # A service said to be by phone or online only is not somewhere to walk to.
    flags["in_person"] = in_person or not (flags["phone"] or flags["online"])
    return flags


# --- dates and times ----------------------------------------------------------------

_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def _parse_date(value: Any, where: str) -> date:
    """Return a date from ISO ("2025-01-15", or a datetime) or UK ("15/01/2025 00:00:00")."""
    if isinstance(value, str):
        text = value.strip()
        match = _UK_DATE.match(text)
        try:
            if match:
                return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            if len(text) == 10:
                return date.fromisoformat(text)
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    raise _RecordProblem(where, f"{value!r} is not a date (write 2025-01-15 or 15/01/2025)")


def _parse_datetime(value: Any, where: str) -> datetime:
    """Return an aware datetime; a time without a zone is taken as UK time."""
    if isinstance(value, str):
        text = value.strip()
        match = _UK_DATE.match(text)
        try:
            if match:
                day, month, year, hour, minute, second = (
                    int(part) if part else 0 for part in match.groups()
                )
                parsed = datetime(year, month, day, hour, minute, second)
            else:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=_LONDON)
            return parsed.astimezone(UTC)
    raise _RecordProblem(where, f"{value!r} is not a date and time (write 2025-01-15T10:00:00Z)")


def _parse_time(value: str, where: str) -> time:
    """Return a time of day from "10:00", "10:00:00", "10:00Z" or "09:00+01:00".

    A zone suffix is dropped: hubs and their services are all on UK time, and a feed's
    offset is far more often a tool's habit than a real foreign time zone.
    """
    text = re.sub(r"(Z|[+-]\d{2}:?\d{2})$", "", value.strip())
    try:
        return time.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise _RecordProblem(where, f"{value!r} is not a time of day (write 14:30)") from None


# --- export -------------------------------------------------------------------------


def _uid(*parts: str) -> str:
    """Return a stable uuid5 for a nested record, from the ids and words that identify it."""
    return str(uuid.uuid5(HUB_NAMESPACE, "/".join(parts)))


def term_id(vocabulary: str, code: str) -> str:
    """Return the stable UUID of one of our taxonomy terms."""
    return _uid("term", vocabulary, code)


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
        "id": _uid(link_id, "attribute", vocabulary, code),
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


def _organization(service: Service) -> dict[str, Any]:
    """Return the organisation object (ORUK v1 needs one; it falls back to the service's name)."""
    name = service.organisation or service.name
    return {"id": _uid("organization", name), "name": name, "description": ""}


def to_hsds3(service: Service, *, sample: bool = False) -> dict[str, Any]:
    """Return one service as an HSDS 3.0 service object (valid against the 3.0 schema)."""
    sid = service.id
    out: dict[str, Any] = {"id": sid, "name": service.name, "description": service.description}
    if service.contact.website:
        out["url"] = service.contact.website
    if service.contact.email:
        out["email"] = service.contact.email
    out["status"] = service.status.value
    out["application_process"] = application_process(service.attendance)
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
    out["last_modified"] = _iso_utc(service.last_modified)
    if service.organisation:
        org = _organization(service)
        out["organization_id"] = org["id"]
        out["organization"] = org
    out["phones"] = [
        {"id": _uid(sid, "phone", str(i)), "service_id": sid, "number": phone.number}
        | ({"description": phone.description} if phone.description else {})
        for i, phone in enumerate(service.contact.phones)
    ]
    out["schedules"] = [_schedule_hsds3(sid, i, s) for i, s in enumerate(service.schedules)]
    out["service_areas"] = [
        {"id": _uid(sid, "area", area), "service_id": sid, "name": area} for area in service.areas
    ]
    out["service_at_locations"] = [_location_hsds3(sid, loc) for loc in service.locations]
    out["languages"] = [
        {"id": _uid(sid, "language", name), "service_id": sid, "name": name}
        for name in service.languages
    ]
    out["cost_options"] = _cost_options(service)
    out["attributes"] = _attributes_hsds3(service, sample=sample)
    return out


def _iso_utc(moment: datetime) -> str:
    """Return "2026-11-26T14:03:00Z" (microseconds kept only when there are some)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _schedule_hsds3(sid: str, index: int, schedule: Any) -> dict[str, Any]:
    """Return one HSDS 3.0 schedule object."""
    out: dict[str, Any] = {"id": _uid(sid, "schedule", str(index)), "service_id": sid}
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


def _location_hsds3(sid: str, location: Location) -> dict[str, Any]:
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
            "id": _uid(lid, "address"),
            "location_id": lid,
            "address_1": lines[0] if lines else "",
            "city": location.town or "",
            "state_province": "London",
            "postal_code": location.postcode or "",
            "country": "GB",
            "address_type": "physical",
        }
        if len(lines) > 1:
            # Lines after the second are kept one per line so they come back apart.
            address["address_2"] = "\n".join(lines[1:])
        loc["addresses"] = [address]
    if location.accessibility:
        loc["accessibility"] = [
            {
                "id": _uid(lid, "accessibility"),
                "location_id": lid,
                "description": location.accessibility,
            }
        ]
    flags = _access_attributes(location)
    if flags:
        loc["attributes"] = flags
    return {
        "id": _uid(sid, "service_at_location", lid),
        "service_id": sid,
        "location_id": lid,
        "location": loc,
    }


def _access_attributes(location: Location) -> list[dict[str, Any]]:
    """Return attributes for the location's step-free and hearing-loop flags, when known."""
    return [
        _attribute(location.id, "location", VOCAB_ACCESS, key, label, label, str(value).lower())
        for key, label in ACCESS_LABELS.items()
        if (value := getattr(location, key)) is not None
    ]


def _cost_options(service: Service) -> list[dict[str, Any]]:
    """Return cost options: amount 0 for free, a "Charge" option when not free."""
    sid = service.id
    if service.cost.free is True:
        return [
            {
                "id": _uid(sid, "cost"),
                "service_id": sid,
                "option": "Free",
                "amount": 0,
                "currency": "GBP",
            }
        ]
    if service.cost.free is False:
        option: dict[str, Any] = {"id": _uid(sid, "cost"), "service_id": sid, "option": "Charge"}
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


def hsds3_page(services: Sequence[Service], *, sample_ids: Iterable[str] = ()) -> dict[str, Any]:
    """Return a whole directory as one HSDS 3.0 paginated list (every service on page 1)."""
    marked = set(sample_ids)
    contents = [to_hsds3(service, sample=service.id in marked) for service in services]
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }


def to_oruk1(service: Service) -> dict[str, Any]:
    """Return one service as an ORUK v1 service object (valid against the v1 schema)."""
    sid = service.id
    attendance = service.attendance
    out: dict[str, Any] = {
        "id": sid,
        "name": service.name,
        "description": service.description,
        "url": service.contact.website or "",
        "status": service.status.value,
        "organization": _organization(service),
    }
    if service.contact.email:
        out["email"] = service.contact.email
    if service.cost.description:
        out["fees"] = service.cost.description
    if service.assured_date:
        out["assured_date"] = service.assured_date.isoformat()
    # Not an ORUK v1 field, but sync needs it to decide which copy is newer; readers that
    # do not know it ignore it.
    out["last_modified"] = _iso_utc(service.last_modified)
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
                "id": _uid(sid, "contact"),
                "name": service.organisation or service.name,
                "phones": [
                    {"id": _uid(sid, "phone", str(i)), "number": phone.number}
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
        for option in _cost_options(service)
    ]
    eligibility = service.eligibility
    out["eligibilitys"] = (
        [
            {
                "id": _uid(sid, "eligibility"),
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
        {"id": _uid(sid, "language", name), "language": name} for name in service.languages
    ]
    out["regular_schedules"] = [
        {key: value for key, value in _schedule_hsds3(sid, i, s).items() if key != "service_id"}
        for i, s in enumerate(service.schedules)
    ]
    out["service_areas"] = [
        {"id": _uid(sid, "area", area), "service_area": area} for area in service.areas
    ]
    out["service_at_locations"] = [_location_oruk1(sid, loc) for loc in service.locations]
    taxonomies = [(VOCAB_NEEDS, need) for need in service.needs] + [
        (VOCAB_KEYWORDS, word) for word in service.keywords
    ]
    taxonomies += [(VOCAB_ATTENDANCE, key) for key in ATTENDANCE_LABELS if getattr(attendance, key)]
    out["service_taxonomys"] = [
        {
            "id": _uid(sid, "service_taxonomy", vocabulary, code),
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


def _location_oruk1(sid: str, location: Location) -> dict[str, Any]:
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
            "id": _uid(lid, "address"),
            "address_1": lines[0] if lines else "",
            "city": location.town or "",
            "state_province": "London",
            "postal_code": location.postcode or "",
            "country": "GB",
        }
        if len(lines) > 1:
            address["address_2"] = "\n".join(lines[1:])
        loc["physical_addresses"] = [address]
    if location.accessibility:
        loc["accessibility_for_disabilities"] = [
            {"id": _uid(lid, "accessibility"), "accessibility": location.accessibility}
        ]
    flags = _access_attributes(location)
    if flags:
        # Not in ORUK v1; carried the HSDS 3.0 way so our own v1 files round-trip.
        loc["attributes"] = flags
    return {"id": _uid(sid, "service_at_location", lid), "location": loc}


def oruk1_page(services: Sequence[Service]) -> dict[str, Any]:
    """Return a whole directory as one ORUK v1 paginated list (every service on page 1)."""
    content = [to_oruk1(service) for service in services]
    return {
        "totalElements": len(content),
        "totalPages": 1,
        "number": 1,
        "size": len(content),
        "first": True,
        "last": True,
        "empty": not content,
        "content": content,
    }


def dumps(document: Any) -> str:
    """Return JSON text as we write directory files: UTF-8 friendly, indented, stable."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
