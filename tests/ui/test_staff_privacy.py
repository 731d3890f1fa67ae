"""After staff record referrals and lock, no visitor screen or key shows any trace of them.

Referrals are personal data (DESIGN.md, Privacy). This records two with distinctive
values through the real forms, proves the text collector can see them on staff home,
locks, then walks every visitor screen and binding and reads everything drawn.
"""

from __future__ import annotations

import html
import re
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Input, Static, TextArea

from hub.hub_identity import setup_hub
from hub.staff import add_staff
from hub.storage import HubStore
from screens.app import HubApp
from screens.home import HomeScreen
from screens.idle import IdleScreen
from screens.more_help import MoreHelpScreen
from screens.results import ResultsScreen
from screens.service_card import ServiceCardScreen
from screens.something_wrong import SomethingWrongScreen
from screens.staff.referral_form import ReferralFormScreen
from screens.staff.service_picker import ServicePickerScreen
from screens.staff.staff_home import StaffHomeScreen
from screens.staff_prompt import StaffPromptScreen
from screens.take_away import TakeAwayScreen
from screens.theme_choice import ThemeChoiceScreen
from screens.urgent import UrgentScreen
from screens.widgets.result_rows import ResultItem
from tests.ui.conftest import FIXED_NOW, FakeClock, idle_for, saves_done, settle

PIN = "246810"
FIRST = {"contact": "07700 900321", "notes": "Quillfeather wants mornings", "district": "SE23"}
SECOND = {"contact": "pelican@example.org", "notes": "Marmalade sandwich", "district": "EC1V"}
STAFF_WORDS = [
    "Amina",
    "Staff:",
    "Staff home",
    "Today's referrals",
    "Follow-ups due",
    "Record a referral",
    "Saved",
    "Lock (Ctrl+L)",
    "Referring to",
    "Quit kiosk",
]
FORBIDDEN = [
    *(value for record in (FIRST, SECOND) for value in record.values()),
    *STAFF_WORDS,
]


def drawn_text(app: HubApp) -> str:
    """Return everything on screen: the screenshot's glyphs plus every widget's own words.

    The screenshot catches what is drawn, dialogs over screens and toasts included; the
    widget walk also reads the screens below the top one, and boxes' values in full.
    """
    svg = app.export_screenshot()
    glyphs = html.unescape(" ".join(re.findall(r">([^<>]*)</text>", svg))).replace("\xa0", " ")
    parts = [glyphs]
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if isinstance(widget, Static):
                parts.append(str(widget.render()))
            elif isinstance(widget, Button):
                parts.append(str(widget.label))
            elif isinstance(widget, Input):
                parts.append(widget.value)
            elif isinstance(widget, TextArea):
                parts.append(widget.text)
    return "\n".join(parts)


def assert_no_trace(app: HubApp, where: str) -> None:
    """Fail, naming the screen, if any referral detail or staff words are showing."""
    text = " ".join(drawn_text(app).split()).casefold()
    found = [word for word in FORBIDDEN if " ".join(word.split()).casefold() in text]
    assert not found, f"{where} shows {found}"
    assert not any(b.id == "refer" and b.display for b in app.screen.query(Button)), where


