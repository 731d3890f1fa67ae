"""The checked types every record is built from, and one-line errors that name the record.

Split out of hub.models (which re-exports what other modules use): UUIDs in canonical form,
times converted to UTC, text cleaned by hub.safe_text on the way in (no escape sequence,
control character or bidi override survives), postcode and phone patterns, the strict base
model, and `describe_error`, which turns pydantic's report into one line a hub worker can
act on.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
)

from hub.safe_text import clean_block, clean_line

# --- small checked types -------------------------------------------------------------


_CANONICAL_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _check_uuid(value: str) -> str:
    """Return the UUID in canonical lower-case form, or raise ValueError."""
    # Most ids are already canonical; the regex is far cheaper than uuid.UUID, and a
    # coordinator's merge checks hundreds of thousands of them.
    if isinstance(value, str) and _CANONICAL_UUID.match(value):
        return value
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise ValueError(f"{value!r} is not a UUID") from None


def _to_utc(value: datetime) -> datetime:
    """Return the same instant in UTC, so stored times compare and sort simply."""
    return value.astimezone(UTC)


Uuid = Annotated[str, Field(max_length=36), AfterValidator(_check_uuid)]
"""A UUID held as its canonical string, the way Open Referral and our bundles write it."""

UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
"""A date and time with a time zone, converted to UTC. Naive times are refused."""

NEED_ID_PATTERN = r"^[a-z][a-z0-9-]{0,39}$"
NeedId = Annotated[str, Field(pattern=NEED_ID_PATTERN)]
"""A hub need id from data/needs.json, such as "memory" or "money"."""


def _not_blank(value: str) -> str:
    """Return the value, or raise if cleaning left nothing of it."""
    if not value:
        raise ValueError("has no visible text once control and hidden characters are removed")
    return value


# Every text field from outside goes through one of these, so a council feed, a bundle,
# a staff form and a stored document all pass through hub.safe_text on the way in: no
# escape sequence, control character, bidi override or stray invisible character
# survives. Length limits come first in each field's Annotated, so a 100,000-character
# value is refused by its length ("at most 500 characters") before it is cleaned.
CLEAN_LINE = AfterValidator(clean_line)
"""One line of text (a name, a place): line breaks become spaces."""
CLEAN_BLOCK = AfterValidator(clean_block)
"""Text that may run to several lines (a description, notes): line breaks are kept."""
NOT_BLANK = AfterValidator(_not_blank)
"""After cleaning, there must be something left to read."""

ShortText = Annotated[str, Field(min_length=1, max_length=200), CLEAN_LINE, NOT_BLANK]
# Descriptions are kept whole (a council feed has some of 16,000 characters; the card shows the
# start with "more"); the cap only stops a runaway file.
LongText = Annotated[str, Field(max_length=200_000), CLEAN_BLOCK]

# UK outward code: the first half of a postcode, e.g. NW10, HA0, W1A, EC1V.
OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
# A full UK postcode; loose on purpose, councils publish odd spacing.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$")
BYDAY_ITEM = re.compile(r"^(-?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()\-]{3,25}$")


class StrictModel(BaseModel):
    """Base for our models: unknown fields are an error and strings are trimmed."""

    # defer_build: a model's validator is made the first time it is used, not at import, so
    # the kiosk shows Home without building the referral, bundle and staff models first.
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=False, defer_build=True
    )


# --- errors -------------------------------------------------------------------------


def record_label(data: Any) -> str:
    """Return how to name a record in an error: its id and name when it has them."""
    if isinstance(data, dict):
        rid = data.get("id")
        name = data.get("name")
        parts = []
        if isinstance(rid, str) and rid:
            parts.append(clean_line(rid[:40]))
        if isinstance(name, str) and name:
            parts.append(repr(name[:60]))
        if parts:
            return " ".join(parts)
    return "(no id)"


def describe_error(error: ValidationError, label: str) -> str:
    """Return one line naming the record, each bad field, and what is wrong with it."""
    problems = []
    for item in error.errors()[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "record"
        message = item["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {message}")
    more = len(error.errors()) - len(problems)
    suffix = f" (and {more} more)" if more > 0 else ""
    return f"{label}: " + "; ".join(problems) + suffix
