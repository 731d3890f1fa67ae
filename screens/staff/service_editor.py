"""Keep the directory true: edit a service, add one, retire one, or say it was checked.

Times are simple rows (days, how often, opens, closes), turned into the HSDS schedule
fields on save; anything a row does not show (a first date, a valid-until date, words)
is kept as it was. Saving goes through hub.directory_edits, which checks the whole
service again and bumps the directory version, so visitor search sees the change at once.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, time
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Select, SelectionList, Static, TextArea

from hub.directory_edits import ServiceEditError, validated
from hub.i18n import N_, _
from hub.kiosk_service import NotFound, NotSaved
from hub.models import Freq, Phone, Schedule, Service
from hub.schedule import day_abbreviation, day_names_to_codes, schedule_in_words
from screens.saving import save_off_screen
from screens.staff.staff_session import ConfirmScreen, StaffFormScreen
from screens.words import last_checked

DAY_CODES: dict[str, str] = {
    "mo": "MO", "mon": "MO", "monday": "MO", "mondays": "MO",
    "tu": "TU", "tue": "TU", "tues": "TU", "tuesday": "TU", "tuesdays": "TU",
    "we": "WE", "wed": "WE", "wednesday": "WE", "wednesdays": "WE",
    "th": "TH", "thu": "TH", "thur": "TH", "thurs": "TH", "thursday": "TH", "thursdays": "TH",
    "fr": "FR", "fri": "FR", "friday": "FR", "fridays": "FR",
    "sa": "SA", "sat": "SA", "saturday": "SA", "saturdays": "SA",
    "su": "SU", "sun": "SU", "sunday": "SU", "sundays": "SU",
}  # fmt: skip
"""Day words in English, always understood: a hub's directory is kept in English."""

# Labels for the choices, translated when the row is drawn (the language can change).
HOW_OFTEN = [
    (N_("Weekly"), "weekly"),
    (N_("Fortnightly"), "fortnightly"),
    (N_("Monthly"), "monthly"),
]
WHICH_WEEK = [
    (N_("1st"), "1"),
    (N_("2nd"), "2"),
    (N_("3rd"), "3"),
    (N_("4th"), "4"),
    (N_("Last"), "-1"),
]

TIME_HELP = N_("Times: write times like 10:00, 14:30 or 2pm")
ORDER_HELP = N_("Times: the closing time must be after the opening time")


class TimesError(ValueError):
    """A time row the form cannot read; its message is ready to show beside the times."""


def example_days() -> str:
    """Return two days as the kiosk's language abbreviates them: "Mon, Thu"."""
    return ", ".join(day_abbreviation(code) for code in ("MO", "TH"))


def days_help() -> str:
    """Return what to write in a row's days box, with days in the kiosk's language."""
    return _("Times: write the days like {days}").format(days=example_days())


def parse_days(text: str) -> list[str]:
    """Return day codes ("MO", "TH") for days written as words, in English or in the
    kiosk's language ("pon., czw."); raises TimesError."""
    known = {**DAY_CODES, **day_names_to_codes()}
    words = [w for w in re.split(r"[\s,/&+]+|\band\b", text.strip().casefold()) if w]
    if not words:
        raise TimesError(days_help())
    codes: list[str] = []
    for word in words:
        code = known.get(word.rstrip("."))
        if code is None:
            raise TimesError(days_help())
        if code not in codes:
            codes.append(code)
    return codes


def parse_time(text: str) -> time | None:
    """Return a time written as 14:00, 9.30, 2pm or 2:30pm (None when blank); raises TimesError."""
    cleaned = text.strip().casefold().replace(" ", "")
    if not cleaned:
        return None
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?(am|pm)?", cleaned)
    if match is None:
        raise TimesError(_(TIME_HELP))
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise TimesError(_(TIME_HELP))
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise TimesError(_(TIME_HELP))
    return time(hour, minute)


def _how_often(schedule: Schedule) -> str:
    if schedule.freq is Freq.MONTHLY:
        return "monthly"
    return "fortnightly" if schedule.interval == 2 else "weekly"


