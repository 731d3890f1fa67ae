"""The hub's domain objects: services in the directory, needs, referrals and sync records.

Every record that enters the app, from a council feed, a bundle or a form, is checked
here. `describe_error` turns pydantic's report into one line that names the record and
the field, which is what a hub worker or coordinator needs to fix a file. The checked
types the records are built from, and `describe_error` itself, live in hub.checked_types
(re-exported here, `__all__`).

Why one module of about 500 lines: the models refer to one another (a Service holds
Locations, Schedules, Contact; a Referral and a sync record name Services), and pydantic
resolves those references within a module; split, each would need forward references and
`model_rebuild` calls that are easy to forget.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from hub.checked_types import (
    BYDAY_ITEM,
    CLEAN_BLOCK,
    CLEAN_LINE,
    EMAIL,
    NOT_BLANK,
    OUTWARD_CODE,
    PHONE,
    POSTCODE,
    LongText,
    NeedId,
    ShortText,
    StrictModel,
    UtcDatetime,
    Uuid,
    describe_error,
    record_label,
)
from hub.i18n import N_
from hub.safe_text import clean_verbatim

# --- the directory -------------------------------------------------------------------


class Status(StrEnum):
    """A service's status, with HSDS 3.0's values."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"
    TEMPORARILY_CLOSED = "temporarily closed"


class Freq(StrEnum):
    """How a schedule repeats (HSDS 3.0 allows WEEKLY and MONTHLY)."""

    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


class Schedule(StrictModel):
    """When a service runs, with HSDS 3.0's RRULE-like fields.

    `byday` is a comma list such as "TU", "MO,WE", "2TU" (second Tuesday) or "-1FR" (last
    Friday). `dtstart` anchors fortnightly (`interval` 2) schedules. A schedule with no
    `freq` is a free-text description only ("Phone to book a time").
    """

    freq: Freq | None = None
    interval: int = Field(default=1, ge=1, le=52)
    byday: str | None = None
    opens_at: time | None = None
    closes_at: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    dtstart: date | None = None
    description: Annotated[str, Field(max_length=1000), CLEAN_BLOCK] | None = None

    @field_validator("byday")
    @classmethod
    def _check_byday(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        items = [item.strip().upper() for item in value.split(",") if item.strip()]
        for item in items:
            if not BYDAY_ITEM.match(item):
                raise ValueError(f"byday item {item!r} is not like TU, 2TU or -1FR")
        return ",".join(items)

    @model_validator(mode="after")
    def _check_order(self) -> Schedule:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValueError("closes_at must be after opens_at")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to must not be before valid_from")
        if self.freq is Freq.MONTHLY and self.byday:
            for item in self.byday.split(","):
                if item[0] not in "-12345":
                    raise ValueError(f"a monthly byday needs a week number, like 2TU: {item!r}")
        return self


class Phone(StrictModel):
    """A telephone number and what it is for."""

    number: Annotated[str, Field(max_length=40), CLEAN_LINE]
    description: Annotated[str, Field(max_length=200), CLEAN_LINE] | None = None

    @field_validator("number")
    @classmethod
    def _check_number(cls, value: str) -> str:
        if not PHONE.match(value) or sum(ch.isdigit() for ch in value) < 3:
            raise ValueError(f"{value!r} is not a telephone number")
        return value


class Contact(StrictModel):
    """How to get in touch with a service."""

    phones: list[Phone] = Field(default_factory=list, max_length=20)
    email: Annotated[str, Field(max_length=254), CLEAN_LINE] | None = None
    website: Annotated[str, Field(max_length=500), CLEAN_LINE] | None = None

    @field_validator("email")
    @classmethod
    def _check_email(cls, value: str | None) -> str | None:
        if value and not EMAIL.match(value):
            raise ValueError(f"{value!r} is not an email address")
        return value or None

    @field_validator("website")
    @classmethod
    def _check_website(cls, value: str | None) -> str | None:
        if value and not re.match(r"^https?://\S+$", value, re.IGNORECASE):
            raise ValueError(f"{value!r} is not a web address starting http:// or https://")
        return value or None


class Location(StrictModel):
    """A place where a service happens."""

    id: Uuid
    name: Annotated[str, Field(max_length=200), CLEAN_LINE] | None = None
    address_lines: list[Annotated[str, Field(max_length=200), CLEAN_LINE]] = Field(
        default_factory=list, max_length=6
    )
    town: Annotated[str, Field(max_length=100), CLEAN_LINE] | None = None
    postcode: Annotated[str, Field(max_length=10), CLEAN_LINE] | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    accessibility: Annotated[str, Field(max_length=1000), CLEAN_BLOCK] | None = None
    step_free: bool | None = None
    hearing_loop: bool | None = None

    @field_validator("postcode")
    @classmethod
    def _check_postcode(cls, value: str | None) -> str | None:
        if not value:
            return None
        compact = re.sub(r"\s+", "", value.upper())
        if not POSTCODE.match(compact):
            raise ValueError(f"{value!r} is not a UK postcode")
        return f"{compact[:-3]} {compact[-3:]}"


class Attendance(StrictModel):
    """How a visitor goes: drop in, book, or be referred; in person, by phone or online."""

    drop_in: bool = False
    booking: bool = False
    referral_needed: bool = False
    in_person: bool = True
    phone: bool = False
    online: bool = False
    stated: bool = True
    """False when the source said nothing about how to go: shown and exported as not stated."""
    words: str | None = Field(default=None, max_length=300)
    """The publisher's own words, e.g. "Drop-in; Self referral" (ORUK `attending_access`)."""


class Cost(StrictModel):
    """What it costs. `free` is None when the directory does not say."""

    free: bool | None = None
    description: Annotated[str, Field(max_length=500), CLEAN_BLOCK] | None = None


class Eligibility(StrictModel):
    """Who a service is for."""

    description: Annotated[str, Field(max_length=1000), CLEAN_BLOCK] | None = None
    minimum_age: int | None = Field(default=None, ge=0, le=120)
    maximum_age: int | None = Field(default=None, ge=0, le=120)

    @model_validator(mode="after")
    def _check_ages(self) -> Eligibility:
        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.maximum_age < self.minimum_age
        ):
            raise ValueError("maximum_age must not be below minimum_age")
        return self


