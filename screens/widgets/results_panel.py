"""A list of services with filter switches, filled by a search worker.

Home uses it for the search box and the Results screen for a need. The search runs in a
thread worker (exclusive, so a newer request cancels an older one) and posts what it
found back; a late answer to an old request is ignored.

The panel asks the `Hub` it is given for services, and posts a message for anything the
app should do (`ServiceChosen`, `UrgentHelpWanted`, `TopicsWanted`); it never calls the app.

Home's panel is made empty (`lazy=True`) and composes its parts (about eighteen widgets:
urgent help, the switches, the list, the kind words) the first time something is looked
for: most visits choose a tile, and Home is drawn sooner without them (issue 11).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, ListItem, ListView, Static
from textual.worker import get_current_worker

from hub.i18n import ENGLISH, _, current_language, ngettext
from hub.search_types import Filters
from screens.widgets.crisis_panel import CrisisPanel
from screens.widgets.result_rows import FilterButton, MoreResultsItem, ResultItem, ResultList
from screens.widgets.top_bar import urgent_button_label

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from hub.kiosk_service import Hub
    from hub.models import UrgentHelp, UrgentLine
    from hub.search_types import Result
    from hub.topics import Topic

FILTER_IDS = ("open-today", "free", "drop-in", "near")

PAGE_SIZE = 3
"""Results shown at a time: a short list is easier to take in than a long scroll, and with
"More results", "Back to topics", "Only show" and the bar it keeps a screen to at most
nine choices (issue 15)."""


@dataclass(frozen=True)
class SearchRequest:
    """What to look for: words or a need, and the filters switched on."""

    query: str
    need_id: str | None
    filters: Filters


class ResultsPanel(Vertical):
    """A count line ("Back to topics", "Only show", how many), the list, and kind words
    when nothing is found.

    The filter switches wait behind "Only show": pressing it swaps the list for the
    switches (and "Done" swaps them back), so the screen never offers more than nine
    choices at once.
    """

    @dataclass
    class Shown(Message):
        """The list now shows `count` services for `request`, and urgent help if it spoke
        of a crisis (`kinds`, empty for an ordinary search)."""

        panel: ResultsPanel
        request: SearchRequest
        count: int
        kinds: frozenset[str] = frozenset()

        @property
        def control(self) -> ResultsPanel:
            """Return the panel, so handlers can pick a panel by its id."""
            return self.panel

    @dataclass
    class ServiceChosen(Message):
        """The visitor chose a service in the list: show its card."""

        service_id: str

    class UrgentHelpWanted(Message):
        """The visitor asked for all the urgent help numbers."""

    class TopicsWanted(Message):
        """The visitor asked to choose a topic instead: back to Home's tiles."""

    @dataclass
    class _Found(Message):
        request: SearchRequest
        results: list[Result]
        kinds: frozenset[str] = frozenset()
        urgent: list[UrgentLine] = field(default_factory=list)

    DEFAULT_CLASSES: ClassVar[str] = "results-panel"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "up_from_switch", show=False),
    ]

    def __init__(
        self,
        hub: Hub,
        *,
        urgent: UrgentHelp | None = None,
        area: str | None,
        need: Topic | None = None,
        lazy: bool = False,
        id: str | None = None,
    ) -> None:
        """With `lazy`, the panel stays empty until its first search (see the module)."""
        super().__init__(id=id)
        self.hub = hub
        self.urgent = urgent
        """The urgent lines a search that speaks of a crisis shows (None: the hub's own,
        which the Hub reads once, in the search worker)."""
        self.area = area
        """The hub's area, for the "Near" switch (None: no switch)."""
        self.need = need
        self.query_text = ""
        self._request: SearchRequest | None = None
        self.results: list[Result] = []
        self.shown_count = 0
        """How many of the results are in the list so far (a page at a time)."""
        self.focus_on_arrival = False
        self.waiting = False
        """True while the last request waits for the directory to finish loading."""
        self._back_wanted = True
        """False when an empty list's own "Choose a topic" is the way back instead."""
        self._nothing_shown = False
        """True when the kind words for an empty list are wanted."""
        self._parts_wanted = not lazy
        """False while a lazy panel has not been asked for anything: it composes nothing."""
        self._built = not lazy
        """True once the parts are mounted (at once for a panel that is not lazy)."""

    def compose(self) -> ComposeResult:
        """Yield the filter switches, the count line, the list and the empty message (nothing
        while a lazy panel has not been asked for anything).

        The switches and the kind words start put away; the count line says what the
        panel is doing (a lazy panel is composed once a search has been asked for).
        """
        if not self._parts_wanted:
            return
        area = self.area
        # Urgent help comes before any service (and before the switches for services).
        yield CrisisPanel()
        with Horizontal(classes="count-line"):
            # Always in sight above the list, so a visitor never has to find Escape or
            # scroll to get back to the topics. On the left, just above the list, so Up
            # from the list reaches it.
            yield Button(_("◀ Back to topics"), classes="back-to-topics")
            yield Button(self._only_show_label(), id="only-show", classes="only-show")
            yield Static(self._count_words(), classes="result-count")
        filters = Horizontal(classes="filters")
        filters.display = False
        with filters:
            yield FilterButton(_("Open today"), id="open-today")
            yield FilterButton(_("Free"), id="free")
            yield FilterButton(_("Drop in"), id="drop-in")
            if area:
                yield FilterButton(_("Near {area}").format(area=area), id="near")
            if current_language() != ENGLISH:
                yield FilterButton(_("In my language"), id="my-language")
        yield ResultList(classes="result-list")
        no_results = Vertical(classes="no-results")
        no_results.display = False
        with no_results:
            yield Static("", classes="no-results-words")
            with Horizontal(classes="no-results-buttons"):
                yield Button(_("Choose a topic"), classes="choose-topic")
                yield Button(urgent_button_label(), classes="urgent-button no-results-urgent")

    def prepare(self) -> None:
        """Compose a lazy panel's parts, once: at the first search, or sooner.

        The app calls it once the directory has loaded, so the parts are ready when the
        first visitor searches, whose answer would otherwise wait for them to be composed.
        """
        if not self._parts_wanted:
            self._parts_wanted = True
            self.call_later(self._compose_parts)

    def _count_words(self) -> Content:
        """Return the count line's words before any answer: "Getting the list ready…" while
        the directory loads, else none."""
        return Content(_("Getting the list ready…")) if self.waiting else Content("")

    async def _compose_parts(self) -> None:
        """Compose a lazy panel's parts, the first time it is asked for anything.

        Run in the panel's own message queue, so the answer to the search that asked
        (posted to the same queue, later) finds the parts there.
        """
        if self._built:
            return
        await self.recompose()
        counts = self.query(".result-count").results(Static)
        count = next(counts, None)
        if count is None or not self.is_attached:
            return  # taken off the screen meanwhile (Home drawn again in another language)
        self._built = True
        # What the count line said when it was composed may have changed meanwhile.
        count.update(self._count_words())

    # --- the switches behind "Only show" ----------------------------------------------

    @property
    def choosing_filters(self) -> bool:
        """Return True while the switches are out (in place of the list)."""
        return self._built and bool(self.query_one(".filters").display)

    def _only_show_label(self, *, choosing: bool = False) -> Content:
        if choosing:
            return Content(_("Done") + " ▲")
        on = [button.words for button in self.query(FilterButton) if button.is_on]
        if on:
            return Content(_("Only show: {choices}").format(choices=", ".join(on)) + " ▼")
        return Content(_("Only show…") + " ▼")

    def show_filters(self, show: bool) -> None:
        """Put the switches out in place of the list (and "Back to topics"), or away again;
        the keyboard goes to the first switch, or back to "Only show"."""
        self.query_one(".filters").display = show
        self.query_one(".back-to-topics").display = not show and self._back_wanted
        self.list_view.display = not show and bool(self.results)
        self.query_one(".no-results").display = not show and self._nothing_shown
        only_show = self.query_one("#only-show", Button)
        only_show.label = self._only_show_label(choosing=show)
        only_show.set_class(self.any_filter_on, "-on")
        if show:
            self.query_one(FilterButton).focus()
        elif self.screen.focused is not None and self.screen.focused.has_class("filter-button"):
            only_show.focus()

    # --- what to show --------------------------------------------------------------

    @property
    def filters(self) -> Filters:
        """Return the filters switched on."""
        switches = {button.id: button.is_on for button in self.query(FilterButton)}
        area = self.area if switches.get("near") else None
        language = None
        if switches.get("my-language"):
            from hub.spoken_languages import english_name  # Babel's data: only when asked

            language = english_name(current_language())
        return Filters(
            area=area,
            open_today=switches.get("open-today", False),
            free_only=switches.get("free", False),
            drop_in_only=switches.get("drop-in", False),
            language=language,
        )

    @property
    def any_filter_on(self) -> bool:
        """Return True when at least one switch is on."""
        return any(button.is_on for button in self.query(FilterButton))

    def show_query(self, query: str) -> None:
        """Search for these words (the need, if any, is not used while there are words)."""
        self.query_text = query
        self.refresh_results()

    def refresh_results(self) -> None:
        """Run the search again with the current words, need and filters."""
        need_id = self.need.id if self.need else None
        request = SearchRequest(self.query_text, need_id, self.filters)
        self._request = request
        self.waiting = not self.hub.directory_ready
        if not self._parts_wanted:
            # The first search on Home: the parts are composed first (the count line then
            # says "Getting the list ready…" if it must), before the answer is handled.
            self.prepare()
        elif self.waiting and self._built:
            # The directory is still loading: say so; the search runs once it is ready.
            self.query_one(".result-count", Static).update(self._count_words())
        self._find(request)

    def reset(self) -> None:
        """Forget the words, the switches and the list."""
        self.query_text = ""
        self._request = None
        self.waiting = False
        self.results = []
        self.shown_count = 0
        self.focus_on_arrival = False
        self._back_wanted = True
        self._nothing_shown = False
        if not self._built:
            return  # nothing on show yet (a lazy panel's parts are made as they are now)
        for button in self.query(FilterButton):
            button.set_on(False)
        self.show_filters(False)
        self.query_one(ListView).clear()
        self.query_one(".result-count", Static).update("")
        self.query_one(".no-results").display = False
        self.crisis_panel.clear()

    @property
    def list_view(self) -> ResultList:
        """Return the list of results."""
        return self.query_one(ResultList)

    @property
    def crisis_panel(self) -> CrisisPanel:
        """Return the urgent help panel (hidden unless the words spoke of a crisis)."""
        return self.query_one(CrisisPanel)

    # --- the worker ----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="search")
    def _find(self, request: SearchRequest) -> None:
        """Search in a thread so typing never waits; post what was found back.

        Until the directory has loaded, wait for it (a newer request cancels this one).
        """
        worker = get_current_worker()
        while not self.hub.wait_until_ready(0.1):
            if worker.is_cancelled:
                return
        results = self.hub.find_services(
            query=request.query, need_id=request.need_id, filters=request.filters
        )
        kinds, urgent = self.hub.crisis_lines(request.query, self.urgent)
        self.post_message(self._Found(request, results, kinds, urgent))

    @on(_Found)
    def _show(self, event: _Found) -> None:
        event.stop()
        if event.request != self._request:
            return  # an answer to words the visitor has already changed
        self.results = event.results
        self.waiting = False
        self.shown_count = 0
        list_view = self.list_view
        list_view.clear()
        self._add_page(list_view)
        count = len(event.results)
        self.query_one(".result-count", Static).update(
            Content(
                ngettext("{count} place found", "{count} places found", count).format(count=count)
            )
            if count
            else ""
        )
        empty = count == 0
        crisis = bool(event.urgent)
        self.crisis_panel.show_lines(event.urgent)
        choosing = self.choosing_filters
        list_view.display = not empty and not choosing
        # Under urgent help, "we could not find anything for <your words>" would only echo
        # the visitor's words back at them: the urgent lines are what we found.
        self._nothing_shown = empty and not crisis
        self.query_one(".no-results").display = self._nothing_shown and not choosing
        # Kind words for an empty list come with their own "Choose a topic": one way back.
        self._back_wanted = not empty or crisis
        self.query_one(".back-to-topics").display = self._back_wanted and not choosing
        if empty and not crisis:
            self.query_one(".no-results-words", Static).update(Content(self._nothing_words()))
        if self.focus_on_arrival and not choosing:
            if crisis:
                self.crisis_panel.focus()
                self.crisis_panel.scroll_visible(animate=False)
            elif not empty:
                list_view.index = 0
                list_view.focus()
        self.focus_on_arrival = False
        self.post_message(self.Shown(self, event.request, count, event.kinds))

    def _add_page(self, list_view: ResultList) -> AwaitMount:
        """Add the next page of results to the list, and "More results" if any are left;
        return what to await for them to be mounted."""
        now = self.hub.now()
        page = self.results[self.shown_count : self.shown_count + PAGE_SIZE]
        self.shown_count += len(page)
        items: list[ListItem] = [
            ResultItem(result.service, now, not_running_now=result.not_running_now)
            for result in page
        ]
        if self.shown_count < len(self.results):
            items.append(MoreResultsItem())
        return list_view.extend(items)

    async def _show_more(self, more: MoreResultsItem) -> None:
        """Swap "More results" for the next page and put the keyboard on the first new one."""
        list_view = self.list_view
        first_new = len(list_view) - 1
        await more.remove()
        await self._add_page(list_view)
        list_view.index = first_new
        list_view.focus()
        # Once laid out, so the new rows have their places.
        self.call_after_refresh(self._scroll_to_highlight)

    def _scroll_to_highlight(self) -> None:
        item = self.list_view.highlighted_child
        if item is not None:
            # Its top at the top of the list, so the new page reads from its start.
            self.list_view.scroll_to_widget(item, animate=False, top=True)

    def _nothing_words(self) -> str:
        """Return kind words for an empty list, saying what to try next."""
        if self.any_filter_on:
            return _("Nothing matches all your choices. Try turning one of them off.")
        if self.query_text:
            return _(
                "Sorry, we could not find anything for “{words}”. "
                "Try other words, or choose a topic."
            ).format(words=self.query_text)
        return _(
            "Sorry, nothing is listed for this yet. Staff here may know of something: "
            "please ask them."
        )

    # --- what the visitor does -----------------------------------------------------

    @on(Button.Pressed, ".filter-button")
    def _toggle(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button
        assert isinstance(button, FilterButton)
        button.set_on(not button.is_on)
        self.query_one("#only-show", Button).set_class(self.any_filter_on, "-on")
        self.refresh_results()

    def action_up_from_switch(self) -> None:
        """Up from a switch goes to "Done" just above them; anything else is left to the
        screen's own Up."""
        if not isinstance(self.screen.focused, FilterButton):
            raise SkipAction()
        self.query_one("#only-show", Button).focus()

    @on(Button.Pressed, "#only-show")
    def _only_show(self, event: Button.Pressed) -> None:
        event.stop()
        self.show_filters(not self.choosing_filters)

    @on(Button.Pressed, ".choose-topic, .back-to-topics")
    def _choose_topic(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.TopicsWanted())

    @on(CrisisPanel.Opened)
    def _all_numbers(self, event: CrisisPanel.Opened) -> None:
        event.stop()
        self.post_message(self.UrgentHelpWanted())

    @on(CrisisPanel.Leave)
    def _to_services(self, event: CrisisPanel.Leave) -> None:
        event.stop()
        if self.results:
            self.list_view.index = self.list_view.index or 0
            self.list_view.focus()
        else:
            self.query_one("#only-show", Button).focus()

    @on(Button.Pressed, ".no-results-urgent")
    def _urgent(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.UrgentHelpWanted())

    @on(ListView.Selected)
    async def _open(self, event: ListView.Selected) -> None:
        event.stop()
        item = event.item
        if isinstance(item, MoreResultsItem):
            await self._show_more(item)
        elif isinstance(item, ResultItem):
            self.post_message(self.ServiceChosen(item.service_id))
