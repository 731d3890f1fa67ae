"""Something wrong?: a visitor leaves a short note for staff about a service's details.

The note is saved in a thread worker (the form waits, the kiosk does not); a failed save
is shown under the box, and the visitor can send again.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from hub.i18n import _
from hub.models import Service
from screens.arrow_focus import ARROW_BINDINGS, Direction, move_focus
from screens.kiosk import kiosk_app
from screens.saving import save_off_screen
from screens.widgets.plain_input import PlainInput

NOTE_LIMIT = 500


class SomethingWrongScreen(ModalScreen[bool]):
    """A one-box form; dismisses True once the note is saved."""

    AUTO_FOCUS = "#note"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
        *ARROW_BINDINGS,
    ]

    def __init__(self, service: Service) -> None:
        super().__init__(classes="something-wrong")
        self.service = service
        self._sending = False
        """True while a note is being saved: a second press must not save it twice."""

    def compose(self) -> ComposeResult:
        """Yield the question, the privacy warning, the box and the buttons."""
        with Vertical(classes="dialog"):
            yield Static(
                Content.styled(_("Is something wrong with these details?"), "bold"),
                classes="dialog-title",
            )
            yield Static(
                Content(
                    _("Tell the staff what is wrong. For example: “They meet on Thursdays now”.")
                )
            )
            yield Static(
                Content(
                    _("Please do not write your name, phone number or anything about your health.")
                ),
                classes="privacy-warning",
            )
            yield PlainInput(placeholder=_("What is wrong?"), id="note", max_length=NOTE_LIMIT)
            yield Static("", id="note-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Send to staff"), id="send", classes="big-button")
                yield Button(_("Cancel"), id="cancel")

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)

    def action_arrow_focus(self, direction: Direction) -> None:
        """Move between the note and the buttons with the arrows as well as Tab."""
        move_focus(self, direction)

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)

    @on(Input.Submitted, "#note")
    @on(Button.Pressed, "#send")
    def _send(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        if self._sending:
            return
        text = self.query_one("#note", Input).value.strip()
        message = self.query_one("#note-message", Static)
        if not text:
            message.update(Content(_("Please write what is wrong first.")))
            return
        message.update("")
        self._sending = True
        hub, service_id = kiosk_app(self).hub, self.service.id
        save_off_screen(
            self,
            lambda: hub.leave_suggestion(service_id, text),
            then=lambda note: self._saved(),
            failed=lambda exc: self._not_saved(),
        )

    # The visitor may have gone while the note was saved (the idle reset closes this
    # screen): the note is kept, and its answer is for nobody.
    def _not_saved(self) -> None:
        self._sending = False
        if not self.is_current:
            return
        # Stays under the box until the visitor sends again or closes the form.
        self.query_one("#note-message", Static).update(
            Content(_("Not saved — please tell a member of staff."))
        )

    def _saved(self) -> None:
        if not self.is_current:
            return
        kiosk = kiosk_app(self)
        self.dismiss(True)
        kiosk.show_message(_("Thank you. Staff will check it."))
