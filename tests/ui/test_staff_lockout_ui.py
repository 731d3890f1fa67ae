"""Lockout through the real kiosk: a colleague unlocks a locked name; the kiosk-wide wait."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Button

from hub import audit
from hub.hub_identity import setup_hub
from hub.staff import KIOSK_FREE_FAILURES, LOCKED_OUT, MAX_TRIES, add_staff, find_staff, unlock
from hub.storage import HubStore
from screens.app import HubApp
from screens.staff.locked_out import LockedOutRow
from screens.staff.staff_home import StaffHomeScreen
from screens.staff_prompt import StaffPromptScreen
from tests.ui.conftest import FIXED_NOW, FakeClock, click_again, saves_done
from tests.ui.test_staff_mode import screen_text
from tests.ui.test_staff_mode import unlock as sign_in

SIZE = (80, 24)
ANA_PIN = "246810"
BEN_PIN = "135791"


def _set_up(store: HubStore) -> None:
    setup_hub(store, "Church End Library")
    add_staff(store, "Ana", ANA_PIN, FIXED_NOW)
    add_staff(store, "Ben", BEN_PIN, FIXED_NOW)


async def test_a_colleague_unlocks_a_locked_name_from_staff_home(
    app: HubApp, store: HubStore, clock: FakeClock
) -> None:
    _set_up(store)
    for i in range(MAX_TRIES):  # someone typed Ana's name with wrong PINs on purpose
        unlock(store, "Ana", "000000", FIXED_NOW + timedelta(seconds=i))
    clock.advance(30)
    assert unlock(store, "Ana", ANA_PIN, clock()).message == LOCKED_OUT
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "Ben", BEN_PIN)
        assert isinstance(app.screen, StaffHomeScreen)
        assert "Locked out (1)" in screen_text(app)
        [row] = app.screen.query(LockedOutRow)
        assert row.member.name == "Ana"
        row.query_one(".unlock-colleague", Button).press()
        await saves_done(pilot)
        assert not app.screen.query(LockedOutRow)
        await pilot.press("ctrl+l")
        await pilot.pause()
        await sign_in(pilot, "Ana", ANA_PIN)
        assert isinstance(app.screen, StaffHomeScreen)
        assert "Staff: Ana" in screen_text(app)
    ben = find_staff(store, "Ben")
    assert ben is not None
    assert (ben.id, audit.STAFF_LOCKOUT_CLEARED) in [
        (e.staff_id, e.action) for e in audit.audit_entries(store)
    ]


async def test_nobody_is_listed_as_locked_out_on_an_ordinary_day(
    app: HubApp, store: HubStore
) -> None:
    _set_up(store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "Ben", BEN_PIN)
        assert isinstance(app.screen, StaffHomeScreen)
        assert "Locked out" not in screen_text(app)


async def test_the_kiosk_wide_wait_is_shown_calmly_in_the_prompt(
    app: HubApp, store: HubStore, clock: FakeClock
) -> None:
    _set_up(store)
    for i in range(KIOSK_FREE_FAILURES - 1):  # names tried one after another
        unlock(store, f"Guess {i}", "000000", clock())
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "Somebody", "000000")
        assert isinstance(app.screen, StaffPromptScreen)
        assert "Please wait 5 seconds, then try again." in screen_text(app)
        # Even the right PIN waits its turn.
        app.screen.query_one("#staff-name").value = "Ben"  # type: ignore[attr-defined]
        app.screen.query_one("#staff-pin").value = BEN_PIN  # type: ignore[attr-defined]
        await pilot.click("#sign-in")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StaffPromptScreen)
        assert "Please wait" in screen_text(app)
        clock.advance(6)
        app.screen.query_one("#staff-pin").value = BEN_PIN  # type: ignore[attr-defined]
        await click_again(pilot, "#sign-in")  # once its last press no longer shows
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StaffHomeScreen)


async def test_unlocking_a_name_with_brackets_shows_it_as_typed(
    app: HubApp, store: HubStore, clock: FakeClock
) -> None:
    setup_hub(store, "Church End Library")
    add_staff(store, "Yak [/] Ana", ANA_PIN, FIXED_NOW)
    add_staff(store, "Ben", BEN_PIN, FIXED_NOW)
    for i in range(MAX_TRIES):
        unlock(store, "Yak [/] Ana", "000000", FIXED_NOW + timedelta(seconds=i))
    clock.advance(30)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "Ben", BEN_PIN)
        [row] = app.screen.query(LockedOutRow)
        row.query_one(".unlock-colleague", Button).press()
        await saves_done(pilot)
        # "[/]" is a markup closing tag: the notice must carry the name as plain text.
        assert app.return_code is None
        [notice] = [n for n in app._notifications if "can sign in again" in n.message]
        assert notice.message == "Yak [/] Ana can sign in again now."
        assert notice.markup is False
