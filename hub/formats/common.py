"""What every Open Referral module shares: vocabularies, ids, results, errors, field readers.

The small readers (`text_of`, `objects_of`, ...) raise `RecordProblem` naming the field, so one
bad field of one record can be reported without losing the rest of the file.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, BinaryIO, Literal, overload
from zoneinfo import ZoneInfo

from hub.models import (
    Service,
)

# --- constants ----------------------------------------------------------------------

MAX_FILE_BYTES = 50 * 1024 * 1024
"""The biggest JSON file `jsonio.read_json_file` reads whole by default. A directory feed
over `feed_files.STREAM_ABOVE` is streamed a record at a time instead, whatever its size."""

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

LONDON_ZONE = ZoneInfo("Europe/London")
WEEKDAY_CODES = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}
SCHEDULE_NOTE_LIMIT = 1000
AREA_LIMIT = 80
KEYWORD_LIMIT = 60
UNKNOWN_SHAPE = (
    "not an Open Referral directory: expected a service, an array of services or a paginated list"
)


# --- results and errors -------------------------------------------------------------


class DirectoryFileError(Exception):
    """The whole file cannot be used; the message names the file and says why."""


@dataclass(frozen=True)
class AddressDefaults:
    """What an exported address says for region and country when our record has none.

    They come from `hub setup --region/--country` (a hub in Brent: "London", "GB"); by
    default both stay empty, so no place is ever stamped on an address that did not say it.
    """

    region: str = ""
    country: str = ""


NO_ADDRESS_DEFAULTS = AddressDefaults()


@dataclass(frozen=True)
class RejectedRecord:
    """One record left out of an import: how to find it in the file, and why."""

    label: str
    reason: str
    service_id: str | None = None
    """The record's id as a UUID, when it had a usable one."""
    warning: str = ""
    """The line to report: "FILE: service ID (NAME): what was wrong; what we did"."""


class PackedServices(Sequence[Service]):
    """Services kept as their stored JSON text in a temporary file, not as objects in memory.

    A big feed (a 400 MB export of 50,000 services) is read a record at a time; its
    services must all be read and checked before the data folder changes, but as objects,
    or even as text in memory, they would not fit what a hub PC can spare. So each
    service's text goes to an anonymous temporary file (`tempfile.TemporaryFile`: mode
    0600, gone when closed or when the process ends), and only the ids and where each text
    ends are kept. Reading one (by index or by iterating) decodes it afresh; the store
    takes the text as it is (`packed`), so an import never decodes most of them at all.
    """

    def __init__(self) -> None:
        self.ids: list[str] = []
        self._ends = array("Q")
        """Where each service's text ends in the spool file."""
        self._spool: BinaryIO = tempfile.TemporaryFile()  # noqa: SIM115 -- kept open while used

    def append(self, service: Service) -> None:
        """Keep one more service, as its JSON text."""
        text = service.__pydantic_serializer__.to_json(service)
        self._spool.seek(self._ends[-1] if self._ends else 0)
        self._spool.write(text)
        self.ids.append(service.id)
        self._ends.append(self._spool.tell())

    def _text(self, index: int) -> bytes:
        """Return the JSON text of the service at `index`."""
        start = self._ends[index - 1] if index > 0 else 0
        self._spool.seek(start)
        return self._spool.read(self._ends[index] - start)

    def packed(self) -> Iterator[tuple[str, bytes]]:
        """Yield (id, JSON text) for each service, in order, without decoding any."""
        for index, service_id in enumerate(self.ids):
            yield service_id, self._text(index)

    def close(self) -> None:
        """Remove the spool file (it goes when the process ends anyway)."""
        self._spool.close()

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Service: ...

    @overload
    def __getitem__(self, index: slice) -> list[Service]: ...

    def __getitem__(self, index: int | slice) -> Service | list[Service]:
        if isinstance(index, slice):
            return [
                Service.model_validate_json(self._text(i))
                for i in range(*index.indices(len(self.ids)))
            ]
        if index < 0:
            index += len(self.ids)
        if not 0 <= index < len(self.ids):
            raise IndexError("no service at that place")
        return Service.model_validate_json(self._text(index))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


