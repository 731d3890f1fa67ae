"""A full disk never crashes the kiosk: visitor and staff journeys on a data folder that is full.

Two ways to fill the disk, each test running with both:

* `tmpfs`: a real 24 MB tmpfs is mounted, the data folder made on it, and once the app
  is running a filler file takes every byte left. Needs root (and `mount`); skipped with
  the reason otherwise.
* `patched`: the storage module's own `os.write` and `os.fsync` fail with ENOSPC, the
  lowest level the hub writes at, so the same journeys run on any machine.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

import hub.durable_files
from hub.directory_file import DirectoryFile
from hub.hub_identity import setup_hub
from hub.staff import add_staff
from hub.storage import HubStore, StorageError
from hub.suggestions import open_suggestions
from hub.unmet import unmet_searches
from screens.app import HubApp, make_app
from screens.home import HomeScreen
from screens.process import NOT_SAVED
from screens.something_wrong import SomethingWrongScreen
from screens.staff.referral_form import ReferralFormScreen
from screens.staff.service_editor import ServiceEditorScreen
from screens.staff_prompt import CANNOT_SAVE, StaffPromptScreen
from screens.urgent import UrgentScreen
from tests.factories import make_referral
from tests.full_disk import FullDiskOS
from tests.ui.conftest import FIXED_NOW, FakeClock, saves_done, settle
from tests.ui.test_staff_mode import (
    PIN,
    find_food_then_send_a_note,
    open_cafe_card,
    open_cafe_referral_form,
    refer_from_card,
    screen_text,
    unlock,
)

SIZE = (80, 24)
TMPFS_SIZE = "24m"
"""Room for the sample directory (about 0.7 MB, twice with its backup) and little else."""


class FullDisk:
    """A data folder whose disk can be made full while the app is running."""

    def __init__(self, root: Path, fill: Any) -> None:
        self.root = root
        self._fill = fill
        self.full = False

    def fill(self) -> None:
        """Use up the disk: from now on every save fails with ENOSPC."""
        self._fill()
        self.full = True


def _fill_for_real(mount: Path) -> None:
    """Write a filler file until the tmpfs says there is no space left."""
    with open(mount / "filler", "wb", buffering=0) as filler:
        for chunk in (1 << 20, 1 << 12, 1):
            with contextlib.suppress(OSError):
                while True:
                    filler.write(b"\0" * chunk)
    probe = mount / "probe"
    with pytest.raises(OSError) as refused:
        probe.write_bytes(b"x" * 4096)
    assert refused.value.errno == errno.ENOSPC
    with contextlib.suppress(FileNotFoundError):
        probe.unlink()


def _full_directory_save(directory: DirectoryFile, *_args: Any, **_kwargs: Any) -> None:
    """Refuse a save of services as SQLite does when the disk is full."""
    raise StorageError(f"could not save to {directory.path}: database or disk is full")


@pytest.fixture(params=["tmpfs", "patched"])
def disk(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FullDisk]:
    """Return a data folder, on a real tmpfs or with ENOSPC patched in, not yet full."""
    if request.param == "patched":

        def fill() -> None:
            monkeypatch.setattr(hub.durable_files, "os", FullDiskOS())
            # The directory is SQLite, which writes through its own C code, not `os`: its
            # saves fail as SQLite fails on a full disk (the tmpfs variant shows it for real).
            monkeypatch.setattr(DirectoryFile, "save", _full_directory_save)

        yield FullDisk(tmp_path / "data", fill)
        return
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a tiny tmpfs needs root; the patched variant still runs")
    mount = tmp_path / "small-disk"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE},mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"could not mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield FullDisk(mount / "data", lambda: _fill_for_real(mount))
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def full_store(disk: FullDisk) -> Iterator[HubStore]:
    """Return a store on the small disk, set up with one staff member."""
    store = HubStore.open(disk.root)
    setup_hub(store, "Church End Library")
    add_staff(store, "Amina", PIN, FIXED_NOW)
    yield store
    store.close()


@pytest.fixture
def kiosk(full_store: HubStore) -> HubApp:
    """Return the kiosk on the small disk, at the fixed time."""
    return make_app(
        store=full_store, clock=FakeClock(), idle_seconds=120, idle_countdown_seconds=30
    )


def _toasts(app: HubApp) -> list[str]:
    """Return the messages showing in the corner (Textual keeps them on the app)."""
    return [notification.message for notification in app._notifications]


async def test_a_visitor_journey_on_a_full_disk(
    kiosk: HubApp, full_store: HubStore, disk: FullDisk
) -> None:
    app = kiosk
    async with app.run_test(size=SIZE) as pilot:
        disk.fill()
        # A search that finds nothing is logged on Enter: the save fails, silently.
        await pilot.click("#search")
        await pilot.press(*"xqxqxq zzqq", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "could not find anything" in screen_text(app)
        assert not _toasts(app)  # nothing the visitor needs to act on
        # The kiosk carries on: a new search finds things, topics and cards open.
        # "Something wrong?" cannot be saved: calm words that stay under the box.
        await find_food_then_send_a_note(pilot, "They meet on Thursdays now")
        assert isinstance(app.screen, SomethingWrongScreen)
        message = app.screen.query_one("#note-message", Static)
        assert str(message.render()) == NOT_SAVED
        await pilot.pause(0.5)
        assert str(message.render()) == NOT_SAVED  # still there: it does not time out
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, UrgentScreen)
        assert app.is_running and app.return_code is None
    assert app.return_code in (None, 0)
    assert unmet_searches(full_store) == []
    assert open_suggestions(full_store) == []


async def test_a_staff_journey_on_a_full_disk(
    kiosk: HubApp, full_store: HubStore, disk: FullDisk
) -> None:
    app = kiosk
    async with app.run_test(size=SIZE) as pilot:
        await open_cafe_card(pilot)
        await unlock(pilot)
        assert type(app.screen).__name__ == "StaffHomeScreen"
        disk.fill()
        # A referral that cannot be saved says so, and the form keeps what was typed.
        form = await refer_from_card(pilot)
        await pilot.press("ctrl+s")
        await saves_done(pilot)
        assert app.screen is form
        status = str(form.query_one("#form-status", Static).render())
        assert status.startswith("Not saved:")
        assert isinstance(form, ReferralFormScreen)
        # An edit to a service: the same.
        await pilot.press("escape")
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.click("#edit-directory")
        await pilot.pause()
        await pilot.press(*"memory cafe")
        await settle(pilot)
        await pilot.press("enter", "enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ServiceEditorScreen)
        editor.query_one("#service-name", Input).value = "Zebra Crossing Memory Club"
        await pilot.press("ctrl+s")
        await saves_done(pilot)
        assert app.screen is editor
        assert "Not saved" in screen_text(app)
        # "Checked today" from Needs checking: a message that stays until the next key.
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.click("#needs-checking")
        await settle(pilot)
        app.screen.query(".check-row").first().query_one(".checked", Button).press()
        await settle(pilot)
        assert any("Not saved" in toast for toast in _toasts(app))
        await pilot.pause(0.5)
        assert any("Not saved" in toast for toast in _toasts(app))
        await pilot.press("escape")
        await pilot.pause()
        assert not _toasts(app)
        # Lock: the audit line cannot be written, the kiosk locks anyway.
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.staff_session is None
        # Signing in again cannot keep count of tries: nobody is let in, calmly.
        await unlock(pilot)
        assert isinstance(app.screen, StaffPromptScreen)
        assert CANNOT_SAVE in screen_text(app)
        await unlock_again_wrong(pilot)
        assert CANNOT_SAVE in screen_text(app)
        assert app.is_running and app.staff_session is None
    assert app.return_code in (None, 0)
    assert full_store.referrals() == []
    assert all(s.name != "Zebra Crossing Memory Club" for s in full_store.services())


async def unlock_again_wrong(pilot: Pilot[None]) -> None:
    """Type a wrong PIN into the open staff prompt."""
    app = pilot.app
    assert isinstance(app.screen, StaffPromptScreen)
    app.screen.query_one("#staff-pin", Input).value = "000000"
    await pilot.click("#sign-in")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_referral_form_keeps_working_once_there_is_room_again(
    full_store: HubStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a failed save the same form saves once the disk has room (patched disk)."""
    app = make_app(store=full_store, clock=FakeClock(), idle_seconds=120)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_cafe_referral_form(pilot)
        with monkeypatch.context() as patch:
            patch.setattr(hub.durable_files, "os", FullDiskOS())
            await pilot.press("ctrl+s")
            await saves_done(pilot)
            assert app.screen is form
        await pilot.press("ctrl+s")
        await saves_done(pilot)
        assert app.screen is not form
    [saved] = full_store.referrals()
    assert uuid.UUID(saved.id)


async def test_the_kiosk_opens_on_a_full_disk_with_a_purge_due(
    full_store: HubStore, disk: FullDisk
) -> None:
    """An expired referral cannot be purged at start on a full disk: the kiosk opens anyway."""
    long_ago = FIXED_NOW - timedelta(days=800)
    full_store.save_referral(make_referral(recorded_at=long_ago, updated_at=long_ago))
    disk.fill()
    app = make_app(store=full_store, clock=FakeClock(), idle_seconds=120)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert len(full_store.referrals()) == 1  # kept until a start that can save
