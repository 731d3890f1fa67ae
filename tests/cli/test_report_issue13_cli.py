"""`hub report` as a coordinator uses it, and `hub referrals list` at 80 columns (issue 13).

Real data folders in tmp_path, the real command as a subprocess.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hub.hub_identity import setup_hub
from hub.models import Service
from hub.storage import HubStore
from hub.unmet import log_empty_need, log_nothing_suitable, log_unmet_search
from tests.cli.runner import hub
from tests.referral_forms import record

FOOD = Service(id=str(uuid.uuid4()), name="Harlesden Community Food Bank Tuesday", needs=["food"])
CAFE = Service(id=str(uuid.uuid4()), name="Church End Memory Café", needs=["memory"])


def _seed(data: Path, days: list[date]) -> str:
    """Record a referral on each day (at noon): food, then memory, alternately."""
    with HubStore.open(data) as store:
        info = setup_hub(store, "Church End Library")
        store.save_services([FOOD, CAFE])
        for number, day in enumerate(days):
            service = FOOD if number % 2 == 0 else CAFE
            record(
                store,
                hub_id=info.id,
                staff_id=str(uuid.uuid4()),
                service=service,
                needs=service.needs,
                method="signposted",
                now=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
            )
        return info.id


def test_month_and_last_month(tmp_path: Path) -> None:
    today = datetime.now(UTC).date()
    first_this = today.replace(day=1)
    last_of_previous = first_this - timedelta(days=1)
    _seed(tmp_path, [last_of_previous, last_of_previous.replace(day=1), today])
    result = hub(tmp_path, "report", "--last-month", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["since"] == last_of_previous.replace(day=1).isoformat()
    assert document["until"] == last_of_previous.isoformat()
    assert document["total_referrals"] == 2

    month = last_of_previous.strftime("%Y-%m")
    result = hub(tmp_path, "report", "--month", month, "--format", "json")
    assert json.loads(result.stdout)["total_referrals"] == 2
    result = hub(tmp_path, "report", "--month", today.strftime("%Y-%m"), "--format", "json")
    assert json.loads(result.stdout)["total_referrals"] == 1

    bad = hub(tmp_path, "report", "--month", "2026-13")
    assert bad.returncode == 2 and "use YYYY-MM, like 2026-11" in bad.stderr
    both = hub(tmp_path, "report", "--month", month, "--since", "2026-01-01")
    assert both.returncode == 1
    assert both.stderr.startswith("error: give --month or --last-month, or --since/--until")


def test_by_need_and_hub_cross_table(tmp_path: Path) -> None:
    _seed(tmp_path, [date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)])
    result = hub(tmp_path, "report", "--by", "need,hub", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "need_id,need,Church End Library,total"
    assert sorted(lines[1:]) == ["food,Food,2,2", "memory,Memory and dementia,1,1"]
    table = hub(tmp_path, "report", "--by", "need,hub", "--month", "2026-11", wide=True)
    assert "Referrals by need and hub, 2026-11-01 to 2026-11-30" in table.stdout
    bad = hub(tmp_path, "report", "--by", "need,need")
    assert bad.returncode == 2 and "two different groupings" in bad.stderr


def test_unmet_needs_are_one_section_grouped_by_need(tmp_path: Path) -> None:
    _seed(tmp_path, [date(2026, 11, 2)])
    day = date(2026, 11, 10)
    with HubStore.open(tmp_path) as store:
        log_unmet_search(store, "food bank open sunday", day)
        log_unmet_search(store, "hot meals sunday", day)
        log_empty_need(store, "food", day)
        log_nothing_suitable(store, "food", day)
        log_unmet_search(store, "zorbing lessons", day)
    for by in ("need", "need,hub", "week"):
        result = hub(tmp_path, "report", "--by", by, "--month", "2026-11", wide=True)
        assert result.returncode == 0, result.stderr
        out = result.stdout
        # One section, after the referrals, whatever they are grouped by.
        assert out.count("Unmet needs") == 1
        assert "Searches that found nothing" not in out
        assert "“food bank open sunday”" in out and "“zorbing lessons”" in out
    document = json.loads(hub(tmp_path, "report", "--format", "json").stdout)
    unmet = {row["label"]: row for row in document["unmet_needs"]}
    assert unmet["Food"]["count"] == 4
    assert (
        unmet["Food"]["searches"],
        unmet["Food"]["empty_lists"],
        unmet["Food"]["nothing_suitable"],
    ) == (2, 1, 1)
    assert sorted(unmet["Food"]["words"]) == ["food bank open sunday", "hot meals sunday"]
    assert unmet["zorbing lessons"]["need_id"] is None


def test_referrals_list_keeps_service_and_needs_at_80_columns(tmp_path: Path) -> None:
    _seed(tmp_path, [date(2026, 11, 2), date(2026, 11, 3)])
    result = hub(tmp_path, "referrals", "list", env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    text = result.stdout
    assert "Service" in text and "Needs" in text
    # The names wrap (every word is there), none is dropped or cut.
    for word in FOOD.name.split():
        assert word in text
    assert "food" in text and "memory" in text


def test_report_need_keeps_to_one_need_and_a_wrong_id_lists_them(tmp_path: Path) -> None:
    _seed(tmp_path, [date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)])
    with HubStore.open(tmp_path) as store:
        log_nothing_suitable(store, "food", date(2026, 11, 5))
        log_nothing_suitable(store, "housing", date(2026, 11, 5))
    result = hub(tmp_path, "report", "--need", "food", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["need"] == "food" and document["total_referrals"] == 2
    assert [row["need_id"] for row in document["unmet_needs"]] == ["food"]
    bad = hub(tmp_path, "report", "--need", "fod")
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.startswith("error: there is no need 'fod'; use one of: memory,")
    assert "food" in bad.stderr and "housing" in bad.stderr
