"""HSDS 3.0 CSV packages to and from nested services (`hub.formats.hsds3_csv`).

The specification's own files, shipped in data/openreferral/hsds-3.0, are the reference:
the table layout is checked against `service.schema.json`, the CSV example is read, and
the full JSON example goes through CSV and comes back identical.
"""

from __future__ import annotations

import copy
import csv
import json
import os
from pathlib import Path
from typing import Any

import pytest

from hub.formats.hsds3_csv import (
    LINKS,
    NESTINGS,
    TABLES,
    CsvPackageError,
    load_csv_package,
    read_csv_package,
    write_csv_package,
)
from tests.folder_files import CSV_EXAMPLE, csv_example_copy

HSDS3 = Path(__file__).resolve().parents[2] / "data" / "openreferral" / "hsds-3.0"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"


def full_example() -> dict[str, Any]:
    """Return the specification's full HSDS 3.0 service example."""
    data: dict[str, Any] = json.loads((HSDS3 / "example_service_full.json").read_text("utf-8"))
    return data


def read_tables(folder: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Return {file name: (header, rows)} for every CSV file in a folder."""
    tables = {}
    for path in sorted(folder.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        tables[path.name] = (header, rows)
    return tables


def write_rows(path: Path, header: list[str], *rows: list[str]) -> None:
    """Write a small CSV table."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


# --- the layout is the specification's ----------------------------------------------


def _schema_layout() -> tuple[
    dict[str, tuple[str, list[str], set[str]]], set[tuple[str, str, str]]
]:
    """Return each record's (file, columns, number columns) and (parent, key, child) nestings."""
    schema = json.loads((HSDS3 / "service.schema.json").read_text("utf-8"))
    tables: dict[str, tuple[str, list[str], set[str]]] = {}
    nestings: set[tuple[str, str, str]] = set()

    def walk(node: dict[str, Any]) -> None:
        name = node["name"]
        columns, numbers = [], set()
        for key, prop in node["properties"].items():
            items = prop.get("items", {})
            if prop.get("type") == "object":
                nestings.add((name, key, prop["name"]))
                walk(prop)
            elif prop.get("type") == "array" and items.get("type") == "object":
                nestings.add((name, key, items["name"]))
                walk(items)
            else:
                columns.append(key)
                if prop.get("type") == "number":
                    numbers.add(key)
        tables[name] = (node["path"], columns, numbers)

    walk(schema)
    return tables, nestings


def test_tables_and_nestings_are_the_specifications() -> None:
    spec_tables, spec_nestings = _schema_layout()
    ours = {t.entity: (t.file, list(t.columns), set(t.numbers)) for t in TABLES}
    assert ours == spec_tables
    mine = {(n.parent, n.key, n.child) for n in NESTINGS}
    mine |= {(parent, link.key, link.child) for link in LINKS for parent in link.parents}
    assert mine == spec_nestings


def test_the_example_packages_headers_are_in_our_column_order() -> None:
    by_file = {t.file: list(t.columns) for t in TABLES}
    for name, (header, _) in read_tables(CSV_EXAMPLE).items():
        if name in by_file:
            assert header == by_file[name], name


# --- reading ------------------------------------------------------------------------


def test_the_specifications_csv_example_reads_as_one_nested_service() -> None:
    package = load_csv_package(CSV_EXAMPLE)
    [service] = package.services
    assert service["id"] == SERVICE_ID
    assert service["name"] == "Community Counselling"
    assert service["minimum_age"] == 12 and service["maximum_age"] == 100
    assert "organization_id" not in service and "program_id" not in service
    assert service["organization"]["name"] == "Example Organization Inc."
    assert service["organization"]["year_incorporated"] == 2011
    assert service["program"]["name"] == "Community Mental Health Support"
    [schedule] = service["schedules"]
    assert schedule["byday"] == "TH,FR" and schedule["opens_at"] == "10:00:00"
    assert schedule["timezone"] == 3 and schedule["interval"] == 1 and schedule["count"] == 3
    assert "service_id" not in schedule
    [phone] = service["phones"]
    assert phone["number"] == '"+44 1234 234567"' and phone["extension"] == 100
    assert phone["languages"][0]["code"] == "ur"
    [sal] = service["service_at_locations"]
    assert sal["schedules"] == [schedule] and sal["phones"] == [phone]
    location = sal["location"]
    assert location["name"] == "MyCity Civic Center"
    assert location["latitude"] == 100 and location["external_identifier"] == "10092008082"
    assert location["addresses"][0]["postal_code"] == "ABC 1234"
    assert location["accessibility"][0]["details"].startswith("Switch hearing aid")
    assert service["cost_options"][0]["amount"] == 35
    assert service["cost_options"][0]["currency"] == "gbp"
    assert service["organization"]["funding"] == service["funding"]
    assert service["organization"]["organization_identifiers"][0]["identifier"] == "1234567"
    # The location's organisation is not in organizations.csv: its id is kept, with a warning.
    assert location["organization_id"] == "985e4a42-bd9f-4edc-911d-0243a4640aca"
    assert read_csv_package(CSV_EXAMPLE) == package.services


def test_no_field_is_an_empty_string_or_empty_list() -> None:
    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                assert item not in ("", [], None)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(read_csv_package(CSV_EXAMPLE))


def test_the_examples_loose_ends_are_each_one_warning_naming_file_and_row() -> None:
    warnings = [str(w) for w in load_csv_package(CSV_EXAMPLE).warnings]
    folder = str(CSV_EXAMPLE)
    expected_left_out = {
        "attributes.csv": "ae58cc39-8b70-4ab1-8aea-786882e5ac8e",
        "metadata.csv": "6cd71e9f-1013-49d9-8370-26b8f59d3e5a",
        "taxonomy_terms.csv": "3f7b145d-84af-42d7-8fae-eaca714b02b2",
        "taxonomies.csv": "5c4d79d7-cc55-470e-9f1f-8cad074e4892",
    }
    for name, rid in expected_left_out.items():
        assert any(
            w.startswith(f"{folder}/{name} row 2 (id {rid}): ") and w.endswith("; left out")
            for w in warnings
        ), name
    assert f"{folder}/meta_table_descriptions.csv: not an HSDS 3.0 table of services; left out" in (
        warnings
    )
    kept = [w for w in warnings if "kept the row" in w]
    assert len(kept) == 3  # the location's and the contact's two ids that lead nowhere
    assert len(warnings) == 4 + 1 + 3


def test_unknown_organization_id_keeps_the_service_with_a_warning(tmp_path: Path) -> None:
    folder = csv_example_copy(tmp_path)
    (folder / "organizations.csv").write_text(
        (CSV_EXAMPLE / "organizations.csv").read_text("utf-8").splitlines()[0] + "\r\n",
        encoding="utf-8",
    )
    package = load_csv_package(folder)
    [service] = package.services
    assert service["organization_id"] == "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
    assert "organization" not in service
    assert (
        f'{folder}/services.csv row 2 (service {SERVICE_ID} ("Community Counselling")): '
        "organization_id d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610 is not in organizations.csv; "
        "kept the row, and that id as it is"
    ) in [str(w) for w in package.warnings]


def test_a_schedule_for_an_unknown_service_is_left_out_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "package"
    folder.mkdir()
    write_rows(folder / "services.csv", ["id", "name", "status"], ["s1", "Food bank", "active"])
    write_rows(
        folder / "schedules.csv",
        ["id", "service_id", "freq", "byday"],
        ["sc1", "s1", "WEEKLY", "MO"],
        ["sc2", "nope", "WEEKLY", "TU"],
        ["sc3", "", "WEEKLY", "WE"],
    )
    package = load_csv_package(folder)
    assert package.services == [
        {
            "id": "s1",
            "name": "Food bank",
            "status": "active",
            "schedules": [{"id": "sc1", "freq": "WEEKLY", "byday": "MO"}],
        }
    ]
    assert [str(w) for w in package.warnings] == [
        f"{folder}/schedules.csv row 3 (id sc2): service_id nope is not in services.csv; left out",
        f"{folder}/schedules.csv row 4 (id sc3): it has no service_id, service_at_location_id or "
        "location_id; left out",
    ]


def test_a_repeated_id_keeps_the_first_row_and_names_both(tmp_path: Path) -> None:
    folder = tmp_path / "package"
    folder.mkdir()
    write_rows(folder / "services.csv", ["id", "name"], ["s1", "First"], ["s1", "Second"])
    package = load_csv_package(folder)
    assert [s["name"] for s in package.services] == ["First"]
    assert [str(w) for w in package.warnings] == [
        f'{folder}/services.csv row 3 (service s1 ("Second")): repeats the id of row 2; '
        "kept row 2, left this one out"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("phones.csv", "id,service_id,number\r\np1,s1,020 1,extra\r\n", "line 2 (row 2): 4 cells"),
        ("phones.csv", 'id,service_id,number\r\np1,s1,"020 1\r\n', "line 2: not valid CSV"),
        ("phones.csv", 'id,service_id,number\r\np1,s1,"020" 1\r\n', "line 2: not valid CSV"),
        ("phones.csv", "service_id,number\r\ns1,020\r\n", "line 1: the header has no id column"),
        ("phones.csv", "id,id,number\r\np1,p1,020\r\n", "line 1: the header has the column id"),
        ("phones.csv", "", "is empty"),
        ("phones.csv", "id;service_id\r\np1;s1\r\n", "no id column (its columns seem split by"),
    ],
)
def test_a_malformed_table_refuses_the_package_naming_file_and_line(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    folder = tmp_path / "package"
    folder.mkdir()
    write_rows(folder / "services.csv", ["id", "name"], ["s1", "Food bank"])
    (folder / name).write_text(content, encoding="utf-8", newline="")
    with pytest.raises(CsvPackageError) as caught:
        load_csv_package(folder)
    assert str(caught.value).startswith(f"{folder}/{name} ")
    assert message in str(caught.value)


def test_a_table_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "package"
    folder.mkdir()
    (folder / "services.csv").write_bytes(b"id,name\r\ns1,Caf\xe9\r\n")
    with pytest.raises(CsvPackageError, match=r"services.csv line 2: not UTF-8"):
        load_csv_package(folder)


def test_a_package_without_services_csv_is_refused_saying_what_it_holds(tmp_path: Path) -> None:
    folder = csv_example_copy(tmp_path)
    (folder / "services.csv").unlink()
    with pytest.raises(CsvPackageError) as caught:
        load_csv_package(folder)
    assert str(caught.value).startswith(f"{folder} has no services.csv (it holds accessibility.csv")
    assert "an HSDS 3.0 CSV package needs one" in str(caught.value)


def test_warnings_show_control_characters_as_text_and_cut_long_names(tmp_path: Path) -> None:
    folder = tmp_path / "package"
    folder.mkdir()
    write_rows(
        folder / "services.csv",
        ["id", "name"],
        ["s1", "Advice"],
        ["s1", "\x1b[2J\x1b]0;owned\x07" + "x" * 100],
    )
    [warning] = [str(w) for w in load_csv_package(folder).warnings]
    assert "\x1b" not in warning and "\x07" not in warning
    assert '(service s1 ("\\x1b[2J\\x1b]0;owned\\x07xxx' in warning
    assert 'x…")): repeats the id of row 2' in warning and "x" * 60 not in warning


def test_a_byte_order_mark_and_blank_lines_are_tolerated(tmp_path: Path) -> None:
    folder = tmp_path / "package"
    folder.mkdir()
    (folder / "services.csv").write_bytes(
        "\ufeffid,name,minimum_age\r\ns1,Café,\r\n\r\n,,\r\n".encode()
    )
    assert read_csv_package(folder) == [{"id": "s1", "name": "Café"}]


def test_a_long_description_is_read_whole(tmp_path: Path) -> None:
    description = "Help with money. " * 20_000  # 340,000 characters, past csv's default limit
    write_csv_package([{"id": "s1", "name": "Advice", "description": description}], tmp_path / "p")
    assert read_csv_package(tmp_path / "p")[0]["description"] == description


def test_a_number_column_that_holds_words_keeps_the_words(tmp_path: Path) -> None:
    folder = tmp_path / "package"
    folder.mkdir()
    write_rows(
        folder / "services.csv",
        ["id", "name", "minimum_age", "maximum_age"],
        ["s1", "Youth club", "eleven", "18.5"],
    )
    [service] = read_csv_package(folder)
    assert service["minimum_age"] == "eleven" and service["maximum_age"] == 18.5


def test_datapackage_json_may_name_the_tables_files(tmp_path: Path) -> None:
    folder = tmp_path / "package"
    (folder / "tables").mkdir(parents=True)
    write_rows(folder / "tables" / "svc.csv", ["id", "name"], ["s1", "Food bank"])
    write_rows(folder / "tables" / "tel.csv", ["id", "service_id", "number"], ["p1", "s1", "020"])
    descriptor = {
        "resources": [
            {"name": "services", "path": "tables/svc.csv"},
            {"name": "phones", "path": "tables/tel.csv"},
        ]
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert read_csv_package(folder) == [
        {"id": "s1", "name": "Food bank", "phones": [{"id": "p1", "number": "020"}]}
    ]
    descriptor["resources"][0]["path"] = "../outside.csv"
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(CsvPackageError, match="not a file in"):
        load_csv_package(folder)


# --- round trips --------------------------------------------------------------------


def test_the_full_json_example_goes_through_csv_and_comes_back_identical(
    tmp_path: Path,
) -> None:
    example = full_example()
    notes = write_csv_package([copy.deepcopy(example)], tmp_path / "out")
    assert notes == []
    package = load_csv_package(tmp_path / "out")
    assert package.warnings == []
    assert package.services == [example]


@pytest.mark.parametrize(
    "example",
    [
        "oruk-v3/example_service_full.json",
        "hsds-3.0/example_service_list.json",
        "oruk-v3/example_service_list.json",
    ],
)
def test_the_other_shipped_examples_come_back_identical(tmp_path: Path, example: str) -> None:
    document = json.loads((HSDS3.parent / example).read_text("utf-8"))
    services = document.get("contents", [document])
    assert write_csv_package(services, tmp_path / "out") == []
    package = load_csv_package(tmp_path / "out")
    assert package.warnings == []
    assert package.services == services


def test_csv_to_json_to_csv_gives_the_same_tables(tmp_path: Path) -> None:
    write_csv_package([full_example()], tmp_path / "first")
    services = read_csv_package(tmp_path / "first")
    write_csv_package(services, tmp_path / "second")
    first, second = read_tables(tmp_path / "first"), read_tables(tmp_path / "second")
    assert first == second
    assert len(first) == len(TABLES)
    for name in first:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()


def test_the_csv_example_round_trips_but_for_the_rows_it_warned_about(tmp_path: Path) -> None:
    package = load_csv_package(CSV_EXAMPLE)
    write_csv_package(package.services, tmp_path / "out")
    before, after = read_tables(CSV_EXAMPLE), read_tables(tmp_path / "out")
    left_out = {
        (Path(w.file).name, w.row) for w in package.warnings if w.message.endswith("left out")
    }
    for name, (header, rows) in before.items():
        if name == "meta_table_descriptions.csv":
            assert name not in after  # not a table of services
            continue
        out_name = name
        assert after[out_name][0] == header
        expected = [
            row for number, row in enumerate(rows, start=2) if (name, number) not in left_out
        ]
        assert after[out_name][1] == expected, name


def test_files_are_utf8_without_bom_with_crlf_and_spec_headers(tmp_path: Path) -> None:
    service = {"id": "s1", "name": "Café — Thé", "status": "active", "description": 'a\nb, "c"'}
    write_csv_package([service], tmp_path / "out")
    raw = (tmp_path / "out" / "services.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    header = raw.split(b"\r\n", 1)[0].decode()
    assert header.split(",") == list(TABLES[0].columns)
    assert read_csv_package(tmp_path / "out") == [service]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [*(t.file for t in TABLES), "datapackage.json"]
    )


def test_the_datapackage_json_describes_every_table_as_written(tmp_path: Path) -> None:
    write_csv_package([full_example()], tmp_path / "out")
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text("utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    tables = read_tables(tmp_path / "out")
    for resource in descriptor["resources"]:
        header, _ = tables[resource["path"]]
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        assert resource["schema"]["primaryKey"] == ["id"]
    assert {r["path"] for r in descriptor["resources"]} == set(tables)
    services = next(r for r in descriptor["resources"] if r["name"] == "services")
    types = {f["name"]: f["type"] for f in services["schema"]["fields"]}
    assert types["minimum_age"] == "number" and types["name"] == "string"


def test_shared_records_are_written_once_and_extension_fields_survive(tmp_path: Path) -> None:
    org = {"id": "o1", "name": "Brent Council", "description": "The council"}
    location = {"id": "l1", "location_type": "physical", "name": "Library"}
    services = [
        {
            "id": f"s{n}",
            "name": f"Service {n}",
            "organization": org,
            "service_at_locations": [{"id": f"sal{n}", "location": location}],
            "pc_targetAudience": "Carers",
            "schedules": [],
            "email": None,
        }
        for n in (1, 2)
    ]
    write_csv_package(services, tmp_path / "out")
    tables = read_tables(tmp_path / "out")
    assert len(tables["organizations.csv"][1]) == 1
    assert len(tables["locations.csv"][1]) == 1
    assert tables["services.csv"][0][-1] == "pc_targetAudience"
    back = read_csv_package(tmp_path / "out")
    for service in services:  # the documented normalisations: empty lists and nulls go
        del service["schedules"], service["email"]
    assert back == services


def test_a_nested_object_without_an_id_gets_one_from_its_place(tmp_path: Path) -> None:
    service = {"id": "s1", "name": "A", "phones": [{"number": "020 1"}, {"number": "020 2"}]}
    write_csv_package([{"id": "s0", "name": "Z"}, service], tmp_path / "one")
    write_csv_package([service], tmp_path / "two")
    [_, back] = read_csv_package(tmp_path / "one")
    assert [p["number"] for p in back["phones"]] == ["020 1", "020 2"]
    assert all(len(p["id"]) == 36 for p in back["phones"])  # uuid5 of service id and place
    assert read_csv_package(tmp_path / "two") == [back]  # the same ids whatever the order


def test_a_big_shared_organisation_is_written_once_not_once_per_service(tmp_path: Path) -> None:
    org = {
        "id": "o1",
        "name": "Council",
        "description": "d",
        "locations": [{"id": f"l{n}", "location_type": "physical"} for n in range(300)],
    }
    services = [{"id": f"s{n}", "name": f"S{n}", "organization": org} for n in range(300)]
    write_csv_package(services, tmp_path / "out")
    tables = read_tables(tmp_path / "out")
    assert len(tables["locations.csv"][1]) == 300 and len(tables["organizations.csv"][1]) == 1
    back = read_csv_package(tmp_path / "out")
    assert back == services
    assert back[0]["organization"] is back[1]["organization"]  # shared, not copied


def test_disagreeing_copies_of_one_record_keep_the_first_and_say_so(tmp_path: Path) -> None:
    services = [
        {"id": "s1", "name": "A", "organization": {"id": "o1", "name": "Council"}},
        {"id": "s2", "name": "B", "organization": {"id": "o1", "name": "The Council"}},
    ]
    notes = write_csv_package(services, tmp_path / "out")
    assert notes == [
        "organizations.csv: id o1 has two values for name ('Council' and 'The Council'); "
        "kept the first"
    ]


# --- writing safely -----------------------------------------------------------------


def test_a_non_empty_folder_is_refused_unless_replace(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_csv_package([{"id": "s1", "name": "Old"}], target)
    before = read_tables(target)
    with pytest.raises(CsvPackageError, match=r"is not empty.*--force"):
        write_csv_package([{"id": "s2", "name": "New"}], target)
    assert read_tables(target) == before
    write_csv_package([{"id": "s2", "name": "New"}], target, replace=True)
    assert read_csv_package(target) == [{"id": "s2", "name": "New"}]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing left beside it


def test_replace_never_deletes_a_folder_that_holds_other_things(tmp_path: Path) -> None:
    target = tmp_path / "documents"
    target.mkdir()
    (target / "minutes.docx").write_text("keep me", encoding="utf-8")
    with pytest.raises(CsvPackageError, match=r"minutes\.docx, which is not part of a CSV package"):
        write_csv_package([{"id": "s1", "name": "New"}], target, replace=True)
    assert (target / "minutes.docx").read_text(encoding="utf-8") == "keep me"


def test_a_failed_write_leaves_the_old_package_and_no_half_written_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    write_csv_package([{"id": "s1", "name": "Old"}], target)
    before = read_tables(target)
    calls = 0
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(CsvPackageError, match="No space left on device"):
        write_csv_package([{"id": "s2", "name": "New"}], target, replace=True)
    assert read_tables(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