@dataclass
class ParsedDirectory:
    """What a directory file held: its flavour, the services that passed, and the rest."""

    flavour: Flavour
    services: list[Service] | PackedServices
    """The services that passed; a streamed (big) feed's are packed (`PackedServices`)."""
    rejected: list[RejectedRecord] = field(default_factory=list)
    is_sample: bool = False
    """True when every service carries our sample-data marker (the bundled sample)."""
    undated_ids: set[str] = field(default_factory=set)
    """Services whose record had no `last_modified`; theirs was set to the import time."""
    notes: list[str] = field(default_factory=list)
    """Every change made on the way in, fixes and dropped fields, as "ID 'NAME': what".

    A sync bundle is written by this app, so its reader refuses a bundle with any of these.
    """
    dropped: list[str] = field(default_factory=list)
    """Fields left out of services that were kept: "FILE: service ID (NAME): what; left it out"."""
    fixed: list[str] = field(default_factory=list)
    """Fixes that lose nothing (a phone number split from the words after it), the same way."""
    placed: dict[str, int] = field(default_factory=dict)
    """How services found their needs: "ours", "taxonomy", "text" or "none" (Other help)."""
    pages: list[PageInfo] = field(default_factory=list)
    """The paged envelopes the services came in, one per file that had one."""

    @property
    def warnings(self) -> list[str]:
        """Return every problem to report, one line each: skipped records and dropped fields.

        `fixed` are not among them: a fix that loses nothing (a phone number split from the
        words after it) is told, not warned of, and does not make `--strict` refuse.
        """
        return [r.warning or r.reason for r in self.rejected] + self.dropped

    @property
    def flavour_label(self) -> str:
        """Return the flavour in words, e.g. "ORUK v1"."""
        return FLAVOUR_LABELS[self.flavour]


@dataclass(frozen=True)
class PageInfo:
    """What a paged envelope says about itself: which page this is and how many there are."""

    source: str
    page: int | None
    total_pages: int | None
    total_items: int | None


def service_label(record: Any) -> str:
    """Return how a warning names a record: "service ID (NAME)", with what it has of those."""
    if not isinstance(record, dict):
        return "a service"
    rid = record.get("id")
    name = record.get("name")
    rid_text = str(rid)[:60] if isinstance(rid, str | int) and str(rid).strip() else "with no id"
    if isinstance(name, str) and name.strip():
        return f"service {rid_text} ({' '.join(name.split())[:80]})"
    return f"service {rid_text}"


class RecordProblem(Exception):
    """One field of one record cannot be read; the record is rejected."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")


# --- reading a file -----------------------------------------------------------------


def feed_uuid(raw_id: str | int) -> str:
    """Return the record's id as a canonical UUID, deriving one (uuid5) for a non-UUID id."""
    text = str(raw_id).strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return str(uuid.uuid5(HUB_NAMESPACE, f"feed-id:{text}"))


def text_of(record: Mapping[str, Any], key: str) -> str | None:
    """Return a text field, None when absent or blank; raise for a value that is not text."""
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordProblem(key, f"should be text, not {json_type(value)}")
    text = str(value).strip()
    return text or None


def json_type(value: Any) -> str:
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


def list_of(record: Mapping[str, Any], key: str) -> list[Any]:
    """Return a list field ([] when absent); raise when the field is not a list."""
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordProblem(key, f"should be a list, not {json_type(value)}")
    return value


def dicts_in(value: Any) -> list[dict[str, Any]]:
    """Return the JSON objects in a list, ignoring anything else (for sniffing only)."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def objects_of(record: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    """Return a list-of-objects field; raise naming the field when an item is not an object."""
    items = list_of(record, key)
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise RecordProblem(f"{key}[{index}]", f"should be an object, not {json_type(item)}")
    return items


def unique(items: Iterable[str]) -> list[str]:
    """Return the items without repeats (ignoring case), keeping the first spelling."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        text = item.strip()
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return out


_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_date(value: Any, where: str) -> date:
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
    raise RecordProblem(where, f"{value!r} is not a date (write 2025-01-15 or 15/01/2025)")


def parse_datetime(value: Any, where: str) -> datetime:
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
                parsed = parsed.replace(tzinfo=LONDON_ZONE)
            return parsed.astimezone(UTC)
    raise RecordProblem(where, f"{value!r} is not a date and time (write 2025-01-15T10:00:00Z)")


def parse_time(value: str, where: str) -> time:
    """Return a time of day from "10:00", "10:00:00", "10:00Z" or "09:00+01:00".

    A zone suffix is dropped: hubs and their services are all on UK time, and a feed's
    offset is far more often a tool's habit than a real foreign time zone.
    """
    text = re.sub(r"(Z|[+-]\d{2}:?\d{2})$", "", value.strip())
    try:
        return time.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise RecordProblem(where, f"{value!r} is not a time of day (write 14:30)") from None


# --- export -------------------------------------------------------------------------


def uid(*parts: str) -> str:
    """Return a stable uuid5 for a nested record, from the ids and words that identify it."""
    return str(uuid.uuid5(HUB_NAMESPACE, "/".join(parts)))


def term_id(vocabulary: str, code: str) -> str:
    """Return the stable UUID of one of our taxonomy terms."""
    return uid("term", vocabulary, code)
