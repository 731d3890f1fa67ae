"""What every visitor screen shares: Escape goes back one screen (never past Home), and the
arrow keys move between the choices on screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer
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
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
    ]

    SCROLL_BODY: ClassVar[str | None] = None
    """The selector of the words a screen is there to show (a card, urgent help), if any:
    Up and Down scroll it a line and PageUp and PageDown a page, whichever button has the
    keyboard, so nothing on it is out of reach at 80×24."""

    @property
    def kiosk(self) -> HubApp:
        """Return the kiosk app this screen runs in."""
        return kiosk_app(self)

    def _scroll_body(self) -> ScrollableContainer | None:
        """Return the part that scrolls with Up and Down, if this screen has one."""
        if self.SCROLL_BODY is None:
            return None
        return self.query_one(self.SCROLL_BODY, ScrollableContainer)

    def action_arrow_focus(self, direction: Direction) -> None:
        """Scroll the words up or down, if the screen has some; else move the keyboard to
        the nearest choice in the arrow's direction."""
        body = self._scroll_body()
        if body is not None and direction in ("up", "down"):
            body.scroll_relative(y=-1 if direction == "up" else 1, animate=False)
        else:
            move_focus(self, direction)

    def action_page(self, step: int) -> None:
        """Scroll the words a page up or down (all but one line of what shows)."""
        body = self._scroll_body()
        if body is not None:
            body.scroll_relative(
                y=step * max(1, body.scrollable_content_region.height - 1), animate=False
            )

    def action_go_back(self) -> None:
        """Close this screen, unless it is the bottom one (Home)."""
        stack = self.app.screen_stack
        if len(stack) > 1 and self is stack[-1]:
            self.app.pop_screen()
