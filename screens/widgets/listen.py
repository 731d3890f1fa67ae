"""The Listen button: shown only where the kiosk can read the screen aloud.

Pressing it (or F2, the app's key) asks the app to read the screen's words; the app
answers (`HubApp.action_listen`), and any key or click stops the speech at once.
"""

from __future__ import annotations

from textual.widgets import Button

from hub.i18n import _


def listen_label() -> str:
    """Return the Listen button's words, with the key that does the same."""
    return _("Listen (F2)")


class ListenButton(Button):
    """Listen: hidden (and out of the keyboard's way) unless read aloud is on and works.

    The screen says whether to show it (`HubApp.can_listen`): a widget never asks the app.
    """

    def __init__(self, *, shown: bool) -> None:
        super().__init__(listen_label(), id="listen", classes="listen-button")
        self.display = shown
