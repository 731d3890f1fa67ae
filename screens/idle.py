""" "Are you still there?": a countdown with one big button, before the kiosk resets.

WCAG 2.2.1 asks for at least 20 seconds and a simple way to carry on. Any key or click
counts as "still here", as well as the button itself.
"""

from __future__ import annotations

import math
from datetime import datetime

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Digits, Static

from hub.i18n import _, ngettext
from screens.kiosk import kiosk_app


class IdleScreen(ModalScreen[bool]):
    """Asks whether the visitor is still there; dismisses True (yes) or False (time up)."""

    AUTO_FOCUS = "#still-here"

    def __init__(self, deadline: datetime) -> None:
        super().__init__(classes="idle-screen")
        self.deadline = deadline
        self._answered = False

    def compose(self) -> ComposeResult:
        """Yield the question, the seconds left, and the button."""
        with Vertical(classes="dialog idle-dialog"):
            yield Static(Content.styled(_("Are you still there?"), "bold"), classes="dialog-title")
            yield Digits(str(self.seconds_left()), classes="idle-count")
            yield Static(Content(self._words()), classes="idle-words")
            yield Button(_("Yes, I'm still here"), id="still-here", classes="big-button")

    def seconds_left(self) -> int:
        """Return the whole seconds until the kiosk resets (never below 0)."""
        left = (self.deadline - kiosk_app(self).clock()).total_seconds()
        return max(0, math.ceil(left))

    def _words(self) -> str:
        seconds = self.seconds_left()
        return ngettext(
            "In {seconds} second this screen will go back to the start and clear what was typed.",
            "In {seconds} seconds this screen will go back to the start and clear what was typed.",
            seconds,
        ).format(seconds=seconds)

    def answer(self, still_here: bool) -> None:
        """Close the question once (a key and a click together must not close it twice)."""
        if not self._answered:
            self._answered = True
            self.dismiss(still_here)

    def tick(self) -> None:
        """Update the countdown; when it reaches zero, time is up."""
        if self.seconds_left() <= 0:
            self.answer(False)
            return
        # The app's one-second timer can still fire while the app closes and this screen's
        # parts are already gone: then there is nothing to update.
        for count in self.query(".idle-count").results(Digits):
            count.update(str(self.seconds_left()))
        for words in self.query(".idle-words").results(Static):
            words.update(Content(self._words()))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The big button: still here."""
        event.stop()
        self.answer(True)

    def on_key(self, event: events.Key) -> None:
        """Any key means someone is there."""
        event.stop()
        self.answer(True)

    def on_click(self, event: events.Click) -> None:
        """Any click or tap means someone is there."""
        event.stop()
        self.answer(True)
