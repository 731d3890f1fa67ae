"""`hub search`, run as the real command in a subprocess on a fresh data folder.

A brand-new folder is filled with the bundled sample directory on first use, so these
searches run over the same 50-odd fictional Brent services as the quality table.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from hub.formats.hsds3 import hsds3_page
from hub.index_file import INDEX_FILE
from hub.kiosk_service import Hub
from hub.models import Service
from hub.storage import HubStore
from hub.unmet import unmet_searches, urgent_counts
from tests.cli.runner import hub


def search_document(data: Path, *args: str) -> dict[str, Any]:
    """Run `hub search ARGS... --json` and return the parsed object."""
    done = hub(data, "search", *args, "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    document = json.loads(done.stdout)
    assert isinstance(document, dict)
    assert set(document) == {"query", "urgent", "results"}
    assert isinstance(document["urgent"], list) and isinstance(document["results"], list)
    return document


def search_json(data: Path, *args: str) -> list[dict[str, Any]]:
    """Run `hub search ARGS... --json` and return its results, best first."""
    document = search_document(data, *args)
    assert document["urgent"] == [], "an ordinary search calls for no crisis lines"
    results: list[dict[str, Any]] = document["results"]
    return results


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


def test_searches_at_the_command_line_are_staffs_and_are_not_logged(tmp_path: Path) -> None:
    assert search_json(tmp_path, "Ukulele  Orchestra") == []
    search_json(tmp_path, "", "--need", "urgent")  # a need with no services of its own
    search_document(tmp_path, "i want to end my life")
    with HubStore.open(tmp_path) as store:
        assert unmet_searches(store) == []
        assert urgent_counts(store) == []


def test_json_is_one_object_with_the_query_urgent_lines_and_results(tmp_path: Path) -> None:
    document = search_document(tmp_path, "dementia café")
    assert document["query"] == "dementia café"
    assert document["urgent"] == []
    assert document["results"]


@pytest.mark.parametrize(
    ("query", "first_ids"),
    [
        ("i want to kill myself", ["samaritans", "shout"]),
        ("my partner hits me", ["national-domestic-abuse-helpline"]),
        ("my son is self harming", ["childline", "nspcc"]),
        ("my friend took too many pills", ["emergency-999"]),
        ("i was raped", ["rape-crisis"]),
        ("my carer takes my pension", ["hourglass"]),
    ],
)
def test_a_crisis_search_lists_the_right_urgent_lines_first(
    tmp_path: Path, query: str, first_ids: list[str]
) -> None:
    document = search_document(tmp_path, query)
    urgent = document["urgent"]
    assert [line["id"] for line in urgent[: len(first_ids)]] == first_ids
    for line in urgent:
        assert set(line) == {"id", "name", "how", "when"}
    if "emergency-999" not in first_ids:
        assert "emergency-999" not in [line["id"] for line in urgent]


def test_the_table_prints_the_urgent_lines_first_in_calm_words(tmp_path: Path) -> None:
    done = hub(tmp_path, "search", "my partner hits me")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("You don't have to face this alone.")
    assert out.index("0808 2000 247") < out.index("116 123")
    plain = hub(tmp_path, "search", "lunch club")
    assert "face this alone" not in plain.stdout and "116 123" not in plain.stdout


def test_a_hubs_own_crisis_line_is_listed_and_a_bad_file_is_one_error(tmp_path: Path) -> None:
    line = {
        "id": "brent-mash",
        "name": "Brent children's social care",
        "how": "Call 020 8937 4300",
        "when": "Monday to Friday, 9am to 5pm",
        "kinds": ["child-at-risk"],
        "source": "https://www.brent.gov.uk/",
        "checked": "2026-11-30",
    }
    local = tmp_path / "urgent.local.json"
    local.write_text(json.dumps({"lines": [line]}), encoding="utf-8")
    ids = [item["id"] for item in search_document(tmp_path, "worried about a child")["urgent"]]
    assert ids[:3] == ["childline", "nspcc", "brent-mash"]
    local.write_text(json.dumps({"lines": [{**line, "kinds": ["sadness"]}]}), encoding="utf-8")
    done = hub(tmp_path, "search", "worried about a child")
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "urgent.local.json" in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    # An ordinary search does not need the urgent lines, so it still works.
    assert search_json(tmp_path, "food")


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


def test_food_today_puts_the_meal_open_today_first_and_marks_a_summer_club(
    tmp_path: Path,
) -> None:
    """`hub search "I need food today" --json` on the real clock, whatever the day: the
    meal that runs every day and needs no referral comes before the food bank that wants
    a voucher, and a summer club whose dates are long past says it is not running now."""
    every_day = {
        "freq": "WEEKLY",
        "byday": "MO,TU,WE,TH,FR,SA,SU",
        "opens_at": "00:00",
        "closes_at": "23:59:59",
    }
    summer = every_day | {"valid_from": "2020-07-20", "valid_to": "2020-08-28"}

    def service(name: str, description: str, **fields: Any) -> Service:
        return Service.model_validate(
            {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, name)), "name": name}
            | {"description": description, "needs": ["food"], "cost": {"free": True}}
            | fields
        )

    services = [
        service(
            "Town Food Bank",
            "Emergency food parcels from the food bank. Bring a food bank voucher.",
            keywords=["food bank", "food parcels"],
            attendance={"referral_needed": True},
            schedules=[every_day],
        ),
        service(
            "Community Kitchen",
            "A free hot meal for anyone who comes. Drop in.",
            attendance={"drop_in": True},
            schedules=[every_day],
        ),
        service(
            "Summer Food Club",
            "Food and fun in the summer holidays.",
            attendance={"drop_in": True},
            schedules=[summer],
        ),
    ]
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(hsds3_page(services)), encoding="utf-8")
    data = tmp_path / "data"
    imported = hub(data, "directory", "import", str(feed), "--replace")
    assert imported.returncode == 0, imported.stderr

    plain = [item["name"] for item in search_json(data, "I need food")]
    assert plain[0] == "Town Food Bank"  # its words say food, three times over
    today = search_json(data, "I need food today")
    order = [item["name"] for item in today]
    assert order.index("Community Kitchen") < order.index("Town Food Bank"), order
    by_name = {item["name"]: item for item in today}
    assert by_name["Community Kitchen"]["open_now"] is True
    assert by_name["Summer Food Club"]["not_running_now"] is True
    assert by_name["Summer Food Club"]["when"] == "Not running now"
    assert by_name["Town Food Bank"]["not_running_now"] is False
    assert order[-1] == "Summer Food Club"


def test_search_answers_the_same_beside_a_kiosks_saved_index_and_never_writes_one(
    tmp_path: Path,
) -> None:
    """A kiosk saves its search index in the data folder; `hub search` reads it when it is
    for the directory as it is (tests/unit/test_index_file.py shows a current file is
    loaded, not rebuilt), answers as it does without one, and, being a read-only command,
    never writes one itself."""
    first = hub(tmp_path, "search", "lunch club", "--json")
    assert first.returncode == 0, first.stderr
    assert not (tmp_path / INDEX_FILE).exists()
    kiosk = Hub.open(tmp_path)
    try:
        kiosk.load_directory()  # what a kiosk's start does: builds and saves the index
    finally:
        kiosk.close()
    saved = (tmp_path / INDEX_FILE).stat()
    again = hub(tmp_path, "search", "lunch club", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout)
    after = (tmp_path / INDEX_FILE).stat()
    assert (after.st_mtime_ns, after.st_size) == (saved.st_mtime_ns, saved.st_size)
