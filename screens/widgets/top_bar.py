"""The bar across the top of every visitor screen: Back, Start again, the title and Urgent help.

The bar only says what was pressed (`TopBar.BackPressed`, ...); the app answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from hub.i18n import _


def urgent_button_label() -> str:
    """Return the Urgent help button's words, with the key that opens it."""
    return _("Urgent help (F1)")


class TopBar(Horizontal):
    """Back and Start again (when there is somewhere to go back to), a title, Urgent help.

    Urgent help is left off only on the urgent help screen itself.
    """

    @dataclass
    class BackPressed(Message):
        """Back was pressed: close the bar's screen, if it is on top (never Home)."""

        bar: TopBar

        @property
        def control(self) -> TopBar:
            """Return the bar."""
            return self.bar

    @dataclass
    class HomePressed(Message):
        """Start again (the Home button) was pressed: close every screen above Home and
        clear what the visitor typed and chose there."""

        bar: TopBar

    @dataclass
    class ThemeSwitchPressed(Message):
        """The look switch ("Text and colours") was pressed: ask which look the visitor wants."""

        bar: TopBar

    @dataclass
    class UrgentPressed(Message):
        """Urgent help was pressed: show the urgent lines."""

        bar: TopBar

    def __init__(
        self,
        title: str,
        *,
        back: bool = True,
        home: bool = True,
        theme_switch: bool = False,
        urgent: bool = True,
    ) -> None:
        super().__init__(classes="top-bar")
        self._title = title
        self._back = back
        self._home = home
        self._theme_switch = theme_switch
        self._urgent = urgent

    def compose(self) -> ComposeResult:
        """Yield the bar's buttons and title."""
        if self._back:
            yield Button(_("◀ Back"), id="back", classes="bar-button")
        if self._home:
            yield Button(_("Start again"), id="go-home", classes="bar-button")
        yield Static(Content(self._title), id="bar-title")
        if self._theme_switch:
            yield Button(_("Text and colours"), id="theme-switch", classes="bar-button")
        if self._urgent:
            yield Button(urgent_button_label(), id="urgent", classes="urgent-button")

    @on(Button.Pressed, "#back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.BackPressed(self))

    @on(Button.Pressed, "#go-home")
    def _home_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.HomePressed(self))

    @on(Button.Pressed, "#theme-switch")
    def _theme_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.ThemeSwitchPressed(self))

    @on(Button.Pressed, "#urgent")
    def _urgent_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.UrgentPressed(self))


class SampleBanner(Static):
    """One line saying the directory on show is the fictional sample."""

    def __init__(self) -> None:
        super().__init__(
            Content(_("Sample directory — these services are not real")), classes="sample-banner"
        )
