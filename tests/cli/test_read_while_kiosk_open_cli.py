"""Commands work while the kiosk has the data folder open: reading ones change nothing
(issue 13, item 7), writing ones save beside it and the kiosk sees what they saved (issue 16,
item 1). A store opened only to read refuses every write with one clear line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hub.config import load_settings
from hub.hub_identity import hub_info, setup_hub
from hub.storage import HubStore, ReadOnlyFolder
from tests.cli.test_directory_cli import hub, ok
from tests.factories import make_referral
from tests.folder_files import folder_hashes


def test_reports_lists_and_search_work_while_the_kiosk_has_the_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ok(data, "directory", "list")  # a first use: seeds the sample
    with HubStore.open(data) as kiosk:  # the kiosk has the folder open from here on
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

        assert folder_hashes(data) == before, "reading changed the kiosk's folder"

        # A command that writes saves beside the open kiosk, which sees it on its next read.
        assert load_settings(kiosk).area is None
        saved = hub(data, "setup", "--area", "Harlesden")
        assert saved.returncode == 0, saved.stderr
        assert load_settings(kiosk).area == "Harlesden"
        kiosk.save_referral(make_referral(hub_id=info.id))  # and the kiosk still saves
    with HubStore.open(data) as later:
        assert load_settings(later).area == "Harlesden"
        assert len(later.referrals()) == 2


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
    # Opened to read, a store stays read-only even when nobody else has the folder open.
    with HubStore.open(data, read_only=True) as alone:
        assert alone.read_only
        try:
            alone.set_meta("area", "Harlesden")
        except ReadOnlyFolder as exc:
            assert "only read" in str(exc)
        else:
            raise AssertionError("a read-only store took a write")
