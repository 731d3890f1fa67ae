"""`hub staff unlock NAME`, run as the real command in a subprocess."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub import audit
from hub.staff import LOCKED_OUT, MAX_TRIES, locked_out_staff, unlock
from hub.storage import HubStore
from tests.cli.runner import hub

PIN = "246810"


def test_a_locked_out_name_is_unlocked_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert hub(data, "staff", "add", "Ana Silva", stdin=f"{PIN}\n{PIN}\n").returncode == 0
    now = datetime.now(UTC)
    with HubStore.open(data) as store:
        for i in range(MAX_TRIES):
            unlock(store, "ana silva", "000000", now + timedelta(seconds=i))
        assert unlock(store, "Ana Silva", PIN, now + timedelta(seconds=9)).message == LOCKED_OUT

    result = hub(data, "staff", "unlock", "ANA SILVA")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Ana Silva can sign in again now.\n" and result.stderr == ""

    with HubStore.open(data) as store:
        assert locked_out_staff(store, now + timedelta(seconds=10)) == []
        assert unlock(store, "Ana Silva", PIN, now + timedelta(seconds=10)).ok
        actions = [(e.staff_id, e.action) for e in audit.audit_entries(store)]
        assert (audit.COMMAND_LINE, audit.STAFF_LOCKOUT_CLEARED) in actions

    again = hub(data, "staff", "unlock", "Ana Silva")
    assert again.returncode == 0
    assert again.stdout == "Ana Silva was not locked out; they can sign in.\n"


def test_unlocking_nobody_is_one_error_line(tmp_path: Path) -> None:
    result = hub(tmp_path / "data", "staff", "unlock", "Zed")
    assert result.returncode == 1
    assert result.stderr == "error: there is no staff member called 'Zed'; see 'hub staff list'\n"
