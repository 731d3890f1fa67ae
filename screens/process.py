"""How the kiosk copes when something goes wrong: calm words, never a crash or a PIN.

* A save that fails (a full disk, a read-only folder) is shown as NOT_SAVED, a calm
  message that stays until it is clicked away or the next key or click, and the kiosk
  keeps running. Screens catch the Hub's `NotSaved` around every write and call
  `show_not_saved`.
* Anything else a visitor must read (a confirmation, an error) is shown the same way with
  `show_message`: it stays until clicked away or the next key or click, never a toast that
  vanishes after a few seconds, before a slow reader has read it.
* If the app does stop on an error, the traceback it prints has no local variables
  (Textual's default shows them, and one of them was a typed PIN), and the exit status
  is 1 (the CLI passes `return_code` on).
* SIGTERM and SIGHUP end the app the ordinary way, so the terminal is put back as it was
  (alternate screen left, cursor shown, mouse reporting off) instead of left garbled.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import TypeVar

import rich
from rich.segment import Segments
from rich.traceback import Traceback
from textual import events
from textual.app import App
from textual.notifications import SeverityLevel

log = logging.getLogger(__name__)

NOT_SAVED = "Not saved — please tell a member of staff."
NOT_SAVED_TITLE = "Something went wrong"
NOT_SAVED_SECONDS = 600.0
"""Long enough to be read and acted on; the next key or click takes it away sooner."""
MESSAGE_SECONDS = 600.0
"""How long a visitor's message may stay with nobody there: the next key or click, or the
idle reset (two minutes by default), takes it away sooner."""

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)

ResultType = TypeVar("ResultType")


class CalmApp(App[ResultType]):
    """An App that fails calmly: no locals in tracebacks, signals end it cleanly.

    Textual has no public switch for either, so the one private method that renders a
    crash (`_fatal_error`) is overridden; it is small and tested (tests/ui/test_failures).
    """

    _message_showing = False

    def on_mount(self) -> None:
        """Let SIGTERM and SIGHUP close the app (and so restore the terminal)."""
        if self.is_headless:
            return  # under Pilot the test runner owns the process's signals
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            try:
                loop.add_signal_handler(signum, self.stop_on_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):
                log.debug("cannot handle signal %s here", signum)

    def stop_on_signal(self, signum: int) -> None:
        """Exit as if closed normally, with the shell's 128+N status for a signal."""
        self.exit(return_code=128 + signum)

    def _fatal_error(self) -> None:
        """Exit after an unhandled exception, printing its traceback without locals."""
        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()

    # --- "Not saved" ---------------------------------------------------------------------

    def show_not_saved(self, words: str = NOT_SAVED) -> None:
        """Show a calm "Not saved" message; it stays until clicked or the next key or click."""
        self.show_message(words, title=NOT_SAVED_TITLE, severity="warning")

    def show_message(
        self, words: str, *, title: str = "", severity: SeverityLevel = "information"
    ) -> None:
        """Show a message a visitor must read; it stays until clicked or the next key or click.

        The words are shown as typed, never as markup (a reason may name a file or a service).
        """
        self.notify(
            words,
            title=title,
            severity=severity,
            timeout=MESSAGE_SECONDS,
            markup=False,
        )
        self._message_showing = True

    def dismiss_messages(self, event: events.Event) -> None:
        """Take the messages away at the next key or click (called from on_event)."""
        if self._message_showing and isinstance(event, events.Key | events.MouseDown):
            self._message_showing = False
            self.clear_notifications()
