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
* A terminal that goes away (its window closed, its connection dropped) ends the app too:
  a watch thread sees the hang-up on stdin. Leaving cleanly writes to the terminal, which
  can block for ever when nobody reads it, so every stop is backed by a hard exit a few
  seconds later; nothing is lost by it, because every save is already whole on disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import select
import signal
import sys
import threading
from typing import TypeVar

import rich
from rich.segment import Segments
from textual import events
from textual.app import App
from textual.notifications import SeverityLevel

from hub.i18n import N_, _

log = logging.getLogger(__name__)

NOT_SAVED = N_("Not saved — please tell a member of staff.")
NOT_SAVED_TITLE = N_("Something went wrong")
NOT_SAVED_SECONDS = 600.0
"""Long enough to be read and acted on; the next key or click takes it away sooner."""
MESSAGE_SECONDS = 600.0
"""How long a visitor's message may stay with nobody there: the next key or click, or the
idle reset (two minutes by default), takes it away sooner."""

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)

HARD_EXIT_SECONDS = 5.0
"""How long a stop may take to put the terminal back before the process just ends."""
HANGUP_CHECK_SECONDS = 1.0
"""How often the watch thread looks for a terminal that has gone away."""
_HANGUP = select.POLLHUP | select.POLLERR | select.POLLNVAL

ResultType = TypeVar("ResultType")


def _exit_soon(status: int) -> None:
    """End the process `HARD_EXIT_SECONDS` from now unless it has ended by itself."""
    timer = threading.Timer(HARD_EXIT_SECONDS, os._exit, args=(status,))
    timer.daemon = True
    timer.start()


def terminal_has_gone(fd: int) -> bool:
    """Return True when `fd` (the app's stdin) reports a hang-up: its terminal is gone."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return any(events & _HANGUP for _, events in poller.poll(0))


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
        if sys.stdin is not None and sys.stdin.isatty():
            threading.Thread(
                target=self._watch_terminal, args=(sys.stdin.fileno(),), daemon=True
            ).start()

    def _watch_terminal(self, fd: int) -> None:
        """In a thread: when the terminal hangs up, stop as for SIGHUP (and surely end).

        A process started without a controlling terminal gets no SIGHUP when its terminal
        closes, and Textual's input thread then spins on the dead terminal; so look.
        """
        while not terminal_has_gone(fd):
            threading.Event().wait(HANGUP_CHECK_SECONDS)
            if self._exit_armed:
                return
        status = 128 + signal.SIGHUP
        _exit_soon(status)
        with contextlib.suppress(RuntimeError):  # the app may have stopped already
            self.call_from_thread(self.exit, return_code=status)

    _exit_armed = False

    def stop_on_signal(self, signum: int) -> None:
        """Exit as if closed normally, with the shell's 128+N status for a signal.

        The hard exit behind it ends the process if putting the terminal back blocks.
        """
        if not self._exit_armed:
            self._exit_armed = True
            _exit_soon(128 + signum)
        self.exit(return_code=128 + signum)

    def _fatal_error(self) -> None:
        """Exit after an unhandled exception, printing its traceback without locals."""
        from rich.traceback import Traceback  # with pygments: only when something broke

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()

    # --- "Not saved" ---------------------------------------------------------------------

    def show_not_saved(self, words: str = NOT_SAVED) -> None:
        """Show a calm "Not saved" message; it stays until clicked or the next key or click."""
        self.show_message(_(words), title=_(NOT_SAVED_TITLE), severity="warning")

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
