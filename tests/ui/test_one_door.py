"""The UI's one door to the data: saves run off the UI thread, through the Hub's writer.

The referral, the visitor's "Something wrong?" note, a staff row's action, a service
edit, a search that found nothing and the lock's audit line are saved in threads
(screens.saving); the screen that asked hears the outcome, a second press while a save
is held saves nothing more, and nothing is shown once staff mode has locked.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from hub.audit import STAFF_LOCK, audit_entries
from hub.kiosk_service import Hub
from hub.models import HubInfo
from hub.storage import HubStore
from hub.suggestions import open_suggestions
from hub.unmet import unmet_searches
from screens.app import HubApp
from screens.home import HomeScreen
from screens.service_card import ServiceCardScreen
from screens.something_wrong import SomethingWrongScreen
from screens.staff.staff_home import StaffHomeScreen
from tests.ui.conftest import settle as settle_typing
from tests.ui.conftest import workers_done
from tests.ui.test_staff_mode import (
    SIZE,
    hub,  # noqa: F401  (the fixture: a hub with one staff member)
    open_cafe_card,
    open_cafe_referral_form,
    unlock,
)
from tests.ui.test_staff_mode import _edit_service as edit_service


class Gate:
    """Wraps a Hub write: notes which thread ran it, and can hold it until released."""

    def __init__(self, target: Any) -> None:
        self.target = target
        self.threads: list[threading.Thread] = []
        self.started = threading.Event()
        self.release = threading.Event()
        self.release.set()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.threads.append(threading.current_thread())
        self.started.set()
        self.release.wait(timeout=30)
        return self.target(*args, **kwargs)

    def hold(self) -> None:
        """Hold the next write until `let_go`."""
        self.release.clear()

    async def let_go(self, pilot: Pilot[None]) -> None:
        """Let the held write through and wait until the app has heard its answer."""
        self.release.set()
        await workers_done(pilot.app)
        await pilot.pause()

    @property
    def ran_off_the_ui_thread(self) -> bool:
        """True when the write ran, and never on the UI (main) thread."""
        return bool(self.threads) and threading.main_thread() not in self.threads


def gate_on(app: HubApp, method: str) -> Gate:
    """Return the gate the app's Hub `method` (a write) now goes through."""
    gate = Gate(getattr(app.hub, method))
    setattr(app.hub, method, gate)
    return gate


@pytest.fixture
def referral_gate(app: HubApp) -> Gate:
    """Return the gate the app's referral saves now go through."""
    return gate_on(app, "record_referral")


async def started(pilot: Pilot[None], gate: Gate) -> None:
    """Wait, letting the app run, until the held write has begun in its worker."""
    for _ in range(3000):
        if gate.started.is_set():
            return
        await pilot.pause(0.01)
    raise AssertionError("the save never started")


async def test_the_visitor_note_is_saved_off_the_ui_thread(app: HubApp, store: HubStore) -> None:
    gate = gate_on(app, "leave_suggestion")
    async with app.run_test(size=SIZE) as pilot:
        cafe = await open_cafe_card(pilot)
        await pilot.click("#something-wrong")
        await pilot.pause()
        assert isinstance(app.screen, SomethingWrongScreen)
        gate.hold()
        await pilot.press(*"They meet on Thursdays now", "enter")
        await started(pilot, gate)
        # The save is held in its worker, and the kiosk still answers keys meanwhile.
        await pilot.press("enter")  # a second send while the first saves: ignored
        await pilot.pause()
        assert isinstance(app.screen, SomethingWrongScreen)
        await gate.let_go(pilot)
        assert isinstance(app.screen, ServiceCardScreen)
    assert gate.ran_off_the_ui_thread
    assert [(n.service_id, n.text) for n in open_suggestions(store)] == [
        (cafe.id, "They meet on Thursdays now")
    ]


async def test_the_referral_is_saved_off_the_ui_thread(
    app: HubApp,
    store: HubStore,
    hub: HubInfo,  # noqa: F811
    referral_gate: Gate,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await open_cafe_referral_form(pilot)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ServiceCardScreen)
        assert form not in app.screen_stack
    assert referral_gate.ran_off_the_ui_thread
    assert len(store.referrals()) == 1


