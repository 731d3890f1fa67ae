"""What the kiosk shows when it cannot open its data folder: calm words, not a shell.

A visitor walking up to a kiosk whose data folder is unsafe (owned by another user,
a link) or unusable (not a folder, a damaged file) sees a calm page; staff
see the reason in one line at the foot. No key closes it (a visitor must never reach a
shell): whoever looks after the PC stops it (SIGTERM or SIGHUP, e.g. by restarting the
kiosk's session), and the `hub` command then prints the same `error:` line and exits 1.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from hub.i18n import _
from screens.process import CalmApp


class CannotStartApp(CalmApp[None], inherit_bindings=False):
    """One calm page saying the kiosk is not working, with the reason for staff."""

    TITLE = "Community Hub"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    Screen { align: center middle; }
    #cannot-start {
        width: 70; max-width: 100%; height: auto; padding: 1 2; border: thick $primary;
    }
    #cannot-start Static { height: auto; margin-bottom: 1; }
    #staff-reason { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        # As in the kiosk: keys that would quit, suspend or open tools do nothing.
        Binding(
            "ctrl+q,ctrl+c,ctrl+backslash,ctrl+z,ctrl+p,ctrl+d,ctrl+w",
            "nothing",
            show=False,
            priority=True,
        ),
    ]

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason

    def compose(self) -> ComposeResult:
        """Yield the calm words and, last, the reason for staff."""
        with Vertical(id="cannot-start"):
            yield Static(Content.styled(_("Sorry, this kiosk is not working just now."), "bold"))
            yield Static(Content(_("Please tell a member of staff.")))
            yield Static(
                Content(_("For staff: {reason}").format(reason=self.reason)), id="staff-reason"
            )

    def action_nothing(self) -> None:
        """Do nothing: the key is claimed so that it cannot quit or suspend."""

    async def action_quit(self) -> None:
        """Ignore: visitors cannot quit."""

    def action_suspend_process(self) -> None:
        """Ignore: suspending would drop the visitor to a shell."""
