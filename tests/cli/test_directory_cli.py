"""`hub directory import|export|list`, run as the real command in a subprocess.

Every failure must be one `error:` line, exit status 1, and leave the data folder
byte-for-byte as it was (each file hashed before and after).
"""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hub.sample_directory import sample_is_loaded
from hub.storage import HubStore
from tests.cli.runner import hub as run_hub
from tests.folder_files import folder_hashes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SPEC_FILES = Path(__file__).resolve().parents[2] / "data" / "openreferral"


def hub(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command with wide tables (rich does not wrap the names looked for)."""
    return run_hub(data, *args, wide=True)


def ok(data: Path, *args: str) -> str:
    """Run the command, insist it succeeded, and return what it printed."""
    result = hub(data, *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def schema_errors(relative: str, document: Any) -> list[str]:
    """Return the schema errors for a document, against one of the reference schemas."""
    path = SPEC_FILES / relative
    assert path.is_file(), f"Open Referral reference schema expected at {path}"
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())
    return [error.message for error in validator.iter_errors(document)]


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """Return a data folder that has been opened once (so it holds the sample)."""
    data = tmp_path / "data"
    ok(data, "directory", "list")
    return data


def test_first_use_seeds_the_sample_and_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    table = ok(data, "directory", "list")
    assert "Church End Memory Café" in table
    assert "bundled sample directory" in table and "made up" in table
    listed = json.loads(ok(data, "directory", "list", "--json"))
    assert len(listed) >= 45
    for item in listed[:5]:
        assert schema_errors("hsds-3.0/service.schema.json", item) == []
    with HubStore.open(data) as store:
        assert sample_is_loaded(store)
        assert store.meta("seeded")


def test_oruk_v1_feed_imports_and_exports_cleanly(seeded: Path, tmp_path: Path) -> None:
    feed = FIXTURES / "oruk_v1_feed.json"
    first = ok(seeded, "directory", "import", str(feed))
    assert "(ORUK v1): 3 added, 0 updated, 0 unchanged, 0 rejected." in first
    assert "split into '020 7946 0872'" in first  # a note about the tidied phone number

    before = folder_hashes(seeded)
    again = ok(seeded, "directory", "import", str(feed))
    assert "0 added, 0 updated, 3 unchanged, 0 rejected." in again
    assert folder_hashes(seeded) == before, "importing the same file twice changes nothing"

    for fmt, list_schema, item_schema, key in [
        ("oruk1", "oruk-v1/service_list.schema.json", "oruk-v1/service.schema.json", "content"),
        ("hsds3", "oruk-v3/service_list.schema.json", "hsds-3.0/service.schema.json", "contents"),
    ]:
        out = tmp_path / f"export-{fmt}.json"
        said = ok(seeded, "directory", "export", str(out), "--format", fmt)
        document = json.loads(out.read_text(encoding="utf-8"))
        count = len(document[key])
        assert f"Exported {count} services" in said
        assert count >= 48  # the sample and the feed's three
        assert schema_errors(list_schema, document) == []
        for item in document[key]:
            assert schema_errors(item_schema, item) == [], item["name"]
        # Our own export reads back as exactly what is stored.
        back = ok(seeded, "directory", "import", str(out))
        assert f"0 added, 0 updated, {count} unchanged, 0 rejected." in back


def test_hsds3_feed_replaces_the_sample(seeded: Path, tmp_path: Path) -> None:
    said = ok(seeded, "directory", "import", str(FIXTURES / "hsds3_council_feed.json"), "--replace")
    assert "(HSDS 3.0 / ORUK v3): 2 added, 0 updated, 0 unchanged, 0 rejected." in said
    assert "Removed 52 services that were not in the file" in said
    listed = json.loads(ok(seeded, "directory", "list", "--json"))
    assert sorted(item["name"] for item in listed) == [
        "Alperton Community Fridge",
        "Kilburn Memory Café",
    ]
    table = ok(seeded, "directory", "list")
    assert "made up" not in table
    with HubStore.open(seeded) as store:
        assert not sample_is_loaded(store)
    # Once dropped, the sample never comes back on its own.
    assert len(json.loads(ok(seeded, "directory", "list", "--json"))) == 2
    out = tmp_path / "council.json"
    ok(seeded, "directory", "export", str(out))
    assert schema_errors("oruk-v3/service_list.schema.json", json.loads(out.read_text())) == []


def test_spec_examples_import_through_the_command(seeded: Path) -> None:
    for relative in ["hsds-3.0/example_service_full.json", "oruk-v3/example_service_list.json"]:
        result = hub(seeded, "directory", "import", str(SPEC_FILES / relative))
        assert result.returncode == 0, result.stderr
        assert "Imported" in result.stdout and "0 rejected" in result.stdout
        # The official example's latitude is 100: out of range, left out of our copy, and said.
        assert result.stderr.splitlines() in (
            [],
            [
                f"warning: {SPEC_FILES / relative}: service ac148810-d857-441c-9679-408f346de14b "
                "(Community Counselling): location latitude 100 is out of range; left it out"
            ],
        )


def test_bad_records_are_listed_and_the_rest_imported(seeded: Path, tmp_path: Path) -> None:
    good_id = str(uuid.uuid4())
    feed = tmp_path / "mixed.json"
    feed.write_text(
        json.dumps(
            [
                {"id": good_id, "name": "Good Group", "status": "active"},
                {"id": "11111111-1111-4111-8111-111111111111", "status": "active"},
                {"id": "22222222-2222-4222-8222-222222222222", "name": "Typed", "phones": 7},
            ]
        ),
        encoding="utf-8",
    )
    result = hub(seeded, "directory", "import", str(feed))
    assert result.returncode == 0, result.stderr
    # A record with no name is not a service: skipped. A bad field drops the field only.
    assert "2 added, 0 updated, 0 unchanged, 1 rejected." in result.stdout
    assert result.stderr.splitlines() == [
        f"warning: {feed}: service 11111111-1111-4111-8111-111111111111: name: Field required; "
        "skipped the service",
        f"warning: {feed}: service 22222222-2222-4222-8222-222222222222 (Typed): phones: should "
        "be a list, not a number; left it out",
    ]
    assert "imported 2 services; 1 skipped, 1 field dropped — see above." in result.stdout


def _files(tmp_path: Path) -> dict[str, bytes]:
    """Return the bad files every import must refuse, by what is wrong with them."""
    return {
        "not JSON": b'{"id": "x", "name": ',
        "not UTF-8": '[{"id": "x", "name": "Caf\u00e9"}]'.encode("latin-1"),
        "empty": b"",
        "unknown shape": b'{"services": [{"title": "x"}]}',
        "missing names": json.dumps(
            [{"id": str(uuid.uuid4())}, {"id": str(uuid.uuid4())}]
        ).encode(),
        "wrong types": json.dumps([{"id": str(uuid.uuid4()), "name": ["A", "list"]}]).encode(),
        "20 MB of garbage": b"{" + b"\x00garbage" * (20 * 1024 * 1024 // 8),
    }


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        ("not JSON", "is not JSON"),
        ("not UTF-8", "is not UTF-8"),
        ("empty", "is empty"),
        ("unknown shape", "not an Open Referral directory"),
        ("missing names", "none of the 2 services"),
        ("wrong types", "none of the 1 service"),
        ("20 MB of garbage", "is not"),
    ],
)
@pytest.mark.parametrize("replace", [False, True])
def test_bad_files_change_nothing(
    seeded: Path, tmp_path: Path, problem: str, expected: str, replace: bool
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(_files(tmp_path)[problem])
    before = folder_hashes(seeded)
    args = ["directory", "import", str(path)] + (["--replace"] if replace else [])
    result = hub(seeded, *args)
    assert result.returncode == 1, result.stdout
    *warnings, last = result.stderr.splitlines()
    assert last.startswith("error: ") and result.stderr.count("error: ") == 1
    assert expected in last and str(path) in last
    assert "Traceback" not in result.stderr
    assert folder_hashes(seeded) == before
    if problem in ("missing names", "wrong types"):
        # each record left out, and why, as a warning line before the refusal
        assert warnings and all(w.startswith(f"warning: {path}: service ") for w in warnings)
        assert all("name" in w for w in warnings)
    else:
        assert warnings == []


def test_replace_with_no_services_is_refused(seeded: Path, tmp_path: Path) -> None:
    path = tmp_path / "empty-list.json"
    path.write_text("[]", encoding="utf-8")
    before = folder_hashes(seeded)
    result = hub(seeded, "directory", "import", str(path), "--replace")
    assert result.returncode == 1
    assert "--replace would empty the directory" in result.stderr
    assert folder_hashes(seeded) == before
    # Without --replace an empty list is just nothing to add.
    assert "0 added, 0 updated, 0 unchanged, 0 rejected." in ok(
        seeded, "directory", "import", str(path)
    )
    assert folder_hashes(seeded) == before


def test_a_bad_first_import_does_not_even_create_the_data_folder(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("not json", encoding="utf-8")
    data = tmp_path / "fresh"
    result = hub(data, "directory", "import", str(path))
    assert result.returncode == 1 and result.stderr.startswith("error: ")
    assert not data.exists()


def test_export_to_a_missing_folder_is_one_error_line(seeded: Path, tmp_path: Path) -> None:
    before = folder_hashes(seeded)
    result = hub(seeded, "directory", "export", str(tmp_path / "no" / "such" / "out.json"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot write") and result.stderr.count("\n") == 1
    assert folder_hashes(seeded) == before


def test_usage_mistakes_exit_2(seeded: Path, tmp_path: Path) -> None:
    assert hub(seeded, "directory").returncode == 2
    bad_format = hub(seeded, "directory", "export", str(tmp_path / "x.json"), "--format", "csv")
    assert bad_format.returncode == 2 and "error:" in bad_format.stderr
