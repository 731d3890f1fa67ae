"""More help: the needs that are not on the Home tiles."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from hub.i18n import _
from hub.models import Need
from screens.visitor import VisitorScreen
from screens.widgets.need_tiles import NeedGrid, NeedTile
from screens.widgets.top_bar import TopBar


class MoreHelpScreen(VisitorScreen):
    """More topics, as tiles like Home's."""

    AUTO_FOCUS = ".need-tile"

    def __init__(self, needs: Sequence[Need]) -> None:
        super().__init__(classes="more-help-screen")
        self.needs = list(needs)

    def compose(self) -> ComposeResult:
        """Yield the bar, a line of words, and the tiles."""
        yield TopBar(_("More help"))
        yield Static(Content(_("Choose a topic.")), classes="need-about")
        yield NeedGrid(self.needs, id="more-tiles")

    @on(NeedTile.Chosen)
    def _chosen(self, event: NeedTile.Chosen) -> None:
        event.stop()
        self.kiosk.open_need(event.need)
