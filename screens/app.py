"""The kiosk app: HubApp and `make_app`, the one factory the CLI and every test use.

The app owns what lasts across screens: the `Hub` (the one door to the data, with the
injected clock), the needs, the theme, the idle timer and the keys a visitor must never be
able to use to leave. Screens ask the Hub for data (`kiosk.hub`), never the store.
Widgets post messages (`TopBar.BackPressed`, `ResultsPanel.ServiceChosen`, ...) and the
app answers them here, so no widget reaches into the app.

Why one module of about 730 lines: it is the one place that answers the widgets' messages
and holds what lasts across screens (idle timer, language, theme, Listen, staff session);
spreading those answers over modules would bring back widgets reaching into each other,
which the import contracts forbid.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Button
from textual.worker import Worker, WorkerState

from hub.i18n import ENGLISH, _, use_language
from hub.kiosk_service import RESULT_LIMIT, Hub, HubStore, NotSaved, system_clock
from hub.locations import data_dir as default_data_dir
from hub.read_aloud import Speaker, can_read
from hub.topics import Topic, more_topics, tile_topics
from screens.home import HomeScreen
from screens.idle import IdleScreen
from screens.process import CalmApp
from screens.saving import save_off_screen, saves_finished
from screens.script_widths import (
    SHAPED_SCRIPT_LANGUAGES,
    WIDE_SCRIPT_CLASS,
    count_spacing_marks,
)
from screens.themes import (
    HIGH_CONTRAST,
    HIGH_CONTRAST_CLASS,
    KIOSK_THEMES,
    LARGE,
    LARGE_CLASS,
    STANDARD,
)
from screens.too_small import TooSmallScreen, is_too_small
from screens.unseen_drawings import FREE_EVERY_SECONDS, free_unseen_drawings
from screens.widgets.results_panel import ResultsPanel
from screens.widgets.top_bar import TopBar

# What Home does not show is imported where it is first used (the search index, staff
# mode, urgent help, the glossary): Home's first paint waits for none of it, and the
# directory's worker or the first staff key loads it later.
if TYPE_CHECKING:
    from hub.glossary import GlossaryEntry
    from hub.models import Need, Service, UrgentHelp, UrgentLine
    from hub.search import SearchIndex
    from hub.search_types import Filters, Result
    from hub.staff import StaffMember
    from screens.staff.staff_session import StaffBadge, StaffSession

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
StaffModeFactory = Callable[["HubApp", "StaffMember"], Screen[Any]]

STYLES = Path(__file__).resolve().parent / "styles"
TALL_SCREEN = 34
"""Lines from which the tiles grow taller (the layout is made for 24)."""
TALL_CLASS = "-tall"
DIRECTORY_CHECK_SECONDS = 5.0
"""How often the kiosk looks (one `stat`) whether another process saved the directory."""
__all__ = ["RESULT_LIMIT", "HubApp", "make_app"]

# Events that mean someone is at the screen. A mouse merely moving is left out: a
# nudged mouse or a jittery touch screen should not keep a stranger's search on show.
_ACTIVITY_EVENTS = (
    events.Key,
    events.MouseDown,
    events.MouseUp,
    events.MouseScrollDown,
    events.MouseScrollUp,
    events.MouseScrollLeft,
    events.MouseScrollRight,
    events.Paste,
)


class HubApp(CalmApp[None], inherit_bindings=False):
    """The visitor kiosk. No key quits it; staff leave through staff mode (`staff_quit`)."""

    TITLE = "Community Hub"
    ENABLE_COMMAND_PALETTE = False
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        STYLES / "base.tcss",
        STYLES / "home.tcss",
        STYLES / "results.tcss",
        STYLES / "card.tcss",
        STYLES / "dialogs.tcss",
        # staff.tcss: named by staff mode's screens (screens.staff), read when one shows.
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        # priority=True so these work even while the search box has the keyboard.
        Binding("f1", "urgent_help", "Urgent help", priority=True, id="urgent-help"),
        Binding("f2", "listen", "Listen", show=False, priority=True, id="listen"),
        # F9 is the staff key in a browser (`hub serve --staff`): Chromium keeps Ctrl+T
        # for a new tab and never gives it to a page, but binds nothing to F9 (its F3, F5,
        # F6, F7, F10, F11, F12 find, reload, go to the address bar, caret browsing, menu,
        # full screen, tools), so the page gets it. Ctrl+T still works in a terminal.
        Binding("f9,ctrl+t", "staff_prompt", "Staff", show=False, priority=True, id="staff"),
        Binding("ctrl+l", "staff_lock", "Lock", show=False, priority=True, id="staff-lock"),
        # Keys that quit, suspend or open tools in Textual or a terminal. The app has no
        # bindings for them (inherit_bindings=False), and claiming them here means no
        # widget's own binding for them can ever run either.
        Binding(
            "ctrl+q,ctrl+c,ctrl+backslash,ctrl+z,ctrl+p,ctrl+d,ctrl+w",
            "nothing",
            show=False,
            priority=True,
            id="blocked-keys",
        ),
    ]

    staff_mode_factory: StaffModeFactory | None = None
    """Set by staff mode: builds its first screen for a member who gave the right PIN.

    None means staff mode is not set up, and the staff prompt says so."""

    staff_session: StaffSession | None = None
    """The unlocked staff member's session while staff mode is open; None in visitor mode."""

    collector_held: bool = False
    """True when whoever started the kiosk turned Python's cyclic garbage collector off to
    draw Home sooner (`hub` does): it is turned on again once Home is on screen."""

    staff_key_works: bool = True
    """False in a browser session served without `--staff`: the staff key does nothing, so
    no prompt (not even "staff mode is not set up") is reachable from the browser."""

    def __init__(
        self,
        hub: Hub,
        *,
        idle_seconds: float,
        idle_countdown_seconds: float,
        default_language: str = "en",
    ) -> None:
        super().__init__()
        self.hub = hub
        """The one door to the hub's data: every screen's reads and writes go through it."""
        self.clock = hub.clock
        self.idle_seconds = idle_seconds
        self.idle_countdown_seconds = idle_countdown_seconds
        self.default_theme = STANDARD
        for theme in KIOSK_THEMES.values():
            self.register_theme(theme)
        self._start_in_theme(self.default_theme)
        self.tiles: list[Topic] = tile_topics()
        self.other_needs: list[Topic] = more_topics()
        self.area: str | None = hub.settings().area
        self.default_language = default_language
        """The language each visit starts in: --language, $HUB_LANGUAGE or the hub's own."""
        self.language = use_language([default_language])
        """The language on screen now (a visitor may change it for their visit)."""
        if self.language != ENGLISH:
            # Before any of its words are measured: Gujarati, Tamil and the other scripts
            # with spacing marks drawn as wide as terminals draw them. English Home has
            # none, so an English kiosk does this (9 ms) once Home is drawn, or before
            # the languages (named in their own scripts) are shown, if that is sooner.
            count_spacing_marks()
        self.set_class(self.language in SHAPED_SCRIPT_LANGUAGES, WIDE_SCRIPT_CLASS)
        self._last_activity = self.clock()
        self.read_aloud = hub.settings().read_aloud
        """Staff turned Listen on (`hub setup --read-aloud on`); off by default."""
        self.speaker = Speaker()
        self._stopped_speaking = False
        """True when the key or click being handled stopped the speech (so it is not also
        taken as Listen again)."""

    def _start_in_theme(self, name: str) -> None:
        """Start in the theme `name` with its colours in the stylesheet before it is first
        parsed.

        Setting `theme` runs Textual's watcher, which parses every stylesheet again in a
        fresh cache (as it must when a visitor switches); at start nothing is parsed yet,
        so that would parse all of it twice before Home is drawn. This does the watcher's
        other work (the theme's classes, the colour filter) without it.
        """
        self.set_reactive(HubApp.theme, name)
        dark = self.current_theme.dark
        self.update_classes(
            {f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark}, update=False
        )
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())
        self.watch_theme(name)

    # --- the screens ---------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """Return Home: the bottom of the screen stack, which Back never goes past."""
        return HomeScreen()

    def on_mount(self) -> None:
        """Start the idle check (every second it compares clock() readings), and, once Home
        is drawn, load the directory and its search index in a thread."""
        self.set_interval(1.0, self.check_inactivity, name="idle-check")
        self.set_interval(
            DIRECTORY_CHECK_SECONDS, self.reload_directory_if_changed, name="directory-check"
        )
        # Every search replaces the result cards, and Textual would keep the drawings of
        # the last thousand gone widgets alive (see screens.unseen_drawings).
        self.set_interval(FREE_EVERY_SECONDS, free_unseen_drawings, name="free-drawings")
        # After the first paint: tidying the referrals and loading the directory's index
        # hold Python's lock for long stretches, and Home must be on screen before that.
        self.call_after_refresh(self._tidy_up_and_load)

    def _tidy_up_and_load(self) -> None:
        if self.collector_held:
            # Not frozen like the imports: Home's widgets are replaced when a visitor
            # changes language, and frozen ones would never be freed.
            self.collector_held = False
            gc.enable()
        count_spacing_marks()  # before anyone can choose a language or see a service
        self.run_worker(
            self._tidy_up_then_load_directory,
            name="load-directory",
            group="directory",
            thread=True,
        )

    def _tidy_up_then_load_directory(self) -> None:
        """Purge expired referrals (every start, before staff could see them: staff mode
        asks the Hub to tidy up first as well), then load the directory and its index."""
        try:
            self.hub.tidy_up()
        except NotSaved as exc:
            # A full disk must not keep the kiosk from working: tried again at the next
            # start, and again when staff open staff mode.
            log.warning("start-up purge not saved: %s", _cause(exc))
        self.hub.urgent_help()  # read now, so urgent help (F1, a crisis search) never waits
        self.hub.load_directory()

    @on(Worker.StateChanged)
    def _prepare_results(self, event: Worker.StateChanged) -> None:
        """Once the directory has loaded, compose Home's results list.

        Not at start, where it would add to the memory the load's peak is made of; not at
        the first search either, where the visitor would wait for it.
        """
        if event.worker.name != "load-directory" or event.state != WorkerState.SUCCESS:
            return
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                # Home may be without its panel just then: while it is drawn again in another
                # language, or as the kiosk closes. A panel never prepared composes its parts
                # at its first search instead (ResultsPanel.refresh_results).
                for panel in screen.query("#search-results").results(ResultsPanel):
                    panel.prepare()

    def _load_directory(self) -> None:
        self.run_worker(
            self.hub.load_directory, name="load-directory", group="directory", thread=True
        )

    def reload_directory_if_changed(self) -> None:
        """Read the directory and index it again, in a worker, if another process saved it.

        A coordinator's `hub sync import` or a second kiosk's edit then shows up here
        without a restart; the check itself is one `stat`.
        """
        if self.hub.directory_changed() and not any(
            worker.group == "directory" and not worker.is_finished for worker in self.workers
        ):
            self._load_directory()

    async def on_unmount(self) -> None:
        """Stop any speech, let the writer make every save it was given (a lock's audit
        line, a search that found nothing), then release the data folder if this app
        opened it."""
        self.speaker.stop()
        await saves_finished(self)
        self.hub.close()

    @property
    def home(self) -> HomeScreen:
        """Return the Home screen, which stays at the bottom of the stack."""
        home = self.screen_stack[0]
        assert isinstance(home, HomeScreen)
        return home

    def return_home(self, *, clear: bool = False) -> None:
        """Close every screen above Home; with clear, also wipe what the visitor did there."""
        home = self.home
        self.speaker.stop()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if clear:
            home.clear_visit()
            self.theme = self.default_theme
            self.clear_notifications()
            if self.language != self.default_language:
                self.call_next(self.switch_language, self.default_language)
        self._last_activity = self.clock()
        self.check_size()

    def open_language_choice(self) -> None:
        """Ask which language the visitor wants; switch to it in place."""
        from screens.language_choice import LanguageChoiceScreen

        count_spacing_marks()  # the languages are named in their own scripts
        self.push_screen(LanguageChoiceScreen(self.language), self._language_chosen)

    async def _language_chosen(self, code: str | None) -> None:
        if code is not None:
            await self.switch_language(code)

    async def switch_language(self, code: str) -> None:
        """Speak `code` from now on: every screen in the stack is drawn again in place.

        Nothing is restarted or closed: each screen composes itself again in the new
        language (Home keeps what was typed in the search box).
        """
        if code == self.language:
            return
        count_spacing_marks()  # done once, before any of the new words are measured
        self.language = use_language([code])
        self.set_class(self.language in SHAPED_SCRIPT_LANGUAGES, WIDE_SCRIPT_CLASS)
        for screen in list(self.screen_stack):
            await screen.recompose()

    def open_need(self, need: Topic) -> None:
        """Show the services for a need (urgent needs go straight to urgent help)."""
        from screens.results import ResultsScreen

        # Someone choosing "Urgent help now" needs the numbers, not a list to read.
        if need.id == "urgent":
            self.action_urgent_help()
            return
        self.push_screen(ResultsScreen(need))

    def open_service(self, service_id: str) -> None:
        """Show one service's card, if it is still in the directory."""
        from screens.service_card import ServiceCardScreen

        service = self.hub.service(service_id)
        if service is None or not service.is_listed:
            self.show_message(_("Sorry, that service is no longer listed."), severity="warning")
            return
        self.push_screen(ServiceCardScreen(service))

    def open_more_help(self, start: int = 0) -> None:
        """Show a page of the needs that are not on the Home tiles, from `start` on (Back
        goes to the page before)."""
        from screens.more_help import MoreHelpScreen

        self.push_screen(MoreHelpScreen(self.other_needs, start))

    def open_theme_choice(self) -> None:
        """Ask which look the visitor wants."""
        from screens.theme_choice import ThemeChoiceScreen

        self.push_screen(ThemeChoiceScreen(self.theme))

    def open_staff_prompt(self) -> None:
        """Show the staff name and PIN prompt (once: pressing the key again does nothing).

        While staff mode is open, the staff key goes back to staff home instead.
        """
        if not self.staff_key_works:
            return
        if self.staff_session is not None:
            self.staff_session.open_home()
            return
        from screens.staff_prompt import StaffPromptScreen

        if not isinstance(self.screen, StaffPromptScreen):
            self.push_screen(StaffPromptScreen())

    def staff_quit(self) -> None:
        """Close the kiosk. Only staff mode calls this, after a PIN."""
        self.exit()

    # --- actions bound to keys ---------------------------------------------------------

    def action_urgent_help(self) -> None:
        """Show urgent help over whatever is on screen (once: pressing again does nothing)."""
        from screens.urgent import UrgentScreen

        if isinstance(self.screen, IdleScreen):
            self.screen.answer(True)
        if not isinstance(self.screen, UrgentScreen):
            self.push_screen(UrgentScreen(self.urgent))

    def action_listen(self) -> None:
        """Read the screen's words aloud (F2 or Listen), unless this key just stopped them."""
        if self._stopped_speaking or not self.can_listen:
            return
        words_to_read = getattr(self.screen, "words_to_read", None)
        if callable(words_to_read):
            self.speaker.say(str(words_to_read()), self.language)

    @on(Button.Pressed, ".listen-button")
    def _listen_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_listen()

    def action_staff_prompt(self) -> None:
        """Open the staff PIN prompt."""
        self.open_staff_prompt()

    def action_staff_lock(self) -> None:
        """Lock staff mode, if it is open (in visitor mode the key does nothing)."""
        if self.staff_session is not None:
            self.staff_session.lock()

    def action_nothing(self) -> None:
        """Do nothing: the key is claimed so that it cannot quit, suspend or open tools."""

    # Textual actions that end or suspend the app, reachable by name from markup links or
    # a future binding. A visitor must never trigger them, so they do nothing here.
    async def action_quit(self) -> None:
        """Ignore: visitors cannot quit. Staff use `staff_quit`."""

    def action_suspend_process(self) -> None:
        """Ignore: suspending would drop the visitor to a shell."""

    def action_command_palette(self) -> None:
        """Ignore: the command palette is not for visitors."""

    # --- looks ----------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        """On a tall screen, give the tiles more room so the page does not look empty; below
        80×24, ask for a bigger window instead of drawing a broken screen."""
        self.set_class(event.size.height >= TALL_SCREEN, TALL_CLASS)
        self.call_after_refresh(self.check_size)

    def check_size(self) -> None:
        """Show "Please make this window bigger" while the terminal is too small; take it
        away once it is big enough."""
        small = is_too_small(self.size)
        showing = any(isinstance(screen, TooSmallScreen) for screen in self.screen_stack)
        if small and not showing:
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()
        # Under urgent help (F1 works at any size) the note waits: it closes itself when
        # urgent help does, if the window has grown meanwhile.

    def watch_theme(self, theme: str) -> None:
        """Switch on the large layout with the large theme (and high contrast's shapes)."""
        self.set_class(theme == LARGE, LARGE_CLASS)
        self.set_class(theme == HIGH_CONTRAST, HIGH_CONTRAST_CLASS)

    # --- idle -----------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Note every key, click, scroll and paste before Textual routes it.

        Widgets such as Input stop key events from bubbling, so the app watches events as
        they arrive rather than waiting for them to bubble up.
        """
        if isinstance(event, events.Key | events.MouseDown):
            # Any key or click stops the reading at once (and is not taken as Listen).
            self._stopped_speaking = self.speaker.speaking
            self.speaker.stop()
        if isinstance(event, _ACTIVITY_EVENTS):
            self.dismiss_messages(event)
            self.note_activity()
        await super().on_event(event)

    def note_activity(self) -> None:
        """Remember that someone used the kiosk just now."""
        self._last_activity = self.clock()

    def seconds_idle(self) -> float:
        """Return how long since the last key, click, scroll or paste, by the app's clock."""
        return (self.clock() - self._last_activity).total_seconds()

    def is_fresh(self) -> bool:
        """Return True when there is nothing of a visitor's on screen to clear."""
        try:
            untouched = self.home.is_untouched()
        except NoMatches:
            # The one-second check can fire while the app closes and Home's parts are
            # already gone: then there is nothing of a visitor's left to clear.
            return True
        above_home = self.screen_stack[1:]
        return (
            all(isinstance(screen, TooSmallScreen) for screen in above_home)
            and untouched
            and self.theme == self.default_theme
            and self.language == self.default_language
        )

    def check_inactivity(self) -> None:
        """Ask "Are you still there?" once the kiosk has been idle long enough.

        Runs every second on a timer; tests advance the injected clock and call it.
        """
        if self.staff_session is not None:
            # Staff mode locks outright at its own limit: asking "Are you still there?"
            # would leave staff screens showing to whoever walks up meanwhile.
            if self.seconds_idle() >= self.staff_session.idle_seconds:
                self.staff_session.lock()
            return
        if not self.screen_stack:
            # The timer can fire once more while the app closes, after its last screen
            # has gone: there is nobody left to ask.
            return
        screen = self.screen
        if isinstance(screen, IdleScreen):
            screen.tick()
            return
        if self.is_fresh():
            self._last_activity = self.clock()
            return
        limit = getattr(screen, "IDLE_SECONDS", None) or self.idle_seconds
        # Someone reading urgent numbers may be on the phone: that screen waits longer.
        limit = max(limit, getattr(screen, "MIN_IDLE_SECONDS", 0))
        if self.seconds_idle() >= limit:
            deadline = self.clock() + timedelta(seconds=self.idle_countdown_seconds)
            self.push_screen(IdleScreen(deadline), self._after_idle_question)

    def _after_idle_question(self, still_here: bool | None) -> None:
        if still_here:
            self.note_activity()
        else:
            self.return_home(clear=True)

    # --- data for the screens ----------------------------------------------------------

    @property
    def can_listen(self) -> bool:
        """Return True when Listen is on and this PC has a voice for the screens' language."""
        return self.read_aloud and can_read(self.language)

    def today(self) -> date:
        """Return today's date in London, by the app's clock."""
        return self.hub.today()

    @property
    def urgent(self) -> UrgentHelp:
        """Return the urgent lines: the national ones and the hub's own (read once, by the
        worker that loads the directory, or by whatever first asks)."""
        return self.hub.urgent_help()

    @property
    def glossary(self) -> tuple[GlossaryEntry, ...]:
        """Return the words the card explains where they first appear (data/glossary.json,
        read by the first card shown)."""
        from hub.glossary import load_glossary  # cached there: read once per run

        return load_glossary()

    @property
    def sample_loaded(self) -> bool:
        """Return True while the bundled, fictional sample directory is loaded."""
        return self.hub.sample_loaded

    def need(self, need_id: str) -> Need | None:
        """Return a need by id."""
        from hub.needs import need_by_id

        return need_by_id(need_id)

    def search_index(self) -> SearchIndex:
        """Return the search index, rebuilt when the directory has changed (thread-safe)."""
        return self.hub.search_index()

    def find_services(
        self, *, query: str = "", need_id: str | None = None, filters: Filters
    ) -> list[Result]:
        """Return services for the words or the need, best first (runs in a worker)."""
        return self.hub.find_services(query=query, need_id=need_id, filters=filters)

    def urgent_help_for(self, query: str) -> tuple[frozenset[str], list[UrgentLine]]:
        """Return the crisis kinds the words touch and the urgent lines for them, in order.

        An ordinary search gives no kinds and no lines (runs in a search worker).
        """
        return self.hub.crisis_lines(query, self.urgent)

    def log_unmet_search(self, text: str) -> None:
        """Record a search that found nothing: only its words and the day.

        A failed save is not the visitor's business: the search goes unlogged, quietly
        (and the log line leaves the words out: they are the visitor's). Words that speak
        of a crisis are never recorded (the core refuses them too): only their kinds are
        counted.
        """
        save_off_screen(
            self,
            lambda: self.hub.log_unmet_search(text),
            failed=lambda exc: log.warning(
                "a search that found nothing was not logged: %s", _cause(exc)
            ),
        )

    def count_urgent_search(self, kinds: Iterable[str]) -> None:
        """Count a search that spoke of a crisis: only its kinds and the day, never words.

        Quietly skipped when it cannot be saved: the visitor needs the lines, not an error.
        """
        counted = frozenset(kinds)
        save_off_screen(
            self,
            lambda: self.hub.count_urgent_search(counted),
            failed=lambda exc: log.warning("an urgent search was not counted: %s", _cause(exc)),
        )

    def log_empty_need(self, need_id: str) -> None:
        """Record that a need had nothing to offer: only the need and the day (quietly)."""
        save_off_screen(
            self,
            lambda: self.hub.log_empty_need(need_id),
            failed=lambda exc: log.warning("an empty need was not logged: %s", _cause(exc)),
        )

    def service(self, service_id: str) -> Service | None:
        """Return a service by id."""
        return self.hub.service(service_id)

    # --- what widgets ask for (they post messages; they never call the app) ----------

    @on(TopBar.BackPressed)
    def _bar_back(self, event: TopBar.BackPressed) -> None:
        event.stop()
        stack = self.screen_stack
        if len(stack) > 1 and event.bar.screen is stack[-1]:
            self.pop_screen()

    @on(TopBar.HomePressed)
    def _bar_home(self, event: TopBar.HomePressed) -> None:
        event.stop()
        # "Start again" wipes the search, its switches and list and any open card, but
        # keeps the language and look the visitor chose (they are still the one here;
        # the idle reset puts those back for the next person).
        self.return_home()
        self.home.clear_visit()

    @on(TopBar.ThemeSwitchPressed)
    def _bar_theme(self, event: TopBar.ThemeSwitchPressed) -> None:
        event.stop()
        self.open_theme_choice()

    @on(TopBar.UrgentPressed)
    @on(ResultsPanel.UrgentHelpWanted)
    def _urgent_wanted(self, event: TopBar.UrgentPressed | ResultsPanel.UrgentHelpWanted) -> None:
        event.stop()
        self.action_urgent_help()

    @on(ResultsPanel.ServiceChosen)
    def _service_chosen(self, event: ResultsPanel.ServiceChosen) -> None:
        event.stop()
        self.open_service(event.service_id)

    @on(ResultsPanel.TopicsWanted)
    def _topics_wanted(self, event: ResultsPanel.TopicsWanted) -> None:
        event.stop()
        self.return_home()
        self.home.show_topics()

    def on_staff_badge_home_wanted(self, event: StaffBadge.HomeWanted) -> None:
        """Staff's badge asks for staff home (by the message's handler name, so staff mode
        is imported only when staff unlock it)."""
        event.stop()
        if self.staff_session is not None:
            self.staff_session.open_home()


def _cause(exc: Exception) -> str:
    """Return the kind of failure behind a save that failed, for a log line that names no data."""
    return type(exc.__cause__ or exc).__name__


def _start_staff_mode(app: HubApp, member: StaffMember) -> Screen[Any]:
    """Return staff mode's first screen (staff mode is imported when staff first unlock)."""
    from screens.staff import start_staff_mode

    return start_staff_mode(app, member)


def make_app(
    *,
    data_dir: Path | None = None,
    store: HubStore | None = None,
    clock: Clock | None = None,
    idle_seconds: float | None = None,
    idle_countdown_seconds: float = 30,
    language: str | None = None,
    staff: bool = True,
) -> HubApp:
    """Return the kiosk app for a store (or a data folder its Hub opens and later closes).

    A brand-new data folder is given the bundled sample directory, so the kiosk shows
    something on its first start. Once Home is on screen, a worker purges referrals past
    the hub's retention period and any crisis searches an older version logged as words,
    then loads the directory (`HubApp.on_mount`).
    `idle_seconds` defaults to the hub's setting (120); `language` (a code offered by
    hub.i18n) to the hub's own, set by `hub setup --language`. `staff=False` makes a
    visitor-only kiosk (a browser session of `hub serve` without `--staff`): the staff key
    does nothing there.
    """
    clock = clock or system_clock
    if store is None:
        hub = Hub.open(data_dir or default_data_dir(), clock=clock)
    else:
        hub = Hub(store, clock=clock)
    try:
        hub.seed_sample()
    except NotSaved as exc:
        # A full disk must not keep the kiosk from opening: tried again at the next start.
        log.warning("start-up sample not saved: %s", _cause(exc))
    if idle_seconds is None:
        idle_seconds = hub.settings().visitor_idle_seconds
    app = HubApp(
        hub,
        idle_seconds=idle_seconds,
        idle_countdown_seconds=max(20.0, idle_countdown_seconds),
        default_language=language or hub.settings().language,
    )
    if staff:
        app.staff_mode_factory = _start_staff_mode
    else:
        app.staff_key_works = False
    return app