class ScheduleRow(Horizontal):
    """One repeating time: days, how often, which week (monthly), opens, closes."""

    def __init__(self, schedule: Schedule | None = None) -> None:
        super().__init__(classes="schedule-row")
        self.original = schedule

    def compose(self) -> ComposeResult:
        """Yield the row's boxes, filled from the schedule it shows."""
        schedule = self.original
        items = (schedule.byday or "").split(",") if schedule and schedule.byday else []
        days = ", ".join(day_abbreviation(item[-2:]) for item in dict.fromkeys(items))
        week = items[0][:-2] if items and items[0][:-2] else "1"
        how = _how_often(schedule) if schedule else "weekly"
        yield Input(
            days, placeholder=_("Days: {days}").format(days=example_days()), classes="row-days"
        )
        yield Select(
            [(_(label), value) for label, value in HOW_OFTEN],
            value=how,
            allow_blank=False,
            classes="row-how",
        )
        which = Select(
            [(_(label), value) for label, value in WHICH_WEEK],
            value=week if week in {v for _l, v in WHICH_WEEK} else "1",
            allow_blank=False,
            classes="row-week",
        )
        which.display = how == "monthly"
        yield which
        opens = schedule.opens_at.strftime("%H:%M") if schedule and schedule.opens_at else ""
        closes = schedule.closes_at.strftime("%H:%M") if schedule and schedule.closes_at else ""
        yield Input(opens, placeholder=_("Opens"), classes="row-opens", max_length=8)
        yield Input(closes, placeholder=_("Closes"), classes="row-closes", max_length=8)
        yield Button("✕", classes="row-remove small-button", tooltip=_("Remove this time"))

    @on(Select.Changed, ".row-how")
    def _how_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.query_one(".row-week", Select).display = event.value == "monthly"

    @on(Button.Pressed, ".row-remove")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        self.remove()

    def to_schedule(self, today: date) -> Schedule:
        """Return the row as a Schedule (keeping what the row does not show); raises ValueError."""
        codes = parse_days(self.query_one(".row-days", Input).value)
        opens = parse_time(self.query_one(".row-opens", Input).value)
        closes = parse_time(self.query_one(".row-closes", Input).value)
        if opens and closes and closes <= opens:
            raise TimesError(_(ORDER_HELP))
        how = str(self.query_one(".row-how", Select).value)
        original = self.original or Schedule()
        update: dict[str, Any] = {"opens_at": opens, "closes_at": closes}
        if how == "monthly":
            week = str(self.query_one(".row-week", Select).value)
            update |= {
                "freq": Freq.MONTHLY,
                "interval": 1,
                "byday": ",".join(week + code for code in codes),
            }
        else:
            update |= {
                "freq": Freq.WEEKLY,
                "interval": 2 if how == "fortnightly" else 1,
                "byday": ",".join(codes),
            }
            # Fortnightly needs an anchor week; without one, this week is the first.
            if how == "fortnightly" and original.dtstart is None:
                update["dtstart"] = today
        if how == _how_often(original) and original.freq is not None:
            update["interval"] = original.interval
        return Schedule.model_validate(original.model_copy(update=update).model_dump())


