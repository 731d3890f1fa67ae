"""Real council feeds' quirks, paged feeds, and the lossless HSDS 3.0 round trip (issue 12).

The quirks come from `tests/fixtures/oruk1_council_quirks.json`, written by us to show what a
real ORUK v1 council feed does (the feed itself is not copied: its licence is not stated).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hub.directory_edits import needs_checking
from hub.formats.detect import missing_pages
from hub.formats.hsds3 import to_hsds3
from hub.formats.oruk1 import to_oruk1
from hub.formats.taxonomy import OTHER_HELP
from hub.formats.to_model import parse_directory, read_directory_file, read_directory_files
from hub.models import Service, Status
from hub.needs import tile_needs
from hub.storage import HubStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
QUIRKS = FIXTURES / "oruk1_council_quirks.json"
PAGES = [FIXTURES / "paged" / f"page{n}.json" for n in (1, 2, 3)]
SPEC = Path(__file__).resolve().parents[2] / "data" / "openreferral"
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def by_name(services: Sequence[Service]) -> dict[str, Service]:
    """Return the services keyed by name."""
    return {service.name: service for service in services}


@pytest.fixture(scope="module")
def quirks() -> dict[str, Any]:
    """Return the quirks fixture read, with its services by name."""
    parsed = read_directory_file(QUIRKS, now=NOW)
    return {"parsed": parsed, "by_name": by_name(parsed.services)}


def schema_check(relative: str) -> Any:
    """Return a validator for one of the shipped Open Referral schemas."""
    schema = json.loads((SPEC / relative).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


# --- per-record tolerance ---------------------------------------------------------------


def test_every_usable_service_is_imported_and_each_problem_named(quirks: dict[str, Any]) -> None:
    parsed = quirks["parsed"]
    assert len(parsed.services) == 6
    prefix = f"{QUIRKS}: service 0e00000"
    assert [r.warning for r in parsed.rejected] == [
        f"{prefix}1-1111-4a4a-8b8b-000000000001 (Example Helpline (second copy)): the same id as "
        "service 0e000001-1111-4a4a-8b8b-000000000001 (Example Young People's Helpline); "
        "kept the first, skipped this one",
        f"{prefix}7-1111-4a4a-8b8b-000000000007: name: Field required; skipped the service",
    ]
    assert parsed.dropped == [
        f"{prefix}5-1111-4a4a-8b8b-000000000005 (Example Drop-in Advice): contact.email: "
        "'not an email address' is not an email address; left it out"
    ]


def test_a_duplicate_id_keeps_the_first(quirks: dict[str, Any]) -> None:
    helpline = quirks["by_name"]["Example Young People's Helpline"]
    assert "Example Helpline (second copy)" not in quirks["by_name"]
    assert helpline.id == "0e000001-1111-4a4a-8b8b-000000000001"


def test_a_bad_email_drops_the_email_not_the_service(quirks: dict[str, Any]) -> None:
    advice = quirks["by_name"]["Example Drop-in Advice"]
    assert advice.contact.email is None
    assert advice.attendance.drop_in and advice.attendance.in_person


def test_an_upper_case_url_scheme_is_the_same_address(quirks: dict[str, Any]) -> None:
    choir = quirks["by_name"]["Example Choir"]
    assert choir.contact.website == "https://example.org/choir"


@pytest.mark.parametrize("given", [-1, "-1", "", None])
def test_minus_one_and_empty_ages_mean_no_limit(given: Any) -> None:
    record = {"id": "3a000009-3333-4e4e-8f8f-000000000009", "name": "Aged"}
    parsed = parse_directory(
        record | {"minimum_age": given, "maximum_age": given}, source="x", now=NOW
    )
    [service] = parsed.services
    assert (service.eligibility.minimum_age, service.eligibility.maximum_age) == (None, None)
    assert parsed.warnings == []


def test_html_and_nbsp_become_plain_words(quirks: dict[str, Any]) -> None:
    helpline = quirks["by_name"]["Example Young People's Helpline"]
    assert helpline.description == (
        "A free, confidential helpline for children and young people.\n"
        "Talk to a counsellor about anything."
    )


def test_a_16000_character_description_is_kept_whole(quirks: dict[str, Any]) -> None:
    carers = quirks["by_name"]["Example Carers Group"]
    assert len(carers.description) > 15_000
    assert carers.description.endswith("THE VERY END OF THE DESCRIPTION.")


# --- faithful fields ----------------------------------------------------------------------


def test_self_referral_is_not_referral_needed(quirks: dict[str, Any]) -> None:
    attendance = quirks["by_name"]["Example Young People's Helpline"].attendance
    assert attendance.stated and attendance.words == "Phone; Self referral"
    assert not attendance.referral_needed and attendance.phone
    assert not attendance.in_person and not attendance.drop_in


def test_empty_attendance_is_not_stated_and_nothing_is_invented(quirks: dict[str, Any]) -> None:
    choir = quirks["by_name"]["Example Choir"]
    assert not choir.attendance.stated
    assert not any(
        getattr(choir.attendance, key)
        for key in ("drop_in", "booking", "referral_needed", "in_person", "phone", "online")
    )
    hsds3 = to_hsds3(choir)
    assert "application_process" not in hsds3
    assert not any(
        a["taxonomy_term"]["taxonomy"] == "community-hub-attendance" for a in hsds3["attributes"]
    )
    oruk1 = to_oruk1(choir)
    assert (oruk1["attending_type"], oruk1["attending_access"]) == (None, None)


def test_the_publishers_words_go_out_as_they_came_in(quirks: dict[str, Any]) -> None:
    helpline = quirks["by_name"]["Example Young People's Helpline"]
    oruk1 = to_oruk1(helpline)
    # v1's lists have "phone" but no "Self referral": kept beside, read back from there.
    assert oruk1["attending_type"] == "phone"
    assert (oruk1["attending_access"], oruk1["attending_access_words"]) == (None, "Self referral")
    assert oruk1["attending_type_words"] == "Phone"
    back = parse_directory(oruk1, source="x", now=NOW).services[0]
    assert back.attendance == helpline.attendance
    hsds3 = to_hsds3(helpline)
    assert hsds3["application_process"] == "Phone; Self referral"
    assert parse_directory(hsds3, source="x", now=NOW).services[0].attendance == (
        helpline.attendance
    )


def test_organisation_and_extension_fields_are_kept_across_formats(
    quirks: dict[str, Any],
) -> None:
    bereavement = quirks["by_name"]["Example Bereavement Circle"]
    hsds3 = to_hsds3(bereavement)
    assert hsds3["organization"] == {
        "id": "0f000004-2222-4c4c-8d8d-000000000004",
        "name": "Example Bereavement Circle Trust",
        "description": "The charity that runs Example Bereavement Circle, in its own words.",
        "website": "https://example.org/",
    }
    assert hsds3["organization_id"] == "0f000004-2222-4c4c-8d8d-000000000004"
    assert hsds3["pc_targetAudience"][1]["audienceType"] == "Parents>Grandparents"
    assert hsds3["pc_metadata"]["date_assured"] == "2026-03-12"
    assert bereavement.assured_date == date(2026, 3, 12)


def test_no_region_or_country_is_invented_on_export() -> None:
    record = {
        "id": "3a000010-3333-4e4e-8f8f-000000000010",
        "name": "Placed",
        "service_at_locations": [
            {"location": {"id": "3b000010-3333-4e4e-8f8f-000000000010", "name": "Hall"}}
        ],
    }
    service = parse_directory(record, source="x", now=NOW).services[0]
    edited = service.model_copy(
        update={
            "locations": [
                service.locations[0].model_copy(
                    update={"address_lines": ["1 High Street"], "postcode": "DN15 6NL"}
                )
            ]
        }
    )
    [place] = to_hsds3(edited)["service_at_locations"]
    address = place["location"]["addresses"][0]
    assert (address["state_province"], address["country"]) == ("", "")
    [v1_place] = to_oruk1(edited)["service_at_locations"]
    assert v1_place["location"]["physical_addresses"][0]["country"] == ""


def test_exports_of_council_records_validate_against_the_shipped_schemas(
    quirks: dict[str, Any],
) -> None:
    v1 = schema_check("oruk-v1/service.schema.json")
    v3 = schema_check("hsds-3.0/service.schema.json")
    for service in quirks["parsed"].services:
        assert list(v1.iter_errors(to_oruk1(service))) == [], service.name
        assert list(v3.iter_errors(to_hsds3(service))) == [], service.name


# --- every service reachable by need ---------------------------------------------------------


def test_audience_terms_place_services_under_needs(quirks: dict[str, Any]) -> None:
    services = quirks["by_name"]
    assert "carers" in services["Example Carers Group"].needs
    bereavement = services["Example Bereavement Circle"].needs
    assert {"feeling-low", "families", "older-people"} <= set(bereavement)
    assert quirks["parsed"].placed == {"taxonomy": 2, "text": 2, "none": 2}


def test_a_service_nothing_places_is_under_other_help_and_in_needs_checking(
    quirks: dict[str, Any], tmp_path: Path
) -> None:
    widgets = quirks["by_name"]["Example Widget Appreciation Society"]
    assert widgets.needs == [OTHER_HELP]
    assert OTHER_HELP not in {need.id for need in tile_needs()}
    with HubStore.open(tmp_path / "data") as store:
        store.replace_services(quirks["parsed"].services)
        april = datetime(2026, 4, 1, tzinfo=UTC)
        due = {service.name for service in needs_checking(store, april)}
    # Checked in March 2026, so not due by date: listed because nothing placed it.
    assert "Example Widget Appreciation Society" in due
    assert "Example Carers Group" not in due


# --- paged feeds --------------------------------------------------------------------------


def test_the_pages_of_one_feed_read_as_one_directory() -> None:
    parsed = read_directory_files(PAGES, now=NOW)
    assert [s.name for s in parsed.services] == [
        "Paged Food Bank",
        "Paged Lunch Club",
        "Paged Debt Advice",
        "Paged Housing Clinic",
        "Paged Memory Cafe",
    ]
    assert missing_pages(parsed.pages) is None
    debt = by_name(parsed.services)["Paged Debt Advice"]
    assert debt.status == Status.ACTIVE
    assert parsed.dropped == [
        f"{PAGES[1]}: service 3a000003-3333-4e4e-8f8f-000000000003 (Paged Debt Advice): status "
        "'sort of open': Input should be 'active', 'inactive', 'defunct' or 'temporarily "
        "closed'; left it out"
    ]


def test_missing_pages_are_named() -> None:
    parsed = read_directory_files(PAGES[:2], now=NOW)
    assert missing_pages(parsed.pages) == (
        f"the feed has 3 pages and page 3 was not given (given: {PAGES[0]} (page 1), "
        f"{PAGES[1]} (page 2))"
    )
    only_last = read_directory_files(PAGES[2:], now=NOW)
    assert "pages 1, 2 were not given" in (missing_pages(only_last.pages) or "")


# --- lossless HSDS 3.0 --------------------------------------------------------------------------


@pytest.mark.parametrize("example", ["hsds-3.0", "oruk-v3"])
def test_the_official_full_example_round_trips_through_storage_unchanged(
    example: str, tmp_path: Path
) -> None:
    path = SPEC / example / "example_service_full.json"
    original = json.loads(path.read_text(encoding="utf-8"))
    parsed = read_directory_file(path, now=NOW)
    with HubStore.open(tmp_path / "data") as store:
        store.replace_services(parsed.services)
        [stored] = store.services()
    # No normalisation applies to this example: its id is a canonical UUID and it has a
    # last_modified (hub.formats.source_overlay lists the normalisations).
    assert to_hsds3(stored) == original


def test_a_staff_edit_replaces_only_that_field(tmp_path: Path) -> None:
    path = SPEC / "hsds-3.0" / "example_service_full.json"
    original = json.loads(path.read_text(encoding="utf-8"))
    [service] = read_directory_file(path, now=NOW).services
    edited = service.model_copy(
        update={"contact": service.contact.model_copy(update={"email": "new@example.org"})}
    )
    out = to_hsds3(edited)
    expected = copy.deepcopy(original) | {"email": "new@example.org"}
    assert out == expected
    renamed = to_hsds3(service.model_copy(update={"needs": ["money"]}))
    ours = [a for a in renamed["attributes"] if a["link_type"] == "community-hub-needs"]
    assert [a["taxonomy_term"]["code"] for a in ours] == ["money"]
    assert renamed["attributes"][: len(original["attributes"])] == original["attributes"]
    assert parse_directory(renamed, source="x", now=NOW).services[0].needs == ["money"]


def test_an_unknown_extension_field_survives(tmp_path: Path) -> None:
    path = SPEC / "hsds-3.0" / "example_service_full.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["x_council_ward"] = {"code": "E05001234", "names": ["Ward One"]}
    record["phones"][0]["x_hours_note"] = "Answered by volunteers"
    [service] = parse_directory(record, source="x", now=NOW).services
    with HubStore.open(tmp_path / "data") as store:
        store.replace_services([service])
        [stored] = store.services()
    assert to_hsds3(stored) == record


def test_escape_codes_in_a_feed_record_are_taken_out_and_every_word_kept(tmp_path: Path) -> None:
    """Text is data, never control: even the record an export gives back word for word."""
    path = SPEC / "hsds-3.0" / "example_service_full.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["x_council_ward"] = "Ward\x1b]0;PWNED\x07 One\u202e"
    record["phones"][0]["x_hours_note"] = "Answered by \x9b2Jvolunteers "
    [service] = parse_directory(record, source="x", now=NOW).services
    with HubStore.open(tmp_path / "data") as store:
        store.replace_services([service])
        [stored] = store.services()
    exported = to_hsds3(stored)
    assert exported["x_council_ward"] == "Ward One"
    # The trailing space is the publisher's and stays; only the control sequence goes.
    assert exported["phones"][0]["x_hours_note"] == "Answered by volunteers "
    record["x_council_ward"] = "Ward One"
    record["phones"][0]["x_hours_note"] = "Answered by volunteers "
    assert exported == record
