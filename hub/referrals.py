"""Referrals: record one on the spot, list today's, follow them up, and purge old ones.

Every function takes the time as `now` (an aware datetime) so screens, the command line
and tests agree on what "today" is; "today" is always the day in London.

A form's mistakes come back as one ReferralError holding a plain-English message per
field (`problems`), so a screen can show each beside its field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import uuid4

from dateutil import parser as date_parser
from pydantic import ValidationError

from hub import audit
from hub.config import load_settings
from hub.i18n import N_
from hub.models import (
    AGE_BAND_LABELS,
    METHOD_LABELS,
    OUTCOME_LABELS,
    OUTWARD_CODE,
    Referral,
    Service,
)
from hub.schedule import LONDON, format_day
from hub.storage import HubStore

NOTES_MAX = 500
CONTACT_MAX = 200

FIELD_LABELS: dict[str, str] = {
    "service_id": "Service",
    "service_name": "Service",
    "needs": "Needs",
    "method": "How",
    "age_band": "Age band",
    "postcode_district": "Postcode district",
    "consent_to_follow_up": "Follow-up",
    "contact": "Contact",
    "notes": "Notes",
    "follow_up_on": "Follow-up date",
    "outcome": "Outcome",
}
"""The words a form uses for each Referral field."""

# What to fix, field by field. Marked for the catalogues: the kiosk's form shows them in its
# language; the CLI shows them as they are.
MESSAGES: dict[str, str] = {
    "service": N_("Service: choose a service"),
    "service_retired": N_("Service: this service has closed; choose another"),
    "needs": N_("Needs: choose from the list"),
    "method": N_("How: choose how you referred them"),
    "age_band": N_("Age band: choose one from the list"),
    "postcode_district": N_("Postcode district: give only the first part, like NW10 or HA0"),
    "contact": N_("Contact: only when they agree to follow-up"),
    "contact_missing": N_(
        "Contact: give a phone or email to follow up on, or untick the follow-up"
    ),
    # The numbers are CONTACT_MAX and NOTES_MAX, written out so the catalogues can hold the
    # whole sentence (tests/unit/test_referrals.py checks they agree).
    "contact_long": N_("Contact: at most 200 characters"),
    "notes": N_("Notes: at most 500 characters"),
    "follow_up_on": N_("Follow-up date: choose today or a later day"),
    "follow_up_unwanted": N_("Follow-up date: only when they agree to a follow-up"),
    "follow_up_unreadable": N_(
        "Follow-up date: write it like 8/12/2026, tomorrow or next tuesday, or choose a button"
    ),
    "outcome": N_("Outcome: choose one from the list"),
}


class ReferralError(ValueError):
    """A referral form with mistakes; `problems` maps each field to what to fix."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems: dict[str, str] = dict(problems)
        super().__init__("; ".join(self.problems.values()))


class ReferralNotFound(LookupError):
    """No referral has that id (it may have been purged)."""


def london_today(now: datetime) -> date:
    """Return the day it is in London at `now`."""
    return now.astimezone(LONDON).date()


def start_of_day(day: date) -> datetime:
    """Return the UTC instant London's `day` begins (midnight, either side of a clock change)."""
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


@dataclass(frozen=True)
class ReferralForm:
    """What staff entered on the referral form: checked by `check_form`, saved by
    `record_referral` (through Hub.record_referral from the screens)."""

    hub_id: str
    staff_id: str
    service: Service
    needs: Sequence[str]
    method: str
    age_band: str = "not_given"
    postcode_district: str | None = None
    consent_to_follow_up: bool = False
    contact: str | None = None
    notes: str | None = None
    follow_up_on: date | None = None


