"""Staff mode's life: unlocked by a PIN, ended by Lock, by inactivity, or by quitting.

One StaffSession lives on the app (`HubApp.staff_session`) while staff mode is open. It
makes staff mode look different at a glance (the app's `-staff` class turns every bar
green, and each visitor screen's bar gains a "Staff: NAME" button back to staff home),
and it is the one place that locks: every staff screen and form is closed, Home is
cleared, and the audit log notes the lock.

Staff screens share StaffScreen: a bar with Back, the title, the member's name and Lock.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from hub.i18n import _, ngettext
from hub.kiosk_service import NotSaved
from hub.models import HubInfo, Service
from hub.staff import StaffMember
from screens.kiosk import kiosk_app
from screens.saving import save_off_screen
from screens.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from screens.app import HubApp

STAFF_CLASS = "-staff"
"""Set on the app while staff mode is open; staff.tcss colours the bars by it."""


class StaffBadge(Button):
    """ "Staff: NAME" in a visitor screen's bar while staff mode is open; opens staff home."""

    class HomeWanted(Message):
        """The badge was pressed: bring staff home to the front (the app answers)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"Staff: {name}", classes="staff-badge bar-button")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Ask for staff home."""
        event.stop()
        self.post_message(self.HomeWanted())


class StaffSession:
    """An unlocked staff member at this kiosk, until Lock, inactivity or Quit."""

    def __init__(self, app: HubApp, member: StaffMember) -> None:
        self.app = app
        self.member = member
        self.idle_seconds: float = app.hub.settings().staff_idle_seconds
        """Staff mode locks after this long without a key press or click."""

    @property
    def staff_id(self) -> str:
        """Return the unlocked member's id (what referrals and the audit log record)."""
        return self.member.id

    @property
    def hub(self) -> HubInfo | None:
        """Return this hub's id and name, or None before `hub setup` has run."""
        return self.app.hub.hub_info()

    @property
    def is_open(self) -> bool:
        """Return True while this session is the app's staff mode."""
        return self.app.staff_session is self

    # --- opening ---------------------------------------------------------------------

    def start(self) -> Screen[Any]:
        """Return staff home, after switching the app into staff mode."""
        from screens.staff.staff_home import StaffHomeScreen

        app = self.app
        app.staff_session = self
        app.add_class(STAFF_CLASS)
        app.note_activity()
        # Visitor screens do not know about staff mode; each one that comes to the front
        # while it is open gets the badge in its bar.
        app.screen_change_signal.subscribe(app.home, self._screen_changed, immediate=True)
        for screen in app.screen_stack:
            self._badge(screen)
        return StaffHomeScreen()

    def open_home(self) -> None:
        """Bring staff home to the front (closing staff screens above it), or open it."""
        from screens.staff.staff_home import StaffHomeScreen

        app = self.app
        stack = app.screen_stack
        homes = [screen for screen in stack if isinstance(screen, StaffHomeScreen)]
        if not homes:
            app.push_screen(StaffHomeScreen())
            return
        while app.screen is not homes[-1]:
            app.pop_screen()

    def refer(self, service: Service) -> None:
        """Open the referral form for a service, the visitor's topic ticked if they had one.

        The topic is the need whose list the visitor opened the card from (the results
        screen under the card); a card reached from a search or from staff home has none.
        """
        from screens.results import ResultsScreen
        from screens.service_card import ServiceCardScreen
        from screens.staff.referral_form import ReferralFormScreen

        stack = self.app.screen_stack
        topic: str | None = None
        if len(stack) >= 2 and isinstance(stack[-1], ServiceCardScreen):
            below = stack[-2]
            if isinstance(below, ResultsScreen):
                topic = below.need.id
        self.app.push_screen(ReferralFormScreen(service, topic))

    # --- the badge ---------------------------------------------------------------------

    def _screen_changed(self, screen: Screen[Any]) -> None:
        # A newly pushed screen has not composed yet; its own queue runs this after it has.
        screen.call_later(self._badge, screen)

    def _badge(self, screen: Screen[Any]) -> None:
        if not self.is_open or screen.query(StaffBadge):
            return
        bars = screen.query(TopBar)
        if bars:
            bar = bars.first()
            title = bar.query("#bar-title")
            bar.mount(StaffBadge(self.member.name), after=title.first() if title else None)

    # --- closing -----------------------------------------------------------------------

    def lock(self) -> None:
        """Close staff mode: every staff screen and form closed, Home cleared, lock audited."""
        app = self.app
        if not self.is_open:
            return
        app.staff_session = None
        app.remove_class(STAFF_CLASS)
        app.screen_change_signal.unsubscribe(app.home)
        # The audit line is worth less than locking: the kiosk locks now, and the line is
        # written after, off the UI thread (a line that cannot be written is let go).
        hub, staff_id = app.hub, self.staff_id
        save_off_screen(app, lambda: hub.record_lock(staff_id))
        app.return_home(clear=True)
        for badge in app.home.query(StaffBadge):
            badge.remove()

    def quit_kiosk(self) -> None:
        """Lock (so the audit log shows it), then close the app."""
        self.lock()
        self.app.staff_quit()


STAFF_STYLES = Path(__file__).resolve().parent.parent / "styles" / "staff.tcss"
"""Staff mode's stylesheet: read by Textual when the first staff screen is shown (every
screen of staff mode names it), so a visitor's kiosk never parses it on the way to Home."""


def start_staff_mode(app: HubApp, member: StaffMember) -> Screen[Any]:
    """Return staff home for a member who gave the right PIN (HubApp.staff_mode_factory)."""
    return StaffSession(app, member).start()


