"""Record a referral: the form staff fill in beside the visitor, in under a minute.

Everything has a sensible default, so a trained user who has chosen the service can save
with one key (Ctrl+S): how is "Signposted", age band "Not given". The needs start empty,
or with the topic the visitor came from: ticking the service's own tags would count a food
bank referral as money and faith too, and inflate every by-need report. The keyboard goes
from top to bottom in the order the fields are drawn.

Every mistake is shown at once, beside its field, before anything is sent to be saved.
Esc (or Back, or Cancel) on a form that has been changed asks before throwing it away.

Only what DESIGN.md allows is asked for: no names; the postcode district, not the
postcode; contact details only once the visitor agrees to a follow-up. Mistakes come
back from hub.referrals in plain words and are shown beside their field. The save runs
in a thread worker, through the Hub's one writer; "Saved" shows only after it has
returned, which is after the referral is on disk, and a failed save is shown on the form.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import ClassVar

from dateutil.relativedelta import relativedelta
from textual import on
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

from hub.i18n import N_, _
from hub.kiosk_service import NotSaved
from hub.models import AGE_BAND_LABELS, METHOD_LABELS, Referral, Service
from hub.referrals import (
    CONTACT_MAX,
    FIELD_LABELS,
    MESSAGES,
    NOTES_MAX,
    ReferralError,
    ReferralForm,
    check_form,
    format_day_with_year,
    parse_day,
)
from screens.saving import save_off_screen
from screens.staff.staff_home import NOT_SET_UP
from screens.staff.staff_session import ConfirmScreen, StaffFormScreen
from screens.widgets.ticks import TickCheckbox, TickList

DATE_HELP = MESSAGES["follow_up_unreadable"]

log = logging.getLogger(__name__)

QUICK_DATES: dict[str, str] = {
    "in-a-week": N_("In a week"),
    "in-two-weeks": N_("In 2 weeks"),
    "in-a-month": N_("In a month"),
    "no-date": N_("No date"),
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


def parse_follow_up(text: str, today: date) -> date | None:
    """Return the day typed (8/12/2026, tomorrow, next tuesday; None when blank).

    Raises ValueError for words that are not a day.
    """
    return parse_day(text, today)


class ReferralFormScreen(StaffFormScreen):
    """The referral form for one service; needs start empty or with the visitor's topic."""

    AUTO_FOCUS = ""  # set in on_mount: Textual's auto focus would scroll the top away
    TITLE_WORDS = N_("Record a referral")
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

    def __init__(self, service: Service, topic: str | None = None) -> None:
        super().__init__(classes="referral-form")
        self.service = service
        self.topic = topic
        """The need the visitor was looking at when staff chose Refer, if any."""
        self._saving = False
        self._as_opened: tuple[object, ...] | None = None

    # --- the form ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Yield the bar, the fields with room for their mistakes, and Save."""
        yield from self.compose_bar()
        yield Static(
            # The name is data: it goes in as styled text, never through the catalogue.
            Content.assemble(_("Referring to "), Content.styled(self.service.name, "bold")),
            classes="form-service",
        )
        with VerticalScroll(classes="staff-body form-body", can_focus=False):
            if self.session.hub is None:
                yield Static(Content(_(NOT_SET_UP)), classes="staff-warning")
            yield Static("", id="form-problems", classes="field-error")
            yield self._error("service_id")

            yield Static(_("How"), classes="field-label")
            with RadioSet(id="method"):
                for value, label in METHOD_LABELS.items():
                    yield RadioButton(_(label), value=value == "signposted", id=f"method-{value}")
            yield self._error("method")

            with Horizontal(classes="field-pair"):
                with Vertical(classes="field"):
                    yield Static(_("Age band"), classes="field-label")
                    yield Select(
                        [(_(label), value) for value, label in AGE_BAND_LABELS.items()],
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

            yield TickCheckbox(_("They agree to a follow-up"), id="consent")
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
                yield Input(placeholder=_("like 8/12/2026"), id="follow-up-on", max_length=24)
                for button_id, words in QUICK_DATES.items():
                    yield Button(_(words), id=button_id, classes="quick-date small-button")
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
            yield TickList(*self._need_choices(), id="needs")
            yield self._error("needs")
        with Horizontal(classes="form-actions"):
            yield Button(_("Save (Ctrl+S)"), id="save", classes="save-button")
            yield Button(_("Cancel (Esc)"), id="cancel")
            yield Static("", id="form-status")

    def _need_choices(self) -> list[tuple[str, str, bool]]:
        """Return every need as (label, id, ticked): only the visitor's topic ticked."""
        kiosk = self.kiosk
        known = [*kiosk.tiles, *kiosk.other_needs]
        return [(_(need.label), need.id, need.id == self.topic) for need in known]

    @staticmethod
    def _error(field: str) -> Static:
        error = Static("", id=f"error-{field}", classes="field-error")
        error.display = False
        return error

    def on_mount(self) -> None:
        """Put the keyboard on How (the field most often changed) and show the counter."""
        self.set_focus(self.query_one("#method"), scroll_visible=False)
        self._count_notes()
        self._as_opened = self._values()

    def _values(self) -> tuple[object, ...]:
        """Return everything staff can change, to tell a changed form from an untouched one."""
        return (
            self._method(),
            self.query_one("#age-band", Select).value,
            self.query_one("#postcode-district", Input).value,
            self.query_one("#consent", Checkbox).value,
            self.query_one("#contact", Input).value,
            self.query_one("#follow-up-on", Input).value,
            self.query_one("#notes", TextArea).text,
            tuple(sorted(self.query_one("#needs", SelectionList).selected)),
        )

    def action_back(self) -> None:
        """Close the form; if anything was changed, ask first (No keeps it open)."""
        if not self.is_current:
            return
        if self._as_opened is None or self._values() == self._as_opened:
            super().action_back()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                super(ReferralFormScreen, self).action_back()

        self.app.push_screen(
            ConfirmScreen(
                _("Throw this referral away?"),
                _("What you filled in is not saved. To keep it, choose Keep it, then Save."),
                yes=_("Yes, throw it away"),
                no=_("Keep it"),
            ),
            answered,
        )

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
        box.value = day.strftime("%-d/%-m/%Y") if day else ""
        self._show_date_words(day)

    @on(Input.Changed, "#follow-up-on")
    def _date_typed(self, event: Input.Changed) -> None:
        event.stop()
        try:
            self._show_date_words(parse_follow_up(event.value, self.kiosk.today()))
        except ValueError:
            self._show_date_words(None)

    def _show_date_words(self, day: date | None) -> None:
        """Say the chosen day in words, so a typing slip is seen before saving."""
        words = self.query_one("#follow-up-words", Static)
        words.update(Content(format_day_with_year(day) if day is not None else ""))

    @on(TextArea.Changed, "#notes")
    def _notes_typed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._count_notes()

    def _count_notes(self) -> None:
        length = len(self.query_one("#notes", TextArea).text.strip())
        counter = self.query_one("#notes-count", Static)
        counter.update(Content(_("{count} of {most}").format(count=length, most=NOTES_MAX)))
        counter.set_class(length > NOTES_MAX, "-over")

    # --- saving -----------------------------------------------------------------------

    def _method(self) -> str:
        pressed = self.query_one("#method", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return ""
        return pressed.id.removeprefix("method-")

    def show_problems(self, problems: dict[str, str]) -> None:
        """Show each mistake beside its field (and a line at the top saying how many)."""
        # The core says what to fix in English (the CLI shows it so); here, in the kiosk's
        # language. A message no catalogue holds (a check of the model's own) stays as it is.
        problems = {field: _(message) for field, message in problems.items()}
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
        self.show_summary(problems, other, first)

    def action_save(self) -> None:
        """Check the form and save the referral, or show what to fix."""
        kiosk = self.kiosk
        session = self.session
        status = self.query_one("#form-status", Static)
        hub = session.hub
        if hub is None:
            status.update(Content(_("Not saved: this hub is not set up yet.")))
            return
        unreadable = False
        try:
            follow_up_on = parse_follow_up(
                self.query_one("#follow-up-on", Input).value, kiosk.today()
            )
        except ValueError:
            follow_up_on, unreadable = None, True
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
        # Every mistake at once: the date that cannot be read with the rest, checked here
        # before anything goes to be saved (the save checks again, as the core always does).
        problems = check_form(form, kiosk.today())
        if unreadable:
            problems["follow_up_on"] = DATE_HELP
        if problems:
            self.show_problems(problems)
            return
        self._saving = True
        door = kiosk.hub
        save_off_screen(
            self,
            lambda: door.record_referral(form),
            then=lambda saved: self._answer(saved=saved),
            failed=self._save_failed,
            expected=(Exception,),
        )

    def _save_failed(self, exc: Exception) -> None:
        """Show why the referral was not saved: a mistake per field, or the reason."""
        if isinstance(exc, ReferralError):
            self._answer(problems=exc.problems)
            return
        if not isinstance(exc, NotSaved):
            # Not one the core says it raises: logged by kind only (the form is personal).
            log.error("a referral's save failed: %s", type(exc).__name__)
        # Staff can try again; the form keeps what was typed.
        self._answer(not_saved=str(exc))

    def _answer(
        self,
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
