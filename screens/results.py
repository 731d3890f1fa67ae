"""The services for one need, with filter switches."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from hub.i18n import _
from hub.topics import Topic
from screens.visitor import VisitorScreen
from screens.widgets.results_panel import ResultsPanel
from screens.widgets.top_bar import SampleBanner, TopBar


class ResultsScreen(VisitorScreen):
    """What is on offer for a need ("Memory and dementia"), soonest first."""

    AUTO_FOCUS = ".result-list"

    def __init__(self, need: Topic) -> None:
        super().__init__(classes="results-screen")
        self.need = need
        self._empty_logged = False

    def compose(self) -> ComposeResult:
        """Yield the bar, the banner, what the need covers, and the list."""
        yield TopBar(_(self.need.label))
        if self.kiosk.sample_loaded:
            yield SampleBanner()
        yield Static(Content(_(self.need.description)), classes="need-about")
        kiosk = self.kiosk
        yield ResultsPanel(kiosk.hub, area=kiosk.area, need=self.need, id="need-results")

    def on_mount(self) -> None:
        """Fetch the need's services (in a worker)."""
        panel = self.query_one(ResultsPanel)
        panel.focus_on_arrival = True
        panel.refresh_results()

    @on(ResultsPanel.Shown)
    def _shown(self, event: ResultsPanel.Shown) -> None:
        event.stop()
        # A need with nothing at all is a gap in the directory worth telling the
        # coordinator about; an empty list because of a switch is not.
        if event.count == 0 and not event.panel.any_filter_on and not self._empty_logged:
            self._empty_logged = True
            self.kiosk.log_empty_need(self.need.id)
