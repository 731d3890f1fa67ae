"""Urgent help: who to call now, in large type. One key or click in, one out."""

from __future__ import annotations

import re
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Digits, Static

from hub.i18n import _
from hub.models import UrgentHelp, UrgentLine
from screens.visitor import VisitorScreen
from screens.widgets.listen import ListenButton
from screens.widgets.top_bar import TopBar
from screens.words import long_date

URGENT_IDLE_SECONDS = 300.0
"""Five minutes: someone may be on the phone to one of these numbers, not touching the
kiosk, and must not come back to "Are you still there?" or a reset."""

_NUMBER = re.compile(r"\d[\d ]{1,16}\d")


def number_to_call(line: UrgentLine) -> str | None:
    """Return the phone number in a line's "how" ("Call 116 123. It is free" -> "116 123")."""
    match = _NUMBER.search(line.how)
    return match.group().strip() if match else None


class UrgentScreen(VisitorScreen):
    """The urgent help lines, each with its number drawn large."""

    AUTO_FOCUS = "#back"
    SCROLL_BODY = ".urgent-lines"
    MIN_IDLE_SECONDS: ClassVar[float] = URGENT_IDLE_SECONDS
    """The idle prompt waits at least this long here (the app's check reads it)."""

    def __init__(self, urgent: UrgentHelp) -> None:
        super().__init__(classes="urgent-screen")
        self.urgent = urgent

    def compose(self) -> ComposeResult:
        """Yield the bar and one block per line: the number large, the words beside it."""
        yield TopBar(_("Urgent help"), urgent=False)
        # Not focusable: Back keeps the keyboard, and the arrows scroll the lines from there.
        with VerticalScroll(classes="urgent-lines", can_focus=False):
            for line in self.urgent.lines:
                with Horizontal(classes="urgent-line"):
                    number = number_to_call(line)
                    if number:
                        yield Digits(number, classes="urgent-number")
                    with Vertical(classes="urgent-words"):
                        yield Static(Content.styled(_(line.name), "bold"), classes="urgent-name")
                        yield Static(Content(_(line.how)), classes="urgent-how")
                        yield Static(Content(_(line.when)), classes="urgent-when")
            yield Static(
                Content(
                    _("These numbers were last checked on {date}.").format(
                        date=long_date(self.urgent.last_checked)
                    )
                ),
                classes="urgent-checked",
            )
        with Horizontal(classes="urgent-actions"):
            yield ListenButton(shown=self.kiosk.can_listen)

    def on_mount(self) -> None:
        """Show the Listen row only when Listen is shown (it is empty otherwise)."""
        self.query_one(".urgent-actions").display = self.kiosk.can_listen

    def words_to_read(self) -> str:
        """Return what Listen reads: each line's name, how to reach it and when."""
        lines = [_("Urgent help")]
        for line in self.urgent.lines:
            lines += [f"{_(line.name)}.", _(line.how), _(line.when)]
        return "\n".join(lines)
