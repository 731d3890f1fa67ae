"""What every visitor screen shares: Escape goes back one screen (never past Home)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from screens.kiosk import kiosk_app

if TYPE_CHECKING:
    from screens.app import HubApp


class VisitorScreen(Screen[None]):
    """A full screen a visitor sees. Escape, like the Back button, goes back one step."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "go_back", "Back", show=False),
    ]

    @property
    def kiosk(self) -> HubApp:
        """Return the kiosk app this screen runs in."""
        return kiosk_app(self)

    def action_go_back(self) -> None:
        """Close this screen, unless it is the bottom one (Home)."""
        stack = self.app.screen_stack
        if len(stack) > 1 and self is stack[-1]:
            self.app.pop_screen()