async def _unlock(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+t")
    await pilot.pause()
    await pilot.click("#staff-name")
    await pilot.press(*"Amina", "enter", *PIN, "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _fill_and_save(pilot: Pilot[None], values: dict[str, str]) -> None:
    form = pilot.app.screen
    assert isinstance(form, ReferralFormScreen)
    form.query_one("#postcode-district", Input).value = values["district"]
    await pilot.click("#consent")
    await pilot.press(*values["contact"])
    form.query_one("#follow-up-on", Input).value = FIXED_NOW.date().isoformat()
    form.query_one("#notes", TextArea).text = values["notes"]
    await pilot.press("ctrl+s")
    await saves_done(pilot)
    assert not isinstance(pilot.app.screen, ReferralFormScreen), "the referral was not saved"


async def _open_card(pilot: Pilot[None]) -> None:
    await pilot.click("#need-memory")
    await settle(pilot)
    await pilot.click(pilot.app.screen.query(ResultItem).first())
    await pilot.pause()
    assert isinstance(pilot.app.screen, ServiceCardScreen)


async def _look_and_leave(pilot: Pilot[None], screen: type[Screen[Any]], where: str) -> None:
    """After a key or click: `screen` must open showing no referral detail; Escape leaves it."""
    await pilot.pause()
    app = pilot.app
    assert isinstance(app, HubApp)
    assert isinstance(app.screen, screen)
    assert_no_trace(app, where)
    await pilot.press("escape")
    await pilot.pause()


async def _record_two_referrals(pilot: Pilot[None]) -> None:
    app = pilot.app
    await _open_card(pilot)
    await _unlock(pilot)
    assert isinstance(app.screen, StaffHomeScreen)
    await pilot.press("escape")  # back to the card, in staff mode
    await pilot.pause()
    await pilot.click("#refer")
    await pilot.pause()
    await _fill_and_save(pilot, FIRST)
    await pilot.press("ctrl+t")  # to staff home
    await pilot.pause()
    await pilot.click("#record-referral")
    await pilot.pause()
    assert isinstance(app.screen, ServicePickerScreen)
    await pilot.press(*"food bank")
    await settle(pilot)
    await pilot.press("enter", "enter")
    await pilot.pause()
    await _fill_and_save(pilot, SECOND)


async def test_no_referral_detail_on_any_visitor_screen_after_lock(
    app: HubApp, store: HubStore, clock: FakeClock
) -> None:
    setup_hub(store, "Church End Library")
    add_staff(store, "Amina", PIN, FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _record_two_referrals(pilot)
        assert len(store.referrals()) == 2
        # The collector does see referral details when they are on screen.
        assert isinstance(app.screen, StaffHomeScreen)
        seen = drawn_text(app)
        assert FIRST["contact"] in seen and SECOND["contact"] in seen
        assert "Today's referrals (2)" in seen

        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1
        assert_no_trace(app, "home")

        await pilot.press(*"memory")
        await settle(pilot)
        assert_no_trace(app, "search results")
        await pilot.press("escape")
        await pilot.pause()

        await _open_card(pilot)
        assert_no_trace(app, "need results and card")
        await pilot.press("ctrl+s")  # the form's key does nothing for a visitor
        await saves_done(pilot)
        assert isinstance(app.screen, ServiceCardScreen)
        assert_no_trace(app, "card after ctrl+s")

        await pilot.click("#take-away")
        await _look_and_leave(pilot, TakeAwayScreen, "take away")

        await pilot.click("#something-wrong")
        await _look_and_leave(pilot, SomethingWrongScreen, "something wrong")

        await pilot.press("f1")
        await _look_and_leave(pilot, UrgentScreen, "urgent help")

        await pilot.press("escape", "escape")  # card -> results -> home
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.click("#need-memory")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert_no_trace(app, "need results")
        await pilot.press("escape")
        await pilot.pause()

        await pilot.click("#more-topics")
        await _look_and_leave(pilot, MoreHelpScreen, "more help")

        await pilot.click("#theme-switch")
        await _look_and_leave(pilot, ThemeChoiceScreen, "text and colours")

        for key in ("ctrl+l", "ctrl+s", "ctrl+q", "ctrl+p", "tab", "down", "enter"):
            await pilot.press(key)
            await pilot.pause()
            assert app.staff_session is None
            assert_no_trace(app, f"after {key}")
        app.return_home(clear=True)
        await pilot.pause()

        await pilot.press("ctrl+t")
        await _look_and_leave(pilot, StaffPromptScreen, "staff prompt")

        await _open_card(pilot)
        await idle_for(pilot, clock, 121)
        assert isinstance(app.screen, IdleScreen)
        assert_no_trace(app, "are you still there")
