"""What every visitor screen shares: Escape goes back one screen (never past Home), and the
arrow keys move between the choices on screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from screens.arrow_focus import ARROW_BINDINGS, Direction, move_focus
from screens.kiosk import kiosk_app

if TYPE_CHECKING:
    from screens.app import HubApp


class VisitorScreen(Screen[None]):
    """A full screen a visitor sees. Escape, like the Back button, goes back one step;
    an arrow moves to the nearest choice that way (lists and tiles keep their own)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "go_back", "Back", show=False),
        *ARROW_BINDINGS,
    ]

    @property
    def kiosk(self) -> HubApp:
        """Return the kiosk app this screen runs in."""
        return kiosk_app(self)

    def action_arrow_focus(self, direction: Direction) -> None:
        """Move the keyboard to the nearest choice in the arrow's direction."""
        move_focus(self, direction)

    def action_go_back(self) -> None:
        """Close this screen, unless it is the bottom one (Home)."""
        stack = self.app.screen_stack
        if len(stack) > 1 and self is stack[-1]:
            self.app.pop_screen()