def _clean_strings(value: Any) -> Any:
    """Return a JSON value with every string in it (keys too) cleaned, and nothing else."""
    if isinstance(value, str):
        return clean_verbatim(value)
    if isinstance(value, dict):
        return {clean_verbatim(str(key)): _clean_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean_strings(item) for item in value]
    return value


class SourceRecord(StrictModel):
    """A service's record exactly as its feed gave it, kept so an export loses nothing.

    Kept as JSON text, not objects: a string costs a fraction of the memory of the dicts it
    encodes, is copied for free when the store writes it, and is only read back on export.
    It is data to hand back verbatim, never shown, so it is not cleaned like display text.
    """

    format: Literal["hsds3", "oruk1"]
    text: str

    @property
    def record(self) -> dict[str, Any]:
        """Return the record as the feed gave it (a fresh dict each call)."""
        record: dict[str, Any] = json.loads(self.text)
        return record

    @classmethod
    def of(cls, fmt: Literal["hsds3", "oruk1"], record: dict[str, Any]) -> SourceRecord:
        """Return the source record for a feed's JSON object, its text cleaned.

        Every word is kept, but text is data, never control: escape sequences, control
        characters and bidi overrides are taken out of every string in the record, as
        they are from every field we show (hub.safe_text). That is the one documented
        difference between a feed's record and what an export gives back.
        """
        cleaned = _clean_strings(record)
        return cls(format=fmt, text=json.dumps(cleaned, ensure_ascii=False, separators=(",", ":")))

    read_as: dict[str, str] = Field(default_factory=dict)
    """A short digest of each of our fields as the record read on import: a field whose
    digest still matches is unchanged, and is exported as the record has it."""


def _now_utc() -> datetime:
    return datetime.now(UTC)


