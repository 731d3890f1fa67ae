"""Open Referral import and export: every shape, every flavour, bad files, the sample.

Exports are validated against the reference schemas the project ships in data/openreferral/
(CC BY-SA 4.0), with format checking on, so "uuid" and "email" are enforced.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hub.directory import export_directory, import_directory_file
from hub.formats.common import (
    SAMPLE_CODE,
    VOCAB_NEEDS,
    VOCAB_SAMPLE,
    DirectoryFileError,
    ParsedDirectory,
    term_id,
)
from hub.formats.hsds3 import hsds3_page, to_hsds3
from hub.formats.jsonio import dumps
from hub.formats.oruk1 import oruk1_page, to_oruk1
from hub.formats.to_model import parse_directory, parse_directory_bytes, read_directory_file
from hub.locations import SAMPLE_DIRECTORY, bundled_file
from hub.models import (
    Attendance,
    Contact,
    Cost,
    Eligibility,
    Freq,
    Location,
    Phone,
    Schedule,
    Service,
    Status,
)
from hub.sample_directory import sample_is_loaded, seed_sample_if_new
from hub.storage import HubStore

SPEC_FILES = Path(__file__).resolve().parents[2] / "data" / "openreferral"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2026, 11, 26, 14, 3, tzinfo=UTC)
SPEC_EXAMPLES = [
    "hsds-3.0/example_service_full.json",
    "hsds-3.0/example_service_list.json",
    "oruk-v3/example_service_full.json",
    "oruk-v3/example_service_list.json",
]
SPEC_EXAMPLE_ID = "ac148810-d857-441c-9679-408f346de14b"
DRAMA_NUMBER = re.compile(r"^020 7946 0\d{3}$")

Check = Callable[[Any], list[str]]


def _validator(relative: str) -> Check:
    """Return a function giving every schema error for a document, as readable lines."""
    path = SPEC_FILES / relative
    assert path.is_file(), f"Open Referral reference schema expected at {path}"
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())

    def check(document: Any) -> list[str]:
        return [
            f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(document)
        ]

    return check


@pytest.fixture(scope="module")
def hsds3_service() -> Check:
    return _validator("hsds-3.0/service.schema.json")


@pytest.fixture(scope="module")
def hsds3_list_item() -> Check:
    return _validator("hsds-3.0/service_list.schema.json")


@pytest.fixture(scope="module")
def oruk3_list() -> Check:
    return _validator("oruk-v3/service_list.schema.json")


@pytest.fixture(scope="module")
def oruk1_service() -> Check:
    return _validator("oruk-v1/service.schema.json")


@pytest.fixture(scope="module")
def oruk1_list() -> Check:
    return _validator("oruk-v1/service_list.schema.json")


@pytest.fixture(scope="module")
def sample() -> ParsedDirectory:
    return read_directory_file(bundled_file(SAMPLE_DIRECTORY), now=NOW)


def full_service() -> Service:
    """Return a service with every field the model has set to something non-default."""
    return Service(
        id="6a1f0c52-93d4-4e8b-a1c7-2f5e9d3b7c10",
        name="Everything Group",
        organisation="Example Org",
        description="A group with every field filled. Second sentence here.",
        needs=["memory", "carers"],
        keywords=["tea", "singing", "dementia café"],
        areas=["Church End", "Borough-wide"],
        locations=[
            Location(
                id="9b0e4a1d-5c6f-4e7a-8b9c-0d1e2f3a4b5c",
                name="Hall",
                address_lines=["Flat 2", "10 Long Road", "Off the High Street"],
                town="London",
                postcode="NW10 9NP",
                latitude=51.5,
                longitude=-0.25,
                accessibility="Ramp at the side.",
                step_free=True,
                hearing_loop=False,
            ),
            Location(id="1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", name="Online only"),
        ],
        contact=Contact(
            phones=[
                Phone(number="020 7946 0999", description="Mornings"),
                Phone(number="020 7946 0998"),
            ],
            email="group@example.org",
            website="https://example.org/group",
        ),
        schedules=[
            Schedule(
                freq=Freq.WEEKLY,
                interval=2,
                byday="TU,TH",
                opens_at=time(10, 0),
                closes_at=time(12, 15),
                dtstart=date(2026, 1, 6),
                valid_from=date(2026, 1, 1),
                valid_to=date(2027, 1, 1),
                description="Every other week",
            ),
            Schedule(freq=Freq.MONTHLY, byday="-1FR", opens_at=time(18), closes_at=time(20)),
            Schedule(description="Phone to arrange a home visit"),
        ],
        attendance=Attendance(
            drop_in=False, booking=True, referral_needed=True, in_person=False, phone=True
        ),
        cost=Cost(free=False, description="£3 a session"),
        eligibility=Eligibility(description="Carers", minimum_age=18, maximum_age=99),
        languages=["English", "Tamil"],
        status=Status.TEMPORARILY_CLOSED,
        assured_date=date(2026, 9, 1),
        last_modified=datetime(2026, 9, 1, 9, 30, 15, 250000, tzinfo=UTC),
    )


def write_json(path: Path, document: Any) -> Path:
    """Write a JSON document to a file and return its path."""
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# --- the spec's own examples ---------------------------------------------------------


@pytest.mark.parametrize("relative", SPEC_EXAMPLES)
def test_spec_examples_import(relative: str) -> None:
    parsed = read_directory_file(SPEC_FILES / relative, now=NOW)
    assert parsed.flavour == "hsds3"
    assert parsed.rejected == []
    assert [s.id for s in parsed.services] == [SPEC_EXAMPLE_ID]
    service = parsed.services[0]
    assert service.name == "Community Counselling"
    assert service.organisation == "Example Organization Inc."
    assert service.eligibility.minimum_age == 12
    assert service.last_modified == datetime(2023, 3, 15, 10, 30, 45, 123000, tzinfo=UTC)
    # The feed knows nothing of our needs: the words "counselling", "anxiety" find them.
    assert "feeling-low" in service.needs


def test_spec_full_example_keeps_what_the_model_can_hold() -> None:
    parsed = read_directory_file(SPEC_FILES / "hsds-3.0/example_service_full.json", now=NOW)
    service = parsed.services[0]
    assert service.contact.phones[0].number == "+44 1234 234567"
    # The same schedule is repeated on the service_at_location; it is kept once.
    assert len(service.schedules) == 1
    schedule = service.schedules[0]
    assert (schedule.freq, schedule.byday, schedule.opens_at) == (Freq.WEEKLY, "TH,FR", time(10))
    location = service.locations[0]
    # An American postal code is not dropped: it stays, as an address line.
    assert "ABC 1234" in location.address_lines and location.postcode is None
    assert location.latitude is None and location.longitude == 101
    assert location.hearing_loop is True and location.step_free is True
    assert any("latitude 100 is out of range" in line for line in parsed.dropped)
    assert service.cost.free is False  # a cost option of 35
    assert service.attendance.booking and service.attendance.referral_needed


# --- our fixtures of council feeds ---------------------------------------------------


def test_oruk_v1_fixture_follows_the_v1_list_schema(oruk1_list: Check) -> None:
    document = json.loads((FIXTURES / "oruk_v1_feed.json").read_text(encoding="utf-8"))
    assert oruk1_list(document) == []


def test_oruk_v1_feed_imports_with_uk_dates_and_taxonomy() -> None:
    parsed = read_directory_file(FIXTURES / "oruk_v1_feed.json", now=NOW)
    assert parsed.flavour == "oruk1"
    assert parsed.rejected == []
    carers, debt, walk = parsed.services
    assert carers.assured_date == date(2025, 1, 15)
    assert (
        carers.description == "A drop-in for unpaid carers.\nAdvice on carer's allowance & breaks."
    )
    assert carers.contact.website == "https://example.org/carers"
    assert carers.needs == ["carers"]  # from the esd circumstance "carer"
    assert carers.schedules[0].freq is Freq.WEEKLY and carers.schedules[0].byday == "TU"
    assert carers.schedules[0].valid_from == date(2025, 1, 1)
    assert carers.locations[0].postcode == "NW10 1AA"
    assert carers.cost.free is True
    assert carers.eligibility.minimum_age == 18
    assert carers.languages == ["English", "Gujarati"]
    assert carers.attendance.drop_in and carers.attendance.in_person
    # A numeric feed id becomes a stable UUID: the same on every import.
    assert str(uuid.UUID(debt.id)) == debt.id
    again = read_directory_file(FIXTURES / "oruk_v1_feed.json", now=NOW)
    assert again.services[1].id == debt.id
    assert debt.assured_date == date(2025, 2, 3)
    assert debt.contact.phones == [Phone(number="020 7946 0872", description="weekdays")]
    assert debt.needs == ["money"]
    assert debt.attendance.phone and not debt.attendance.in_person and debt.attendance.booking
    assert debt.schedules[0].byday == "2TU"
    assert walk.schedules[0].interval == 2 and walk.schedules[0].dtstart == date(2025, 1, 4)
    assert walk.schedules[1].byday == "-1FR"
    assert "health" in walk.needs  # from its words: no taxonomy at all
    # No last_modified in v1: the import time stands in, and the report knows it.
    assert parsed.undated_ids == {s.id for s in parsed.services}
    assert all(s.last_modified == NOW for s in parsed.services)


def test_hsds3_council_feed_maps_terms_and_words() -> None:
    parsed = read_directory_file(FIXTURES / "hsds3_council_feed.json", now=NOW)
    assert parsed.flavour == "hsds3"
    memory, fridge = parsed.services
    assert memory.needs == ["memory"]  # Open Eligibility "dementia"
    assert memory.attendance.drop_in and not memory.attendance.booking
    assert memory.schedules[0].opens_at == time(14)  # the "Z" is dropped: UK time
    assert memory.locations[0].step_free is False  # "No step-free access"
    assert fridge.needs == ["food"]
    assert fridge.cost.free is True
    assert fridge.last_modified == datetime(2026, 9, 15, 11, 0, tzinfo=UTC)
    assert parsed.undated_ids == set()
    assert not parsed.is_sample


# --- shapes and flavours -------------------------------------------------------------


def ours(services: Sequence[Service]) -> list[Service]:
    """Return the services without the source record each keeps (compared on their own)."""
    return [service.model_copy(update={"source": None}) for service in services]


def test_every_shape_reads_the_same_services() -> None:
    service = full_service()
    single = to_hsds3(service)
    shapes = {
        "one service": single,
        "bare array": [single],
        "paginated 3.0": hsds3_page([service]),
        "paginated v1": oruk1_page([service]),
        "bare v1 array": [to_oruk1(service)],
        "one v1 service": to_oruk1(service),
    }
    for shape, document in shapes.items():
        parsed = parse_directory(document, source=shape, now=NOW)
        assert ours(parsed.services) == [service], shape
    assert parse_directory(oruk1_page([service]), source="v1").flavour == "oruk1"
    assert parse_directory([to_oruk1(service)], source="v1").flavour == "oruk1"
    assert parse_directory(to_oruk1(service), source="v1").flavour == "oruk1"
    assert parse_directory([single], source="3.0").flavour == "hsds3"


def test_an_empty_list_is_a_directory_with_no_services() -> None:
    assert parse_directory([], source="empty.json").services == []
    assert parse_directory(hsds3_page([]), source="empty.json").services == []


@pytest.mark.parametrize(
    "written",
    ["15/01/2025 00:00:00", "15/01/2025", "15/1/2025 09:30", "2025-01-15", "2025-01-15T10:00:00Z"],
)
def test_uk_and_iso_dates(written: str) -> None:
    record = {"id": str(uuid.uuid4()), "name": "Dated", "assured_date": written}
    parsed = parse_directory(record, source="dates.json", now=NOW)
    assert parsed.services[0].assured_date == date(2025, 1, 15)


def test_uk_last_modified_is_uk_time() -> None:
    record = {"id": str(uuid.uuid4()), "name": "Dated", "last_modified": "01/07/2025 10:00:00"}
    service = parse_directory(record, source="x", now=NOW).services[0]
    assert service.last_modified == datetime(2025, 7, 1, 9, 0, tzinfo=UTC)  # BST


def test_our_need_attributes_win_over_words() -> None:
    service = full_service().model_copy(update={"needs": ["money"]})
    parsed = parse_directory(to_hsds3(service), source="x", now=NOW)
    # The text says dementia and carers, but our own vocabulary says money: ours wins.
    assert parsed.services[0].needs == ["money"]


# --- round trips and exports ---------------------------------------------------------


def test_hsds3_round_trip_keeps_every_field() -> None:
    service = full_service()
    once = parse_directory(to_hsds3(service), source="x", now=NOW).services[0]
    assert ours([once]) == [service]
    assert once.source is not None and once.source.record == to_hsds3(service)
    twice = parse_directory(to_hsds3(once), source="x", now=NOW).services[0]
    assert ours([twice]) == [service]
    assert to_hsds3(twice) == to_hsds3(service)


def test_oruk1_round_trip_keeps_every_field() -> None:
    service = full_service()
    back = parse_directory(to_oruk1(service), source="x", now=NOW).services[0]
    assert ours([back]) == [service]


def test_sample_services_round_trip_through_both_formats(sample: ParsedDirectory) -> None:
    for service in sample.services:
        plain = ours([service])
        assert ours(parse_directory(to_hsds3(service), source="x").services) == plain
        assert ours(parse_directory(to_oruk1(service), source="x").services) == plain


def test_exports_validate_against_their_schemas(
    sample: ParsedDirectory,
    hsds3_service: Check,
    hsds3_list_item: Check,
    oruk3_list: Check,
    oruk1_service: Check,
    oruk1_list: Check,
) -> None:
    services = [*sample.services, full_service()]
    for service in services:
        document = to_hsds3(service, sample=True)
        assert hsds3_service(document) == [], service.name
        assert hsds3_list_item(document) == [], service.name
        assert oruk1_service(to_oruk1(service)) == [], service.name
    assert oruk3_list(hsds3_page(services)) == []
    assert oruk1_list(oruk1_page(services)) == []


def test_schema_check_is_real(hsds3_service: Check, oruk1_service: Check) -> None:
    """The validators do catch what the exports must avoid (so a pass means something)."""
    bad = to_hsds3(full_service()) | {"id": "not-a-uuid", "status": "open"}
    problems = hsds3_service(bad)
    assert any("uuid" in p for p in problems) and any("status" in p for p in problems)
    v1 = to_oruk1(full_service())
    del v1["organization"]
    assert oruk1_service(v1) != []


def test_export_is_deterministic(sample: ParsedDirectory) -> None:
    first = dumps(hsds3_page(sample.services))
    again = dumps(hsds3_page(read_directory_file(bundled_file(SAMPLE_DIRECTORY)).services))
    assert first == again
    assert dumps(oruk1_page(sample.services)) == dumps(oruk1_page(sample.services))


def test_taxonomy_term_ids_are_stable_uuids() -> None:
    document = to_hsds3(full_service())
    term = next(a["taxonomy_term"] for a in document["attributes"] if a["link_type"] == VOCAB_NEEDS)
    assert term["id"] == term_id(VOCAB_NEEDS, "memory")
    assert str(uuid.UUID(term["id"])) == term["id"]


def test_application_process_is_written_in_words() -> None:
    document = to_hsds3(full_service())
    assert document["application_process"] == "Book first. Referral needed. By phone."


# --- whole-file errors ---------------------------------------------------------------


def _error_for(path: Path, **kwargs: Any) -> str:
    with pytest.raises(DirectoryFileError) as caught:
        read_directory_file(path, **kwargs)
    message = str(caught.value)
    assert str(path) in message, "the error must name the file"
    return message


def test_not_json_says_where(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text('{"id": "x",\n  "name": oops}', encoding="utf-8")
    message = _error_for(path)
    assert "is not JSON" in message and "line 2" in message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('[{"id": "x", "name": "Café"}]'.encode("latin-1"))
    assert "not UTF-8" in _error_for(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text("  \n", encoding="utf-8")
    assert "is empty" in _error_for(path)


@pytest.mark.parametrize(
    "document",
    [{"services": []}, [1, 2, 3], "a string", 42, {"hello": "world"}, [["nested"]]],
)
def test_unknown_shape(tmp_path: Path, document: Any) -> None:
    message = _error_for(write_json(tmp_path / "odd.json", document))
    assert "not an Open Referral directory" in message
    assert "a service, an array of services or a paginated list" in message


def test_a_duplicate_id_keeps_the_first_and_names_both(tmp_path: Path) -> None:
    rid = "0f6b5a4e-3d2c-4b1a-9f8e-7d6c5b4a3f2e"
    document = [{"id": rid, "name": "One"}, {"id": rid.upper(), "name": "Two"}]
    parsed = read_directory_file(write_json(tmp_path / "dupes.json", document), now=NOW)
    assert [s.name for s in parsed.services] == ["One"]
    [skipped] = parsed.rejected
    assert skipped.warning == (
        f"{tmp_path / 'dupes.json'}: service {rid.upper()} (Two): the same id as service {rid} "
        "(One); kept the first, skipped this one"
    )


def test_a_big_file_is_not_refused_for_its_size_but_for_what_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)  # sparse: 51 MB of nothing, streamed, not refused
    message = _error_for(path)
    assert "is not JSON" in message and "MB" not in message


def test_a_20_mb_file_of_garbage_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "garbage.json"
    path.write_bytes(b"[" + b"x" * (20 * 1024 * 1024))
    assert "is not JSON" in _error_for(path)


def test_a_20_mb_json_file_of_the_wrong_shape(tmp_path: Path) -> None:
    path = tmp_path / "numbers.json"
    path.write_text("[" + ",".join(["1"] * 10_000_000) + "]", encoding="utf-8")
    assert path.stat().st_size > 19 * 1024 * 1024
    assert "not an Open Referral directory" in _error_for(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "no such file" in _error_for(tmp_path / "nope.json")
    assert "is a folder" in _error_for(tmp_path)


# --- one bad record among good ones --------------------------------------------------


def test_a_bad_field_drops_the_field_and_a_record_that_is_no_service_is_skipped() -> None:
    good = to_hsds3(full_service())
    records: list[Any] = [
        good,
        {"id": "11111111-1111-4111-8111-111111111111", "description": "no name"},
        {"id": "22222222-2222-4222-8222-222222222222", "name": "Typed", "schedules": "weekly"},
        {"id": "33333333-3333-4333-8333-333333333333", "name": "Shut", "status": "open"},
        {"id": "44444444-4444-4444-8444-444444444444", "name": "Aged", "minimum_age": "twelve"},
        {"name": "No id at all"},
        "not an object",
        {
            "id": "55555555-5555-4555-8555-555555555555",
            "name": "Bad day",
            "assured_date": "32/13/2025",
        },
    ]
    parsed = parse_directory(records, source="mixed.json", now=NOW)
    assert [s.name for s in parsed.services] == [
        "Everything Group",
        "Typed",
        "Shut",
        "Aged",
        "Bad day",
    ]
    typed, shut, aged, bad_day = parsed.services[1:]
    assert typed.schedules == [] and shut.status == Status.ACTIVE
    assert aged.eligibility.minimum_age is None and bad_day.assured_date is None
    no_name, no_id, not_object = [r.warning for r in parsed.rejected]
    assert no_name == (
        "mixed.json: service 11111111-1111-4111-8111-111111111111: name: Field required; "
        "skipped the service"
    )
    assert no_id == (
        "mixed.json: service with no id (No id at all): id: missing; every service needs an "
        "id; skipped the service"
    )
    assert not_object == "mixed.json: item 7 is text, not a service; skipped it"
    assert parsed.rejected[0].service_id == "11111111-1111-4111-8111-111111111111"
    assert parsed.dropped == [
        "mixed.json: service 22222222-2222-4222-8222-222222222222 (Typed): schedules: should be "
        "a list, not text; left it out",
        "mixed.json: service 33333333-3333-4333-8333-333333333333 (Shut): status 'open': Input "
        "should be 'active', 'inactive', 'defunct' or 'temporarily closed'; left it out",
        "mixed.json: service 44444444-4444-4444-8444-444444444444 (Aged): eligibility.minimum_age "
        "'twelve': Input should be a valid integer, unable to parse string as an integer; "
        "left it out",
        "mixed.json: service 55555555-5555-4555-8555-555555555555 (Bad day): assured_date: "
        "'32/13/2025' is not a date (write 2025-01-15 or 15/01/2025); left it out",
    ]


def test_html_is_cleaned_and_a_long_description_is_kept_whole() -> None:
    words = "word " * 3200
    record = {"id": str(uuid.uuid4()), "name": "Long", "description": f"<p>{words}&nbsp;end</p>"}
    parsed = parse_directory(record, source="x", now=NOW)
    description = parsed.services[0].description
    assert description == words + "end"  # &nbsp; is a space; whitespace runs are one space
    assert parsed.warnings == [] and parsed.notes == []


def test_a_web_address_without_its_scheme_gets_one() -> None:
    record = {"id": str(uuid.uuid4()), "name": "Web", "url": "www.example.org/x"}
    service = parse_directory(record, source="x", now=NOW).services[0]
    assert service.contact.website == "https://www.example.org/x"


def test_utf8_with_byte_order_mark_is_read() -> None:
    raw = "\ufeff".encode() + json.dumps({"id": str(uuid.uuid4()), "name": "BOM"}).encode()
    assert parse_directory_bytes(raw, source="bom.json").services[0].name == "BOM"


# --- the bundled sample --------------------------------------------------------------


def test_sample_is_valid_hsds3(hsds3_service: Check, oruk3_list: Check) -> None:
    document = json.loads(bundled_file(SAMPLE_DIRECTORY).read_text(encoding="utf-8"))
    assert oruk3_list(document) == []
    assert len(document["contents"]) >= 45
    for item in document["contents"]:
        assert hsds3_service(item) == [], item["name"]
        assert any(
            a["taxonomy_term"]["taxonomy"] == VOCAB_SAMPLE
            and a["taxonomy_term"]["code"] == SAMPLE_CODE
            for a in item["attributes"]
        ), f"{item['name']} lacks the sample-data marker"


def test_sample_reads_cleanly_and_is_marked(sample: ParsedDirectory) -> None:
    assert sample.rejected == [] and sample.notes == []
    assert sample.is_sample
    assert len(sample.services) >= 45
    assert len({s.id for s in sample.services}) == len(sample.services)


def test_sample_contact_details_are_fictional(sample: ParsedDirectory) -> None:
    for service in sample.services:
        for phone in service.contact.phones:
            assert DRAMA_NUMBER.match(phone.number), (service.name, phone.number)
        for address in (service.contact.email, service.contact.website):
            assert address is None or "example.org" in address, (service.name, address)
        for location in service.locations:
            assert location.postcode is not None
            assert re.match(r"^(NW10|NW2|NW6|HA0|HA9) \d[A-Z]{2}$", location.postcode)


def test_sample_covers_what_the_issue_asks_for(sample: ParsedDirectory) -> None:
    services = sample.services
    names = [s.name for s in services]
    text = " ".join(f"{s.name} {s.description}".lower() for s in services)
    areas = {area for s in services for area in s.areas}
    assert {"Church End", "Alperton", "Harlesden", "Wembley", "Kilburn", "Borough-wide"} <= areas
    assert any("Memory Café" in n or "Dementia Café" in n for n in names)
    assert sum("memory" in s.needs for s in services) >= 2
    assert sum("counselling" in f"{s.name} {s.description}".lower() for s in services) >= 2
    for words in [
        "community garden",
        "mental health first aid",
        "tenants' and residents'",
        "langar",
        "mosque",
        "food bank",
        "temple",
        "befriending",
        "telephone befriending",
        "help with debt",  # "debt advice" before the sample's words were made plainer
        "benefits",
        "community fridge",
        "housing",
        "homeless",
        "carers",
        "esol",
        "talking help",  # "talking therapies", as above
        "walk",
        "chair exercise",
        "men's shed",
        "parent and toddler",
        "domestic abuse",
        "knit and natter",
        "warm space",
        "youth club",
        "volunteering",
        "somali",
        "gujarati",
        "tamil",
        "polish",
        "hearing",
        "bereavement",
    ]:
        assert words in text, f"no sample service about {words!r}"
    schedules = [sch for s in services for sch in s.schedules]
    assert any(sch.interval == 2 and sch.dtstart for sch in schedules)
    assert any(sch.freq is Freq.MONTHLY and sch.byday == "2TU" for sch in schedules)
    assert any(sch.freq is Freq.MONTHLY and sch.byday == "-1FR" for sch in schedules)
    assert any(sch.byday == "MO,WE,FR" for sch in schedules)
    assert any(not s.schedules and not s.attendance.in_person for s in services)
    assert any(sch.valid_to and sch.valid_to < NOW.date() for sch in schedules)
    assert any(sch.valid_to and sch.valid_to > NOW.date() for sch in schedules)
    six_months_ago = date(2026, 5, 26)
    dates = [s.assured_date for s in services]
    assert all(d is not None for d in dates)
    stale = [d for d in dates if d is not None and d < six_months_ago]
    assert 1 <= len(stale) <= len(services) // 4
    for service in services:
        assert service.needs and service.keywords and service.languages, service.name
        assert service.summary.endswith("."), service.name


# --- the directory use-cases over the store (hub.directory) ---------------------------


def test_import_counts_added_updated_unchanged(tmp_path: Path) -> None:
    feed = FIXTURES / "oruk_v1_feed.json"
    with HubStore.open(tmp_path / "data") as store:
        first = import_directory_file(store, feed, replace=False, now=NOW)
        assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
        stored = {s.id: s for s in store.services()}
        # The feed has no last_modified: a second import compares without it.
        later = datetime(2026, 12, 1, tzinfo=UTC)
        second = import_directory_file(store, feed, replace=False, now=later)
        assert (second.added, second.updated, second.unchanged) == (0, 0, 3)
        assert {s.id: s for s in store.services()} == stored

        edited = json.loads(feed.read_text(encoding="utf-8"))
        edited["content"][0]["name"] = "Neasden Carers Drop-in (new times)"
        changed = write_json(tmp_path / "edited.json", edited)
        third = import_directory_file(store, changed, replace=False, now=later)
        assert (third.added, third.updated, third.unchanged) == (0, 1, 2)
        renamed = store.service(edited["content"][0]["id"])
        assert renamed is not None and renamed.last_modified == later


def test_replace_keeps_the_stored_copy_of_an_unreadable_record(tmp_path: Path) -> None:
    keep, drop = (
        full_service(),
        full_service().model_copy(update={"id": str(uuid.uuid4()), "name": "Dropped"}),
    )
    with HubStore.open(tmp_path / "data") as store:
        store.save_services([keep, drop])
        broken = to_hsds3(keep) | {"name": ""}  # no name: not a service, so skipped
        new = {"id": str(uuid.uuid4()), "name": "New", "status": "active"}
        path = write_json(tmp_path / "feed.json", [broken, new])
        report = import_directory_file(store, path, replace=True, now=NOW)
        assert (report.added, report.removed, len(report.rejected)) == (1, 1, 1)
        assert {s.name for s in store.services()} == {"Everything Group", "New"}


def test_seeding_happens_once_and_only_in_a_new_folder(tmp_path: Path) -> None:
    with HubStore.open(tmp_path / "used") as store:
        store.save_services([full_service()])
        assert seed_sample_if_new(store, now=NOW) is False
        assert [s.name for s in store.services()] == ["Everything Group"]
        assert not sample_is_loaded(store)
    with HubStore.open(tmp_path / "new") as store:
        assert seed_sample_if_new(store, now=NOW) is True
        assert len(store.services()) >= 45 and sample_is_loaded(store)
        assert seed_sample_if_new(store, now=NOW) is False
        # Retire every sample service: the fictional directory is no longer shown.
        store.save_services(
            s.model_copy(update={"status": Status.DEFUNCT}) for s in store.services()
        )
        assert not sample_is_loaded(store)


def test_export_writes_atomically_and_marks_sample_services(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("old contents", encoding="utf-8")
    with HubStore.open(tmp_path / "data") as store:
        seed_sample_if_new(store, now=NOW)
        count = export_directory(store, out, "hsds3")
    document = json.loads(out.read_text(encoding="utf-8"))
    assert count == len(document["contents"]) >= 45
    assert read_directory_file(out).is_sample
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
