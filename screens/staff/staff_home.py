"""Staff home: what to do next, today's referrals, follow-ups due and visitors' notes.

The lists are read again each time staff home comes back to the front, so a referral
just recorded, or a note just accepted, shows at once. At 80×24 they run below the
window: Down and Up move the page a line, PageDown and PageUp a page, whichever button
has the keyboard (Tab still moves between the buttons and scrolls to each).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from hub.coordinator_desk import CoordinatorDesk
from hub.i18n import N_, _
from hub.models import METHOD_LABELS, Referral
from hub.schedule import LONDON, format_time
from screens.kiosk import kiosk_app
from screens.staff.follow_ups import FollowUpRow
from screens.staff.locked_out import LockedOutRow
from screens.staff.staff_session import ConfirmScreen, StaffScreen
from screens.staff.suggestions_review import SuggestionRow

NOT_SET_UP = N_(
    "This hub is not set up yet, so referrals cannot be recorded. "
    'Whoever looks after the kiosk should run: hub setup --name "HUB NAME"'
)


def referral_line(referral: Referral, need_label: dict[str, str]) -> Content:
    """Return one of today's referrals as a line: time, service, how, needs."""
    at = format_time(referral.recorded_at.astimezone(LONDON))
    needs = ", ".join(need_label.get(n, n) for n in referral.needs) or _("no needs chosen")
    return Content.assemble(
        f"{at}  ",
        Content.styled(referral.service_name, "bold"),
        f" · {_(METHOD_LABELS[referral.method])} · {needs}",
    )


class StaffLists(Vertical):
    """Today's referrals, follow-ups due and visitors' notes, read from the store."""

    def compose(self) -> ComposeResult:
        """Yield the three lists, each with a heading that says how many."""
        kiosk = kiosk_app(self)
        data = kiosk.hub
        session = kiosk.staff_session
        hub = session.hub if session is not None else None
        labels = {need.id: _(need.label) for need in [*kiosk.tiles, *kiosk.other_needs]}

        # Shown only while someone is locked out: most days there is nothing to say.
        locked = data.locked_out_staff()
        if locked:
            yield Static(
                Content.styled(_("Locked out ({count})").format(count=len(locked)), "bold"),
                classes="h",
            )
            for member, until in locked:
                yield LockedOutRow(member, until)

        today = data.todays_referrals(hub.id) if hub else []
        yield Static(
            Content.styled(_("Today's referrals ({count})").format(count=len(today)), "bold"),
            classes="h",
        )
        if not today:
            yield Static(_("None yet today."), classes="staff-empty")
        for referral in today:
            yield Static(referral_line(referral, labels), classes="today-referral")

        due = data.follow_ups_due(hub.id) if hub else []
        heading = _("Follow-ups due this week or overdue ({count})").format(count=len(due))
        yield Static(Content.styled(heading, "bold"), classes="h")
        if not due:
            yield Static(_("Nothing due this week."), classes="staff-empty")
        for referral in due:
            yield FollowUpRow(referral)

        notes = data.open_suggestions()
        yield Static(
            Content.styled(
                _("Visitors' “Something wrong?” notes ({count})").format(count=len(notes)), "bold"
            ),
            classes="h",
        )
        if not notes:
            yield Static(_("No notes to check."), classes="staff-empty")
        for note in notes:
            service = data.service(note.service_id)
            yield SuggestionRow(note, service.name if service else _("A service no longer listed"))


