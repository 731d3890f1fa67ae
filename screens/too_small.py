"""A calm note over everything while the window is smaller than the kiosk is made for.

Below 80×24 the tiles, the card and the QR code cannot be drawn properly, and a QR code cut
off cannot be read. Rather than show a broken screen, the kiosk asks for a bigger window and
takes the note away by itself as soon as there is room. F1 still opens urgent help.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

from hub.i18n import _

MINIMUM_SIZE = Size(80, 24)
"""The smallest terminal the kiosk's screens are laid out for (columns, lines)."""


def is_too_small(size: Size) -> bool:
    """Return True when the terminal is narrower or shorter than MINIMUM_SIZE."""
    return size.width < MINIMUM_SIZE.width or size.height < MINIMUM_SIZE.height


class TooSmallScreen(ModalScreen[None]):
    """'Please make this window bigger', until it is. No key closes it; a resize does."""

    def compose(self) -> ComposeResult:
        """Yield the request and the size needed, in plain words."""
        yield Static(
            Content.assemble(
                Content.styled(_("Please make this window bigger"), "bold"),
                "\n\n",
                _("This screen needs at least {columns} × {lines} characters.").format(
                    columns=MINIMUM_SIZE.width, lines=MINIMUM_SIZE.height
                ),
                "\n\n",
                _("For urgent help press F1."),
            ),
            classes="too-small",
        )

    def on_screen_resume(self) -> None:
        """Close at once if the window grew while urgent help was over this note."""
        if not is_too_small(self.app.size):
            self.dismiss(None)
