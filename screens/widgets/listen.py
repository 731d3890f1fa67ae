"""The Listen button: shown only where the kiosk can read the screen aloud.

Pressing it (or F2, the app's key) asks the app to read the screen's words; the app
answers (`HubApp.action_listen`), and any key or click stops the speech at once.
"""

from __future__ import annotations

from textual.widgets import Button

from hub.i18n import _
from screens.kiosk import kiosk_app


def listen_label() -> str:
    """Return the Listen button's words, with the key that does the same."""
    return _("Listen (F2)")


class ListenButton(Button):
    """Listen: hidden (and out of the keyboard's way) unless read aloud is on and works."""

    def __init__(self) -> None:
        super().__init__(listen_label(), id="listen", classes="listen-button")

    def on_mount(self) -> None:
        """Show the button only when this PC can read aloud in the visitor's language."""
        self.refresh_shown()

    def refresh_shown(self) -> None:
        """Show or hide the button for the kiosk's current setting and language."""
        self.display = kiosk_app(self).can_listen
