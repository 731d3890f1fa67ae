"""Home: the need tiles with "More topics", the search box, and the language and look switches.

At most nine choices (issue 15): four tiles, More topics, Languages, Listen (when staff
turned it on), Text and colours and Urgent help.

Typing searches as you go: each key restarts a short timer (so a fast typist does not
start a search per letter), then the Results panel searches in a worker. While results
are showing, the tiles step aside; when nothing is found the tiles come back with kind
words underneath, so the visitor always has somewhere to go.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from hub.i18n import _
from screens.visitor import VisitorScreen
from screens.widgets.crisis_panel import CrisisPanel, calm_words, line_text
from screens.widgets.listen import ListenButton
from screens.widgets.need_tiles import MoreTopicsTile, NeedGrid, NeedTile
from screens.widgets.plain_input import PlainInput
from screens.widgets.results_panel import ResultsPanel
from screens.widgets.top_bar import SampleBanner, TopBar

SEARCH_DELAY = 0.25
"""Seconds of no typing before a search starts."""


class HomeScreen(VisitorScreen):
    """The first screen, and the one every reset comes back to."""

    AUTO_FOCUS = "#search"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Escape on Home empties the search box; there is nowhere further back to go.
        Binding("escape", "clear_search", "Clear", show=False),
        Binding("down", "to_choices", "Choices", show=False),
        Binding("up", "to_bar", "Top bar", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="home")
        self._search_timer: Timer | None = None
        self._unlogged_empty_search: str | None = None
        self._uncounted_crisis: frozenset[str] = frozenset()
        """Kinds of the crisis search on show, to count once the visitor is done with it
        (its words are never kept)."""
        self._log_on_arrival = False
        self._recomposing = False

    def compose(self) -> ComposeResult:
        """Yield the bar, the banner, the search box, the tiles and the foot."""
        yield TopBar(_("Find help near you"), back=False, home=False, theme_switch=True)
        if self.kiosk.sample_loaded:
            yield SampleBanner()
        yield PlainInput(
            placeholder=_("Type what you need, for example: food, dementia, rent"),
            id="search",
            max_length=100,
            # Typing always adds to the words: keys redirected from a tile arrive before
            # the box's focus event, which would otherwise select (and then replace) them.
            select_on_focus=False,
        )
        kiosk = self.kiosk
        # Empty until the first search: a tile is what most visits choose.
        yield ResultsPanel(kiosk.hub, area=kiosk.area, lazy=True, id="search-results")
        more = MoreTopicsTile(0, kiosk.other_needs) if kiosk.other_needs else None
        yield NeedGrid(kiosk.tiles, more=more, id="tiles")
        with Horizontal(id="home-foot"):
            yield Button(_("Languages"), id="language")
            yield ListenButton(shown=self.kiosk.can_listen)
            yield Static(Content(self._hint()), id="home-hint")

    def on_mount(self) -> None:
        """Start with the tiles showing and the results hidden."""
        self._show_tiles(True)

    @staticmethod
    def _hint() -> str:
        return _("Choose a topic, or type what you need in the box. For urgent help press F1.")

    @property
    def search_box(self) -> Input:
        """Return the search box."""
        return self.query_one("#search", Input)

    @property
    def results(self) -> ResultsPanel:
        """Return the search results panel."""
        return self.query_one("#search-results", ResultsPanel)

    @property
    def grid(self) -> NeedGrid:
        """Return the need tiles."""
        return self.query_one("#tiles", NeedGrid)

    def _show_tiles(self, show: bool) -> None:
        self.grid.display = show
        self.query_one("#home-foot").display = show
        self.results.display = not show

    def _set_hint(self, words: str | None) -> None:
        hint = self.query_one("#home-hint", Static)
        hint.update(Content(words or self._hint()))
        hint.set_class(words is not None, "-nothing-found")

    # --- searching -------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._search_now)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._search_timer is not None:
            self._search_timer.stop()
        self.results.focus_on_arrival = True
        self._log_on_arrival = True
        self._search_now()

    def _search_now(self) -> None:
        """Search for what is in the box (or show the tiles if it is too short)."""
        self._search_timer = None
        if self._recomposing:
            return
        # Imported here, not with Home: the search's word lists load after Home is drawn.
        from hub.search_words import is_searchable

        words = self.search_box.value.strip()
        if not is_searchable(words):
            self._unlogged_empty_search = None
            self._uncounted_crisis = frozenset()
            self._log_on_arrival = False
            self.results.query_text = ""
            self._show_tiles(True)
            self._set_hint(None)
            return
        self.results.show_query(words)
        if self.results.waiting:
            self._set_hint(_("Getting the list ready…"))

    @on(ResultsPanel.Shown, "#search-results")
    def _results_shown(self, event: ResultsPanel.Shown) -> None:
        event.stop()
        if self._recomposing:
            return
        if event.request.query != self.search_box.value.strip():
            return
        submitted, self._log_on_arrival = self._log_on_arrival, False
        if event.kinds:
            # Urgent help is on show: keep it, above whatever services there are. The
            # search is counted by kind only, never logged as words.
            self._unlogged_empty_search = None
            self._uncounted_crisis = event.kinds
            self._show_tiles(False)
            self._set_hint(None)
            if submitted:
                self._log_unmet_search()
        elif event.count == 0 and not self.results.any_filter_on:
            # Nothing found: keep the tiles, say so kindly under them.
            self._unlogged_empty_search = event.request.query
            self._uncounted_crisis = frozenset()
            self._show_tiles(True)
            self._set_hint(
                _(
                    "Sorry, we could not find anything for “{words}”. "
                    "Try other words, or choose a topic above."
                ).format(words=event.request.query)
            )
            if submitted:
                self._log_unmet_search()
        else:
            self._unlogged_empty_search = None
            self._uncounted_crisis = frozenset()
            self._show_tiles(False)
            self._set_hint(None)

    def _log_unmet_search(self) -> None:
        """Log the last search that found nothing, once the visitor has finished with it.

        Searches run on every pause in typing, so "demen" on the way to "dementia" would
        otherwise be logged too. Only a search the visitor stopped at is logged: when they
        press Enter, clear the box, choose something else, or walk away. A search that
        spoke of a crisis is counted by kind and day instead, and its words are dropped.
        """
        words, self._unlogged_empty_search = self._unlogged_empty_search, None
        kinds, self._uncounted_crisis = self._uncounted_crisis, frozenset()
        if kinds:
            self.kiosk.count_urgent_search(kinds)
        elif words:
            self.kiosk.log_unmet_search(words)

    def action_clear_search(self) -> None:
        """Empty the search box, show the tiles again and put the keyboard in the box."""
        self._log_unmet_search()
        self._clear_search()
        self.search_box.focus()

    def _clear_search(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        self.search_box.value = ""
        self.results.reset()
        self._show_tiles(True)
        self._set_hint(None)

    def action_to_choices(self) -> None:
        """Down from the search box goes to urgent help, the first result (highlighted, so
        Enter opens it), or the first tile; from anywhere else, to the choice below."""
        if self.focused is not self.search_box:
            self.action_arrow_focus("down")
        elif self.results.display and self.results.crisis_panel.display:
            self.results.crisis_panel.focus()
        elif self.results.display and self.results.results:
            self.results.list_view.highlight_first()
            self.results.list_view.focus()
        else:
            self.grid.focus_first()

    def action_to_bar(self) -> None:
        """Up from the search box goes to the first button of the top bar ("Text and
        colours"); from anywhere else, to the choice above."""
        if self.focused is self.search_box:
            self.query_one(TopBar).query(Button).first().focus()
        else:
            self.action_arrow_focus("up")

    def on_key(self, event: events.Key) -> None:
        """Typing while a tile, a switch or a result has the keyboard goes into the search box.

        Space on a tile or a button is left alone: it chooses it. Typing while urgent help
        has the keyboard starts a new search: the crisis search was submitted (Enter) and
        its words must not stay in front of the new ones ("i want to kill myselflunch club"
        once kept the panel up and no lunch club after Escape from the Urgent help screen).
        The box takes every printable key it is given, so one that reaches Home was not
        given to it, even if the box has the keyboard by now: it was sent while the keyboard
        was moving to the box (after the first key typed with nothing focused), and it goes
        in too. Leaving it out lost a letter ("fod" for "food") when a browser session drew
        Home quickly and the visitor typed at once.
        """
        focused = self.focused
        chooses = isinstance(focused, NeedTile | MoreTopicsTile | Button) and event.character == " "
        character = event.character
        if event.is_printable and character and not chooses:
            event.stop()
            event.prevent_default()
            box = self.search_box
            if isinstance(focused, CrisisPanel):
                self._log_unmet_search()  # counted by kind, never kept as words
                box.value = ""
            box.focus()
            box.cursor_position = len(box.value)
            box.insert_text_at_cursor(character)

    def show_topics(self) -> None:
        """Empty the search and put the keyboard on the first tile."""
        self.action_clear_search()
        self.grid.focus_first()

    # --- choosing ---------------------------------------------------------------------

    @on(NeedTile.Chosen)
    def _need_chosen(self, event: NeedTile.Chosen) -> None:
        event.stop()
        self._log_unmet_search()
        self.kiosk.open_need(event.need)

    @on(Button.Pressed, "#language")
    def _language(self, event: Button.Pressed) -> None:
        event.stop()
        self.kiosk.open_language_choice()

    async def recompose(self) -> None:
        """Draw Home again (in a newly chosen language), keeping what was typed."""
        words = self.search_box.value if self.query("#search") else ""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        # A search answered while the parts are swapped finds no box: it is dropped, and
        # the words put back below search again.
        self._recomposing = True
        try:
            await super().recompose()
        finally:
            self._recomposing = False
        self._show_tiles(True)
        self.search_box.value = words
        self.search_box.focus()

    @on(MoreTopicsTile.Chosen)
    def _more_topics(self, event: MoreTopicsTile.Chosen) -> None:
        event.stop()
        self._log_unmet_search()
        self.kiosk.open_more_help(event.start)

    def words_to_read(self) -> str:
        """Return what Listen reads: urgent help when it is on show, else the topics."""
        if self.results.display and self.results.crisis_panel.display:
            lines = [calm_words()]
            lines += [str(line_text(line)) for line in self.results.crisis_panel.lines]
            return "\n".join(lines)
        lines = [_("Find help near you"), self._hint()]
        for need in self.kiosk.tiles:
            lines += [f"{_(need.label)}.", _(need.description)]
        return "\n".join(lines)

    # --- reset ------------------------------------------------------------------------

    def is_untouched(self) -> bool:
        """Return True when nothing a visitor typed or chose is on this screen."""
        return not self.search_box.value and not self.results.any_filter_on

    def clear_visit(self) -> None:
        """Wipe the search, the switches and the list, and put the keyboard in the box."""
        self._log_unmet_search()
        self._clear_search()
        self.search_box.focus()
