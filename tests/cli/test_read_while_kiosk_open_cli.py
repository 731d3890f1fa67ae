"""Commands that only read work while the kiosk holds the data folder; writes are refused
with one clear line and change nothing (issue 13, item 7)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hub.hub_identity import hub_info, setup_hub
from hub.storage import HubStore, ReadOnlyFolder
from tests.cli.test_directory_cli import folder_hashes, hub, ok
from tests.factories import make_referral


def test_reports_lists_and_search_work_while_the_kiosk_has_the_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ok(data, "directory", "list")  # a first use: seeds the sample
    with HubStore.open(data) as kiosk:  # the kiosk holds the folder from here on
        info = setup_hub(kiosk, "Church End Library")
        kiosk.save_referral(make_referral(hub_id=info.id))
        before = folder_hashes(data)

        assert "Church End Memory Café" in ok(data, "directory", "list")
        assert "Memory" in ok(data, "search", "memory cafe")
        assert "referral" in ok(data, "report").lower()
        assert ok(data, "referrals", "list", "--json").strip().startswith("[")
        ok(data, "staff", "list")
        ok(data, "directory", "export", str(tmp_path / "directory.json"))
        assert (tmp_path / "directory.json").stat().st_size > 0

        # A command that writes is still refused while the kiosk is open, and says why.
        refused = hub(data, "setup", "--area", "Harlesden")
        assert refused.returncode == 1
        assert len(refused.stderr.splitlines()) == 1
        assert "close it first" in refused.stderr
        assert folder_hashes(data) == before, "reading changed the kiosk's folder"


def test_a_store_opened_to_read_refuses_every_write(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with HubStore.open(data) as kiosk:
        setup_hub(kiosk, "Church End Library")
        before = folder_hashes(data)
        with HubStore.open(data, read_only=True) as reader:
            assert reader.read_only
            meta = reader.collection("meta")
            assert hub_info(reader) == hub_info(kiosk) is not None
            writes: list[Callable[[], None]] = [
                lambda: reader.set_meta("area", "Harlesden"),
                lambda: reader.save_referral(make_referral()),
                lambda: meta.delete_many(list(meta.all())),
            ]
            for write in writes:
                try:
                    write()
                except ReadOnlyFolder as exc:
                    assert "only read" in str(exc)
                else:
                    raise AssertionError("a read-only store took a write")
        assert folder_hashes(data) == before
    # Once the kiosk has closed, a read-only open takes the folder as usual.
    with HubStore.open(data, read_only=True) as alone:
        assert not alone.read_only