class Service(StrictModel):
    """One service in the hub's directory.

    `needs` are hub need ids (data/needs.json); `areas` are neighbourhoods such as
    "Church End", "Alperton" or "Borough-wide". `assured_date` is when someone last
    checked the details; `last_modified` decides which copy wins when hubs sync.
    """

    id: Uuid
    name: ShortText
    organisation: Annotated[str, Field(max_length=200), CLEAN_LINE] | None = None
    description: LongText = ""
    needs: list[NeedId] = Field(default_factory=list, max_length=30)
    keywords: list[Annotated[str, Field(min_length=1, max_length=60), CLEAN_LINE, NOT_BLANK]] = (
        Field(default_factory=list, max_length=60)
    )
    areas: list[Annotated[str, Field(min_length=1, max_length=80), CLEAN_LINE, NOT_BLANK]] = Field(
        default_factory=list, max_length=20
    )
    locations: list[Location] = Field(default_factory=list, max_length=20)
    contact: Contact = Field(default_factory=Contact)
    schedules: list[Schedule] = Field(default_factory=list, max_length=30)
    attendance: Attendance = Field(default_factory=Attendance)
    cost: Cost = Field(default_factory=Cost)
    eligibility: Eligibility = Field(default_factory=Eligibility)
    languages: list[Annotated[str, Field(min_length=1, max_length=60), CLEAN_LINE, NOT_BLANK]] = (
        Field(default_factory=list, max_length=40)
    )
    status: Status = Status.ACTIVE
    assured_date: date | None = None
    last_modified: UtcDatetime = Field(default_factory=_now_utc)
    source: SourceRecord | None = None
    """The record as the publisher wrote it, so an export gives back every field (hub.formats)."""

    @field_validator("needs")
    @classmethod
    def _unique_needs(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @property
    def is_listed(self) -> bool:
        """True when visitors should see this service (not retired or inactive)."""
        return self.status in (Status.ACTIVE, Status.TEMPORARILY_CLOSED)

    @property
    def summary(self) -> str:
        """The description's first sentence: what it is, in one line."""
        text = " ".join(self.description.split())
        match = re.match(r"(.+?[.!?])(\s|$)", text)
        return match.group(1) if match else text


class Need(StrictModel):
    """A way of browsing the directory, in a visitor's words (data/needs.json)."""

    id: NeedId
    label: ShortText
    description: ShortText
    synonyms: list[Annotated[str, Field(min_length=1, max_length=80), CLEAN_LINE, NOT_BLANK]] = (
        Field(min_length=8)
    )
    tile: bool = True
    """False for needs shown only under "More help"."""


CrisisKind = Literal[
    "danger-now",
    "child-at-risk",
    "sexual-violence",
    "adult-abuse",
    "modern-slavery",
    "domestic-abuse",
    "suicide-self-harm",
]
"""An urgent kind a search can touch (hub/crisis.py); "adult-abuse" is abuse of an older or
disabled adult, "modern-slavery" forced work, trafficking or documents held by an employer,
"danger-now" immediate danger or a medical emergency such as an overdose.
The order is the order their lines are offered in when a search touches several: danger
first, then the most specific help, then the lines for anyone in distress."""

UrgentKind = CrisisKind | Literal["everyone"]
"""Who an urgent line is for: a crisis kind, or "everyone" in distress (listed after the
specialist lines)."""

URGENT_LINE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"


class UrgentLine(StrictModel):
    """One line of urgent help: who to call, when, who it is for, and where that was checked."""

    id: Annotated[str, Field(pattern=URGENT_LINE_ID_PATTERN)]
    name: ShortText
    how: ShortText
    when: Annotated[str, Field(max_length=200), CLEAN_LINE]
    kinds: list[UrgentKind] = Field(min_length=1)
    source: str = Field(min_length=1, max_length=500, pattern=r"^https?://\S+$")
    """The organisation's own page giving the number and hours."""
    checked: date | None
    """The day someone last confirmed the number and hours against `source` (None: never)."""


class UrgentHelp(StrictModel):
    """The urgent help shown on every visitor screen: the lines, and when they were checked."""

    about: str | list[str] | None = None
    """Notes for the people who keep the file: what was confirmed, how, and what was not."""
    last_checked: date
    lines: list[UrgentLine] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_unique(self) -> UrgentHelp:
        seen: set[str] = set()
        for line in self.lines:
            if line.id in seen:
                raise ValueError(f"two urgent lines have the id {line.id!r}")
            seen.add(line.id)
        return self


# --- referrals ----------------------------------------------------------------------

Method = Literal["signposted", "warm_handover", "phoned_on_the_spot", "form_sent"]
AgeBand = Literal["under_18", "18_24", "25_44", "45_64", "65_79", "80_plus", "not_given"]
Outcome = Literal["unknown", "attended", "did_not_attend", "not_eligible", "declined"]

# The words staff see for each choice. Marked for the catalogues (hub/locale): the kiosk's
# screens show them through _() in its language; the CLI and the files stay English.
METHOD_LABELS: dict[str, str] = {
    "signposted": N_("Signposted"),
    "warm_handover": N_("Warm handover"),
    "phoned_on_the_spot": N_("Phoned on the spot"),
    "form_sent": N_("Form or email sent"),
}
AGE_BAND_LABELS: dict[str, str] = {
    "under_18": N_("Under 18"),
    "18_24": N_("18 to 24"),
    "25_44": N_("25 to 44"),
    "45_64": N_("45 to 64"),
    "65_79": N_("65 to 79"),
    "80_plus": N_("80 or over"),
    "not_given": N_("Not given"),
}
OUTCOME_LABELS: dict[str, str] = {
    "unknown": N_("Not known yet"),
    "attended": N_("Attended"),
    "did_not_attend": N_("Did not attend"),
    "not_eligible": N_("Not eligible"),
    "declined": N_("Declined"),
}


def check_outward_code(value: str | None) -> str | None:
    """Return the postcode district upper-cased (e.g. "NW10"), None if blank, else raise."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if not OUTWARD_CODE.match(code):
        raise ValueError(
            f"{value!r} is not a postcode district: give only the first part, like NW10 or HA0"
        )
    return code


class Referral(StrictModel):
    """One referral, exactly as in DESIGN.md's contract. Personal data: staff eyes only."""

    id: Uuid
    hub_id: Uuid
    recorded_at: UtcDatetime
    updated_at: UtcDatetime
    recorded_by: Annotated[str, Field(min_length=1, max_length=64), CLEAN_LINE, NOT_BLANK]
    service_id: Uuid
    service_name: ShortText
    needs: list[NeedId] = Field(default_factory=list, max_length=30)
    method: Method
    age_band: AgeBand = "not_given"
    postcode_district: str | None = None
    consent_to_follow_up: bool = False
    contact: Annotated[str, Field(max_length=200), CLEAN_LINE] | None = None
    notes: Annotated[str, Field(max_length=500), CLEAN_BLOCK] | None = None
    follow_up_on: date | None = None
    outcome: Outcome = "unknown"

    @field_validator("postcode_district")
    @classmethod
    def _check_district(cls, value: str | None) -> str | None:
        return check_outward_code(value)

    @field_validator("contact", "notes")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @model_validator(mode="after")
    def _check_consent(self) -> Referral:
        if self.contact and not self.consent_to_follow_up:
            raise ValueError("contact may be kept only when consent_to_follow_up is true")
        if self.updated_at < self.recorded_at:
            raise ValueError("updated_at must not be before recorded_at")
        return self


# --- sync ---------------------------------------------------------------------------


class HubInfo(StrictModel):
    """Which hub a bundle came from."""

    id: Uuid
    name: ShortText


class Suggestion(StrictModel):
    """A visitor's "Something wrong?" note about a service. No personal details."""

    id: Uuid
    service_id: Uuid
    text: Annotated[str, Field(min_length=1, max_length=500), CLEAN_BLOCK, NOT_BLANK]
    day: date


class UnmetSearch(StrictModel):
    """A search that found nothing: only its words, the day, and how often."""

    text: Annotated[str, Field(min_length=1, max_length=200), CLEAN_LINE, NOT_BLANK]
    day: date
    count: int = Field(ge=1, le=1_000_000)


# What other modules import from here (the checked types live in hub.checked_types).
__all__ = [
    "OUTWARD_CODE",
    "PHONE",
    "POSTCODE",
    "URGENT_LINE_ID_PATTERN",
    "AgeBand",
    "Attendance",
    "Contact",
    "Cost",
    "CrisisKind",
    "Eligibility",
    "Freq",
    "HubInfo",
    "Location",
    "Method",
    "Need",
    "NeedId",
    "Outcome",
    "Phone",
    "Referral",
    "Schedule",
    "Service",
    "SourceRecord",
    "Status",
    "StrictModel",
    "Suggestion",
    "UnmetSearch",
    "UrgentHelp",
    "UrgentKind",
    "UrgentLine",
    "UtcDatetime",
    "check_outward_code",
    "describe_error",
    "record_label",
]
