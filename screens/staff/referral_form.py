"""Record a referral: the form staff fill in beside the visitor, in under a minute.

Everything has a sensible default, so a trained user who has chosen the service can save
with one key (Ctrl+S): how is "Signposted", age band "Not given", the needs are the
service's own. The keyboard goes from top to bottom in the order the fields are drawn.

Only what DESIGN.md allows is asked for: no names; the postcode district, not the
postcode; contact details only once the visitor agrees to a follow-up. Mistakes come
back from hub.referrals in plain words and are shown beside their field. The save runs
in a thread worker, through the Hub's one writer; "Saved" shows only after it has
returned, which is after the referral is on disk, and a failed save is shown on the form.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import ClassVar

from dateutil.relativedelta import relativedelta
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from hub.i18n import _
from hub.kiosk_service import Hub, NotSaved
from hub.models import AGE_BAND_LABELS, METHOD_LABELS, Referral, Service
from hub.referrals import CONTACT_MAX, FIELD_LABELS, NOTES_MAX, ReferralError
from hub.schedule import format_day
from screens.coordinator import TickBox
from screens.staff.staff_home import NOT_SET_UP
from screens.staff.staff_session import StaffScreen


@dataclass(frozen=True)
class ReferralForm:
    """What staff entered, read on the UI thread and handed to the save worker."""

    hub_id: str
    staff_id: str
    service: Service
    needs: list[str]
    method: str
    age_band: str
    postcode_district: str | None
    consent_to_follow_up: bool
    contact: str | None
    notes: str | None
    follow_up_on: date | None


DATE_HELP = "Follow-up date: write it like 2026-12-03, or choose a button"

QUICK_DATES: dict[str, str] = {
    "in-a-week": "In a week",
    "in-two-weeks": "In 2 weeks",
    "in-a-month": "In a month",
    "no-date": "No date",
}


def quick_date(choice: str, today: date) -> date | None:
    """Return the day a quick-pick button stands for (None for "No date")."""
    if choice == "in-a-week":
        return today + timedelta(days=7)
    if choice == "in-two-weeks":
        return today + timedelta(days=14)
    if choice == "in-a-month":
        return today + relativedelta(months=1)
    return None


def parse_follow_up(text: str) -> date | None:
    """Return the date typed as YYYY-MM-DD (None when blank); raises ValueError otherwise."""
    cleaned = text.strip()
    if not cleaned:
        return None
    return date.fromisoformat(cleaned)


class ReferralFormScreen(StaffScreen):
    """The referral form for one service, prefilled from it."""

    AUTO_FOCUS = ""  # set in on_mount: Textual's auto focus would scroll the top away
    TITLE_WORDS = "Record a referral"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="save-referral"),
    ]
    FIELDS = (
        "service_id",
        "needs",
        "method",
        "age_band",
        "postcode_district",
        "contact",
        "follow_up_on",
        "notes",
    )

    def __init__(self, service: Service) -> None:
        super().__init__(classes="referral-form")
        self.service = service
        self._saving = False

    # --- the form ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Yield the bar, the fields with room for their mistakes, and Save."""
        yield from self.compose_bar()
        yield Static(
            Content.assemble("Referring to ", Content.styled(self.service.name, "bold")),
            classes="form-service",
        )
        with VerticalScroll(classes="staff-body form-body", can_focus=False):
            if self.session.hub is None:
                yield Static(Content(NOT_SET_UP), classes="staff-warning")
            yield Static("", id="form-problems", classes="field-error")
            yield self._error("service_id")

            yield Static(_("How"), classes="field-label")
            with RadioSet(id="method"):
                for value, label in METHOD_LABELS.items():
                    yield RadioButton(label, value=value == "signposted", id=f"method-{value}")
            yield self._error("method")

            with Horizontal(classes="field-pair"):
                with Vertical(classes="field"):
                    yield Static(_("Age band"), classes="field-label")
                    yield Select(
                        [(label, value) for value, label in AGE_BAND_LABELS.items()],
                        value="not_given",
                        allow_blank=False,
                        id="age-band",
                    )
                    yield self._error("age_band")
                with Vertical(classes="field"):
                    yield Static(_("Postcode district (first part only)"), classes="field-label")
                    yield Input(
                        placeholder=_("like NW10 or HA0"),
                        id="postcode-district",
                        max_length=4,
                        restrict=r"[A-Za-z0-9]*",
                    )
                    yield self._error("postcode_district")

            yield TickBox(_("They agree to a follow-up"), id="consent")
            contact = Input(
                placeholder=_("Phone or email, only what they agree to"),
                id="contact",
                max_length=CONTACT_MAX + 20,
            )
            contact.display = False
            yield contact
            yield self._error("contact")

            yield Static(_("Follow-up date"), classes="field-label")
            with Horizontal(classes="date-row"):
                yield Input(placeholder=_("YYYY-MM-DD"), id="follow-up-on", max_length=10)
                for button_id, words in QUICK_DATES.items():
                    yield Button(words, id=button_id, classes="quick-date small-button")
            yield Static("", id="follow-up-words", classes="field-note")
            yield self._error("follow_up_on")

            yield Static(
                _("Notes (at most {count} characters)").format(count=NOTES_MAX),
                classes="field-label",
            )
            yield TextArea(
                id="notes",
                placeholder=_("No names or medical details"),
                soft_wrap=True,
                show_line_numbers=False,
                tab_behavior="focus",
            )
            yield Static("", id="notes-count", classes="field-note")
            yield self._error("notes")

            yield Static(_("Needs (Space ticks or unticks)"), classes="field-label")
            yield SelectionList[str](*self._need_choices(), id="needs")
            yield self._error("needs")
        with Horizontal(classes="form-actions"):
            yield Button(_("Save (Ctrl+S)"), id="save", classes="save-button")
            yield Button(_("Cancel (Esc)"), id="cancel")
            yield Static("", id="form-status")

    def _need_choices(self) -> list[tuple[str, str, bool]]:
        """Return every need as (label, id, ticked), the service's own ticked."""
        kiosk = self.kiosk
        chosen = set(self.service.needs)
        known = [*kiosk.tiles, *kiosk.other_needs]
        choices = [(need.label, need.id, need.id in chosen) for need in known]
        known_ids = {need.id for need in known}
        choices += [
            (need_id, need_id, True) for need_id in self.service.needs if need_id not in known_ids
        ]
        return choices

    @staticmethod
    def _error(field: str) -> Static:
        error = Static("", id=f"error-{field}", classes="field-error")
        error.display = False
        return error

    def on_mount(self) -> None:
        """Put the keyboard on How (the field most often changed) and show the counter."""
        self.set_focus(self.query_one("#method"), scroll_visible=False)
        self._count_notes()

    # --- reacting ---------------------------------------------------------------------

    @on(Checkbox.Changed, "#consent")
    def _consent_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        contact = self.query_one("#contact", Input)
        contact.display = event.value
        if event.value:
            contact.focus()
        else:
            contact.value = ""  # not kept, not even on screen, once consent is taken back

    @on(Button.Pressed, ".quick-date")
    def _quick_date(self, event: Button.Pressed) -> None:
        event.stop()
        day = quick_date(event.button.id or "", self.kiosk.today())
        box = self.query_one("#follow-up-on", Input)
        box.value = day.isoformat() if day else ""
        self._show_date_words(day)

    @on(Input.Changed, "#follow-up-on")
    def _date_typed(self, event: Input.Changed) -> None:
        event.stop()
        try:
            self._show_date_words(parse_follow_up(event.value))
        except ValueError:
            self._show_date_words(None)

    def _show_date_words(self, day: date | None) -> None:
        """Say the chosen day in words, so a typing slip is seen before saving."""
        words = self.query_one("#follow-up-words", Static)
        words.update(Content(format_day(day) if day is not None else ""))

    @on(TextArea.Changed, "#notes")
    def _notes_typed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._count_notes()

    def _count_notes(self) -> None:
        length = len(self.query_one("#notes", TextArea).text.strip())
        counter = self.query_one("#notes-count", Static)
        counter.update(Content(_("{count} of {most}").format(count=length, most=NOTES_MAX)))
        counter.set_class(length > NOTES_MAX, "-over")

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_back()

    @on(Button.Pressed, "#save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    # --- saving -----------------------------------------------------------------------

    def _method(self) -> str:
        pressed = self.query_one("#method", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return ""
        return pressed.id.removeprefix("method-")

    def show_problems(self, problems: dict[str, str]) -> None:
        """Show each mistake beside its field (and a line at the top saying how many)."""
        first: Static | None = None
        other: list[str] = []
        for field in self.FIELDS:
            error = self.query_one(f"#error-{field}", Static)
            message = problems.get(field)
            if field == "service_id" and message is None:
                message = problems.get("service_name")
            error.display = message is not None
            if message is not None:
                error.update(Content(message))
                first = first or error
        for field, message in problems.items():
            if field not in self.FIELDS and field != "service_name":
                label = FIELD_LABELS.get(field, "")
                other.append(message if message.startswith(label) else f"{label}: {message}")
        summary = self.query_one("#form-problems", Static)
        if problems:
            count = len(problems)
            words = (
                "Please fix the thing marked below."
                if count == 1
                else (f"Please fix the {count} things marked below.")
            )
            summary.update(Content(" ".join([words, *other])))
            summary.display = True
            self.query_one(".form-body", VerticalScroll).scroll_to_widget(
                first or summary, animate=False, top=True
            )
        else:
            summary.display = False

    def action_save(self) -> None:
        """Check the form and save the referral, or show what to fix."""
        kiosk = self.kiosk
        session = self.session
        status = self.query_one("#form-status", Static)
        hub = session.hub
        if hub is None:
            status.update(Content(_("Not saved: this hub is not set up yet.")))
            return
        try:
            follow_up_on = parse_follow_up(self.query_one("#follow-up-on", Input).value)
        except ValueError:
            self.show_problems({"follow_up_on": DATE_HELP})
            return
        if self._saving:
            return  # a second Ctrl+S while the first save runs must not save it twice
        consent = self.query_one("#consent", Checkbox).value
        form = ReferralForm(
            hub_id=hub.id,
            staff_id=session.staff_id,
            service=self.service,
            needs=list(self.query_one("#needs", SelectionList).selected),
            method=self._method(),
            age_band=str(self.query_one("#age-band", Select).value),
            postcode_district=self.query_one("#postcode-district", Input).value or None,
            consent_to_follow_up=consent,
            contact=self.query_one("#contact", Input).value if consent else None,
            notes=self.query_one("#notes", TextArea).text.strip() or None,
            follow_up_on=follow_up_on,
        )
        self._saving = True
        self._save(kiosk.hub, form)

    @work(thread=True, group="referral-save")
    def _save(self, hub: Hub, form: ReferralForm) -> None:
        """Save the referral off the UI thread; answer on it with what happened."""
        try:
            referral = hub.record_referral(**asdict(form))
        except ReferralError as exc:
            self.app.call_from_thread(self._answer, problems=exc.problems)
            return
        except NotSaved as exc:
            self.app.call_from_thread(self._answer, not_saved=str(exc))
            return
        self.app.call_from_thread(self._answer, saved=referral)

    def _answer(
        self,
        *,
        saved: Referral | None = None,
        problems: dict[str, str] | None = None,
        not_saved: str | None = None,
    ) -> None:
        """Show the save's outcome, if this form is still open (a lock closes it)."""
        self._saving = False
        if self not in self.app.screen_stack or self.kiosk.staff_session is None:
            return  # staff mode was locked meanwhile: the referral, if saved, is kept
        if problems is not None:
            self.show_problems(problems)
            return
        if not_saved is not None:
            self.show_problems({})
            self.query_one("#form-status", Static).update(
                Content(_("Not saved: {reason}").format(reason=not_saved))
            )
            return
        assert saved is not None
        # Only now, with the referral on disk, may "Saved" show.
        if self.is_current:
            self.app.pop_screen()
        self.kiosk.notify(
            _("Saved: referral to {name}.").format(name=saved.service_name),
            timeout=4,
            markup=False,
        )
