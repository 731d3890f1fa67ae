"""Staff mode through the real kiosk: unlock, refer, follow up, keep the directory, lock.

Every test runs the app from `make_app` on a real data folder in tmp_path, at the fixed
time, and reads what was saved back through the app's own store (the app holds the
folder's lock, so nothing else may open it meanwhile).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.pilot import Pilot
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    OptionList,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets._select import SelectOverlay

from hub import audit, i18n
from hub.directory_edits import needs_checking
from hub.hub_identity import setup_hub
from hub.models import AGE_BAND_LABELS, HubInfo, Service
from hub.referrals import MESSAGES
from hub.staff import LOCKED_OUT, UNLOCK_FAILED, add_staff, find_staff
from hub.storage import HubStore
from hub.suggestions import COLLECTION, leave_suggestion, open_suggestions
from screens.app import HubApp, make_app
from screens.home import HomeScreen
from screens.results import ResultsScreen
from screens.service_card import ServiceCardScreen
from screens.something_wrong import SomethingWrongScreen
from screens.staff.follow_ups import FollowUpRow
from screens.staff.needs_checking import CheckRow
from screens.staff.nothing_suitable import NothingSuitableScreen
from screens.staff.referral_form import DATE_HELP, ReferralFormScreen
from screens.staff.service_editor import ServiceEditorScreen, days_help
from screens.staff.service_picker import ServiceChoice, ServicePickerScreen
from screens.staff.staff_home import StaffHomeScreen
from screens.staff.staff_session import ConfirmScreen, StaffBadge
from screens.staff.suggestions_review import SuggestionRow
from screens.staff_prompt import StaffPromptScreen
from screens.widgets.result_rows import ResultItem
from tests.referral_forms import record
from tests.ui.conftest import FIXED_NOW, FakeClock, click_again, idle_for, saves_done, settle
from tests.ui.english_left import english_left

PIN = "246810"
SIZE = (80, 24)


@pytest.fixture
def hub(store: HubStore) -> HubInfo:
    """Return the hub's identity, after setting it up with one staff member."""
    info = setup_hub(store, "Church End Library")
    add_staff(store, "Amina", PIN, FIXED_NOW)
    return info


def text_of(widget: Static) -> str:
    """Return what a Static shows, as plain text."""
    return str(widget.render())


def screen_text(app: HubApp) -> str:
    """Return every Static's words on the current screen, joined."""
    return "\n".join(text_of(s) for s in app.screen.query(Static) if s.display)


async def unlock(pilot: Pilot[None], name: str = "Amina", pin: str = PIN) -> None:
    """Open the staff prompt with the staff key and sign in."""
    await pilot.press("ctrl+t")
    await pilot.pause()
    assert isinstance(pilot.app.screen, StaffPromptScreen)
    await pilot.click("#staff-name")
    await pilot.press(*name, "enter", *pin, "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_cafe_card(pilot: Pilot[None]) -> Service:
    """Open the Memory Café's card the way a visitor does; return the service."""
    await pilot.click("#need-memory")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ResultsScreen)
    cafe = next(i for i in pilot.app.screen.query(ResultItem) if "Memory Café" in i.service_name)
    await pilot.click(cafe)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ServiceCardScreen)
    return screen.service


async def find_food_then_send_a_note(pilot: Pilot[None], note: str) -> None:
    """From the search box: find food, then send `note` from the café card's "Something wrong?".

    The escape leaves whatever the search box showed; the food search must show results.
    Returns once the note's save (which may run in a worker) has finished, and the screen
    has had a pause: the caller checks whether it was saved.
    """
    await pilot.press("escape")
    await pilot.press(*"food")
    await settle(pilot)
    assert pilot.app.screen.query_one("#search-results").display
    await pilot.press("escape")
    await pilot.pause()
    await open_cafe_card(pilot)
    await pilot.click("#something-wrong")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SomethingWrongScreen)
    await pilot.press(*note, "enter")
    await saves_done(pilot)


async def refer_from_card(pilot: Pilot[None]) -> ReferralFormScreen:
    """From a visitor card with staff mode open underneath staff home: Back, then Refer."""
    app = pilot.app
    assert isinstance(app.screen, StaffHomeScreen)
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, ServiceCardScreen)
    await pilot.click("#refer")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, ReferralFormScreen)
    return form


