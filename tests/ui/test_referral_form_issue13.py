"""The referral form and staff home as staff really use them (issue 13, staff part).

Real kiosk from `make_app` on a real data folder in tmp_path, at 80×24, at the fixed time
(Thursday 26 November 2026).
"""

from __future__ import annotations

from datetime import date

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from hub.hub_identity import setup_hub
from hub.models import HubInfo
from hub.referrals import MESSAGES
from hub.reports import unmet_needs
from hub.staff import add_staff, list_staff
from hub.storage import HubStore
from hub.suggestions import leave_suggestion
from screens.app import HubApp
from screens.service_card import ServiceCardScreen
from screens.staff.nothing_suitable import NothingSuitableScreen
from screens.staff.referral_form import DATE_HELP, ReferralFormScreen
from screens.staff.service_picker import ServicePickerScreen
from screens.staff.staff_home import StaffHomeScreen
from screens.staff.staff_session import ConfirmScreen
from screens.staff.suggestions_review import SuggestionRow
from screens.widgets.ticks import TickList
from tests.referral_forms import record
from tests.ui.conftest import FIXED_NOW, click_again, saves_done, settle
from tests.ui.test_staff_mode import (
    PIN,
    SIZE,
    errors_shown,
    open_cafe_referral_form,
    screen_text,
    unlock,
)


@pytest.fixture
def hub(store: HubStore) -> HubInfo:
    """Return the hub's identity, after setting it up with one staff member."""
    info = setup_hub(store, "Church End Library")
    add_staff(store, "Amina", PIN, FIXED_NOW)
    return info


async def _form(app: HubApp, pilot: Pilot[None]) -> ReferralFormScreen:
    return await open_cafe_referral_form(pilot)


def _current_form(app: HubApp) -> ReferralFormScreen:
    form = app.screen
    assert isinstance(form, ReferralFormScreen)
    return form