def check_form(form: ReferralForm, today: date) -> dict[str, str]:
    """Return a message for each field a person got wrong (empty when all is well).

    Saves nothing: a form calls it to show every mistake at once, record_referral before
    saving.
    """
    problems: dict[str, str] = {}
    if not form.service.is_listed:
        problems["service_id"] = MESSAGES["service_retired"]
    if form.method not in METHOD_LABELS:
        problems["method"] = MESSAGES["method"]
    if form.age_band not in AGE_BAND_LABELS:
        problems["age_band"] = MESSAGES["age_band"]
    district = (form.postcode_district or "").strip().upper()
    if district and not OUTWARD_CODE.match(district):
        problems["postcode_district"] = MESSAGES["postcode_district"]
    consent = form.consent_to_follow_up
    contact_text = (form.contact or "").strip()
    if contact_text and not consent:
        problems["contact"] = MESSAGES["contact"]
    elif consent and not contact_text:
        # A follow-up nobody can make is a promise the hub cannot keep.
        problems["contact"] = MESSAGES["contact_missing"]
    elif len(contact_text) > CONTACT_MAX:
        problems["contact"] = MESSAGES["contact_long"]
    if len((form.notes or "").strip()) > NOTES_MAX:
        problems["notes"] = MESSAGES["notes"]
    if form.follow_up_on is not None and not consent:
        problems["follow_up_on"] = MESSAGES["follow_up_unwanted"]
    elif form.follow_up_on is not None and form.follow_up_on < today:
        problems["follow_up_on"] = MESSAGES["follow_up_on"]
    return problems


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_day(text: str, today: date) -> date | None:
    """Return the day staff typed (None when blank); raises ValueError when it is not one.

    Takes what people write in the UK, day first: 8/12/2026, 08/12/2026, 08-12-2026,
    8.12.2026, "8 December 2026", an ISO 2026-12-08, and the words today, tomorrow,
    "tuesday" or "next tuesday" (the next Tuesday after today). A date without a year
    is taken in today's year. python-dateutil reads the numeric forms; the words are few
    and are read here, as dateutil has no "tomorrow" and takes "tuesday" as this week's.
    """
    cleaned = " ".join(text.strip().casefold().split())
    if not cleaned:
        return None
    if cleaned == "today":
        return today
    if cleaned == "tomorrow":
        return today + timedelta(days=1)
    words = cleaned.removeprefix("next ").strip()
    for index, name in enumerate(_WEEKDAYS):
        # "tue", "tues" and "tuesday" all name Tuesday; three letters at least.
        if len(words) >= 3 and name.startswith(words):
            ahead = (index - today.weekday() - 1) % 7 + 1
            return today + timedelta(days=ahead)
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    if not any(ch.isdigit() for ch in cleaned):
        raise ValueError(f"not a date: {text!r}")
    try:
        default = datetime.combine(today, time(0))
        return date_parser.parse(cleaned, dayfirst=True, default=default).date()
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"not a date: {text!r}") from exc


def format_day_with_year(day: date) -> str:
    """Return a day as staff check it before saving: "Tuesday 8 December 2026", in the
    kiosk's language (strftime would follow the machine's locale, not the kiosk's)."""
    return format_day(day, year=True)


def _problems_from(error: ValidationError) -> dict[str, str]:
    """Return form messages for whatever the model refused that the form checks missed."""
    problems: dict[str, str] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "record"
        if field in problems:
            continue
        if field in MESSAGES:
            problems[field] = MESSAGES[field]
        elif field in ("service_id", "service_name"):
            problems[field] = MESSAGES["service"]
        else:
            label = FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
            problems[field] = f"{label}: {item['msg'].removeprefix('Value error, ')}"
    return problems


def record_referral(store: HubStore, form: ReferralForm, *, now: datetime) -> Referral:
    """Return the referral after saving it durably (it survives a power cut once this returns).

    Raises ReferralError, with a message per field, when the form has mistakes; nothing
    is saved then.
    """
    problems = check_form(form, london_today(now))
    if problems:
        raise ReferralError(problems)
    stamp = now.astimezone(UTC)
    try:
        referral = Referral(
            id=str(uuid4()),
            hub_id=form.hub_id,
            recorded_at=stamp,
            updated_at=stamp,
            recorded_by=form.staff_id,
            service_id=form.service.id,
            service_name=form.service.name,
            needs=list(dict.fromkeys(form.needs)),
            method=form.method,
            age_band=form.age_band,
            postcode_district=form.postcode_district,
            consent_to_follow_up=form.consent_to_follow_up,
            contact=form.contact if form.consent_to_follow_up else None,
            notes=form.notes,
            follow_up_on=form.follow_up_on,
        )
    except ValidationError as exc:
        raise ReferralError(_problems_from(exc)) from exc
    # Audit first: if the referral's save then fails, staff are told it was not saved and
    # an audit line for a record that does not exist is harmless; the other order could
    # show an error for a referral that was in fact kept, and invite a duplicate.
    audit.record_action(store, form.staff_id, audit.REFERRAL_RECORD, referral.id, now)
    store.save_referral(referral)
    return referral