async def open_cafe_referral_form(pilot: Pilot[None]) -> ReferralFormScreen:
    """Open the café's card as a visitor, unlock staff mode, and Refer; return the form."""
    await open_cafe_card(pilot)
    await unlock(pilot)
    return await refer_from_card(pilot)


def errors_shown(app: HubApp) -> dict[str, str]:
    """Return each field's inline error on the current form, by field."""
    return {
        (s.id or "").removeprefix("error-"): text_of(s)
        for s in app.screen.query(".field-error")
        if isinstance(s, Static) and s.display and s.id and s.id.startswith("error-")
    }


# --- unlock and lock ---------------------------------------------------------------------


@pytest.mark.parametrize("key", ["f9", "ctrl+t"])
async def test_f9_and_ctrl_t_are_both_the_staff_key(app: HubApp, hub: HubInfo, key: str) -> None:
    """F9 is the staff key a browser leaves to the page (Chromium keeps Ctrl+T to open a
    tab); Ctrl+T still works in a terminal, as it always did."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, StaffPromptScreen)


async def test_right_pin_opens_staff_home_that_looks_different(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert app.staff_mode_factory is not None
        await unlock(pilot)
        assert isinstance(app.screen, StaffHomeScreen)
        assert app.has_class("-staff")
        assert "Staff: Amina" in screen_text(app)
        # Back to the visitor screens: still staff mode, and the bar says so.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.staff_session is not None
        badge = app.screen.query_one(StaffBadge)
        assert str(badge.label) == "Staff: Amina"
        # The staff key now goes to staff home, not the prompt.
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, StaffHomeScreen)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.staff_session is None
        assert not app.has_class("-staff")
        assert not app.screen.query(StaffBadge)
    actions = [entry.action for entry in audit.audit_entries(store)]
    assert actions[-2:] == [audit.STAFF_UNLOCK, audit.STAFF_LOCK]


async def test_wrong_pin_stays_in_visitor_mode(app: HubApp, hub: HubInfo) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot, pin="135799")
        assert isinstance(app.screen, StaffPromptScreen)
        assert text_of(app.screen.query_one("#staff-message", Static)) == UNLOCK_FAILED
        assert app.screen.query_one("#staff-pin", Input).value == ""
        assert app.staff_session is None
        assert not app.has_class("-staff")


async def test_five_wrong_pins_lock_the_name_for_five_minutes(
    app: HubApp, hub: HubInfo, clock: FakeClock
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot, pin="000000")
        for _ in range(4):
            await pilot.press(*"000000", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        message = app.screen.query_one("#staff-message", Static)
        assert text_of(message) == LOCKED_OUT
        # Even the right PIN is refused while the name is locked out.
        await pilot.press(*PIN, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert text_of(message) == LOCKED_OUT
        assert app.staff_session is None
        clock.advance(301)
        await pilot.press(*PIN, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StaffHomeScreen)


async def test_ctrl_l_does_nothing_in_visitor_mode(app: HubApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"food")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#search", Input).value == "food"


async def test_inactivity_locks_and_closes_every_staff_screen(
    app: HubApp, store: HubStore, hub: HubInfo, clock: FakeClock
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await open_cafe_referral_form(pilot)
        form.query_one("#notes", TextArea).text = "Half-typed note"
        await pilot.click("#consent")
        await pilot.press(*"07700 900123")
        await idle_for(pilot, clock, 179)
        assert app.screen is form  # not yet: the limit is 180 seconds
        await idle_for(pilot, clock, 1)
        assert app.staff_session is None
        assert len(app.screen_stack) == 1
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#search", Input).value == ""
        assert not form.is_attached
        assert "07700" not in screen_text(app)
    assert store.referrals() == []
    assert audit.audit_entries(store)[-1].action == audit.STAFF_LOCK


async def test_quit_kiosk_asks_first(app: HubApp, hub: HubInfo) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.click("#quit-kiosk")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # no
        await pilot.pause()
        assert isinstance(app.screen, StaffHomeScreen)
        await click_again(pilot, "#quit-kiosk")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
    assert app.return_code == 0
    assert app.staff_session is None


# --- referrals ---------------------------------------------------------------------------


async def test_referral_from_a_card_is_saved_and_shown_on_staff_home(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        cafe = await open_cafe_card(pilot)
        assert not app.screen.query_one("#refer", Button).display  # visitors never see it
        await unlock(pilot)
        form = await refer_from_card(pilot)
        # Prefilled: only the topic the visitor came from (not the service's tags),
        # signposted, age band not given.
        assert form.query_one("#needs", SelectionList).selected == ["memory"]
        assert set(cafe.needs) - {"memory"}  # the café has other tags, left unticked
        assert form.query_one("#age-band", Select).value == "not_given"
        assert not form.query_one("#contact", Input).display
        await pilot.click("#method-warm_handover")
        form.query_one("#age-band", Select).value = "65_79"
        await pilot.click("#postcode-district")
        await pilot.press(*"nw10")
        await pilot.click("#consent")
        await pilot.pause()
        assert form.query_one("#contact", Input).display
        await pilot.press(*"07700 900123")
        form.query_one("#in-a-week", Button).press()  # below the fold at 80x24
        form.query_one("#notes", TextArea).text = "Prefers mornings"
        await pilot.press("ctrl+s")
        await saves_done(pilot)
        assert isinstance(app.screen, ServiceCardScreen)
        [saved] = store.referrals()
        assert saved.service_id == cafe.id and saved.service_name == cafe.name
        assert saved.hub_id == hub.id
        member = find_staff(store, "Amina")
        assert member is not None and saved.recorded_by == member.id
        assert saved.method == "warm_handover"
        assert saved.age_band == "65_79"
        assert saved.postcode_district == "NW10"
        assert saved.consent_to_follow_up is True
        assert saved.contact == "07700 900123"
        assert saved.follow_up_on == FIXED_NOW.date() + timedelta(days=7)
        assert saved.notes == "Prefers mornings"
        assert saved.needs == ["memory"]
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, StaffHomeScreen)
        text = screen_text(app)
        assert "Today's referrals (1)" in text
        assert f"{cafe.name} · Warm handover" in text


async def test_a_trained_user_saves_in_at_most_six_actions(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    """After Refer: warm handover, age band 65 to 79, Save, counted click by click."""
    async with app.run_test(size=SIZE) as pilot:
        form = await open_cafe_referral_form(pilot)  # the service is chosen: counting starts here
        actions = 0
        await pilot.click("#method-warm_handover")
        actions += 1
        await pilot.click("#age-band")
        actions += 1
        await pilot.pause()
        overlay = form.query_one(SelectOverlay)
        row = list(AGE_BAND_LABELS).index("65_79")
        # Each age band is one line of the open list, below its top border.
        await pilot.click(overlay, offset=(3, row + 1))
        actions += 1
        await pilot.click("#save")
        await saves_done(pilot)
        actions += 1
        await pilot.pause()
        [saved] = store.referrals()
        assert (saved.method, saved.age_band) == ("warm_handover", "65_79")
    assert actions <= 6


async def test_defaults_save_with_one_key_after_choosing_the_service(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_cafe_referral_form(pilot)
        await pilot.press("ctrl+s")
        await saves_done(pilot)
        [saved] = store.referrals()
        assert saved.method == "signposted" and saved.age_band == "not_given"
        assert saved.contact is None and saved.notes is None and saved.postcode_district is None


async def test_referral_from_staff_home_with_the_service_searched(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.click("#record-referral")
        await pilot.pause()
        assert isinstance(app.screen, ServicePickerScreen)
        await pilot.press(*"memory cafe")
        await settle(pilot)
        choices = list(app.screen.query(ServiceChoice))
        assert choices and "Memory Café" in choices[0].service.name
        await pilot.press("enter", "enter")  # to the list, then choose the first
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReferralFormScreen)
        await pilot.press("ctrl+s")
        await saves_done(pilot)
        assert isinstance(app.screen, StaffHomeScreen)
        [saved] = store.referrals()
        assert saved.service_id == choices[0].service.id
        assert "Today's referrals (1)" in screen_text(app)


@pytest.mark.parametrize(
    ("field", "fill", "message"),
    [
        ("postcode_district", {"#postcode-district": "HAXX"}, MESSAGES["postcode_district"]),
        ("postcode_district", {"#postcode-district": "1234"}, MESSAGES["postcode_district"]),
        (
            "follow_up_on",
            {"#contact": "07700 900123", "#follow-up-on": "1/11/2026"},
            MESSAGES["follow_up_on"],
        ),
        ("follow_up_on", {"#contact": "07700 900123", "#follow-up-on": "someday"}, DATE_HELP),
        ("follow_up_on", {"#follow-up-on": "tomorrow"}, MESSAGES["follow_up_unwanted"]),
        ("contact", {"#consent": "ticked"}, MESSAGES["contact_missing"]),
        ("notes", {"#notes": "x" * 501}, MESSAGES["notes"]),
        ("contact", {"#contact": "7" * 201}, MESSAGES["contact_long"]),
    ],
)
async def test_each_form_mistake_is_shown_beside_its_field(
    app: HubApp,
    store: HubStore,
    hub: HubInfo,
    field: str,
    fill: dict[str, str],
    message: str,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await open_cafe_referral_form(pilot)
        for selector, value in fill.items():
            if selector in ("#contact", "#consent"):
                form.query_one("#consent", Checkbox).value = True
                await pilot.pause()
                if selector == "#consent":
                    continue
            widget = form.query_one(selector)
            if isinstance(widget, TextArea):
                widget.text = value
            else:
                assert isinstance(widget, Input)
                widget.value = value
        await pilot.press("ctrl+s")
        await saves_done(pilot)
        assert app.screen is form  # not closed: nothing saved
        assert errors_shown(app).get(field) == message
        assert "Please fix the thing marked below." in screen_text(app)
    assert store.referrals() == []


async def test_contact_is_cleared_when_consent_is_taken_back(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await open_cafe_referral_form(pilot)
        await pilot.click("#consent")
        await pilot.press(*"07700 900999")
        await pilot.click("#consent")
        await pilot.pause()
        assert not form.query_one("#contact", Input).display
        assert form.query_one("#contact", Input).value == ""
        await pilot.press("ctrl+s")
        await saves_done(pilot)
    [saved] = store.referrals()
    assert saved.contact is None and saved.consent_to_follow_up is False


async def test_follow_up_outcome_is_saved_from_staff_home(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    service = next(s for s in store.services() if "Memory Café" in s.name)
    week_ago = FIXED_NOW - timedelta(days=7)
    referral = record(
        store,
        hub_id=hub.id,
        staff_id="system",
        service=service,
        needs=service.needs,
        method="signposted",
        consent_to_follow_up=True,
        contact="07700 900555",
        follow_up_on=FIXED_NOW.date(),
        now=week_ago,
    )
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        row = app.screen.query_one(FollowUpRow)
        assert "07700 900555" in text_of(row.query_one(".row-words", Static))
        row.query_one(Select).value = "attended"
        await saves_done(pilot)
        assert text_of(row.query_one(".row-status", Static)) == "Saved: Attended"
    saved = store.referral(referral.id)
    assert saved is not None and saved.outcome == "attended"
    assert saved.updated_at > saved.recorded_at


async def test_visitor_notes_can_be_dismissed_or_accepted(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    cafe = next(s for s in store.services() if "Memory Café" in s.name)
    wrong = leave_suggestion(store, cafe.id, "Call me on 07700 900777", FIXED_NOW.date())
    right = leave_suggestion(store, cafe.id, "They meet on Thursdays now", FIXED_NOW.date())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        rows = {row.note.id: row for row in app.screen.query(SuggestionRow)}
        assert set(rows) == {wrong.id, right.id}
        rows[wrong.id].query_one(".dismiss", Button).focus()
        await pilot.press("enter")
        await saves_done(pilot)
        assert store.collection(COLLECTION).get(wrong.id) is None  # gone for good
        # The keys go to the note left, not to Lock at the top of the screen.
        assert app.focused is rows[right.id].query_one(".accept", Button)
        rows[right.id].query_one(".accept", Button).press()
        await saves_done(pilot)
        editor = app.screen
        assert isinstance(editor, ServiceEditorScreen)
        assert editor.service is not None and editor.service.id == cafe.id
    assert open_suggestions(store) == []
    assert store.collection(COLLECTION).get(right.id) is not None  # kept for the export


# --- the directory -----------------------------------------------------------------------


async def _edit_service(pilot: Pilot[None], words: str) -> ServiceEditorScreen:
    await pilot.click("#edit-directory")
    await pilot.pause()
    await pilot.press(*words)
    await settle(pilot)
    await pilot.press("enter", "enter")
    await pilot.pause()
    editor = pilot.app.screen
    assert isinstance(editor, ServiceEditorScreen)
    return editor


async def _lock_and_search(pilot: Pilot[None], words: str) -> list[str]:
    """Lock staff mode (Ctrl+L), then search home as a visitor; return the names found."""
    await pilot.press("ctrl+l")
    await pilot.pause()
    app = pilot.app
    assert isinstance(app.screen, HomeScreen)
    await pilot.click("#search")
    await pilot.press(*words)
    await settle(pilot)
    return [item.service_name for item in app.screen.query(ResultItem)]


async def test_an_edited_name_is_found_by_visitors_after_lock(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        editor = await _edit_service(pilot, "memory cafe")
        assert editor.service is not None
        service_id = editor.service.id
        name = editor.query_one("#service-name", Input)
        name.value = "Zebra Crossing Memory Club"
        await pilot.press("ctrl+s")
        await saves_done(pilot)
        assert isinstance(app.screen, StaffHomeScreen)
        assert "Zebra Crossing Memory Club" in await _lock_and_search(pilot, "zebra crossing")
    saved = store.service(service_id)
    assert saved is not None and saved.name == "Zebra Crossing Memory Club"


async def test_a_retired_service_leaves_visitor_search(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        editor = await _edit_service(pilot, "memory cafe")
        assert editor.service is not None
        retired = editor.service
        await pilot.click("#retire")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#confirm-yes")
        await saves_done(pilot)
        assert isinstance(app.screen, StaffHomeScreen)
        assert retired.name not in await _lock_and_search(pilot, retired.name)
    saved = store.service(retired.id)
    assert saved is not None and saved.status == "defunct"


async def _new_service_with_a_time_row(pilot: Pilot[None]) -> ServiceEditorScreen:
    """Unlock, add a service named and described, and add one empty times row; return the editor."""
    await unlock(pilot)
    await pilot.click("#add-service")
    await pilot.pause()
    editor = pilot.app.screen
    assert isinstance(editor, ServiceEditorScreen)
    editor.query_one("#service-name", Input).value = "Quokka Knitting Circle"
    editor.query_one("#service-description", TextArea).text = "Knit and natter."
    editor.query_one("#add-time", Button).press()
    await pilot.pause()
    return editor


async def test_times_are_edited_as_rows_and_checked(
    app: HubApp, store: HubStore, hub: HubInfo
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        editor = await _new_service_with_a_time_row(pilot)
        await pilot.press(*"Funday")
        await pilot.press("ctrl+s")
        await saves_done(pilot)
        assert errors_shown(app)["schedules"] == days_help()
        row_days = editor.query_one(".row-days", Input)
        row_days.value = "Mon, thursday"
        editor.query_one(".row-opens", Input).value = "10am"
        editor.query_one(".row-closes", Input).value = "12:30"
        await pilot.press("ctrl+s")
        await saves_done(pilot)
        assert isinstance(app.screen, StaffHomeScreen)
        assert "Quokka Knitting Circle" in await _lock_and_search(pilot, "quokka")
    [added] = [s for s in store.services() if s.name == "Quokka Knitting Circle"]
    [schedule] = added.schedules
    assert (schedule.freq, schedule.byday) == ("WEEKLY", "MO,TH")
    assert (str(schedule.opens_at), str(schedule.closes_at)) == ("10:00:00", "12:30:00")


async def test_the_times_rows_speak_the_kiosks_language(
    store: HubStore, clock: FakeClock, hub: HubInfo
) -> None:
    """In Polish, a row shows its days as Polish abbreviations and takes Polish day names
    (English ones still work: the directory is kept in English)."""
    before = i18n.current_catalogue()
    app = make_app(store=store, clock=clock, language="pl")
    try:
        async with app.run_test(size=SIZE) as pilot:
            editor = await _new_service_with_a_time_row(pilot)
            row_days = editor.query_one(".row-days", Input)
            assert "pon., czw." in row_days.placeholder
            row_days.value = "Funday"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert errors_shown(app)["schedules"] == days_help()
            assert "pon., czw." in days_help()
            row_days.value = "pon., czwartek, Sat"
            editor.query_one(".row-opens", Input).value = "10:00"
            await pilot.press("ctrl+s")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, StaffHomeScreen)
            [added] = [s for s in store.services() if s.name.startswith("Quokka")]
            edited = await _edit_service(pilot, "quokka")
            assert edited.query_one(".row-days", Input).value == "pon., czw., sob."
    finally:
        i18n.use_catalogue(before)
    [schedule] = added.schedules
    assert schedule.byday == "MO,TH,SA"


async def test_needs_checking_list_and_checked_today(
    app: HubApp, store: HubStore, hub: HubInfo, clock: FakeClock
) -> None:
    due_before = needs_checking(store, clock())
    assert due_before  # the sample has services nobody has checked for six months
    first = due_before[0]
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        label = str(app.screen.query_one("#needs-checking", Button).label)
        assert label == f"Needs checking ({len(due_before)})"
        await pilot.click("#needs-checking")
        await pilot.pause()
        count = len(due_before)
        assert f"{count} services not checked for 180 days" in screen_text(app)
        row = next(r for r in app.screen.query(CheckRow) if r.service.id == first.id)
        row.query_one(".checked", Button).focus()
        await pilot.press("enter")
        await saves_done(pilot)
        await pilot.pause()
        # The row goes, and the count above the list says one fewer at once.
        rows = list(app.screen.query(".check-row"))
        assert len(rows) == count - 1
        assert f"{count - 1} services not checked for 180 days" in screen_text(app)
        # The keys are on the next row's "Checked today", not on Lock at the top.
        assert app.focused is rows[0].query_one(".checked", Button)
        await pilot.press("escape")
        await pilot.pause()
        label = str(app.screen.query_one("#needs-checking", Button).label)
        assert label == f"Needs checking ({len(due_before) - 1})"
    checked = store.service(first.id)
    assert checked is not None and checked.assured_date == FIXED_NOW.date()


async def test_no_staff_screen_shows_english_the_catalogue_translates(
    store: HubStore, clock: FakeClock, hub: HubInfo
) -> None:
    """In Polish, every staff and coordinator screen, and the questions they ask, shows no
    message in English that the Polish catalogue translates (a message translated once at
    import, or shown without _(), would be)."""
    before = i18n.current_catalogue()
    app = make_app(store=store, clock=clock, language="pl")  # seeds the sample
    left: dict[str, list[str]] = {}

    def look() -> None:
        # Services, and the urgent lines to check, are shown in the words their files give.
        data = "ResultItem, ServiceChoice, .urgent-check-row"
        left[type(app.screen).__name__] = english_left(app, "pl", data)

    async def back_to_staff_home() -> None:
        while not isinstance(app.screen, StaffHomeScreen):
            await pilot.press("escape")
            await pilot.pause()

    try:
        async with app.run_test(size=SIZE) as pilot:
            await unlock(pilot)
            look()
            for button in ("#needs-checking", "#add-service", "#export", "#import", "#dashboard"):
                await pilot.click(button)
                await pilot.pause()
                look()
                await back_to_staff_home()
            await pilot.click("#record-referral")
            await settle(pilot)
            look()  # the service picker
            await pilot.press("ctrl+n")
            await pilot.pause()
            look()  # No suitable service
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("enter", "enter")
            await pilot.pause()
            look()  # the referral form
            await back_to_staff_home()
            await pilot.click("#edit-directory")
            await settle(pilot)
            await pilot.press("enter", "enter")
            await pilot.pause()
            look()  # the service editor, on a service
            await back_to_staff_home()
            await pilot.click("#quit-kiosk")
            await pilot.pause()
            look()  # Close the kiosk?
            await back_to_staff_home()
    finally:
        i18n.use_catalogue(before)
    assert set(left) >= {
        "StaffHomeScreen",
        "NeedsCheckingScreen",
        "ServiceEditorScreen",
        "ExportBundleScreen",
        "ImportFilesScreen",
        "DashboardScreen",
        "ServicePickerScreen",
        "NothingSuitableScreen",
        "ReferralFormScreen",
        "ConfirmScreen",
    }
    assert {screen: words for screen, words in left.items() if words} == {}


async def test_staff_lists_speak_the_kiosks_language(
    store: HubStore, clock: FakeClock, hub: HubInfo
) -> None:
    """In Polish, Needs checking's count is Polish, in the right plural form as it drops, and
    so are the service picker's line, the needs to choose from and the ways a referral is made."""
    before = i18n.current_catalogue()
    app = make_app(store=store, clock=clock, language="pl")  # seeds the sample
    try:
        # The sample's five: "5 usług", then "4 usługi" (Polish has three plural forms).
        assert len(needs_checking(store, clock())) == 5
        async with app.run_test(size=SIZE) as pilot:
            await unlock(pilot)
            await pilot.click("#needs-checking")
            await pilot.pause()
            assert "5 usług niesprawdzanych od 180 dni" in screen_text(app)
            # Each row's phone is in Polish too.
            assert "Telefon 020" in screen_text(app) and "Phone" not in screen_text(app)
            app.screen.query(CheckRow).first().query_one(".checked", Button).focus()
            await pilot.press("enter")
            await saves_done(pilot)
            await pilot.pause()
            assert "4 usługi niesprawdzane od 180 dni" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.click("#record-referral")
            await settle(pilot)
            # The sample's 52 services, the first 30 listed.
            assert "Pierwsze 30 z 52: pisz dalej, żeby zawęzić listę." in screen_text(app)
            assert "Zapisz skierowanie: wybierz usługę" in screen_text(app)
            # "No suitable service" lists the needs by their Polish names.
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert isinstance(app.screen, NothingSuitableScreen)
            needs = app.screen.query_one("#unmet-need", OptionList)
            names = [str(needs.get_option_at_index(i).prompt) for i in range(needs.option_count)]
            assert "Pamięć i demencja" in names and "Memory and dementia" not in names
            await pilot.press("escape")
            await pilot.pause()
            # The form's choices of how, and today's line on staff home, are Polish too.
            await pilot.press("enter", "enter")  # to the list, then choose the first
            await pilot.pause()
            assert isinstance(app.screen, ReferralFormScreen)
            assert "Przekazano informację" in screen_text(app)
            assert "Signposted" not in screen_text(app)
            assert str(app.screen.query_one("#in-a-week", Button).label) == "Za tydzień"
            # A mistake is told in Polish too, then put right.
            app.screen.query_one("#postcode-district", Input).focus()
            await pilot.press(*"1234", "ctrl+s")
            await saves_done(pilot)
            assert "Początek kodu pocztowego: podaj tylko pierwszą część" in screen_text(app)
            assert "give only the first part" not in screen_text(app)
            await pilot.press(*["backspace"] * 4)
            await pilot.press("ctrl+s")
            await saves_done(pilot)
            assert isinstance(app.screen, StaffHomeScreen)
            assert "· Przekazano informację · nie wybrano potrzeb" in screen_text(app)
            # Closing the kiosk asks first, in Polish, with "Cancel" in Polish too.
            await pilot.click("#quit-kiosk")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "Zamknąć kiosk?" in screen_text(app)
            assert str(app.screen.query_one("#confirm-no", Button).label) == "Anuluj"
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, StaffHomeScreen)
    finally:
        i18n.use_catalogue(before)


@pytest.mark.parametrize(
    ("button", "screen_class"),
    [
        ("#export", "ExportBundleScreen"),
        ("#import", "ImportFilesScreen"),
        ("#dashboard", "DashboardScreen"),
    ],
)
async def test_staff_home_opens_the_coordinator_screens(
    app: HubApp, hub: HubInfo, button: str, screen_class: str
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.click(button)
        await pilot.pause()  # not settle(): the import screen's file tree keeps a worker going
        assert type(app.screen).__name__ == screen_class
        await pilot.press("ctrl+l")  # locking closes these too
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1
