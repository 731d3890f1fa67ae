"""`hub setup`, `hub staff ...` and `hub referrals ...`, run as the real command in a subprocess."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub.models import Referral, Service
from hub.staff import unlock
from hub.storage import HubStore
from tests.cli.runner import hub
from tests.referral_forms import record


def test_setup_gives_an_id_once_and_again_only_renames(tmp_path: Path) -> None:
    first = hub(tmp_path, "setup", "--name", "Church End Library", "--area", "Church End")
    assert first.returncode == 0, first.stderr
    assert "Church End Library" in first.stdout and "Area: Church End" in first.stdout
    with HubStore.open(tmp_path) as store:
        hub_id = store.meta("hub_id")
        assert str(uuid.UUID(hub_id)) == hub_id

    again = hub(tmp_path, "setup", "--name", "Church End Hub", "--retention-days", "200")
    assert again.returncode == 0, again.stderr
    assert "Renamed" in again.stdout and hub_id in again.stdout
    assert "kept for 200 days" in again.stdout
    with HubStore.open(tmp_path) as store:
        assert store.meta("hub_id") == hub_id
        assert store.meta("hub_name") == "Church End Hub"
        assert store.meta("retention_days") == 200


def test_setup_mistakes_are_one_error_line_and_change_nothing(tmp_path: Path) -> None:
    no_name = hub(tmp_path, "setup")
    assert no_name.returncode == 1
    assert no_name.stderr.startswith("error: give this hub a name")
    bad_days = hub(tmp_path, "setup", "--name", "Church End Library", "--retention-days", "0")
    assert bad_days.returncode == 1
    assert bad_days.stderr.count("\n") == 1 and bad_days.stderr.startswith("error: ")
    assert "Traceback" not in bad_days.stderr
    with HubStore.open(tmp_path) as store:
        assert store.meta("hub_id") is None and store.meta("retention_days") is None
    not_a_number = hub(tmp_path, "setup", "--retention-days", "many")
    assert not_a_number.returncode == 2


def test_staff_add_reads_the_pin_twice_from_stdin_and_it_unlocks(tmp_path: Path) -> None:
    added = hub(tmp_path, "staff", "add", "Ana Silva", stdin="246810\n246810\n")
    assert added.returncode == 0, added.stderr
    assert "Added Ana Silva" in added.stdout
    assert "246810" not in added.stdout + added.stderr
    now = datetime.now(UTC)
    with HubStore.open(tmp_path) as store:
        assert unlock(store, "ana silva", "246810", now).ok
        assert not unlock(store, "ana silva", "246811", now).ok


def test_staff_add_refuses_mismatched_short_or_missing_pins(tmp_path: Path) -> None:
    cases = {
        "246810\n135791\n": "error: the two PINs were not the same; nothing was saved\n",
        "1234\n1234\n": "error: a PIN is 6 to 12 digits, numbers only; nothing was saved\n",
        "246810\n": "error: give the PIN twice, on two lines of input; nothing was saved\n",
    }
    for stdin, message in cases.items():
        result = hub(tmp_path, "staff", "add", "Ana", stdin=stdin)
        assert (result.returncode, result.stderr) == (1, message)
    assert hub(tmp_path, "staff", "list").stdout.startswith("No staff yet.")


def test_staff_list_shows_names_and_dates_never_hashes(tmp_path: Path) -> None:
    for name in ("Bo", "Ana Silva"):
        assert hub(tmp_path, "staff", "add", name, stdin="246810\n246810\n").returncode == 0
    duplicate = hub(tmp_path, "staff", "add", "ana silva", stdin="135791\n135791\n")
    assert duplicate.returncode == 1
    assert duplicate.stderr == "error: there is already a staff member called 'ana silva'\n"

    listed = hub(tmp_path, "staff", "list")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["Ana Silva", "Bo"]
    assert all("\tadded " in line for line in lines)
    assert "scrypt" not in listed.stdout and "246810" not in listed.stdout


def test_staff_remove(tmp_path: Path) -> None:
    hub(tmp_path, "staff", "add", "Ana", stdin="246810\n246810\n")
    removed = hub(tmp_path, "staff", "remove", "ANA")
    assert removed.returncode == 0 and "Removed Ana" in removed.stdout
    assert hub(tmp_path, "staff", "list").stdout.startswith("No staff yet.")
    again = hub(tmp_path, "staff", "remove", "Ana")
    assert again.returncode == 1
    assert again.stderr == "error: there is no staff member called 'Ana'; see 'hub staff list'\n"


def _seed_referrals(data: Path) -> list[Referral]:
    """Return two referrals recorded in `data`: one 40 days ago, one an hour ago."""
    cafe = Service(id=str(uuid.uuid4()), name="Church End Memory Café", needs=["memory"])
    now = datetime.now(UTC)
    with HubStore.open(data) as store:
        store.save_services([cafe])
        return [
            record(
                store,
                hub_id=str(uuid.uuid4()),
                staff_id=str(uuid.uuid4()),
                service=cafe,
                needs=["memory"],
                method="signposted",
                postcode_district="NW10",
                consent_to_follow_up=True,
                contact="07700 900123",
                notes="Prefers mornings",
                now=when,
            )
            for when in (now - timedelta(days=40), now - timedelta(hours=1))
        ]


def test_referrals_list_json_is_the_contract(tmp_path: Path) -> None:
    seeded = _seed_referrals(tmp_path)
    result = hub(tmp_path, "referrals", "list", "--json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert items == [r.model_dump(mode="json") for r in seeded]
    assert [Referral.model_validate(item) for item in items] == seeded

    since = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
    recent = json.loads(hub(tmp_path, "referrals", "list", "--since", since, "--json").stdout)
    assert [item["id"] for item in recent] == [seeded[1].id]


def test_referrals_list_table_and_a_bad_date(tmp_path: Path) -> None:
    assert hub(tmp_path, "referrals", "list").stdout == "No referrals.\n"
    _seed_referrals(tmp_path)
    table = hub(tmp_path, "referrals", "list")
    assert table.returncode == 0
    assert "2 referrals" in table.stdout and "Signposted" in table.stdout
    # The table is on an open screen: contact details and notes stay out of it.
    assert "07700" not in table.stdout and "Prefers mornings" not in table.stdout
    bad = hub(tmp_path, "referrals", "list", "--since", "26/11/2026")
    # A malformed date is a usage error, the same for every command (hub.cli_common).
    assert bad.returncode == 2
    assert bad.stderr.splitlines()[-1] == (
        "error: argument --since: '26/11/2026' is not a date: use YYYY-MM-DD, like 2026-11-26 "
        "(see 'hub referrals list --help')"
    )


def test_referrals_purge_uses_the_retention_setting(tmp_path: Path) -> None:
    _seed_referrals(tmp_path)
    kept_all = hub(tmp_path, "referrals", "purge")
    assert kept_all.stdout == "Removed 0 referrals recorded more than 365 days ago.\n"
    hub(tmp_path, "setup", "--name", "Church End Library", "--retention-days", "30")
    purged = hub(tmp_path, "referrals", "purge")
    assert purged.returncode == 0, purged.stderr
    assert purged.stdout == "Removed 1 referral recorded more than 30 days ago.\n"
    assert len(json.loads(hub(tmp_path, "referrals", "list", "--json").stdout)) == 1