def _hub_documents(store: HubStore, hub_id: str) -> Iterable[Mapping[str, Any]]:
    return (doc for doc in store.referral_documents() if doc.get("hub_id") == hub_id)


def todays_referrals(store: HubStore, hub_id: str, now: datetime) -> list[Referral]:
    """Return this hub's referrals recorded today (London time), newest first."""
    start = start_of_day(london_today(now))
    found = [r for r in store.referrals(since=start) if r.hub_id == hub_id]
    found.reverse()
    return found


def follow_ups_due(
    store: HubStore, hub_id: str, now: datetime, *, days_ahead: int = 0
) -> list[Referral]:
    """Return this hub's referrals due a follow-up whose outcome is still unknown.

    Those due by today (overdue included) and, with `days_ahead`, those due in that many
    days after today too (6 gives the week ahead). Oldest due first. Scans stored
    documents and builds models only for the matches, so it stays quick with years of
    referrals on record.
    """
    today = (london_today(now) + timedelta(days=days_ahead)).isoformat()
    due = [
        doc["id"]
        for doc in _hub_documents(store, hub_id)
        if doc.get("follow_up_on") and doc["follow_up_on"] <= today and doc["outcome"] == "unknown"
    ]
    found = [r for r in (store.referral(rid) for rid in due) if r is not None]
    found.sort(key=lambda r: (r.follow_up_on or date.min, r.recorded_at, r.id))
    return found


def set_outcome(
    store: HubStore, referral_id: str, outcome: str, staff_id: str, now: datetime
) -> Referral:
    """Return the referral with its outcome changed and saved, `updated_at` set to now.

    Raises ReferralError for an outcome not in the list, ReferralNotFound for an unknown id.
    """
    if outcome not in OUTCOME_LABELS:
        raise ReferralError({"outcome": MESSAGES["outcome"]})
    referral = store.referral(referral_id)
    if referral is None:
        raise ReferralNotFound(f"no referral {referral_id}; it may have been purged")
    # Sync keeps the copy with the later updated_at, so an edit must never go backwards,
    # even if this PC's clock is behind the one that recorded it.
    updated_at = max(now.astimezone(UTC), referral.updated_at)
    changed = referral.model_copy(update={"outcome": outcome, "updated_at": updated_at})
    changed = Referral.model_validate(changed.model_dump())
    audit.record_action(store, staff_id, audit.REFERRAL_OUTCOME, referral.id, now)
    store.save_referral(changed)
    return changed


def referrals_since(store: HubStore, since: datetime | None = None) -> list[Referral]:
    """Return every referral on record (recorded at or after `since`, if given), oldest first."""
    return store.referrals(since=since)


def purge_expired(
    store: HubStore,
    now: datetime,
    retention_days: int,
    *,
    actor: str = audit.SYSTEM,
) -> int:
    """Return how many referrals were deleted for being recorded over `retention_days` ago.

    Deleted for good: the files that held them are rewritten without them.
    """
    cutoff = now.astimezone(UTC) - timedelta(days=retention_days)
    doomed: list[str] = []
    months: set[str] = set()
    for doc in store.referral_documents():
        recorded_at = datetime.fromisoformat(str(doc["recorded_at"]))
        if recorded_at < cutoff:
            doomed.append(str(doc["id"]))
            months.add(recorded_at.astimezone(UTC).strftime("%Y-%m"))
    audit.purge_before(store, cutoff)
    if not doomed:
        return 0
    audit.record_action(store, actor, audit.REFERRAL_PURGE, None, now, count=len(doomed))
    removed = store.delete_referrals(doomed)
    # Storage keeps each file's previous version as NAME.bak, so after the delete the
    # backup of a shard that still holds other referrals keeps the purged ones too.
    # Saving that shard's survivors once more replaces the backup with the purged version.
    # (Shards left empty are removed with their backup by storage itself.)
    survivors = [r for r in store.referrals(since=_month_start(min(months))) if _month(r) in months]
    store.save_referrals(survivors)
    return removed


def _month(referral: Referral) -> str:
    return referral.recorded_at.strftime("%Y-%m")


def _month_start(month: str) -> datetime:
    return datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)


def purge_on_start(store: HubStore, now: datetime) -> int:
    """Return how many referrals the start-up purge deleted, using this hub's retention."""
    return purge_expired(store, now, load_settings(store).retention_days)
