"""`hub report` beside a process saving nonstop counts one whole saved state (issue 16).

The writer (tests/unit/test_reports_snapshot.py) saves two referrals in two shard files
and one more "piano lessons" search in one transaction, again and again: in any saved
state the referrals are twice the searches. The real command, run as a subprocess while
it saves, must print figures that keep to that.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.runner import hub
from tests.unit.test_reports_snapshot import WORDS, writer_saving


def test_hub_report_json_beside_a_busy_writer_is_one_saved_state(tmp_path: Path) -> None:
    root = tmp_path / "data"
    totals: set[int] = set()
    with writer_saving(root):
        for _ in range(6):
            result = hub(root, "report", "--format", "json", "--by", "need,hub")
            assert result.returncode == 0, result.stderr
            document = json.loads(result.stdout)
            total = document["total_referrals"]
            searches = sum(u["count"] for u in document["unmet_searches"] if u["text"] == WORDS)
            assert total == 2 * searches, f"{total} referrals beside {searches} searches"
            assert sum(sum(row["counts"].values()) for row in document["cross"]) == total
            totals.add(total)
    assert len(totals) > 1, "the reports never saw the writer's saves"


def test_hub_report_tables_beside_a_busy_writer_agree(tmp_path: Path) -> None:
    """The tables are read in one snapshot, then printed: the total in the heading and
    the searches in the unmet table come from one state."""
    root = tmp_path / "data"
    with writer_saving(root):
        for _ in range(3):
            result = hub(root, "report", "--by", "need", wide=True)
            assert result.returncode == 0, result.stderr
            lines = result.stdout.splitlines()
            heading = next(line for line in lines if "in all" in line)
            total = int(heading.split(": ")[1].split()[0])
            searched = next(line for line in lines if f"“{WORDS}”" in line)
            searches = int(searched.split("│")[2])
            assert total == 2 * searches, f"{heading} beside {searched}"


def test_hub_referrals_list_beside_a_busy_writer_shows_whole_saves(tmp_path: Path) -> None:
    """Each save puts one referral in October's shard and one in November's: a list read
    as one saved state has as many of each."""
    root = tmp_path / "data"
    with writer_saving(root):
        for _ in range(3):
            result = hub(root, "referrals", "list", "--json")
            assert result.returncode == 0, result.stderr
            months = [item["recorded_at"][:7] for item in json.loads(result.stdout)]
            assert months and months.count("2026-10") == months.count("2026-11"), months
