"""Urgent help: who to call now, in large type. One key or click in, one out."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Digits, Static

from hub.i18n import _
from hub.models import UrgentHelp, UrgentLine
from screens.visitor import VisitorScreen
from screens.widgets.top_bar import TopBar
from screens.words import long_date

_NUMBER = re.compile(r"\d[\d ]{1,16}\d")


def number_to_call(line: UrgentLine) -> str | None:
    """Return the phone number in a line's "how" ("Call 116 123. It is free" -> "116 123")."""
    match = _NUMBER.search(line.how)
    return match.group().strip() if match else None


class UrgentScreen(VisitorScreen):
    """The urgent help lines, each with its number drawn large."""

    AUTO_FOCUS = "#back"
    SCROLL_BODY = ".urgent-lines"

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
