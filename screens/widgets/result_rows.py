"""One search result as the list shows it, the list's rows, and the filter switches.

Drawn by `ResultsPanel` (screens.widgets.results_panel), which finds the services and
fills the list; these only show what they are given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Button, ListItem, ListView, Static

from hub.i18n import _
from screens.arrow_focus import move_focus

if TYPE_CHECKING:
    from datetime import datetime

    from hub.models import Service


def result_text(service: Service, now: datetime, *, not_running_now: bool = False) -> Content:
    """Return a result's three lines: name; what it is; when, where, cost and how to go.

    A seasonal service outside its dates (a summer club in December) says "Not running now"
    where the times would be.
    """
    # Imported here: a result is drawn only once the directory has loaded, after Home.
    from hub.schedule import when_in_words
    from screens.words import areas_words, cost_short, how_to_go_short

    when = _("Not running now") if not_running_now else when_in_words(service, now)
    facts = [when, areas_words(service), cost_short(service)]
    facts.append(how_to_go_short(service))
    return Content.assemble(
        Content.styled(service.name, "bold"),
        "\n",
        service.summary,
        "\n",
        " · ".join(fact for fact in facts if fact),
    )


class ResultItem(ListItem):
    """One service in the list."""

    def __init__(self, service: Service, now: datetime, *, not_running_now: bool = False) -> None:
        super().__init__(
            Static(result_text(service, now, not_running_now=not_running_now)),
            classes="result-item",
        )
        self.service_id = service.id
        self.service_name = service.name


class MoreResultsItem(ListItem):
    """The last row of a list with more to show: choosing it shows the next page."""

    def __init__(self) -> None:
        super().__init__(Static(Content(_("More results ▼"))), classes="more-results")


class ResultList(ListView):
    """The list of results. Up from the first one moves on to the switches above it."""

    def action_cursor_up(self) -> None:
        """Highlight the result above, or leave the list upwards from the first one."""
        if not self.index:
            move_focus(self.screen, "up")
            return
        super().action_cursor_up()

    def highlight_first(self) -> None:
        """Highlight the first result if none is, so Enter always opens something."""
        if self.index is None and len(self):
            self.index = 0


class FilterButton(Button):
    """A switch such as "Free": pressing it turns it on or off."""

    def __init__(self, label: str, *, id: str) -> None:
        self.words = label
        """What the switch is called ("Free"), without its tick box."""
        self._words = label
        super().__init__(self._label_for(False), id=id, classes="filter-button")
        self.is_on = False

    def _label_for(self, on: bool) -> Content:
        return Content(("☑ " if on else "☐ ") + self._words)

    def set_on(self, on: bool) -> None:
        """Show the switch as on or off."""
        self.is_on = on
        self.label = self._label_for(on)
        self.set_class(on, "-on")
