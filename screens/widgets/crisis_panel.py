"""Urgent help first: the calm panel shown above any service when a search speaks of a crisis.

Written to safe-messaging guidance (Samaritans' media guidelines): one calm sentence, then
who to talk to and how. No alarming words, no words for what the visitor may be going
through, nothing about methods; the visitor's own words are never repeated back.

The panel takes the keyboard first when results arrive for a submitted search. Enter (or a
click) opens the Urgent help screen with every number large; Down moves on to the
services below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from hub.i18n import _

if TYPE_CHECKING:
    from hub.models import UrgentLine

MAX_LINES = 4
"""Lines shown in the panel: with the calm words they fit at 80×24 above the services.
Every line is one key away on the Urgent help screen."""


def calm_words() -> str:
    """Return the panel's first sentence, in the visitor's language."""
    return _("You don't have to face this alone. You can talk to someone now, free, day or night.")


def line_text(line: UrgentLine) -> Text:
    """Return one urgent line as plain text: the name in bold, then how and when.

    The words come from data files, so they are shown as text, never read as markup.
    """
    text = Text()
    text.append(_(line.name), style="bold")
    text.append(": ")
    text.append(_(line.how))
    text.append(". ")
    text.append(_(line.when))
    return text


class CrisisPanel(Vertical, can_focus=True):
    """The calm words and the urgent lines for the kinds a search touched."""

    @dataclass
    class Opened(Message):
        """The visitor asked for every urgent number (Enter or a click on the panel)."""

        panel: CrisisPanel

    @dataclass
    class Leave(Message):
        """The visitor pressed Down: move on to the services below."""

        panel: CrisisPanel

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "All numbers", show=False),
        Binding("down", "leave", "Services", show=False),
    ]
    DEFAULT_CLASSES: ClassVar[str] = "crisis-panel"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[UrgentLine] = []

    def compose(self) -> ComposeResult:
        """Yield the calm words and the place the lines go."""
        yield Static(Text(calm_words()), classes="crisis-calm", markup=False)
        yield Static("", classes="crisis-lines", markup=False)

    def on_mount(self) -> None:
        """Start hidden: most searches are ordinary."""
        self.display = False

    def show_lines(self, lines: Sequence[UrgentLine]) -> None:
        """Show these lines (at most MAX_LINES), or hide the panel when there are none."""
        self.lines = list(lines)
        shown = Text("\n").join(line_text(line) for line in self.lines[:MAX_LINES])
        self.query_one(".crisis-lines", Static).update(shown)
        self.display = bool(self.lines)

    def clear(self) -> None:
        """Hide the panel and forget the lines."""
        self.show_lines([])

    def action_open(self) -> None:
        """Ask for the Urgent help screen."""
        self.post_message(self.Opened(self))

    def action_leave(self) -> None:
        """Move on to the services."""
        self.post_message(self.Leave(self))

    def on_click(self, event: events.Click) -> None:
        """A click or tap on the panel opens every number, large."""
        event.stop()
        self.action_open()