async def test_ticks_are_boxes_not_colours(app: HubApp, hub: HubInfo) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await _form(app, pilot)
        needs = form.query_one("#needs", TickList)
        lines = [needs.render_line(y).text for y in range(len(needs.options))]
        ticked = [line for line in lines if line.startswith("☑ ")]
        unticked = [line for line in lines if line.startswith("☐ ")]
        # Only the visitor's topic (Memory and dementia) is ticked; the rest are empty boxes.
        assert len(ticked) == 1 and "emory" in ticked[0]
        assert len(unticked) == len(lines) - 1
        consent = form.query_one("#consent", Checkbox)
        assert "☐" in str(consent.render())
        consent.value = True
        await pilot.pause()
        assert "☑" in str(consent.render())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("8/12/2026", date(2026, 12, 8)),
        ("08/12/2026", date(2026, 12, 8)),
        ("08-12-2026", date(2026, 12, 8)),
        ("tomorrow", date(2026, 11, 27)),
        ("next tuesday", date(2026, 12, 1)),
    ],
)
async def test_follow_up_dates_as_people_write_them(
    app: HubApp, store: HubStore, hub: HubInfo, typed: str, expected: date
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await _form(app, pilot)
        form.query_one("#consent", Checkbox).value = True
        await pilot.pause()
        await pilot.press(*"07700 900123")
        box = form.query_one("#follow-up-on", Input)
        box.focus()
        await pilot.press(*typed)
        await pilot.pause()
        words = str(form.query_one("#follow-up-words", Static).render())
        assert words == expected.strftime("%A %-d %B %Y")  # the year is shown
        # The whole date and the cursor fit in the box.
        assert box.content_region.width >= len("08/12/2026") + 1
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        [saved] = store.referrals()
        assert saved.follow_up_on == expected


async def test_every_mistake_is_shown_at_once(app: HubApp, store: HubStore, hub: HubInfo) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await _form(app, pilot)
        form.query_one("#postcode-district", Input).value = "HAXX"
        form.query_one("#consent", Checkbox).value = True  # ... and no contact given
        await pilot.pause()
        form.query_one("#follow-up-on", Input).value = "someday"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is form
        assert errors_shown(app) == {
            "postcode_district": MESSAGES["postcode_district"],
            "contact": MESSAGES["contact_missing"],
            "follow_up_on": DATE_HELP,
        }
        assert "Please fix the 3 things marked below." in screen_text(app)
    assert store.referrals() == []


async def test_escape_on_a_changed_form_asks_first(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _form(app, pilot)
        await pilot.press("escape")  # untouched: closes at once
        await pilot.pause()
        assert isinstance(app.screen, ServiceCardScreen)
        await click_again(pilot, "#refer")
        await pilot.pause()
        form = _current_form(app)
        form.query_one("#postcode-district", Input).value = "NW10"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # No: keep filling it in
        await pilot.pause()
        assert _current_form(app) is form
        assert form.query_one("#postcode-district", Input).value == "NW10"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert isinstance(app.screen, ServiceCardScreen)
    assert store.referrals() == []


async def test_picker_hint_down_then_enter_chooses(app: HubApp, hub: HubInfo) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.click("#record-referral")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ServicePickerScreen)
        await pilot.press(*"memory cafe")
        await settle(pilot)
        assert "Down, then Enter" in screen_text(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReferralFormScreen)
        assert "Memory Café" in app.screen.service.name


async def test_no_suitable_service_is_counted_as_unmet(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.click("#record-referral")
        await pilot.pause()
        await pilot.press(*"halal food parcels")  # staff searched; nothing fits
        await settle(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NothingSuitableScreen)
        await pilot.press("enter")  # the need the words point to is highlighted
        await saves_done(pilot)
        assert isinstance(app.screen, StaffHomeScreen)
        await click_again(pilot, "#record-referral")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("down", "enter")  # no words: from the top, the second need
        await saves_done(pilot)
    second = app.tiles[1]
    rows = unmet_needs(store)
    counted = {(row.need_id, row.label, row.count, row.nothing_suitable) for row in rows}
    assert counted == {("food", "Food", 1, 1), (second.id, second.label, 1, 1)}
    assert store.referrals() == []


async def test_staff_home_scrolls_to_visitors_notes_and_shows_the_week(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    services = [s for s in store.services() if s.is_listed][:4]
    for number, service in enumerate(services):
        leave_suggestion(store, service.id, f"The phone number is wrong {number}", date.today())
    for days in (-3, 0, 5, 9):  # overdue, today, this week, next week
        record(
            store,
            hub_id=hub.id,
            staff_id="system",
            service=services[0],
            needs=["food"],
            method="signposted",
            consent_to_follow_up=True,
            contact="07700 900555",
            follow_up_on=FIXED_NOW.date().fromordinal(FIXED_NOW.date().toordinal() + days),
            now=FIXED_NOW.replace(month=11, day=1),
        )
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        assert isinstance(app.screen, StaffHomeScreen)
        assert "Follow-ups due this week or overdue (3)" in screen_text(app)
        last = list(app.screen.query(SuggestionRow))[-1]
        height = app.screen.size.height
        assert last.region.y >= height or last.region.height == 0  # below the fold
        for _ in range(6):
            await pilot.press("pagedown")
        await pilot.pause()
        last = list(app.screen.query(SuggestionRow))[-1]
        assert last.region.y > 0 and last.region.bottom <= height


async def test_first_run_staff_key_says_how_to_add_staff_and_close(
    app: HubApp, store: HubStore
) -> None:
    assert list_staff(store) == []  # a fresh install
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        help_text = str(app.screen.query_one("#staff-setup-help", Static).render())
        assert 'hub staff add "YOUR NAME"' in help_text
        assert ". .venv/bin/activate" in help_text
        assert app.return_code is None
        await pilot.click("#close-kiosk")
        await pilot.pause()
        assert app.return_code == 0  # the kiosk closed


async def test_keyboard_only_sign_in_to_saved_referral(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    """Staff sign in and save a referral with the keyboard alone; keys counted after typing."""
    keys = 0

    async with app.run_test(size=SIZE) as pilot:

        async def press(*names: str) -> None:
            nonlocal keys
            keys += len(names)
            await pilot.press(*names)
            await pilot.pause()

        await press("ctrl+t")
        await pilot.press(*"Amina")  # typing is not counted
        await press("enter")
        await pilot.press(*PIN)
        await press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StaffHomeScreen)
        await press("enter")  # Record a referral has the keyboard
        assert isinstance(app.screen, ServicePickerScreen)
        await pilot.press(*"memory cafe")
        await settle(pilot)
        await press("down", "enter")  # the hint: Down, then Enter
        assert isinstance(app.screen, ReferralFormScreen)
        await press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StaffHomeScreen)
    [saved] = store.referrals()
    assert "Memory Café" in saved.service_name
    print(f"staff sign-in to referral saved: {keys} keys after typing")
    assert keys <= 10
