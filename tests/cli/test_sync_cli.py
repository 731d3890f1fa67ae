"""`hub sync export|import` and `hub report`, run as the real command in a subprocess."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub.directory_edits import retire_service
from hub.hub_identity import setup_hub
from hub.storage import HubStore
from hub.unmet import log_unmet_search
from tests.factories import make_referral, make_service


def hub(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `hub --data-dir DATA ARGS...` and return what it printed and its exit status."""
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def fingerprint(root: Path) -> dict[str, str]:
    """Return every file under root with the SHA-256 of its bytes."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def seed_hub(folder: Path, name: str) -> str:
    """Set up a hub with three referrals, a retired service and an unmet search; return its id."""
    now = datetime.now(UTC)
    with HubStore.open(folder) as store:
        info = setup_hub(store, name)
        cafe = make_service(name="Memory Café", last_modified=now - timedelta(days=20))
        club = make_service(
            name="Lunch Club", needs=["food"], last_modified=now - timedelta(days=20)
        )
        store.save_services([cafe, club])
        retire_service(store, club.id, "staff-1", now)
        store.save_referrals(
            [
                make_referral(hub_id=info.id, now=now - timedelta(days=3), service_id=cafe.id),
                make_referral(
                    hub_id=info.id,
                    now=now - timedelta(days=2),
                    service_id=cafe.id,
                    needs=["food"],
                    outcome="attended",
                ),
                make_referral(
                    hub_id=info.id,
                    now=now - timedelta(days=1),
                    consent_to_follow_up=True,
                    contact="07700 900123",
                ),
            ]
        )
        log_unmet_search(store, "Sign language class", now.date() - timedelta(days=1))
        return info.id


def test_export_import_and_report_from_the_command_line(tmp_path: Path) -> None:
    hub_folder, coordinator = tmp_path / "church-end", tmp_path / "coordinator"
    seed_hub(hub_folder, "Church End Library")
    bundle = tmp_path / "usb" / "church-end.json"
    bundle.parent.mkdir()

    exported = hub(hub_folder, "sync", "export", str(bundle), "--redact")
    assert exported.returncode == 0, exported.stderr
    assert f"Wrote {bundle}" in exported.stdout
    assert "3 referrals (contact details and notes left out)" in exported.stdout
    assert "1 service changed at this hub (1 retired)" in exported.stdout
    assert "07700 900123" not in bundle.read_text(encoding="utf-8")

    imported = hub(coordinator, "sync", "import", str(bundle))
    assert imported.returncode == 0, imported.stderr
    assert f"{bundle}: from Church End Library" in imported.stdout
    assert "referrals: 3 added, 0 updated, 0 unchanged" in imported.stdout
    assert "services: 1 added, 0 updated, 0 unchanged" in imported.stdout

    before = fingerprint(coordinator)
    again = hub(coordinator, "sync", "import", str(bundle), str(bundle))
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("referrals: 0 added, 0 updated, 3 unchanged") == 2
    assert "No new or changed records" in again.stdout
    assert fingerprint(coordinator) == before

    table = hub(coordinator, "report", "--by", "hub")
    assert table.returncode == 0, table.stderr
    assert "Church End Library" in table.stdout
    assert "Searches that found nothing" in table.stdout
    assert "sign language class" in table.stdout
    assert "Services that need checking" in table.stdout

    as_csv = hub(coordinator, "report", "--by", "need", "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    assert not as_csv.stdout.startswith("\ufeff")  # plain UTF-8, no byte-order mark
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert list(rows[0]) == ["need_id", "need", "referrals", "outcome_known", "attended"]
    by_need = {row["need_id"]: row for row in rows}
    assert by_need["memory"]["referrals"] == "2"
    assert by_need["food"]["attended"] == "1"

    weekly = hub(coordinator, "report", "--by", "week", "--format", "csv")
    week_rows = list(csv.DictReader(io.StringIO(weekly.stdout)))
    assert sum(int(row["referrals"]) for row in week_rows) == 3
    for row in week_rows:
        assert datetime.fromisoformat(row["week_starting"]).weekday() == 0  # ISO date, a Monday

    as_json = hub(coordinator, "report", "--by", "outcome", "--format", "json")
    document = json.loads(as_json.stdout)
    assert document["total_referrals"] == 3
    outcomes = {row["key"]: row["referrals"] for row in document["rows"]}
    assert outcomes["attended"] == 1 and outcomes["unknown"] == 2
    assert document["unmet_searches"][0]["text"] == "sign language class"


def test_a_bad_file_gets_one_error_line_and_changes_nothing(tmp_path: Path) -> None:
    hub_folder, coordinator = tmp_path / "church-end", tmp_path / "coordinator"
    seed_hub(hub_folder, "Church End Library")
    good = tmp_path / "good.json"
    assert hub(hub_folder, "sync", "export", str(good)).returncode == 0
    assert hub(coordinator, "sync", "import", str(good)).returncode == 0
    before = fingerprint(coordinator)

    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(good.read_bytes()[:1000])
    edited = tmp_path / "edited.json"
    document = json.loads(good.read_text(encoding="utf-8"))
    document["referrals"][0]["outcome"] = "attended"
    edited.write_text(json.dumps(document), encoding="utf-8")

    result = hub(coordinator, "sync", "import", str(good), str(truncated), str(edited))
    assert result.returncode == 1
    # One `error:` line that sums up, first; each bad file's problem indented beneath it.
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "error: nothing was imported: 2 of 3 files are not usable; fix or leave out those "
        "files (below) and run the import again"
    )
    assert lines[1:] == [
        f"  {truncated}: is cut short: the JSON stops at line "
        + lines[1].split("stops at line ")[1],
        f"  {edited}: checksum does not match: the file was changed or damaged after it "
        "was exported; export it again at the hub",
    ]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert fingerprint(coordinator) == before


def test_export_before_setup_says_what_to_do(tmp_path: Path) -> None:
    result = hub(tmp_path / "new-hub", "sync", "export", str(tmp_path / "bundle.json"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: this hub has no id yet: run `hub setup --name")
    assert not (tmp_path / "bundle.json").exists()


def test_report_dates_are_checked(tmp_path: Path) -> None:
    backwards = hub(tmp_path, "report", "--since", "2026-11-30", "--until", "2026-11-01")
    assert backwards.returncode == 1
    assert backwards.stderr.startswith("error: --until is before --since")
    not_a_date = hub(tmp_path, "report", "--since", "last tuesday")
    assert not_a_date.returncode == 2
    assert "'last tuesday' is not a date: use YYYY-MM-DD, like 2026-11-26" in not_a_date.stderr
