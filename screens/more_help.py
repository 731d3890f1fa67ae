"""More topics: the needs that are not on the Home tiles, a page of tiles at a time.

A page holds six tiles; when the rest do not fit, its last tile is "More topics", which
opens the next page as a screen of its own, so Back steps back a page (never a scroll).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from hub.i18n import _
from hub.topics import Topic
from screens.visitor import VisitorScreen
from screens.widgets.need_tiles import MoreTopicsTile, NeedGrid, NeedTile, topic_page
from screens.widgets.top_bar import TopBar


class MoreHelpScreen(VisitorScreen):
    """One page of more topics, as tiles like Home's."""

    AUTO_FOCUS = ".need-tile"

    def __init__(self, needs: Sequence[Topic], start: int = 0) -> None:
        super().__init__(classes="more-help-screen")
        self.needs = list(needs)
        self.start = start
        """Where in `needs` this page starts."""

    def compose(self) -> ComposeResult:
        """Yield the bar, a line of words, and this page's tiles."""
        yield TopBar(_("More topics"))
        yield Static(Content(_("Choose a topic.")), classes="need-about")
        page, next_start = topic_page(self.needs, self.start)
        more = None if next_start is None else MoreTopicsTile(next_start, self.needs[next_start:])
        yield NeedGrid(page, more=more, id="more-tiles")

    @on(NeedTile.Chosen)
    def _chosen(self, event: NeedTile.Chosen) -> None:
        event.stop()
        self.kiosk.open_need(event.need)

    @on(MoreTopicsTile.Chosen)
    def _next_page(self, event: MoreTopicsTile.Chosen) -> None:
        event.stop()
        self.kiosk.open_more_help(event.start)
