"""A sync import checks its bundles before it takes the folder's lock (issue 16).

A big bundle takes seconds to check; other processes (a kiosk saving a referral) must not
wait behind that. The lock is taken only to commit, after checking that nothing was saved
meanwhile; if something was, the merge is decided again against what is saved now, so a
newer copy saved during the checks is never overwritten by the bundle's older one.
"""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub.models import Referral
from hub.storage import FolderBusy, HubStore
from hub.sync import checks, merge
from hub.sync.merge import import_bundles
from tests.bundles import trusted_bundle

NOW = datetime.now(UTC).replace(microsecond=0)
_fork = multiprocessing.get_context("fork")


def _save_newer_copy(root: Path, referral: dict[str, Any]) -> None:
    """Another process saves a newer copy of a referral, waiting at most a second."""
    try:
        with HubStore.open(root, lock_timeout=1.0) as store:
            store.save_referral(Referral.model_validate(referral))
    except FolderBusy:
        raise SystemExit(3) from None


def test_other_processes_save_while_a_bundle_is_checked_and_nothing_is_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "data"
    bundle, sent = trusted_bundle(tmp_path, root, referrals=3, now=NOW)
    newer = sent[0].model_dump(mode="json") | {
        "outcome": "attended",
        "updated_at": (NOW + timedelta(minutes=5)).isoformat(),
    }
    real_check = checks.check_file
    exit_codes: list[int | None] = []

    def check_then_someone_saves(*args: Any, **kwargs: Any) -> Any:
        checked = real_check(*args, **kwargs)
        if not exit_codes:  # once: a kiosk saves while the import is still checking
            saver = _fork.Process(target=_save_newer_copy, args=(root, newer))
            saver.start()
            saver.join(30)
            exit_codes.append(saver.exitcode)
        return checked

    monkeypatch.setattr(merge, "check_file", check_then_someone_saves)
    with HubStore.open(root) as store:
        summaries = import_bundles(store, [bundle], now=NOW)
        assert exit_codes == [0], "a save waited behind the bundle's checks and gave up"
        stored = {r.id: r for r in store.referrals()}
    assert set(stored) == {r.id for r in sent}
    # Decided again against what was saved meanwhile: the newer copy stands.
    assert stored[sent[0].id].outcome == "attended"
    assert summaries[0].referrals.added == 2