async def test_a_referral_saving_as_staff_mode_locks_is_kept_and_shows_nothing(
    app: HubApp,
    store: HubStore,
    hub: HubInfo,  # noqa: F811
    referral_gate: Gate,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_cafe_referral_form(pilot)
        referral_gate.hold()
        await pilot.press("ctrl+s")
        await started(pilot, referral_gate)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.staff_session is None
        await referral_gate.let_go(pilot)
        # Home stays as it was: no screen popped, no "Saved: referral to ..." for visitors.
        assert isinstance(app.screen, HomeScreen)
        assert not [n for n in app._notifications if "referral" in n.message]
        assert not any("Saved" in str(s.render()) for s in app.screen.query(Static))
    assert len(store.referrals()) == 1


def test_the_app_holds_a_hub(app: HubApp) -> None:
    assert isinstance(app.hub, Hub)
    assert not hasattr(app, "store")


async def test_a_staff_row_is_saved_off_the_ui_thread_and_once(
    app: HubApp,
    store: HubStore,
    hub: HubInfo,  # noqa: F811
) -> None:
    gate = gate_on(app, "mark_checked")
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.click("#needs-checking")
        await pilot.pause()
        rows = list(app.screen.query(".check-row"))
        button = rows[0].query_one(".checked", Button)
        gate.hold()
        button.press()
        await started(pilot, gate)
        # Held in its worker: the button waits, a second press saves nothing more, and
        # the kiosk still answers keys.
        assert button.disabled
        button.press()
        await pilot.press("tab")
        await pilot.pause()
        assert rows[0].is_attached
        await gate.let_go(pilot)
        assert not rows[0].is_attached
    assert gate.ran_off_the_ui_thread and len(gate.threads) == 1


async def test_a_service_edit_is_saved_off_the_ui_thread_and_once(
    app: HubApp,
    store: HubStore,
    hub: HubInfo,  # noqa: F811
) -> None:
    gate = gate_on(app, "edit_service")
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        editor = await edit_service(pilot, "memory cafe")
        assert editor.service is not None
        service_id = editor.service.id
        editor.query_one("#service-name", Input).value = "Zebra Crossing Memory Club"
        gate.hold()
        await pilot.press("ctrl+s")
        await started(pilot, gate)
        await pilot.press("ctrl+s")  # a second save while the first is held: ignored
        await pilot.pause()
        assert app.screen is editor
        await gate.let_go(pilot)
        assert isinstance(app.screen, StaffHomeScreen)
    assert gate.ran_off_the_ui_thread and len(gate.threads) == 1
    saved = store.service(service_id)
    assert saved is not None and saved.name == "Zebra Crossing Memory Club"


async def test_a_visitors_search_that_found_nothing_is_logged_off_the_ui_thread(
    app: HubApp, store: HubStore
) -> None:
    gate = gate_on(app, "log_unmet_search")
    async with app.run_test(size=SIZE) as pilot:
        gate.hold()
        await pilot.press(*"zqzqzq")
        await settle_typing(pilot)
        await pilot.press("enter")  # stopping at words that found nothing logs them
        await started(pilot, gate)
        await pilot.press("escape")  # the kiosk answers while the line is held
        await pilot.pause()
        assert app.screen.query_one("#search", Input).value == ""
        await gate.let_go(pilot)
    assert gate.ran_off_the_ui_thread
    assert [search.text for search in unmet_searches(store)] == ["zqzqzq"]


async def test_lock_is_at_once_and_its_audit_line_is_written_off_the_ui_thread(
    app: HubApp,
    store: HubStore,
    hub: HubInfo,  # noqa: F811
) -> None:
    gate = gate_on(app, "record_lock")
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        gate.hold()
        await pilot.press("ctrl+l")
        await started(pilot, gate)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.staff_session is None
        await gate.let_go(pilot)
    assert gate.ran_off_the_ui_thread
    assert [entry.action for entry in audit_entries(store)][-1] == STAFF_LOCK
