"""A visitor's "Something wrong?" note on staff home: accept it (then fix it) or dismiss it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Static

from hub.i18n import _
from hub.kiosk_service import NotFound
from hub.models import Suggestion
from hub.schedule import format_day
from screens.kiosk import kiosk_app
from screens.staff.staff_session import act_as_staff, take_row_away


class SuggestionRow(Horizontal):
    """One note: what the visitor wrote, about which service, with Accept and Dismiss."""

    def __init__(self, note: Suggestion, service_name: str) -> None:
        super().__init__(classes="suggestion-row staff-row")
        self.note = note
        self.service_name = service_name

    def compose(self) -> ComposeResult:
        """Yield the note and its two buttons."""
        yield Static(
            Content.assemble(
                Content.styled(self.service_name, "bold"),
                f" ({format_day(self.note.day)})\n",
                f"“{self.note.text}”",
            ),
            classes="row-words",
        )
        yield Button(_("Accept and fix"), classes="accept small-button")
        yield Button(_("Dismiss"), classes="dismiss small-button")

    @on(Button.Pressed, ".accept")
    def _accept(self, event: Button.Pressed) -> None:
        event.stop()
        self._handle(accept=True)

    @on(Button.Pressed, ".dismiss")
    def _dismiss(self, event: Button.Pressed) -> None:
        event.stop()
        self._handle(accept=False)

    def _handle(self, *, accept: bool) -> None:
        kiosk = kiosk_app(self)
        handle = kiosk.hub.accept_suggestion if accept else kiosk.hub.dismiss_suggestion
        note_id = self.note.id
        # NotFound: someone else dealt with it; it goes from the list either way.
        act_as_staff(
            self,
            lambda staff_id: handle(note_id, staff_id),
            then=lambda: self._handled(accept=accept),
            busy=self,
            done_already=(NotFound,),
        )

    def _handled(self, *, accept: bool) -> None:
        kiosk = kiosk_app(self)
        take_row_away(self)
        service = kiosk.hub.service(self.note.service_id)
        if accept and service is not None:
            from screens.staff.service_editor import ServiceEditorScreen

            kiosk.push_screen(ServiceEditorScreen(service))
