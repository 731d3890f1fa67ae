"""The look switch: standard, large text, or high contrast."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from hub.i18n import _
from screens.arrow_focus import ARROW_BINDINGS, Direction, move_focus
from screens.themes import HIGH_CONTRAST, LARGE, STANDARD


def theme_labels() -> dict[str, str]:
    """Return each theme's name as a visitor sees it."""
    return {
        STANDARD: _("Standard"),
        LARGE: _("Large text"),
        HIGH_CONTRAST: _("High contrast: white on black"),
    }


class ThemeChoiceScreen(ModalScreen[None]):
    """Three big buttons, one per look; the current one is ticked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", show=False),
        *ARROW_BINDINGS,
    ]

    def __init__(self, current: str) -> None:
        super().__init__(classes="theme-choice")
        self.current = current

    def compose(self) -> ComposeResult:
        """Yield the question and one button per look."""
        with Vertical(classes="dialog"):
            yield Static(
                Content.styled(_("How would you like the screen to look?"), "bold"),
                classes="dialog-title",
            )
            for name, label in theme_labels().items():
                mark = "✓ " if name == self.current else "  "
                yield Button(Content(mark + label), id=name, classes="big-button theme-button")

    def on_mount(self) -> None:
        """Put the keyboard on the current look."""
        self.query_one(f"#{self.current}", Button).focus()

    def action_arrow_focus(self, direction: Direction) -> None:
        """Move to the look above or below (the arrows as well as Tab)."""
        move_focus(self, direction)

    def action_close(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)

    @on(Button.Pressed, ".theme-button")
    def _chosen(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id:
            self.app.theme = event.button.id
        self.dismiss(None)
