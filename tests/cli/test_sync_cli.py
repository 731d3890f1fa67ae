"""`hub sync export|import` and `hub report`, run as the real command in a subprocess."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub.directory_edits import retire_service
from hub.hub_identity import setup_hub
from hub.storage import HubStore
from hub.unmet import log_unmet_search
from tests.cli.runner import hub
from tests.factories import make_referral, make_service


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


def set_up_coordinator(coordinator: Path, hub_folder: Path, key_file: Path) -> None:
    """Set up a coordinator and enrol its key at the hub, as `hub sync trust --coordinator`."""
    assert hub(coordinator, "setup", "--name", "Brent coordinator").returncode == 0
    shown = hub(coordinator, "sync", "key", "--output", str(key_file))
    assert shown.returncode == 0, shown.stderr
    enrolled = hub(hub_folder, "sync", "trust", str(key_file), "--coordinator")
    assert enrolled.returncode == 0, enrolled.stderr
    assert "Enrolled the coordinator Brent coordinator" in enrolled.stdout
    fingerprint_line = next(line for line in shown.stdout.splitlines() if "fingerprint" in line)
    assert fingerprint_line.split()[-1] in enrolled.stdout  # the same to read out by phone


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

    # The coordinator has not enrolled this hub yet: refused, with the fingerprint and
    # the command to enrol it.
    unknown = hub(coordinator, "sync", "import", str(bundle))
    assert unknown.returncode == 1
    [line] = unknown.stderr.splitlines()
    assert line.startswith(f"error: {bundle}: comes from Church End Library")
    fingerprint_shown = hub(hub_folder, "sync", "key").stdout.split("fingerprint: ")[1].split()[0]
    assert f"(fingerprint {fingerprint_shown})" in line
    assert f"run: hub sync trust {bundle}" in line
    trusted = hub(coordinator, "sync", "trust", str(bundle))
    assert trusted.returncode == 0, trusted.stderr
    assert f"fingerprint: {fingerprint_shown}" in trusted.stdout

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
    assert "Unmet needs" in table.stdout  # one section: searches grouped by need
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
    set_up_coordinator(coordinator, hub_folder, tmp_path / "coordinator.key")
    good = tmp_path / "good.json"
    assert hub(hub_folder, "sync", "export", str(good)).returncode == 0
    assert hub(coordinator, "sync", "trust", str(good)).returncode == 0
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
        "was exported; copy it again, or export it again at the hub",
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


def test_contact_details_reach_the_coordinator_sealed_and_a_redacted_file_keeps_them(
    tmp_path: Path,
) -> None:
    hub_folder, coordinator = tmp_path / "church-end", tmp_path / "coordinator"
    seed_hub(hub_folder, "Church End Library")
    refused = hub(hub_folder, "sync", "export", str(tmp_path / "early.json"))
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1
    assert "hub sync trust --coordinator" in refused.stderr and "--redact" in refused.stderr
    assert not (tmp_path / "early.json").exists()

    set_up_coordinator(coordinator, hub_folder, tmp_path / "coordinator.key")
    full = tmp_path / "full.json"
    exported = hub(hub_folder, "sync", "export", str(full))
    assert exported.returncode == 0, exported.stderr
    assert "sealed for the coordinator" in exported.stdout
    assert "07700 900123" not in full.read_text(encoding="utf-8")
    assert hub(coordinator, "sync", "trust", str(full)).returncode == 0
    assert hub(coordinator, "sync", "import", str(full)).returncode == 0
    listed = json.loads(hub(coordinator, "referrals", "list", "--json").stdout)
    assert [r["contact"] for r in listed if r["contact"]] == ["07700 900123"]

    redacted = tmp_path / "redacted.json"
    assert hub(hub_folder, "sync", "export", "--all", "--redact", str(redacted)).returncode == 0
    again = hub(coordinator, "sync", "import", str(redacted))
    assert again.returncode == 0, again.stderr
    assert "referrals: 0 added, 0 updated, 3 unchanged" in again.stdout
    listed = json.loads(hub(coordinator, "referrals", "list", "--json").stdout)
    assert [r["contact"] for r in listed if r["contact"]] == ["07700 900123"]


def test_unsigned_files_need_the_flag_and_get_a_warning(tmp_path: Path) -> None:
    hub_id = "55555555-5555-4555-8555-555555555555"
    document = {
        "format": "community-hub-bundle",
        "version": 1,
        "hub": {"id": hub_id, "name": "Not yet upgraded"},
        "exported_at": "2026-11-26T14:03:00Z",
        "referrals": [make_referral(hub_id=hub_id).model_dump(mode="json")],
        "services": [],
        "suggestions": [],
        "unmet_searches": [],
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    document["sha256"] = hashlib.sha256(canonical.encode()).hexdigest()
    old = tmp_path / "old.json"
    old.write_text(json.dumps(document), encoding="utf-8")
    refused = hub(tmp_path / "coordinator", "sync", "import", str(old))
    assert refused.returncode == 1
    [line] = refused.stderr.splitlines()
    assert line.startswith("error: ") and "--accept-unsigned" in line
    taken = hub(tmp_path / "coordinator", "sync", "import", "--accept-unsigned", str(old))
    assert taken.returncode == 0, taken.stderr
    [warning] = taken.stderr.splitlines()
    assert warning.startswith(f"warning: {old}: unsigned version 1 bundle accepted")
    assert "referrals: 1 added" in taken.stdout


def test_export_paths_and_special_files_get_one_error_line(tmp_path: Path) -> None:
    hub_folder = tmp_path / "church-end"
    seed_hub(hub_folder, "Church End Library")
    earlier = tmp_path / "earlier.json"
    earlier.write_text("{}", encoding="utf-8")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    cases = [
        ([str(earlier), "--redact"], "already exists"),
        ([str(pipe), "--redact", "--force"], "is not a regular file"),
        (["/dev/null", "--redact", "--force"], "is not a regular file"),
        ([str(tmp_path), "--redact"], "is a folder"),
    ]
    for args, expected in cases:
        result = hub(hub_folder, "sync", "export", *args)
        assert result.returncode == 1, args
        [line] = result.stderr.splitlines()
        assert line.startswith("error: ") and expected in line, line
    assert earlier.read_text(encoding="utf-8") == "{}"
    forced = hub(hub_folder, "sync", "export", str(earlier), "--redact", "--force")
    assert forced.returncode == 0, forced.stderr

    for bad in (pipe, Path("/dev/zero"), tmp_path):
        result = hub(tmp_path / "coordinator", "sync", "import", str(bad))
        assert result.returncode == 1
        [line] = result.stderr.splitlines()
        assert line.startswith(f"error: {bad}: is "), line


def test_a_killed_import_leaves_all_or_nothing(tmp_path: Path) -> None:
    """kill -9 at random moments during `hub sync import` (benchmarks/sync_kill.py runs 200)."""
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "sync_kill.py"
    result = subprocess.run(
        [sys.executable, str(script), "--rounds", "20", "--referrals", "600", "--seed", "7"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "partial: 0" in result.stdout


def test_a_key_can_be_enrolled_from_the_text_hub_sync_key_prints(tmp_path: Path) -> None:
    hub_folder, coordinator = tmp_path / "church-end", tmp_path / "coordinator"
    assert hub(hub_folder, "setup", "--name", "Church End Library").returncode == 0
    shown = hub(hub_folder, "sync", "key").stdout
    key_text = shown.split("public key:")[1].split()[0]
    fingerprint_shown = shown.split("fingerprint:")[1].split()[0]
    assert len(fingerprint_shown) == 19 and fingerprint_shown.count("-") == 3

    enrolled = hub(coordinator, "sync", "trust", key_text, "--name", "Church End Library")
    assert enrolled.returncode == 0, enrolled.stderr
    assert f"fingerprint: {fingerprint_shown}" in enrolled.stdout
    listed = hub(coordinator, "sync", "trusted").stdout
    assert fingerprint_shown in listed and "Church End Library" in listed

    for bad in ("not-a-hub:AAAA", key_text[:-6]):
        result = hub(coordinator, "sync", "trust", bad)
        assert result.returncode == 1
        [line] = result.stderr.splitlines()
        assert line.startswith("error: ")
    own = hub(hub_folder, "sync", "trust", key_text)
    assert own.returncode == 1 and "this hub's own key" in own.stderr
    secret = (hub_folder / "signing.key").read_text(encoding="ascii").strip()
    assert secret not in shown
