"""`hub directory import FOLDER` / `export FOLDER --format hsds3-csv`, as the real command.

The package is the HSDS 3.0 specification's own CSV example, shipped in
data/openreferral/hsds-3.0/csv-example. Every refusal must be one `error:` line, exit
status 1, and leave the data folder byte-for-byte as it was.
"""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.cli.runner import hub as run_hub
from tests.folder_files import CSV_EXAMPLE, csv_example_copy, folder_hashes

COUNSELLING = "ac148810-d857-441c-9679-408f346de14b"


def hub(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command with wide tables (rich does not wrap the names looked for)."""
    return run_hub(data, *args, wide=True)


def ok(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command and insist it succeeded."""
    result = hub(data, *args)
    assert result.returncode == 0, result.stderr
    return result


def refused(data: Path, *args: str) -> str:
    """Run the command, insist it was refused with one `error:` line, and return that line."""
    result = hub(data, *args)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[-1]


def listed(data: Path) -> list[dict[str, Any]]:
    """Return `hub directory list --json`."""
    items: list[dict[str, Any]] = json.loads(ok(data, "directory", "list", "--json").stdout)
    return items


def edit_cell(path: Path, row: int, column: str, value: str) -> None:
    """Change one cell of a CSV table (row 2 is the first row under the header)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[row - 1][rows[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """Return a data folder that has been opened once (so it holds the sample)."""
    data = tmp_path / "data"
    ok(data, "directory", "list")
    return data


def test_the_specifications_csv_example_imports_with_its_schedule_phone_and_place(
    seeded: Path,
) -> None:
    result = ok(seeded, "directory", "import", str(CSV_EXAMPLE))
    assert "1 added" in result.stdout
    warnings = result.stderr.strip().splitlines()
    assert all(line.startswith(f"warning: {CSV_EXAMPLE}") for line in warnings)
    assert any("metadata.csv row 2 (id 6cd71e9f" in line for line in warnings)
    [service] = [s for s in listed(seeded) if s["id"] == COUNSELLING]
    assert service["name"] == "Community Counselling"
    [schedule] = service["schedules"]
    assert (schedule["freq"], schedule["byday"]) == ("WEEKLY", "TH,FR")
    assert (schedule["opens_at"], schedule["closes_at"]) == ("10:00:00", "18:00:00")
    # Given back as the publisher wrote it (the example quotes its number); the card uses
    # the number without the quotes.
    assert [p["number"] for p in service["phones"]] == ['"+44 1234 234567"']
    [place] = service["service_at_locations"]
    assert place["location"]["name"] == "MyCity Civic Center"
    assert place["location"]["addresses"][0]["address_1"] == "1-30 Main Street"


JOIN_IDS = frozenset(
    {"service_id", "location_id", "organization_id", "link_id", "link_entity", "taxonomy_term_id"}
)


def without_join_ids(document: Any) -> Any:
    """Return a document as a CSV package can hold it (hub.formats.hsds3_csv's normalisations):
    without the id columns its nesting already says, and without empty values. Each service
    keeps its publisher's record, so these differences now show in a listing."""
    if isinstance(document, dict):
        # and without empty values: a CSV cell cannot tell "", null and [] from absent
        return {
            k: without_join_ids(v)
            for k, v in document.items()
            if k not in JOIN_IDS and v not in ("", None, [])
        }
    if isinstance(document, list):
        return [without_join_ids(item) for item in document]
    return document


def test_export_as_csv_then_reimport_gives_the_same_services(tmp_path: Path, seeded: Path) -> None:
    first = ok(seeded, "directory", "import", str(CSV_EXAMPLE))
    loose_ends = [line for line in first.stderr.splitlines() if " is not in " in line]
    before = listed(seeded)
    out = tmp_path / "export"
    result = ok(seeded, "directory", "export", str(out), "--format", "hsds3-csv")
    assert f"Exported {len(before)} services to {out}" in result.stdout
    assert result.stderr == ""
    with open(out / "services.csv", encoding="utf-8", newline="") as handle:
        assert len(list(csv.reader(handle))) == len(before) + 1

    fresh = tmp_path / "fresh"
    result = ok(fresh, "directory", "import", str(out), "--replace")
    # The only loose ends are the example's own (ids it names but does not hold), kept as given.
    again_loose = [line for line in result.stderr.splitlines() if " is not in " in line]
    assert len(again_loose) == len(loose_ends)
    assert all(
        any(line.split("is not in")[0].split(": ")[-1] in old for old in loose_ends)
        for line in again_loose
    )
    assert without_join_ids(listed(fresh)) == without_join_ids(before)

    again = tmp_path / "again"
    ok(fresh, "directory", "export", str(again), "--format", "hsds3-csv")
    assert folder_hashes(again) == folder_hashes(out)


def test_export_refuses_a_folder_in_use_unless_force(tmp_path: Path, seeded: Path) -> None:
    out = tmp_path / "export"
    ok(seeded, "directory", "export", str(out), "--format", "hsds3-csv")
    (out / "services.csv").write_text("id,name\r\nold,Old\r\n", encoding="utf-8")
    before = folder_hashes(out)
    line = refused(seeded, "directory", "export", str(out), "--format", "hsds3-csv")
    assert line == (
        f"error: {out} is not empty; give a new or empty folder, or add --force to replace "
        "the CSV package in it"
    )
    assert folder_hashes(out) == before
    ok(seeded, "directory", "export", str(out), "--format", "hsds3-csv", "--force")
    assert folder_hashes(out) != before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "export"]


def test_a_package_without_services_csv_is_refused_and_changes_nothing(
    tmp_path: Path, seeded: Path
) -> None:
    folder = csv_example_copy(tmp_path)
    (folder / "services.csv").unlink()
    before = folder_hashes(seeded)
    line = refused(seeded, "directory", "import", str(folder))
    assert line.startswith(f"error: {folder} has no services.csv (it holds accessibility.csv")
    assert line.endswith("an HSDS 3.0 CSV package needs one")
    assert folder_hashes(seeded) == before


def test_a_folder_that_is_no_package_is_still_refused(tmp_path: Path, seeded: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "notes.txt").write_text("hello", encoding="utf-8")
    before = folder_hashes(seeded)
    line = refused(seeded, "directory", "import", str(folder))
    assert str(folder) in line
    assert folder_hashes(seeded) == before


def test_one_table_given_alone_points_at_its_folder(seeded: Path) -> None:
    before = folder_hashes(seeded)
    line = refused(seeded, "directory", "import", str(CSV_EXAMPLE / "services.csv"))
    assert line == (
        f"error: {CSV_EXAMPLE}/services.csv is one table of a CSV package; give the folder "
        f"that holds it ({CSV_EXAMPLE}) to import the package"
    )
    assert folder_hashes(seeded) == before


def test_a_malformed_table_is_refused_naming_file_and_line(tmp_path: Path, seeded: Path) -> None:
    folder = csv_example_copy(tmp_path)
    with open(folder / "phones.csv", "a", encoding="utf-8", newline="") as handle:
        handle.write('aaaa,,,,,,"020 8937 1234,,,\r\n')  # the quote is never closed
    before = folder_hashes(seeded)
    line = refused(seeded, "directory", "import", str(folder), "--replace")
    assert line.startswith(f"error: {folder}/phones.csv line ")
    assert "not valid CSV" in line and "nothing was imported" in line
    assert folder_hashes(seeded) == before


def test_an_unknown_organization_id_is_a_warning_and_the_service_still_imports(
    tmp_path: Path, seeded: Path
) -> None:
    folder = csv_example_copy(tmp_path)
    edit_cell(folder / "services.csv", 2, "organization_id", "11111111-2222-3333-4444-555555555555")
    result = ok(seeded, "directory", "import", str(folder))
    assert "1 added" in result.stdout
    assert (
        f'warning: {folder}/services.csv row 2 (service {COUNSELLING} ("Community Counselling")): '
        "organization_id 11111111-2222-3333-4444-555555555555 is not in organizations.csv; "
        "kept the row, and that id as it is"
    ) in result.stderr.splitlines()
    assert any(s["id"] == COUNSELLING for s in listed(seeded))


def test_a_schedule_for_an_unknown_service_is_left_out_with_a_warning(
    tmp_path: Path, seeded: Path
) -> None:
    folder = csv_example_copy(tmp_path)
    edit_cell(folder / "schedules.csv", 2, "service_id", "99999999-2222-3333-4444-555555555555")
    edit_cell(folder / "schedules.csv", 2, "location_id", "")
    edit_cell(folder / "schedules.csv", 2, "service_at_location_id", "")
    result = ok(seeded, "directory", "import", str(folder))
    assert (
        f"warning: {folder}/schedules.csv row 2 (id 48102e86-bb50-41c4-8f1e-e269368c41d1): "
        "service_id 99999999-2222-3333-4444-555555555555 is not in services.csv; left out"
    ) in result.stderr.splitlines()
    [service] = [s for s in listed(seeded) if s["id"] == COUNSELLING]
    assert service.get("schedules", []) == []


def test_help_names_the_csv_forms(tmp_path: Path) -> None:
    result = hub(tmp_path, "directory", "import", "--help")
    assert "folder of HSDS 3.0 CSV tables" in result.stdout
    result = hub(tmp_path, "directory", "export", "--help")
    assert "hsds3-csv" in result.stdout and "--force" in result.stdout
