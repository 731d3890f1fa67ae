"""`hub search`, run as the real command in a subprocess on a fresh data folder.

A brand-new folder is filled with the bundled sample directory on first use, so these
searches run over the same 50-odd fictional Brent services as the quality table.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from hub.storage import HubStore
from hub.unmet import unmet_searches


def hub(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `hub --data-dir DATA ARGS...` and return what happened."""
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def search_json(data: Path, *args: str) -> list[dict[str, Any]]:
    """Run `hub search ARGS... --json` and return the parsed array."""
    done = hub(data, "search", *args, "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    found = json.loads(done.stdout)
    assert isinstance(found, list)
    return found


def test_councelling_puts_counselling_services_first(tmp_path: Path) -> None:
    found = search_json(tmp_path, "councelling")
    assert found, "the sample has counselling services"
    for item in found[:2]:
        assert "Counselling" in item["name"]
        assert "feeling-low" in item["needs"]
    for item in found:
        assert {"id", "name", "score", "needs", "next_open", "when", "area"} <= set(item)
        assert isinstance(item["score"], float) and isinstance(item["needs"], list)
        if item["next_open"] is not None:
            assert datetime.fromisoformat(item["next_open"]).utcoffset() is not None
        assert item["when"]
    scores = [item["score"] for item in found]
    assert scores == sorted(scores, reverse=True)


def test_cant_pay_rent_puts_money_and_housing_help_first(tmp_path: Path) -> None:
    found = search_json(tmp_path, "cant pay rent")
    assert len(found) >= 3
    for item in found[:3]:
        assert {"money", "housing"} & set(item["needs"]), item["name"]
    assert {"money", "housing"} <= set(found[0]["needs"])
    assert set(found[0]["matched_needs"]) == {"money", "housing"}


def test_without_json_a_readable_table(tmp_path: Path) -> None:
    done = hub(tmp_path, "search", "dementia")
    assert done.returncode == 0, done.stderr
    assert "Alperton Dementia Carers' Circle" in done.stdout
    assert "found for 'dementia'" in done.stdout
    nothing = hub(tmp_path, "search", "zzzqqqxxx")
    assert nothing.returncode == 0
    assert "Nothing found for 'zzzqqqxxx'" in nothing.stdout


def test_search_that_finds_nothing_is_logged_as_words_and_day_only(tmp_path: Path) -> None:
    assert search_json(tmp_path, "Ukulele  Orchestra") == []
    assert search_json(tmp_path, "ukulele orchestra") == []
    assert search_json(tmp_path, "ab") == []  # too short to be a search: not logged
    assert search_json(tmp_path, "?!") == []
    with HubStore.open(tmp_path) as store:
        logged = unmet_searches(store)
    assert [(entry.text, entry.count) for entry in logged] == [("ukulele orchestra", 2)]


def test_need_filter_and_browse(tmp_path: Path) -> None:
    money = search_json(tmp_path, "advice", "--need", "money")
    assert money and all("money" in item["needs"] for item in money)
    browse = search_json(tmp_path, "", "--need", "memory")
    assert {item["name"] for item in browse} >= {
        "Church End Memory Café",
        "Wembley Singing for Memory",
        "Alperton Dementia Carers' Circle",
    }
    assert all("memory" in item["needs"] for item in browse)


def test_an_unknown_need_is_one_error_line_listing_the_needs(tmp_path: Path) -> None:
    done = hub(tmp_path, "search", "rent", "--need", "rentt")
    assert done.returncode == 1
    assert done.stderr.startswith("error: there is no need 'rentt'")
    assert "money" in done.stderr and "housing" in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_area_free_and_limit(tmp_path: Path) -> None:
    kilburn = search_json(tmp_path, "food", "--area", "kilburn")
    assert kilburn
    for item in kilburn:
        assert "Kilburn" in item["area"] or "Borough-wide" in item["area"]
    unknown = hub(tmp_path, "search", "food", "--area", "Atlantis")
    assert unknown.returncode == 1 and unknown.stderr.startswith("error: no service lists")
    assert "Kilburn" in unknown.stderr

    free = search_json(tmp_path, "counselling", "--free")
    with HubStore.open(tmp_path) as store:
        for item in free:
            service = store.service(item["id"])
            assert service is not None and service.cost.free is True
    assert "Wembley Low-Cost Counselling" not in {item["name"] for item in free}

    assert len(search_json(tmp_path, "food", "--limit", "2")) == 2
    assert hub(tmp_path, "search", "food", "--limit", "0").returncode == 2


def test_open_now_only_lists_services_open_now(tmp_path: Path) -> None:
    for item in search_json(tmp_path, "lunch", "--open-now"):
        assert item["open_now"] is True
        assert item["when"].startswith("Open now until")
