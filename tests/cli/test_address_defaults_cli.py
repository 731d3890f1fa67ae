"""A hub's address defaults (`hub setup --region/--country`) fill only what a record leaves
empty on export; by default nothing is stamped on an address (issue 12, item 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.test_directory_cli import FIXTURES, hub, ok
from tests.folder_files import folder_hashes


def _addresses(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Return every physical address in an HSDS 3.0 page."""
    return [
        address
        for service in document["contents"]
        for at in service.get("service_at_locations", [])
        for address in at.get("location", {}).get("addresses", [])
    ]


def _export(data: Path, out: Path) -> list[dict[str, Any]]:
    ok(data, "directory", "export", str(out), "--format", "hsds3")
    return _addresses(json.loads(out.read_text(encoding="utf-8")))


def test_addresses_say_the_hubs_region_and_country_only_once_it_has_set_them(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    ok(data, "setup", "--name", "Church End Library")
    # An ORUK v1 feed exported as HSDS 3.0 is built from our record, which keeps no country.
    ok(data, "directory", "import", "--replace", str(FIXTURES / "oruk_v1_feed.json"))
    before = _export(data, tmp_path / "before.json")
    assert before and {(a["state_province"], a["country"]) for a in before} == {("", "")}

    said = ok(data, "setup", "--region", "London", "--country", "gb")
    assert "Exported addresses that do not say otherwise are in: London, GB." in said
    after = _export(data, tmp_path / "after.json")
    assert {(a["state_province"], a["country"]) for a in after} == {("London", "GB")}
    # The rest of each address is untouched.
    assert [a["postal_code"] for a in after] == [a["postal_code"] for a in before]

    ok(data, "setup", "--region", "", "--country", "")
    cleared = _export(data, tmp_path / "cleared.json")
    assert {(a["state_province"], a["country"]) for a in cleared} == {("", "")}


def test_a_country_that_is_not_a_two_letter_code_is_refused_and_nothing_changes(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    ok(data, "setup", "--name", "Church End Library", "--region", "London")
    before = folder_hashes(data)
    result = hub(data, "setup", "--region", "Brent", "--country", "Great Britain")
    assert result.returncode == 1
    assert result.stderr.splitlines() == ['error: the country is its two-letter code, e.g. "GB"']
    assert folder_hashes(data) == before
