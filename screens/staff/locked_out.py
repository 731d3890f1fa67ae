"""A colleague locked out by wrong PINs, on staff home: one press lets them sign in again.

A known staff name typed wrong five times locks that name for five minutes, and anyone
at the kiosk can do that on purpose. Any other signed-in staff member can undo it here
(the audit log notes who); `hub staff unlock NAME` does the same at the terminal.
"""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Static

from hub.i18n import _
from hub.schedule import LONDON, format_time
from hub.staff import StaffError, StaffMember
from screens.kiosk import kiosk_app
from screens.staff.staff_session import act_as_staff, take_row_away


class LockedOutRow(Horizontal):
    """One locked-out colleague: their name, until when, and Unlock."""

    def __init__(self, member: StaffMember, until: datetime) -> None:
        super().__init__(classes="locked-out-row staff-row")
        self.member = member
        self.until = until

    def compose(self) -> ComposeResult:
        """Yield the words and the Unlock button."""
        at = format_time(self.until.astimezone(LONDON))
        yield Static(
            Content.assemble(
                Content.styled(self.member.name, "bold"),
                " · ",
                _("too many wrong PINs; locked until {time}").format(time=at),
            ),
            classes="row-words",
        )
        yield Button(_("Unlock"), classes="unlock-colleague small-button")

    @on(Button.Pressed, ".unlock-colleague")
    def _unlock(self, event: Button.Pressed) -> None:
        event.stop()
        kiosk = kiosk_app(self)
        name = self.member.name
        # StaffError: removed meanwhile, nothing left to unlock; the row goes either way.
        act_as_staff(
            self,
            lambda staff_id: kiosk.hub.clear_lockout(name, actor=staff_id),
            then=self._unlocked,
            busy=event.button,
            done_already=(StaffError,),
        )

    def _unlocked(self) -> None:
        kiosk = kiosk_app(self)
        take_row_away(self)
        # A staff name is data: "[/]" in it must show as typed, never act as markup.
        kiosk.notify(_("{name} can sign in again now.").format(name=self.member.name), markup=False)