class ServiceEditorScreen(StaffFormScreen):
    """Edit one service, or (given None) add a new one."""

    AUTO_FOCUS = ""  # set in on_mount: Textual's auto focus would scroll the top away
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="save-service"),
    ]
    FIELDS = ("name", "description", "contact", "schedules", "needs", "areas", "id")

    def __init__(self, service: Service | None) -> None:
        super().__init__(classes="service-editor")
        self.service = service
        self.TITLE_WORDS = _("Add a service") if service is None else _("Edit a service")
        self._saving = False
        """True while a save runs (off the UI thread)."""

    # --- the form ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Yield the bar, the fields and the actions."""
        service = self.service
        kiosk = self.kiosk
        yield from self.compose_bar()
        with VerticalScroll(classes="staff-body form-body", can_focus=False):
            if service is not None:
                yield Static(
                    Content(last_checked(service)), id="checked-words", classes="field-note"
                )
            yield Static("", id="form-problems", classes="field-error")
            yield Static(_("Name"), classes="field-label")
            yield Input(service.name if service else "", id="service-name", max_length=200)
            yield self._error("name")
            yield Static(_("What it is"), classes="field-label")
            yield TextArea(
                service.description if service else "",
                id="service-description",
                soft_wrap=True,
                tab_behavior="focus",
            )
            yield self._error("description")
            yield Static(_("Phone"), classes="field-label")
            phone = service.contact.phones[0].number if service and service.contact.phones else ""
            yield Input(phone, id="service-phone", max_length=40, placeholder="020 8000 0000")
            yield self._error("contact")

            yield Static(_("Times"), classes="field-label")
            with Vertical(id="schedule-rows"):
                for schedule in service.schedules if service else []:
                    if schedule.freq is not None:
                        yield ScheduleRow(schedule)
            for schedule in service.schedules if service else []:
                if schedule.freq is None:
                    yield Static(
                        Content(
                            _("Also (kept as it is): {times}").format(
                                times=schedule_in_words(schedule)
                            )
                        ),
                        classes="field-note",
                    )
            yield Button(_("Add a time"), id="add-time", classes="small-button")
            yield self._error("schedules")

            yield Static(_("Needs"), classes="field-label")
            chosen = set(service.needs) if service else set()
            needs = [*kiosk.tiles, *kiosk.other_needs]
            yield SelectionList[str](
                *[(_(need.label), need.id, need.id in chosen) for need in needs], id="service-needs"
            )
            yield self._error("needs")
            yield Static(
                _("Areas (comma between them, like Church End, Borough-wide)"),
                classes="field-label",
            )
            yield Input(", ".join(service.areas) if service else "", id="service-areas")
            yield self._error("areas")
            yield self._error("id")
        with Horizontal(classes="form-actions"):
            yield Button(_("Save (Ctrl+S)"), id="save", classes="save-button")
            if service is not None:
                yield Button(_("Checked today"), id="checked-today")
                yield Button(_("Retire"), id="retire", classes="quit-button")
            yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        """Put the keyboard on the name."""
        self.set_focus(self.query_one("#service-name"), scroll_visible=False)

    @staticmethod
    def _error(field: str) -> Static:
        error = Static("", id=f"error-{field}", classes="field-error")
        error.display = False
        return error

    @on(Button.Pressed, "#add-time")
    async def _add_time(self, event: Button.Pressed) -> None:
        event.stop()
        row = ScheduleRow()
        await self.query_one("#schedule-rows", Vertical).mount(row)
        row.query_one(".row-days", Input).focus()

    # --- saving -----------------------------------------------------------------------

    def show_problems(self, problems: dict[str, str]) -> None:
        """Show each mistake beside its field, and a line at the top saying how many."""
        first: Static | None = None
        for field in self.FIELDS:
            error = self.query_one(f"#error-{field}", Static)
            message = problems.get(field)
            error.display = message is not None
            if message is not None:
                error.update(Content(message))
                first = first or error
        others = [m for f, m in problems.items() if f not in self.FIELDS]
        self.show_summary(problems, others, first)

    def _form_changes(self) -> dict[str, Any]:
        """Return the service fields as the form has them; raises ServiceEditError."""
        problems: dict[str, str] = {}
        schedules: list[Schedule] = []
        today = self.kiosk.today()
        for row in self.query(ScheduleRow):
            try:
                schedules.append(row.to_schedule(today))
            except TimesError as exc:
                problems.setdefault("schedules", str(exc))
            except ValueError as exc:  # the schedule model refused the row
                problem = str(exc).removeprefix("Value error, ")
                problems.setdefault("schedules", _("Times: {problem}").format(problem=problem))
        # Description-only schedules have no row; keep them.
        if self.service is not None:
            schedules += [s for s in self.service.schedules if s.freq is None]
        if problems:
            raise ServiceEditError(problems)
        phone_text = self.query_one("#service-phone", Input).value.strip()
        contact = self.service.contact if self.service else None
        phones = list(contact.phones) if contact else []
        if phone_text:
            if phones:
                phones[0] = phones[0].model_copy(update={"number": phone_text})
            else:
                phones = [Phone.model_construct(number=phone_text, description=None)]
        elif phones:
            phones = phones[1:]
        contact_doc = contact.model_dump() if contact else {}
        contact_doc["phones"] = [p.model_dump() for p in phones]
        areas = [a.strip() for a in self.query_one("#service-areas", Input).value.split(",")]
        return {
            "name": self.query_one("#service-name", Input).value,
            "description": self.query_one("#service-description", TextArea).text.strip(),
            "contact": contact_doc,
            "schedules": [s.model_dump() for s in schedules],
            "needs": list(self.query_one("#service-needs", SelectionList).selected),
            "areas": [a for a in areas if a],
        }

    def action_save(self) -> None:
        """Save the service, or show what to fix."""
        if self._saving:
            return  # a second Ctrl+S while the first save runs must not save it twice
        kiosk = self.kiosk
        session = self.session
        staff_id = session.staff_id
        try:
            changes = self._form_changes()
            if self.service is None:
                service = validated({"id": str(uuid.uuid4()), **changes})
            else:
                service = validated(self.service.model_dump() | changes)
        except ServiceEditError as exc:
            self.show_problems(exc.problems)
            return
        is_new = self.service is None

        def save() -> Service:
            if is_new:
                return kiosk.hub.add_service(service, staff_id)
            return kiosk.hub.edit_service(service, staff_id)

        # Staff mode may lock while a save runs: the save is made, but nothing of it
        # shows on the visitor's screens (here and below).
        def saved(done: Service) -> None:
            self._saving = False
            if not session.is_open:
                return
            self._close()
            kiosk.notify(
                _("Saved: {name}. Visitors see the change now.").format(name=done.name),
                markup=False,
            )

        def failed(exc: Exception) -> None:
            self._saving = False
            if not session.is_open:
                return
            if isinstance(exc, ServiceEditError):
                self.show_problems(exc.problems)
            else:
                self.show_problems({"record": _("Not saved: {reason}").format(reason=exc)})

        self._saving = True
        save_off_screen(
            self, save, then=saved, failed=failed, expected=(ServiceEditError, NotFound, NotSaved)
        )

    def _close(self) -> None:
        """Close this editor if it is still the screen shown (Lock may have closed it)."""
        if self.is_current:
            self.app.pop_screen()

    @on(Button.Pressed, "#checked-today")
    def _checked_today(self, event: Button.Pressed) -> None:
        event.stop()
        if self.service is None:
            return
        kiosk = self.kiosk
        session = self.session
        service_id, staff_id = self.service.id, session.staff_id

        def saved(service: Service) -> None:
            self.service = service
            if not session.is_open:
                return
            self.query_one("#checked-words", Static).update(Content(last_checked(service)))
            kiosk.notify(_("Noted: {name} checked today.").format(name=service.name), markup=False)

        def failed(exc: Exception) -> None:
            if session.is_open:
                self.show_problems({"record": _("Not saved: {reason}").format(reason=exc)})

        save_off_screen(
            self,
            lambda: kiosk.hub.mark_checked(service_id, staff_id),
            then=saved,
            failed=failed,
            expected=(NotFound, NotSaved),
        )

    @on(Button.Pressed, "#retire")
    def _retire(self, event: Button.Pressed) -> None:
        event.stop()
        service = self.service
        if service is None:
            return
        kiosk = self.kiosk
        session = self.session

        def answered(yes: bool | None) -> None:
            if not yes or not session.is_open:
                return

            def retired(result: object) -> None:
                if not session.is_open:
                    return
                self._close()
                kiosk.notify(
                    _("Retired: {name}. Visitors no longer see it.").format(name=service.name),
                    markup=False,
                )

            def failed(exc: Exception) -> None:
                if session.is_open:
                    self.show_problems({"record": _("Not retired: {reason}").format(reason=exc)})

            save_off_screen(
                self,
                lambda: kiosk.hub.retire_service(service.id, session.staff_id),
                then=retired,
                failed=failed,
                expected=(NotFound, NotSaved),
            )

        self.app.push_screen(
            ConfirmScreen(
                _("Retire {name}?").format(name=service.name),
                _(
                    "Visitors will no longer see it. It is kept, marked closed, "
                    "so the change reaches the coordinator."
                ),
                yes=_("Yes, retire it"),
            ),
            answered,
        )
