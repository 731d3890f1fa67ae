"""Staff editing the directory: edit, add, retire, check, and what sync export will send."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hub import audit
from hub.directory_edits import (
    ServiceEditError,
    ServiceNotFound,
    add_service,
    edit_service,
    local_changes_since,
    mark_checked,
    needs_checking,
    retire_service,
)
from hub.models import Contact, Phone, Service, Status
from hub.storage import HubStore

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
EARLIER = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
STAFF = str(uuid.uuid4())


def service(name: str, **fields: object) -> Service:
    return Service.model_validate(
        {"id": str(uuid.uuid4()), "name": name, "last_modified": EARLIER, **fields}
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HubStore]:
    with HubStore.open(tmp_path / "data") as opened:
        opened.save_services(
            [
                service("Church End Memory Café", needs=["memory"], assured_date=date(2026, 5, 1)),
                service("Alperton Food Bank", needs=["food"]),
            ]
        )
        yield opened


def by_name(store: HubStore, name: str) -> Service:
    return next(s for s in store.services() if s.name == name)


def test_an_edit_is_saved_seen_at_once_and_noted_for_sync(store: HubStore) -> None:
    cafe = by_name(store, "Church End Memory Café")
    version = store.directory_version
    changed = cafe.model_copy(
        update={
            "description": "Now on Thursdays.",
            "contact": Contact(phones=[Phone(number="020 8937 1234")]),
        }
    )
    saved = edit_service(store, changed, STAFF, NOW)
    assert saved.last_modified == NOW
    assert store.directory_version != version
    assert by_name(store, "Church End Memory Café").description == "Now on Thursdays."
    assert [s.id for s in local_changes_since(store, None)] == [cafe.id]
    entry = audit.audit_entries(store)[-1]
    assert (entry.staff_id, entry.action, entry.record_id) == (STAFF, audit.SERVICE_EDIT, cafe.id)


def test_an_edit_survives_reopening_the_store(tmp_path: Path) -> None:
    with HubStore.open(tmp_path) as store:
        original = service("Harlesden Warm Space")
        store.save_services([original])
        edit_service(store, original.model_copy(update={"areas": ["Harlesden"]}), STAFF, NOW)
    with HubStore.open(tmp_path) as store:
        back = store.service(original.id)
        assert back is not None and back.areas == ["Harlesden"] and back.last_modified == NOW
        assert [s.id for s in local_changes_since(store)] == [original.id]


def test_an_edit_is_checked_in_full_with_a_message_per_field(store: HubStore) -> None:
    cafe = by_name(store, "Church End Memory Café")
    # model_copy does not validate, so a screen can hand over anything; the edit must not.
    bad = cafe.model_copy(update={"name": "", "needs": ["Not A Need"]})
    with pytest.raises(ServiceEditError) as caught:
        edit_service(store, bad, STAFF, NOW)
    assert set(caught.value.problems) == {"name", "needs"}
    assert caught.value.problems["name"].startswith("Name: ")
    assert caught.value.problems["needs"].startswith("Needs: ")
    assert by_name(store, "Church End Memory Café") == cafe
    assert local_changes_since(store) == []
    assert audit.audit_entries(store) == []


def test_editing_an_unknown_service_is_refused(store: HubStore) -> None:
    with pytest.raises(ServiceNotFound):
        edit_service(store, service("Nowhere"), STAFF, NOW)


def test_an_edit_never_moves_last_modified_backwards(store: HubStore) -> None:
    # The copy on record came from a hub whose clock is a day ahead of this one.
    ahead = NOW + timedelta(days=1)
    cafe = by_name(store, "Church End Memory Café").model_copy(update={"last_modified": ahead})
    store.save_services([cafe])
    saved = edit_service(store, cafe.model_copy(update={"description": "New"}), STAFF, NOW)
    assert saved.last_modified > ahead


def test_add_service_saves_a_new_one_and_refuses_a_duplicate_id(store: HubStore) -> None:
    new = service("Stonebridge Chat Group", needs=["lonely"])
    saved = add_service(store, new, STAFF, NOW)
    assert store.service(new.id) == saved
    assert saved.last_modified == NOW
    with pytest.raises(ServiceEditError) as caught:
        add_service(store, new, STAFF, NOW)
    assert caught.value.problems == {"id": "This service is already in the directory"}
    assert audit.SERVICE_ADD in [e.action for e in audit.audit_entries(store)]


def test_a_retired_service_is_kept_as_defunct_for_sync(store: HubStore) -> None:
    bank = by_name(store, "Alperton Food Bank")
    retired = retire_service(store, bank.id, STAFF, NOW)
    assert retired.status is Status.DEFUNCT and not retired.is_listed
    assert store.service(bank.id) == retired
    assert bank.id in {s.id for s in store.services()}
    assert [s.id for s in local_changes_since(store)] == [bank.id]
    with pytest.raises(ServiceNotFound):
        retire_service(store, str(uuid.uuid4()), STAFF, NOW)


def test_checked_today_uses_the_london_date(store: HubStore) -> None:
    bank = by_name(store, "Alperton Food Bank")
    # 23:30 UTC on 15 June is already 16 June in London.
    late = datetime(2026, 6, 15, 23, 30, tzinfo=UTC)
    checked = mark_checked(store, bank.id, STAFF, late)
    assert checked.assured_date == date(2026, 6, 16)
    assert store.service(bank.id) == checked
    assert audit.audit_entries(store)[-1].action == audit.SERVICE_CHECK


def test_needs_checking_lists_listed_services_unchecked_for_180_days(store: HubStore) -> None:
    today = date(2026, 6, 15)
    store.save_services(
        [
            service("Checked 179 days ago", assured_date=today - timedelta(days=179)),
            service("Checked 180 days ago", assured_date=today - timedelta(days=180)),
            service("Checked 400 days ago", assured_date=today - timedelta(days=400)),
            service("Retired long ago", status="defunct"),
            service("Closed for summer", status="temporarily closed"),
        ]
    )
    due = [s.name for s in needs_checking(store, NOW)]
    assert due == [
        "Alperton Food Bank",
        "Closed for summer",
        "Checked 400 days ago",
        "Checked 180 days ago",
    ]
    # With a 30-day rule the café, checked 45 days ago, is due too, and is the most recent.
    assert [s.name for s in needs_checking(store, NOW, days=30)][-2:] == [
        "Checked 179 days ago",
        "Church End Memory Café",
    ]
    mark_checked(store, by_name(store, "Alperton Food Bank").id, STAFF, NOW)
    assert "Alperton Food Bank" not in [s.name for s in needs_checking(store, NOW)]


def test_local_changes_since_a_moment(store: HubStore) -> None:
    cafe = by_name(store, "Church End Memory Café")
    bank = by_name(store, "Alperton Food Bank")
    mark_checked(store, cafe.id, STAFF, NOW - timedelta(days=10))
    retire_service(store, bank.id, STAFF, NOW)
    assert [s.name for s in local_changes_since(store)] == [
        "Alperton Food Bank",
        "Church End Memory Café",
    ]
    assert [s.id for s in local_changes_since(store, NOW - timedelta(days=1))] == [bank.id]