def act_as_staff(
    widget: Widget,
    action: Callable[[str], object],
    *,
    then: Callable[[], object],
    busy: Widget | None = None,
    done_already: tuple[type[Exception], ...] = (),
    not_saved: tuple[type[Exception], ...] = (NotSaved,),
) -> None:
    """Save a row's `action` for the staff member signed in (it gets their id), off the
    UI thread (screens.saving).

    `then()` runs on the UI thread once it is done, or was already (one of
    `done_already` was raised: someone else dealt with it), so the row can go. When it
    raises one of `not_saved`, the kiosk says "Not saved" and why. `busy` (the button
    pressed, or the row) is disabled meanwhile, so a second press cannot save it twice.
    Nothing happens when nobody is signed in, and nothing is shown once staff mode has
    locked (the save is still made).
    """
    kiosk = kiosk_app(widget)
    session = kiosk.staff_session
    if session is None:
        return
    staff_id = session.staff_id

    def act() -> None:
        with contextlib.suppress(*done_already):
            action(staff_id)

    # Staff mode may have locked while the save ran: then the answer is for nobody, and
    # nothing of it may show on the visitor's screens.
    def saved(result: None) -> None:
        if session.is_open:
            then()

    def failed(exc: Exception) -> None:
        if busy is not None:
            busy.disabled = False
        if session.is_open:
            kiosk.show_not_saved(_("Not saved: {reason}").format(reason=exc))

    if busy is not None:
        busy.disabled = True
    save_off_screen(widget, act, then=saved, failed=failed, expected=not_saved)


def take_row_away(row: Widget) -> None:
    """Remove a staff row whose work is done. When the keys were on it (or nowhere: the
    pressed button lost them when it was disabled while saving), they go to the first
    button of the next row of its kind (the one before, for the last), so staff going down
    a list press Enter again, and never land on Lock at the top of the screen."""
    focused = row.screen.focused
    kin = [] if row.parent is None else row.parent.children
    siblings = [widget for widget in kin if type(widget) is type(row)]
    if row in siblings and (focused is None or row in focused.ancestors_with_self):
        place = siblings.index(row)
        others = siblings[:place] + siblings[place + 1 :]
        if others:
            buttons = others[min(place, len(others) - 1)].query(Button)
            enabled = [button for button in buttons if not button.disabled]
            if enabled:
                enabled[0].focus()
    row.remove()


class StaffScreen(Screen[None]):
    """A full staff screen: a bar with Back, its title, who is signed in, and Lock."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=False),
    ]
    CSS_PATH = STAFF_STYLES
    TITLE_WORDS = ""
    """What the screen is for, shown in its bar."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("staff-screen")

    @property
    def kiosk(self) -> HubApp:
        """Return the kiosk app."""
        return kiosk_app(self)

    @property
    def session(self) -> StaffSession:
        """Return the open staff session (staff screens only exist while one is open)."""
        session = self.kiosk.staff_session
        if session is None:
            raise RuntimeError("a staff screen outlived staff mode")
        return session

    def compose_bar(self, *, back: bool = True) -> ComposeResult:
        """Yield the staff bar."""
        with Horizontal(classes="top-bar staff-bar"):
            if back:
                yield Button(_("◀ Back"), id="back", classes="bar-button")
            # Titles are marked with N_() where they are written and translated here, so a
            # language chosen after import still shows.
            yield Static(Content(_(self.TITLE_WORDS) if self.TITLE_WORDS else ""), id="bar-title")
            session = self.kiosk.staff_session
            if session is not None:
                yield Static(
                    Content(_("Staff: {name}").format(name=session.member.name)),
                    classes="staff-name",
                )
            yield Button(_("Lock (Ctrl+L)"), id="lock", classes="bar-button lock-button")

    def action_back(self) -> None:
        """Close this screen, back to the one that opened it."""
        if self.is_current and len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    @on(Button.Pressed, "#back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_back()

    @on(Button.Pressed, "#lock")
    def _lock_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.session.lock()


class StaffFormScreen(StaffScreen):
    """A staff screen with a form: its Cancel button goes back, and its Save button runs
    the form's own "save" action, the one its Ctrl+S binding runs."""

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_back()

    @on(Button.Pressed, "#save")
    async def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.run_action("save")

    def show_summary(
        self, problems: Mapping[str, str], others: list[str], first: Widget | None
    ) -> None:
        """Show the line at the top of the form (`#form-problems`): how many mistakes there
        are, then those not shown beside a field; hide it when there are none. The first
        mistake (or the line) is scrolled into view."""
        summary = self.query_one("#form-problems", Static)
        summary.display = bool(problems)
        if not problems:
            return
        count = len(problems)
        words = ngettext(
            "Please fix the thing marked below.",
            "Please fix the {count} things marked below.",
            count,
        ).format(count=count)
        summary.update(Content(" ".join([words, *others])))
        self.query_one(".form-body", VerticalScroll).scroll_to_widget(
            first or summary, animate=False, top=True
        )


class ConfirmScreen(ModalScreen[bool]):
    """A yes-or-no question; dismisses True for yes. Escape means no."""

    AUTO_FOCUS = "#confirm-no"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "no", "No", show=False)]
    CSS_PATH = STAFF_STYLES

    def __init__(self, question: str, detail: str, yes: str, no: str | None = None) -> None:
        super().__init__(classes="staff-confirm")
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no if no is not None else _("Cancel")

    def compose(self) -> ComposeResult:
        """Yield the question, what it means, and the two buttons (No has the keyboard)."""
        with Vertical(classes="dialog"):
            yield Static(Content.styled(self.question, "bold"), classes="dialog-title")
            yield Static(Content(self.detail), classes="confirm-detail")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="confirm-yes")
                yield Button(self.no, id="confirm-no")

    def action_no(self) -> None:
        """Answer no."""
        self.dismiss(False)

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)
