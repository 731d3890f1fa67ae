"""Choose a service by searching for it: the first step of a referral or an edit.

Down from the search box (or Enter) puts the keyboard on the first service, so the hint
"Down, then Enter" picks it. For a referral, "No suitable service" (Ctrl+N) records the
need instead when nothing in the directory fits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Input, ListItem, ListView, Static

from hub.i18n import N_, _, ngettext
from hub.models import Service
from hub.needs import needs_from_text
from hub.search import is_searchable
from screens.staff.staff_session import StaffScreen

PICK_LIMIT = 30
"""How many services the list shows; the words narrow it."""


class ServiceChoice(ListItem):
    """One service in the picker's list."""

    def __init__(self, service: Service) -> None:
        words = Content.assemble(Content.styled(service.name, "bold"), "\n", service.summary)
        super().__init__(Static(words), classes="service-choice")
        self.service = service


class ServicePickerScreen(StaffScreen):
    """A search box and a list; choosing a service closes this and hands it on."""

    AUTO_FOCUS = "#pick-search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_list", "List", show=False),
        Binding("ctrl+n", "nothing_suitable", "No suitable service", show=False),
    ]
    TITLE_WORDS = N_("Choose a service")

    def __init__(
        self,
        title: str,
        on_choose: Callable[[Service], None],
        *,
        nothing_suitable: bool = False,
    ) -> None:
        super().__init__(classes="service-picker")
        self.TITLE_WORDS = title
        self.on_choose = on_choose
        self.nothing_suitable = nothing_suitable
        """Offer "No suitable service" (when choosing a service to refer to)."""

    def compose(self) -> ComposeResult:
        """Yield the bar, the box, what the list shows, and the list."""
        yield from self.compose_bar()
        yield Input(
            placeholder=_("Type part of the service's name or what it does"), id="pick-search"
        )
        with Horizontal(classes="pick-row"):
            yield Static("", id="pick-count")
            if self.nothing_suitable:
                yield Button(
                    _("No suitable service (Ctrl+N)"), id="nothing-suitable", classes="small-button"
                )
        yield ListView(id="pick-list")

    def on_mount(self) -> None:
        """Start with the directory in name order."""
        self._find("")

    @on(Input.Changed, "#pick-search")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._find(event.value)

    @on(Input.Submitted, "#pick-search")
    def _to_list(self, event: Input.Submitted) -> None:
        event.stop()
        listing = self.query_one("#pick-list", ListView)
        if listing.children:
            listing.index = 0
            listing.focus()

    def action_to_list(self) -> None:
        """Move the keyboard to the list, on its first service (so Enter then picks it)."""
        listing = self.query_one("#pick-list", ListView)
        if not listing.children:
            return
        if listing.index is None:
            listing.index = 0
        listing.focus()

    def action_nothing_suitable(self) -> None:
        """Ask which need nothing suited, record it, and say so (referrals only)."""
        if not self.nothing_suitable:
            return
        from screens.staff.nothing_suitable import NothingSuitableScreen

        kiosk = self.kiosk

        def recorded(label: str | None) -> None:
            if label is not None:
                kiosk.notify(
                    _("Recorded: no suitable service for {need}.").format(need=label), markup=False
                )
                if self.is_current:
                    self.app.pop_screen()

        needs = [*kiosk.tiles, *kiosk.other_needs]
        # The words staff searched for usually name the need ("food bank" is Food).
        mapped = needs_from_text(self.query_one("#pick-search", Input).value)
        suggested = mapped[0] if mapped else None
        chooser = NothingSuitableScreen(needs, kiosk.hub.record_nothing_suitable, suggested)
        self.app.push_screen(chooser, recorded)

    @on(Button.Pressed, "#nothing-suitable")
    def _nothing_suitable_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_nothing_suitable()

    @work(thread=True, exclusive=True, group="staff-pick")
    def _find(self, words: str) -> None:
        """Search in a thread: the first search on a big directory builds the index."""
        kiosk = self.kiosk
        if is_searchable(words.strip()):
            found = [result.service for result in kiosk.hub.search(words, limit=PICK_LIMIT)]
            total = len(found)
        else:  # the first page only: a big directory is never read whole for a list
            found, total = kiosk.hub.listed_page(limit=PICK_LIMIT)
        self.app.call_from_thread(self._show, words, found, total)

    def _show(self, words: str, found: list[Service], total: int) -> None:
        if not self.is_attached or words != self.query_one("#pick-search", Input).value:
            return
        listing = self.query_one("#pick-list", ListView)
        listing.clear()
        listing.extend(ServiceChoice(service) for service in found[:PICK_LIMIT])
        if not found:
            count = _("Nothing found. Try other words.")
        elif total > PICK_LIMIT:
            count = _("The first {limit} of {total}: type to narrow the list.").format(
                limit=PICK_LIMIT, total=total
            )
        else:
            count = ngettext(
                "{count} found. Press Enter or Down, then Enter to choose.",
                "{count} found. Press Enter or Down, then Enter to choose.",
                len(found),
            ).format(count=len(found))
        self.query_one("#pick-count", Static).update(Content(count))

    @on(ListView.Selected, "#pick-list")
    def _chosen(self, event: ListView.Selected) -> None:
        event.stop()
        item = event.item
        if isinstance(item, ServiceChoice):
            self.app.pop_screen()
            self.on_choose(item.service)
