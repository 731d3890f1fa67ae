"""Nothing suitable: staff record the need when no service in the directory fits.

Reached from the service picker when recording a referral. Only the need and the day are
kept (hub.unmet), nothing about the visitor; `hub report` counts it as an unmet need, with
the visitors' searches that found nothing, so a coordinator sees the gap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from hub.i18n import _
from hub.topics import Topic
from screens.saving import save_off_screen
from screens.staff.staff_session import STAFF_STYLES


class NothingSuitableScreen(ModalScreen[str | None]):
    """Choose the need nothing suited; dismisses with the need's label once it is saved.

    Esc closes it with nothing recorded (None).
    """

    AUTO_FOCUS = "#unmet-need"
    CSS_PATH = STAFF_STYLES
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(
        self, needs: list[Topic], save: Callable[[str], None], suggested: str | None = None
    ) -> None:
        super().__init__(classes="staff-confirm nothing-suitable")
        self.needs = needs
        self._save = save
        self._saving = False
        """True while a save runs (off the UI thread)."""
        self.suggested = suggested
        """The need the words staff searched for map to: highlighted first."""

    def compose(self) -> ComposeResult:
        """Yield the question, the needs to choose from, and where a failed save shows."""
        with Vertical(classes="dialog"):
            yield Static(
                Content.styled(_("No suitable service: which need?"), "bold"),
                classes="dialog-title",
            )
            yield Static(
                Content(_("Up and Down to choose, Enter to record it; Esc to go back.")),
                classes="confirm-detail",
            )
            yield OptionList(
                *(Option(_(need.label), id=need.id) for need in self.needs), id="unmet-need"
            )
            yield Static("", id="unmet-status", classes="field-error")

    def on_mount(self) -> None:
        """Highlight the need the search words point to (else the first), for Enter."""
        ids = [need.id for need in self.needs]
        index = ids.index(self.suggested) if self.suggested in ids else 0
        self.query_one("#unmet-need", OptionList).highlighted = index

    def action_cancel(self) -> None:
        """Close with nothing recorded."""
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#unmet-need")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        need_id = event.option.id or ""
        label = next((_(need.label) for need in self.needs if need.id == need_id), need_id)
        if self._saving:
            return  # a second Enter while the first save runs must not record it twice
        self._saving = True

        def failed(exc: Exception) -> None:
            self._saving = False
            self.query_one("#unmet-status", Static).update(
                Content(_("Not saved: {reason}").format(reason=exc))
            )

        save_off_screen(
            self,
            lambda: self._save(need_id),
            then=lambda result: self.dismiss(label),
            failed=failed,
        )