class StaffHomeScreen(StaffScreen):
    """The first staff screen: actions, then the lists."""

    TITLE_WORDS = N_("Staff home")
    AUTO_FOCUS = "#record-referral"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "scroll_body('down')", "Scroll down", show=False),
        Binding("up", "scroll_body('up')", "Scroll up", show=False),
        Binding("pagedown", "scroll_body('page_down')", "Page down", show=False),
        Binding("pageup", "scroll_body('page_up')", "Page up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="staff-home")

    def compose(self) -> ComposeResult:
        """Yield the bar, the actions and the lists."""
        yield from self.compose_bar()
        with VerticalScroll(id="staff-home-body", classes="staff-body", can_focus=False):
            if self.session.hub is None:
                yield Static(Content(_(NOT_SET_UP)), classes="staff-warning")
            with Grid(classes="staff-actions"):
                yield Button(_("Record a referral"), id="record-referral")
                yield Button(_("Edit the directory"), id="edit-directory")
                yield Button(_("Add a service"), id="add-service")
                yield Button(self._needs_checking_words(), id="needs-checking")
                yield Button(_("Export to coordinator"), id="export")
                yield Button(_("Import files"), id="import")
                yield Button(_("Coordinator dashboard"), id="dashboard")
                yield Button(_("Lock"), id="lock-home", classes="lock-button")
                yield Button(_("Quit kiosk"), id="quit-kiosk", classes="quit-button")
            yield StaffLists(id="staff-lists")

    def action_scroll_body(self, how: str) -> None:
        """Scroll the lists a line ("down", "up") or a page ("page_down", "page_up").

        The body cannot take the keyboard itself (a button has it), so the screen moves it.
        """
        body = self.query_one("#staff-home-body", VerticalScroll)
        moves = {
            "down": body.scroll_down,
            "up": body.scroll_up,
            "page_down": body.scroll_page_down,
            "page_up": body.scroll_page_up,
        }
        move = moves.get(how)
        if move is not None:
            move(animate=False)

    def _needs_checking_words(self) -> str:
        count = len(self.kiosk.hub.needs_checking())
        return _("Needs checking ({count})").format(count=count)

    def on_screen_resume(self) -> None:
        """Read the lists again: something may have been recorded or changed meanwhile."""
        if not self.is_mounted or self.kiosk.staff_session is None:
            return
        self.query_one("#needs-checking", Button).label = self._needs_checking_words()
        self.query_one(StaffLists).refresh(recompose=True)

    # --- actions ------------------------------------------------------------------------

    def _desk(self) -> CoordinatorDesk:
        """Return the coordinator screens' door to the data, over this kiosk's Hub."""
        return CoordinatorDesk(self.kiosk.hub)

    def _open(self, screen: Screen[Any]) -> None:
        self.app.push_screen(screen)

    @on(Button.Pressed, "#record-referral")
    def _record(self, event: Button.Pressed) -> None:
        event.stop()
        from screens.staff.service_picker import ServicePickerScreen

        session = self.session
        self._open(
            ServicePickerScreen(
                _("Record a referral: choose the service"), session.refer, nothing_suitable=True
            )
        )

    @on(Button.Pressed, "#edit-directory")
    def _edit(self, event: Button.Pressed) -> None:
        event.stop()
        from screens.staff.service_editor import ServiceEditorScreen
        from screens.staff.service_picker import ServicePickerScreen

        def edit(service: Any) -> None:
            self.app.push_screen(ServiceEditorScreen(service))

        self._open(ServicePickerScreen(_("Edit the directory: choose a service"), edit))

    @on(Button.Pressed, "#add-service")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        from screens.staff.service_editor import ServiceEditorScreen

        self._open(ServiceEditorScreen(None))

    @on(Button.Pressed, "#needs-checking")
    def _needs_checking(self, event: Button.Pressed) -> None:
        event.stop()
        from screens.staff.needs_checking import NeedsCheckingScreen

        self._open(NeedsCheckingScreen())

    @on(Button.Pressed, "#export")
    def _export(self, event: Button.Pressed) -> None:
        event.stop()
        from screens.coordinator.export_bundle import ExportBundleScreen

        self._open(ExportBundleScreen(self._desk(), self.session.staff_id))

    @on(Button.Pressed, "#import")
    def _import(self, event: Button.Pressed) -> None:
        event.stop()
        from screens.coordinator.import_files import ImportFilesScreen

        self._open(ImportFilesScreen(self._desk(), self.session.staff_id))

    @on(Button.Pressed, "#dashboard")
    def _dashboard(self, event: Button.Pressed) -> None:
        event.stop()
        from screens.coordinator.dashboard import DashboardScreen

        self._open(DashboardScreen(self._desk()))

    @on(Button.Pressed, "#lock-home")
    def _lock(self, event: Button.Pressed) -> None:
        event.stop()
        self.session.lock()

    @on(Button.Pressed, "#quit-kiosk")
    def _quit(self, event: Button.Pressed) -> None:
        event.stop()
        session = self.session

        def answered(yes: bool | None) -> None:
            if yes and session.is_open:
                session.quit_kiosk()

        self.app.push_screen(
            ConfirmScreen(
                _("Close the kiosk?"),
                _(
                    "Visitors cannot use it again until someone starts it. "
                    "To step away for a while, use Lock instead."
                ),
                yes=_("Yes, close the kiosk"),
            ),
            answered,
        )
