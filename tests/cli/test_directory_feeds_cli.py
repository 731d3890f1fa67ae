"""`hub directory import` of real-world feeds, run as the real command: the warning report,
`--strict`, and the pages of a paged feed given as several files (issue 12)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.runner import hub as run_hub
from tests.folder_files import folder_hashes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
QUIRKS = FIXTURES / "oruk1_council_quirks.json"
PAGES = [FIXTURES / "paged" / f"page{n}.json" for n in (1, 2, 3)]


def hub(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command with wide tables (rich does not wrap the names looked for)."""
    return run_hub(data, *args, wide=True)


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """Return a data folder that has had its first directory (the bundled sample)."""
    data = tmp_path / "data"
    assert hub(data, "directory", "list").returncode == 0
    return data


def names(data: Path) -> list[str]:
    """Return the names in `hub directory list --json`."""
    result = hub(data, "directory", "list", "--json")
    assert result.returncode == 0, result.stderr
    return sorted(item["name"] for item in json.loads(result.stdout))


def test_a_council_feed_imports_with_one_warning_per_problem(seeded: Path) -> None:
    result = hub(seeded, "directory", "import", str(QUIRKS), "--replace")
    assert result.returncode == 0, result.stderr
    prefix = f"warning: {QUIRKS}: service 0e00000"
    assert result.stderr.splitlines() == [
        f"{prefix}1-1111-4a4a-8b8b-000000000001 (Example Helpline (second copy)): the same id as "
        "service 0e000001-1111-4a4a-8b8b-000000000001 (Example Young People's Helpline); "
        "kept the first, skipped this one",
        f"{prefix}7-1111-4a4a-8b8b-000000000007: name: Field required; skipped the service",
        f"{prefix}5-1111-4a4a-8b8b-000000000005 (Example Drop-in Advice): contact.email: "
        "'not an email address' is not an email address; left it out",
    ]
    assert result.stdout.splitlines()[-1] == (
        "imported 6 services; 2 skipped, 1 field dropped — see above. Needs: 2 by the feed's "
        "taxonomy, 2 by their words, 2 not placed (under Other help, and in needs checking)."
    )
    assert names(seeded) == [
        "Example Bereavement Circle",
        "Example Carers Group",
        "Example Choir",
        "Example Drop-in Advice",
        "Example Widget Appreciation Society",
        "Example Young People's Helpline",
    ]


def test_a_service_nothing_places_is_found_under_other_help(seeded: Path) -> None:
    assert hub(seeded, "directory", "import", str(QUIRKS), "--replace").returncode == 0
    result = hub(seeded, "search", "", "--need", "other-help", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    items = found["results"] if isinstance(found, dict) else found
    assert sorted(item["name"] for item in items) == [
        "Example Drop-in Advice",
        "Example Widget Appreciation Society",
    ]


def test_the_publishers_words_come_back_in_an_oruk1_export(seeded: Path, tmp_path: Path) -> None:
    assert hub(seeded, "directory", "import", str(QUIRKS), "--replace").returncode == 0
    out = tmp_path / "v1.json"
    assert hub(seeded, "directory", "export", str(out), "--format", "oruk1").returncode == 0
    by_name = {item["name"]: item for item in json.loads(out.read_text("utf-8"))["content"]}
    helpline = by_name["Example Young People's Helpline"]
    assert helpline["attending_access_words"] == "Self referral"
    assert helpline["description"].startswith("<p>A free, confidential helpline")
    choir = by_name["Example Choir"]
    assert (choir["attending_type"], choir["attending_access"]) == (None, None)
    assert choir["pc_metadata"]["assured_by"] == "checker@example.org"
    # Importing our own export changes nothing.
    before = folder_hashes(seeded)
    again = hub(seeded, "directory", "import", str(out))
    assert "0 added, 0 updated, 6 unchanged" in again.stdout
    assert folder_hashes(seeded) == before


def test_strict_refuses_on_any_warning_and_changes_nothing(seeded: Path) -> None:
    before = folder_hashes(seeded)
    result = hub(seeded, "directory", "import", str(QUIRKS), "--replace", "--strict")
    assert result.returncode == 1
    *warnings, last = result.stderr.splitlines()
    assert len(warnings) == 3 and all(line.startswith("warning: ") for line in warnings)
    assert last == "error: 3 warnings above and --strict given; nothing was changed"
    assert folder_hashes(seeded) == before


def test_strict_accepts_a_clean_feed(seeded: Path) -> None:
    result = hub(seeded, "directory", "import", *map(str, PAGES[:1]), "--strict", "--partial")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_the_pages_of_a_feed_import_as_one_directory(seeded: Path) -> None:
    result = hub(seeded, "directory", "import", *map(str, PAGES), "--replace")
    assert result.returncode == 0, result.stderr
    assert "Imported 3 files (HSDS 3.0 / ORUK v3): 5 added" in result.stdout
    assert names(seeded) == [
        "Paged Debt Advice",
        "Paged Food Bank",
        "Paged Housing Clinic",
        "Paged Lunch Club",
        "Paged Memory Cafe",
    ]


def test_replace_with_a_missing_page_is_refused_naming_it(seeded: Path) -> None:
    before = folder_hashes(seeded)
    result = hub(seeded, "directory", "import", str(PAGES[0]), str(PAGES[2]), "--replace")
    assert result.returncode == 1
    [line] = [line for line in result.stderr.splitlines() if not line.startswith("warning: ")]
    assert line == (
        f"error: the feed has 3 pages and page 2 was not given (given: {PAGES[0]} (page 1), "
        f"{PAGES[2]} (page 3)); --replace would drop every service on the missing pages. Give "
        "every page's file, or add --partial to import only these; nothing was changed"
    )
    assert folder_hashes(seeded) == before


def test_partial_accepts_the_pages_given(seeded: Path) -> None:
    result = hub(seeded, "directory", "import", str(PAGES[0]), "--replace", "--partial")
    assert result.returncode == 0, result.stderr
    assert names(seeded) == ["Paged Food Bank", "Paged Lunch Club"]


def test_without_replace_a_missing_page_is_a_warning(seeded: Path) -> None:
    result = hub(seeded, "directory", "import", str(PAGES[0]))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"warning: {PAGES[0]}: the feed has 3 pages and pages 2, 3 were not given (given: "
        f"{PAGES[0]} (page 1)); imported the pages given"
    ]
    strict = hub(seeded, "directory", "import", str(PAGES[0]), "--strict")
    assert strict.returncode == 1 and "--strict given; nothing was changed" in strict.stderr


def test_a_file_that_is_not_a_directory_refuses_them_all(seeded: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": ', encoding="utf-8")
    before = folder_hashes(seeded)
    result = hub(seeded, "directory", "import", *map(str, PAGES), str(bad), "--replace")
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {bad} is not JSON")
    assert result.stderr.count("\n") == 1
    assert folder_hashes(seeded) == before
