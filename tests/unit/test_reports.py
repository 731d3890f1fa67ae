"""Coordinator reports: referrals grouped five ways, unmet searches, services to check."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hub.hub_identity import setup_hub
from hub.models import Service
from hub.report_output import report_document, report_json, rows_csv
from hub.reports import (
    Row,
    UnmetNeedRow,
    iso_week,
    report,
    services_to_check,
    top_unmet_searches,
    total_referrals,
    unmet_needs,
)
from hub.storage import HubStore
from hub.sync import HUBS, IMPORTED_UNMET
from hub.unmet import log_empty_need, log_nothing_suitable, log_unmet_search
from tests.factories import make_referral, make_service

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
OTHER_HUB = "22222222-2222-4222-8222-222222222222"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HubStore]:
    """Return an empty store in a fresh data folder."""
    with HubStore.open(tmp_path) as opened:
        yield opened


@pytest.fixture
def seeded(store: HubStore) -> tuple[HubStore, str, Service]:
    """Return the store with referrals over three weeks and two hubs, this hub's id, a service."""
    own = setup_hub(store, "Church End Library").id
    store.collection(HUBS).put(OTHER_HUB, {"id": OTHER_HUB, "name": "Alperton Centre"})
    cafe = make_service(name="Memory Café (renamed)")
    store.save_services([cafe])
    store.save_referrals(
        [
            # Week 45 (2 to 8 November): two at this hub.
            make_referral(hub_id=own, now=datetime(2026, 11, 3, 10, tzinfo=UTC),
                          service_id=cafe.id, service_name="Memory Café", needs=["memory"],
                          outcome="attended"),
            make_referral(hub_id=own, now=datetime(2026, 11, 4, 10, tzinfo=UTC),
                          service_id=cafe.id, service_name="Memory Café",
                          needs=["memory", "carers"], outcome="did_not_attend"),
            # Week 46: nothing. Week 47 (16 to 22 November): one from the other hub.
            make_referral(hub_id=OTHER_HUB, now=datetime(2026, 11, 18, 10, tzinfo=UTC),
                          needs=["food"], service_name="Food bank"),
            # Sunday 22 November 23:30 UTC is still Sunday in London (GMT in winter).
            make_referral(hub_id=OTHER_HUB, now=datetime(2026, 11, 22, 23, 30, tzinfo=UTC),
                          needs=[], service_name="Food bank"),
            # Week 48: one.
            make_referral(hub_id=own, now=datetime(2026, 11, 24, 10, tzinfo=UTC),
                          needs=["food"], service_name="Food bank", outcome="attended"),
        ]
    )  # fmt: skip
    return store, own, cafe


def by_key(rows: list[Row]) -> dict[str, Row]:
    return {row.key: row for row in rows}


def test_by_need_counts_a_referral_under_each_of_its_needs(
    seeded: tuple[HubStore, str, Service],
) -> None:
    store, _, _ = seeded
    rows = report(store, by="need")
    figures = {row.key: (row.label, row.referrals, row.outcome_known, row.attended) for row in rows}
    assert figures == {
        "memory": ("Memory and dementia", 2, 2, 1),
        "food": (figures["food"][0], 2, 1, 1),
        "carers": (figures["carers"][0], 1, 1, 0),
        "": ("No need given", 1, 0, 0),
    }
    assert [row.referrals for row in rows] == sorted((row.referrals for row in rows), reverse=True)
    assert total_referrals(store) == 5


def test_by_week_lists_iso_weeks_from_monday_with_empty_weeks(
    seeded: tuple[HubStore, str, Service],
) -> None:
    store, _, _ = seeded
    rows = report(store, by="week")
    assert [(row.key, row.label, row.referrals) for row in rows] == [
        ("2026-W45", "2026-11-02", 2),
        ("2026-W46", "2026-11-09", 0),
        ("2026-W47", "2026-11-16", 2),
        ("2026-W48", "2026-11-23", 1),
    ]
    assert iso_week(date(2026, 11, 30)) == "2026-W49"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"


def test_by_hub_uses_the_names_of_hubs_seen_in_bundles(
    seeded: tuple[HubStore, str, Service],
) -> None:
    store, own, _ = seeded
    rows = by_key(report(store, by="hub"))
    assert (rows[own].label, rows[own].referrals) == ("Church End Library", 3)
    assert (rows[OTHER_HUB].label, rows[OTHER_HUB].referrals) == ("Alperton Centre", 2)


def test_by_service_uses_the_directory_name_when_it_has_one(
    seeded: tuple[HubStore, str, Service],
) -> None:
    store, _, cafe = seeded
    rows = report(store, by="service")
    assert rows[0].key == cafe.id and rows[0].label == "Memory Café (renamed)"
    assert {row.label for row in rows[1:]} == {"Food bank"}


def test_by_outcome_lists_every_outcome_in_the_forms_order(
    seeded: tuple[HubStore, str, Service],
) -> None:
    store, _, _ = seeded
    rows = report(store, by="outcome")
    assert [(row.key, row.referrals) for row in rows] == [
        ("unknown", 2),
        ("attended", 2),
        ("did_not_attend", 1),
        ("not_eligible", 0),
        ("declined", 0),
    ]
    assert rows[1].label == "Attended"


