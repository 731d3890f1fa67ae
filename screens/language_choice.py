"""The language switch: every offered language, each named in its own words and script."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from hub.i18n import _, offered_languages


class LanguageChoiceScreen(ModalScreen[str | None]):
    """A list of languages (Up/Down, Enter); dismisses the chosen code, or None on Escape.

    Names are never translated: "Polski" is how a Polish speaker finds Polish, whatever
    language the screen is in.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", show=False)]

    def __init__(self, current: str) -> None:
        super().__init__(classes="language-choice")
        self.current = current

    def compose(self) -> ComposeResult:
        """Yield the question and the list, the current language ticked."""
        with Vertical(classes="dialog language-dialog"):
            yield Static(Content.styled(_("Choose your language"), "bold"), classes="dialog-title")
            yield OptionList(
                *(
                    # The tick and a space on each side: no script text touches an edge.
                    Option(Content(("✓ " if code == self.current else "  ") + name + " "), id=code)
                    for code, name in offered_languages().items()
                ),
                id="languages",
            )

    def on_mount(self) -> None:
        """Put the highlight on the current language."""
        choices = self.query_one("#languages", OptionList)
        choices.highlighted = choices.get_option_index(self.current)
        choices.focus()

    def action_close(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#languages")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
