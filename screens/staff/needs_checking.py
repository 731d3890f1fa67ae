"""Services nobody has checked for six months (or ever): check each, then say so.

Urgent lines whose number and hours nobody has confirmed against their source for six
months (or ever) are listed too: those live in data files (data/urgent.json, and the
hub's own urgent.local.json), so the list says where to confirm and what to update.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from hub.directory_edits import CHECK_EVERY_DAYS
from hub.i18n import N_, _, ngettext
from hub.kiosk_service import NotFound, NotSaved
from hub.models import Service, UrgentLine
from hub.urgent import urgent_lines_to_check
from screens.kiosk import kiosk_app
from screens.staff.staff_session import StaffScreen, act_as_staff, take_row_away
from screens.words import last_checked, long_date, main_phone


class CheckRow(Horizontal):
    """One service to check: name, when last checked, phone; Checked today and Edit."""

    class Checked(Message):
        """Its service was saved as checked today: the row goes from the list."""

        def __init__(self, row: CheckRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, service: Service) -> None:
        super().__init__(classes="check-row staff-row")
        self.service = service

    def compose(self) -> ComposeResult:
        """Yield the words and the two buttons."""
        phone = main_phone(self.service)
        yield Static(
            Content.assemble(
                Content.styled(self.service.name, "bold"),
                "\n",
                last_checked(self.service),
                " · ",
                _("Phone {number}").format(number=phone) if phone else _("No phone listed"),
            ),
            classes="row-words",
        )
        yield Button(_("Checked today"), classes="checked small-button")
        yield Button(_("Edit"), classes="edit small-button")

    @on(Button.Pressed, ".checked")
    def _checked(self, event: Button.Pressed) -> None:
        event.stop()
        hub = kiosk_app(self).hub
        service_id = self.service.id
        act_as_staff(
            self,
            lambda staff_id: hub.mark_checked(service_id, staff_id),
            then=lambda: self.post_message(self.Checked(self)),
            busy=event.button,
            not_saved=(NotFound, NotSaved),
        )

    @on(Button.Pressed, ".edit")
    def _edit(self, event: Button.Pressed) -> None:
        event.stop()
        from screens.staff.service_editor import ServiceEditorScreen

        kiosk = kiosk_app(self)
        service = kiosk.hub.service(self.service.id) or self.service
        kiosk.push_screen(ServiceEditorScreen(service))


class CheckList(Vertical):
    """The services due a check, read from the store."""

    def compose(self) -> ComposeResult:
        """Yield how many, then a row for each."""
        kiosk = kiosk_app(self)
        due = kiosk.hub.needs_checking()
        yield Static(_how_many_due(len(due)), classes="field-note due-count")
        for service in due:
            yield CheckRow(service)
        lines = urgent_lines_to_check(kiosk.urgent, kiosk.today())
        if lines:
            yield Static(
                Content(
                    ngettext(
                        "{count} urgent line to confirm: check the number and hours on "
                        "the page shown, then update the date in urgent.json (or the hub's "
                        "urgent.local.json).",
                        "{count} urgent lines to confirm: check the number and hours on "
                        "the page shown, then update the date in urgent.json (or the hub's "
                        "urgent.local.json).",
                        len(lines),
                    ).format(count=len(lines))
                ),
                classes="field-note urgent-check-note",
            )
            for line in lines:
                yield Static(_urgent_line_words(line), classes="row-words urgent-check-row")

    @on(CheckRow.Checked)
    def _row_checked(self, message: CheckRow.Checked) -> None:
        """Take the checked row away, and count the rows left."""
        message.stop()
        left = [row for row in self.query(CheckRow) if row is not message.row]
        take_row_away(message.row)
        self.query_one(".due-count", Static).update(_how_many_due(len(left)))


def _how_many_due(count: int) -> Content:
    """Return the words above the list: how many services are due a check, and what to do."""
    if not count:
        return Content(_("Every service has been checked in the last six months."))
    return Content(
        ngettext(
            "{count} service not checked for {days} days or more. "
            "Phone it, fix what has changed, then press Checked today.",
            "{count} services not checked for {days} days or more. "
            "Phone them, fix what has changed, then press Checked today.",
            count,
        ).format(count=count, days=CHECK_EVERY_DAYS)
    )


def _urgent_line_words(line: UrgentLine) -> Text:
    """Return an urgent line to confirm: its name, how, when it was last checked, and where."""
    checked = long_date(line.checked) if line.checked else _("never")
    text = Text()
    text.append(line.name, style="bold")
    text.append(f" · {line.how}\n")
    text.append(_("Last checked: {date} · {source}").format(date=checked, source=line.source))
    return text


class NeedsCheckingScreen(StaffScreen):
    """The Needs checking list."""

    TITLE_WORDS = N_("Needs checking")

    def compose(self) -> ComposeResult:
        """Yield the bar and the list."""
        yield from self.compose_bar()
        with VerticalScroll(classes="staff-body", can_focus=False):
            yield CheckList()

    def on_screen_resume(self) -> None:
        """Read the list again after an edit."""
        if self.is_mounted and self.kiosk.staff_session is not None:
            self.query_one(CheckList).refresh(recompose=True)