def test_since_and_until_are_london_days_both_included(
    seeded: tuple[HubStore, str, Service],
) -> None:
    store, _, _ = seeded
    rows = report(store, since=date(2026, 11, 4), until=date(2026, 11, 22), by="week")
    assert [(row.key, row.referrals) for row in rows] == [
        ("2026-W45", 1),
        ("2026-W46", 0),
        ("2026-W47", 2),
    ]
    assert total_referrals(store, since=date(2026, 11, 23)) == 1
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    store.save_referral(make_referral(now=datetime(2026, 6, 30, 23, 30, tzinfo=UTC)))
    assert total_referrals(store, since=date(2026, 7, 1), until=date(2026, 7, 1)) == 1


def test_an_empty_store_gives_empty_reports(store: HubStore) -> None:
    for by in ("need", "service", "hub", "week"):
        assert report(store, by=by) == []
    assert [row.referrals for row in report(store, by="outcome")] == [0] * 5
    with pytest.raises(ValueError, match="cannot group by"):
        report(store, by="month")  # type: ignore[arg-type]


def test_top_unmet_searches_joins_this_hub_and_imported_ones(store: HubStore) -> None:
    setup_hub(store, "Church End Library")
    day = date(2026, 11, 20)
    for _ in range(3):
        log_unmet_search(store, "Tai chi", day)
    log_unmet_search(store, "knitting", day)
    log_empty_need(store, "housing", day)  # a need with no services is not a search
    log_nothing_suitable(store, "housing", day)  # nor is staff finding nothing suitable
    store.collection(IMPORTED_UNMET).put_many(
        {
            f"{OTHER_HUB}|2026-11-21|tai chi": {
                "hub_id": OTHER_HUB, "text": "tai  chi", "day": "2026-11-21", "count": 4,
            },
            f"{OTHER_HUB}|2026-10-01|ukulele": {
                "hub_id": OTHER_HUB, "text": "ukulele", "day": "2026-10-01", "count": 9,
            },
        }
    )  # fmt: skip
    rows = top_unmet_searches(store, date(2026, 11, 1), None, 10)
    assert [(row.text, row.count, row.hubs, row.last_day) for row in rows] == [
        ("tai chi", 7, 2, date(2026, 11, 21)),
        ("knitting", 1, 1, day),
    ]
    assert [row.text for row in top_unmet_searches(store, limit=1)] == ["ukulele"]


def test_unmet_needs_group_searches_empty_needs_and_nothing_suitable(store: HubStore) -> None:
    setup_hub(store, "Church End Library")
    day = date(2026, 11, 20)
    log_unmet_search(store, "food bank open sunday", day)
    log_empty_need(store, "housing", day)
    log_nothing_suitable(store, "housing", day)
    log_nothing_suitable(store, "housing", day)
    log_unmet_search(store, "ukulele", day)
    store.collection(IMPORTED_UNMET).put(
        f"{OTHER_HUB}|2026-11-21|hot meals",
        {"hub_id": OTHER_HUB, "text": "hot meals", "day": "2026-11-21", "count": 2},
    )
    rows = unmet_needs(store, date(2026, 11, 1), None)
    assert [
        (r.need_id, r.label, r.count, r.searches, r.empty_lists, r.nothing_suitable) for r in rows
    ] == [
        ("food", "Food", 3, 3, 0, 0),
        ("housing", "Housing and homelessness", 3, 0, 1, 2),
        (None, "ukulele", 1, 1, 0, 0),
    ]
    assert rows[0].words == ("hot meals", "food bank open sunday")
    assert unmet_needs(store, date(2026, 11, 21), None) == [
        UnmetNeedRow("food", "Food", 2, 2, 0, 0, ("hot meals",))
    ]


def test_services_to_check_are_listed_ones_unchecked_for_180_days(store: HubStore) -> None:
    fresh = make_service(name="Fresh", assured_date=date(2026, 10, 1))
    stale = make_service(name="Stale", assured_date=date(2026, 1, 5))
    never = make_service(name="Never checked")
    retired = make_service(name="Retired", status="defunct")
    store.save_services([fresh, stale, never, retired])
    assert [s.name for s in services_to_check(store, NOW)] == ["Never checked", "Stale"]


def test_csv_has_headers_iso_dates_and_reads_back(seeded: tuple[HubStore, str, Service]) -> None:
    store, _, _ = seeded
    text = rows_csv(report(store, by="week"), "week")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["week", "week_starting", "referrals", "outcome_known", "attended"]
    assert rows[1] == ["2026-W45", "2026-11-02", "2", "2", "1"]
    need_text = rows_csv(report(store, by="need"), "need")
    by_need = {row["need_id"]: row for row in csv.DictReader(io.StringIO(need_text))}
    assert by_need["memory"] == {
        "need_id": "memory",
        "need": "Memory and dementia",
        "referrals": "2",
        "outcome_known": "2",
        "attended": "1",
    }
    assert not need_text.startswith("\ufeff")


def test_the_json_report_holds_rows_searches_and_services_to_check(
    seeded: tuple[HubStore, str, Service],
) -> None:
    store, _, _ = seeded
    log_unmet_search(store, "tai chi", date(2026, 11, 20))
    document = report_document(
        store, since=date(2026, 11, 1), until=None, by="hub", now=NOW + timedelta(days=1)
    )
    parsed = json.loads(report_json(document))
    assert parsed["by"] == "hub" and parsed["since"] == "2026-11-01" and parsed["until"] is None
    assert parsed["total_referrals"] == 5
    assert {row["label"] for row in parsed["rows"]} == {"Church End Library", "Alperton Centre"}
    assert parsed["unmet_searches"] == [
        {"text": "tai chi", "count": 1, "hubs": 1, "last_day": "2026-11-20"}
    ]
    assert parsed["needs_checking"][0]["name"] == "Memory Café (renamed)"
