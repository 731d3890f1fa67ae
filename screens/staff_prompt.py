"""The staff way in: a name and PIN prompt, opened by the staff key (F9, or Ctrl+T
in a terminal).

Staff mode itself is built on top of the kiosk: it sets `HubApp.staff_mode_factory`,
and a right PIN opens the screen that factory builds. Until then, or while the hub has no
staff accounts, the prompt says that staff mode is not set up. On a kiosk with no staff
at all (its first run) it also says how to add someone, and offers to close the kiosk:
there is no one yet who could sign in and close it the usual way.
"""

from __future__ import annotations

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

from hub.i18n import N_, _
from hub.kiosk_service import NotSaved
from hub.staff import UnlockResult
from screens.kiosk import kiosk_app
from screens.widgets.plain_input import PlainInput

ADD_STAFF_COMMAND = 'hub staff add "YOUR NAME"'
"""The README's command (from a checkout, after `. .venv/bin/activate`)."""

UNLOCK_GROUP = "staff-unlock"
"""The worker group of the PIN check, so its finish is told apart from others'."""

CANNOT_SAVE = N_(
    "Could not sign in: this kiosk cannot save just now (its disk may be full). "
    "Please tell whoever looks after the kiosk."
)


class StaffPromptScreen(ModalScreen[None]):
    """Asks for a staff name and PIN; Escape or Cancel closes it."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # A priority binding runs as the kiosk takes the key, before any key typed after it.
        Binding("enter", "to_pin", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__(classes="staff-prompt")

    @property
    def is_set_up(self) -> bool:
        """Return True when staff mode exists and someone can sign in to it."""
        kiosk = kiosk_app(self)
        return kiosk.staff_mode_factory is not None and bool(kiosk.hub.staff_members())

    def compose(self) -> ComposeResult:
        """Yield the name and PIN boxes, or the words saying staff mode is not set up."""
        with Vertical(classes="dialog"):
            yield Static(Content.styled(_("Staff sign in"), "bold"), classes="dialog-title")
            if self.is_set_up:
                # Anyone can open this prompt and paste into it: words only.
                yield PlainInput(placeholder=_("Your name"), id="staff-name", max_length=60)
                yield Input(placeholder=_("PIN"), id="staff-pin", password=True, max_length=12)
                yield Static("", id="staff-message")
                with Horizontal(classes="dialog-buttons"):
                    yield Button(_("Sign in"), id="sign-in")
                    yield Button(_("Cancel"), id="cancel")
            else:
                yield Static(
                    Content(_("Staff mode is not set up on this kiosk.")), id="staff-message"
                )
                no_staff = not kiosk_app(self).hub.staff_members()
                if no_staff:
                    yield Static(
                        Content(
                            _(
                                "To add a staff member, close the kiosk, then run:\n"
                                "  {command}\n"
                                "It asks for their PIN twice. Then start the kiosk again "
                                "with: hub\n(From the project folder, run "
                                ". .venv/bin/activate first.)"
                            ).format(command=ADD_STAFF_COMMAND)
                        ),
                        id="staff-setup-help",
                    )
                with Horizontal(classes="dialog-buttons"):
                    if no_staff:
                        yield Button(_("Close the kiosk"), id="close-kiosk")
                    yield Button(_("Back"), id="cancel")

    def action_cancel(self) -> None:
        """Close the prompt."""
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    @on(Button.Pressed, "#close-kiosk")
    def _close_kiosk(self, event: Button.Pressed) -> None:
        """Close the kiosk: offered only while it has no staff who could do it."""
        event.stop()
        kiosk = kiosk_app(self)
        if not kiosk.hub.staff_members():
            kiosk.exit()

    def action_to_pin(self) -> None:
        """Enter in the name box: the keys go to the PIN box at once.

        At once, not when the name box's own Enter is handled a step later: the kiosk gives
        each key to the box that has the keys as it takes that key, so the PIN typed
        quickly after Enter (a fast typist, a password manager, a paste, a busy PC) landed
        in the name box, in plain sight. Enter anywhere else does what it always did.
        """
        focused = self.focused
        if focused is None or focused.id != "staff-name":
            raise SkipAction()
        self.set_focus(self.query_one("#staff-pin", Input))

    @on(Input.Submitted, "#staff-pin")
    @on(Button.Pressed, "#sign-in")
    def _sign_in(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        name = self.query_one("#staff-name", Input).value
        pin = self.query_one("#staff-pin", Input).value
        self.query_one("#staff-message", Static).update(Content(_("Checking…")))
        self._check(name, pin)

    @work(thread=True, exclusive=True, group=UNLOCK_GROUP)
    def _check(self, name: str, pin: str) -> UnlockResult | None:
        """Check the PIN in a thread (the hash is slow on purpose).

        Returns the unlock's result, or None when the lockout count could not be kept.
        The answer is shown once the worker has finished (`_check_finished`), not from
        inside it: a right PIN closes this screen, and closing a screen while its own
        worker still runs would cancel that worker.
        """
        try:
            return kiosk_app(self).hub.unlock(name, pin)
        except NotSaved:
            return None

    @on(Worker.StateChanged)
    def _check_finished(self, event: Worker.StateChanged) -> None:
        if event.worker.group != UNLOCK_GROUP or event.state != WorkerState.SUCCESS:
            return
        event.stop()
        result = event.worker.result
        if result is None:
            # The lockout count could not be kept, so nobody is let in (a full disk must
            # not switch off the guard against guessing), and the prompt stays open.
            self._cannot_save()
        else:
            self._checked(result)

    def _cannot_save(self) -> None:
        self.query_one("#staff-pin", Input).value = ""
        self.query_one("#staff-message", Static).update(Content(_(CANNOT_SAVE)))

    def _checked(self, result: UnlockResult) -> None:
        kiosk = kiosk_app(self)
        if result.member is None or kiosk.staff_mode_factory is None:
            self.query_one("#staff-pin", Input).value = ""
            self.query_one("#staff-message", Static).update(Content(result.words()))
            return
        member = result.member
        self.dismiss(None)
        kiosk.push_screen(kiosk.staff_mode_factory(kiosk, member))
