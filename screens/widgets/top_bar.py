"""The bar across the top of every visitor screen: Back, Home, the title and Urgent help."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Static

from hub.i18n import _
from screens.kiosk import kiosk_app


def urgent_button_label() -> str:
    """Return the Urgent help button's words, with the key that opens it."""
    return _("Urgent help (F1)")


class TopBar(Horizontal):
    """Back and Home (when there is somewhere to go back to), a title, Urgent help.

    Urgent help is left off only on the urgent help screen itself.
    """

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
            yield Button(_("Home"), id="go-home", classes="bar-button")
        yield Static(Content(self._title), id="bar-title")
        if self._theme_switch:
            yield Button(_("Text and colours"), id="theme-switch", classes="bar-button")
        if self._urgent:
            yield Button(urgent_button_label(), id="urgent", classes="urgent-button")

    @on(Button.Pressed, "#back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        stack = self.app.screen_stack
        if len(stack) > 1 and self.screen is stack[-1]:
            self.app.pop_screen()

    @on(Button.Pressed, "#go-home")
    def _home_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        kiosk_app(self).return_home()

    @on(Button.Pressed, "#theme-switch")
    def _theme_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        kiosk_app(self).open_theme_choice()

    @on(Button.Pressed, "#urgent")
    def _urgent_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        kiosk_app(self).action_urgent_help()


class SampleBanner(Static):
    """One line saying the directory on show is the fictional sample."""

    def __init__(self) -> None:
        super().__init__(
            Content(_("Sample directory — these services are not real")), classes="sample-banner"
        )
