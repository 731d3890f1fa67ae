"""Recording, listing, following up and purging referrals, with real stores in tmp_path."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub import audit
from hub.config import update_settings
from hub.models import Referral, Service, Status
from hub.referrals import (
    CONTACT_MAX,
    MESSAGES,
    NOTES_MAX,
    ReferralError,
    ReferralNotFound,
    follow_ups_due,
    parse_day,
    purge_expired,
    purge_on_start,
    referrals_since,
    set_outcome,
    todays_referrals,
)
from hub.storage import HubStore
from tests.referral_forms import record

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
HUB = str(uuid.uuid4())
OTHER_HUB = str(uuid.uuid4())
STAFF = str(uuid.uuid4())
CAFE = Service(id=str(uuid.uuid4()), name="Church End Memory Café", needs=["memory"])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HubStore]:
    with HubStore.open(tmp_path / "data") as opened:
        yield opened


def form(**changes: Any) -> dict[str, Any]:
    """Return a valid referral form, with some fields changed."""
    fields: dict[str, Any] = {
        "hub_id": HUB,
        "staff_id": STAFF,
        "service": CAFE,
        "needs": ["memory"],
        "method": "warm_handover",
        "age_band": "65_79",
        "postcode_district": "nw10",
        "consent_to_follow_up": True,
        "contact": "07700 900123",
        "notes": "Will go on Tuesday",
        "follow_up_on": date(2026, 6, 22),
        "now": NOW,
    }
    fields.update(changes)
    return fields


def test_a_referral_is_read_back_whole_from_a_reopened_store(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        saved = record(store, **form())
    with HubStore.open(tmp_path) as store:
        back = store.referral(saved.id)
        assert back == saved
        assert referrals_since(store) == [saved]
    assert back is not None
    assert back.service_id == CAFE.id and back.service_name == CAFE.name
    assert back.hub_id == HUB and back.recorded_by == STAFF
    assert back.recorded_at == back.updated_at == NOW
    assert back.postcode_district == "NW10"
    assert back.contact == "07700 900123" and back.outcome == "unknown"
    assert Referral.model_validate(back.model_dump(mode="json")) == back


def test_recording_a_referral_is_audited_without_visitor_details(store: HubStore) -> None:
    saved = record(store, **form())
    set_outcome(store, saved.id, "attended", STAFF, NOW + timedelta(days=7))
    entries = audit.audit_entries(store)
    assert [(e.action, e.record_id, e.staff_id) for e in entries] == [
        (audit.REFERRAL_RECORD, saved.id, STAFF),
        (audit.REFERRAL_OUTCOME, saved.id, STAFF),
    ]
    for entry in entries:
        assert set(asdict(entry)) == {"id", "at", "staff_id", "action", "record_id", "count"}
        text = repr(asdict(entry))
        for private in ("07700", "Tuesday", "NW10", "65_79", "memory", "warm_handover"):
            assert private not in text
    stored = "".join(path.read_text() for path in store.root.glob("audit_*.json"))
    assert saved.id in stored and "07700" not in stored and "Tuesday" not in stored


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"postcode_district": "NW10 4AB"}, "postcode_district", MESSAGES["postcode_district"]),
        ({"postcode_district": "Harlesden"}, "postcode_district", MESSAGES["postcode_district"]),
        ({"notes": "x" * 501}, "notes", "Notes: at most 500 characters"),
        (
            {"consent_to_follow_up": False, "contact": "07700 900123", "follow_up_on": None},
            "contact",
            "Contact: only when they agree to follow-up",
        ),
        ({"contact": "7" * 201}, "contact", "Contact: at most 200 characters"),
        ({"method": "emailed"}, "method", "How: choose how you referred them"),
        ({"age_band": "70"}, "age_band", "Age band: choose one from the list"),
        (
            {"follow_up_on": date(2026, 6, 14)},
            "follow_up_on",
            "Follow-up date: choose today or a later day",
        ),
        ({"needs": ["Not A Need"]}, "needs", "Needs: choose from the list"),
        (
            {"service": CAFE.model_copy(update={"status": Status.DEFUNCT})},
            "service_id",
            "Service: this service has closed; choose another",
        ),
    ],
)
def test_each_form_mistake_has_its_own_plain_message(
    store: HubStore, changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ReferralError) as caught:
        record(store, **form(**changes))
    assert caught.value.problems == {field: message}
    assert str(caught.value) == message
    assert store.referrals() == []
    assert audit.audit_entries(store) == []


def test_the_postcode_district_message_reads_as_asked() -> None:
    assert MESSAGES["postcode_district"] == (
        "Postcode district: give only the first part, like NW10 or HA0"
    )


def test_several_mistakes_come_back_together(store: HubStore) -> None:
    with pytest.raises(ReferralError) as caught:
        record(store, **form(postcode_district="zzz", notes="y" * 600, consent_to_follow_up=False))
    # The follow-up date without consent is a mistake too (issue 13): all four at once.
    assert set(caught.value.problems) == {"postcode_district", "notes", "contact", "follow_up_on"}


def test_a_blank_optional_field_is_fine(store: HubStore) -> None:
    saved = record(
        store,
        **form(
            postcode_district="  ",
            contact="",
            notes="",
            consent_to_follow_up=False,
            follow_up_on=None,
            age_band="not_given",
        ),
    )
    assert saved.postcode_district is None and saved.contact is None and saved.notes is None


def test_todays_referrals_follow_the_london_day(store: HubStore) -> None:
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    late = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    before_midnight = record(
        store, **form(now=datetime(2026, 6, 30, 22, 50, tzinfo=UTC), follow_up_on=None)
    )
    first = record(store, **form(now=late, follow_up_on=None))
    second = record(store, **form(now=late + timedelta(hours=9), follow_up_on=None))
    record(store, **form(hub_id=OTHER_HUB, now=late, follow_up_on=None))
    today = todays_referrals(store, HUB, late + timedelta(hours=10))
    assert [r.id for r in today] == [second.id, first.id]
    assert before_midnight.id not in {r.id for r in today}


def test_follow_ups_due_are_those_on_or_before_today_with_no_outcome(store: HubStore) -> None:
    due_last_week = record(store, **form(follow_up_on=date(2026, 6, 16)))
    due_today = record(store, **form(follow_up_on=date(2026, 6, 22)))
    record(store, **form(follow_up_on=date(2026, 6, 23)))
    record(store, **form(follow_up_on=None))
    record(store, **form(hub_id=OTHER_HUB, follow_up_on=date(2026, 6, 16)))
    monday = datetime(2026, 6, 22, 9, 0, tzinfo=UTC)
    due = follow_ups_due(store, HUB, monday)
    assert [r.id for r in due] == [due_last_week.id, due_today.id]

    set_outcome(store, due_last_week.id, "did_not_attend", STAFF, monday)
    assert [r.id for r in follow_ups_due(store, HUB, monday)] == [due_today.id]


def test_set_outcome_saves_and_moves_updated_at(tmp_path: Path) -> None:
    later = NOW + timedelta(days=7)
    with HubStore.open(tmp_path) as store:
        saved = record(store, **form())
        changed = set_outcome(store, saved.id, "not_eligible", STAFF, later)
    assert changed.outcome == "not_eligible" and changed.updated_at == later
    assert changed.recorded_at == saved.recorded_at
    with HubStore.open(tmp_path) as store:
        assert store.referral(saved.id) == changed


def test_set_outcome_never_moves_updated_at_backwards(store: HubStore) -> None:
    saved = record(store, **form())
    # This PC's clock is an hour behind the one that recorded the referral.
    changed = set_outcome(store, saved.id, "attended", STAFF, NOW - timedelta(hours=1))
    assert changed.updated_at == saved.updated_at


def test_set_outcome_refuses_an_unknown_outcome_or_referral(store: HubStore) -> None:
    saved = record(store, **form())
    with pytest.raises(ReferralError) as caught:
        set_outcome(store, saved.id, "went", STAFF, NOW)
    assert caught.value.problems == {"outcome": "Outcome: choose one from the list"}
    with pytest.raises(ReferralNotFound):
        set_outcome(store, str(uuid.uuid4()), "attended", STAFF, NOW)
    assert store.referral(saved.id) == saved


def test_referrals_since_starts_at_the_given_moment(store: HubStore) -> None:
    old = record(store, **form(now=NOW - timedelta(days=40), follow_up_on=None))
    new = record(store, **form(now=NOW, follow_up_on=None))
    assert referrals_since(store) == [old, new]
    assert referrals_since(store, NOW - timedelta(days=1)) == [new]


def _record_aged(store: HubStore, days: int, now: datetime) -> Referral:
    return record(
        store, **form(now=now - timedelta(days=days), follow_up_on=None, notes=f"{days} days")
    )


def test_purge_removes_referrals_past_retention_from_the_disk(tmp_path: Path) -> None:
    root = tmp_path / "data"
    with HubStore.open(root) as store:
        gone = [_record_aged(store, days, NOW) for days in (366, 367, 400, 800)]
        kept = [_record_aged(store, days, NOW) for days in (364, 365 - 1, 30, 0)]
        assert purge_expired(store, NOW, 365) == len(gone)
        assert purge_expired(store, NOW, 365) == 0
    with HubStore.open(root) as store:
        assert sorted(r.id for r in store.referrals()) == sorted(r.id for r in kept)
    every_file = "".join(
        path.read_text(errors="replace") for path in root.rglob("*") if path.is_file()
    )
    for referral in gone:
        assert referral.id not in every_file
    for referral in kept:
        assert referral.id in every_file


def test_purge_keeps_referrals_from_the_same_month_as_purged_ones(tmp_path: Path) -> None:
    root = tmp_path / "data"
    # 366 and 364 days before 1 January 2027 are both in the first days of January 2026,
    # so they share a shard file: the purged one must still leave no trace, even in a backup.
    now = datetime(2027, 1, 2, 12, 0, tzinfo=UTC)
    with HubStore.open(root) as store:
        old = _record_aged(store, 366, now)
        young = _record_aged(store, 364, now)
        assert old.recorded_at.month == young.recorded_at.month == 1
        assert purge_expired(store, now, 365) == 1
        assert store.referrals() == [young]
    leftovers = [
        path
        for path in root.rglob("*")
        if path.is_file() and old.id in path.read_text(errors="replace")
    ]
    assert leftovers == []


def test_purge_is_audited_with_a_count_only(store: HubStore) -> None:
    for days in (400, 500):
        _record_aged(store, days, NOW)
    purge_expired(store, NOW, 365, actor=audit.COMMAND_LINE)
    entry = audit.audit_entries(store)[-1]
    assert (entry.staff_id, entry.action, entry.record_id, entry.count) == (
        audit.COMMAND_LINE,
        audit.REFERRAL_PURGE,
        None,
        2,
    )


def test_purge_on_start_uses_the_hubs_retention(store: HubStore) -> None:
    _record_aged(store, 100, NOW)
    _record_aged(store, 10, NOW)
    assert purge_on_start(store, NOW) == 0
    update_settings(store, retention_days=30)
    assert purge_on_start(store, NOW) == 1
    assert len(store.referrals()) == 1
    assert audit.audit_entries(store)[-1].staff_id == audit.SYSTEM


# --- issue 13: dates as staff write them, consent and contact, the week ahead ------------

THURSDAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("8/12/2026", date(2026, 12, 8)),
        ("08/12/2026", date(2026, 12, 8)),
        ("08-12-2026", date(2026, 12, 8)),
        ("8.12.2026", date(2026, 12, 8)),
        ("2026-12-08", date(2026, 12, 8)),
        ("8 December 2026", date(2026, 12, 8)),
        ("today", THURSDAY),
        ("Tomorrow", date(2026, 11, 27)),
        ("next tuesday", date(2026, 12, 1)),
        ("tue", date(2026, 12, 1)),
        ("thursday", date(2026, 12, 3)),  # the next one, never today
        ("", None),
    ],
)
def test_parse_day_takes_uk_day_first_dates_and_words(typed: str, expected: date | None) -> None:
    assert parse_day(typed, THURSDAY) == expected


@pytest.mark.parametrize("typed", ["someday", "13/13/2026", "31/02/2026", "next", "x1"])
def test_parse_day_refuses_what_is_not_a_day(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_day(typed, THURSDAY)


def test_consent_needs_a_contact_and_a_follow_up_date_needs_consent(store: HubStore) -> None:
    with pytest.raises(ReferralError) as no_contact:
        record(store, **form(contact=None))
    assert no_contact.value.problems == {"contact": MESSAGES["contact_missing"]}
    with pytest.raises(ReferralError) as no_consent:
        record(store, **form(consent_to_follow_up=False, contact=None))
    assert no_consent.value.problems == {"follow_up_on": MESSAGES["follow_up_unwanted"]}
    assert referrals_since(store) == []


def test_follow_ups_due_in_the_week_ahead(store: HubStore) -> None:
    overdue = record(store, **form(follow_up_on=date(2026, 6, 16)))
    in_six_days = record(store, **form(follow_up_on=date(2026, 6, 28)))
    record(store, **form(follow_up_on=date(2026, 6, 29)))
    monday = datetime(2026, 6, 22, 9, 0, tzinfo=UTC)
    due = follow_ups_due(store, HUB, monday, days_ahead=6)
    assert [r.id for r in due] == [overdue.id, in_six_days.id]


def test_the_limits_written_in_the_messages_are_the_limits_checked() -> None:
    """The two messages with a number spell it out (so a catalogue holds the sentence);
    the number must be the one the check uses."""
    assert MESSAGES["contact_long"] == f"Contact: at most {CONTACT_MAX} characters"
    assert MESSAGES["notes"] == f"Notes: at most {NOTES_MAX} characters"
