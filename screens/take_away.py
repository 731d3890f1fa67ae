"""Take it with you: a QR code a phone can read, a card to copy down, and Print.

The QR code holds plain text (name, phone, what to say when you ring, the next session by
date, how to get in, the regular times, address), so a phone camera
shows it without going online. It is kept short enough to draw in 23 lines, which fits
a 24-line terminal. Print appears only when the PC has a printer command (`lp`), and
sends a large-print text card from a worker so the screen never waits for the printer.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from hub.i18n import _, ngettext
from hub.models import Service
from hub.schedule import (
    LONDON,
    schedule_in_words,
    session_dated,
    upcoming_sessions,
    when_in_words,
)
from screens.visitor import VisitorScreen
from screens.widgets.qr import QrCode
from screens.widgets.top_bar import urgent_button_label
from screens.words import (
    address_lines,
    cost_words,
    how_to_go,
    how_to_go_short,
    main_phone,
    what_to_say,
)

QR_BYTES = 134
"""The most a QR code of 41x41 modules (version 6, error correction L) holds."""
PRINT_COMMAND = "lp"
# CUPS prints plain text at 6 characters and 4 lines to the inch: about 20 point type.
PRINT_OPTIONS = ("-o", "cpi=6", "-o", "lpi=4", "-o", "page-left=36")
PRINT_TIMEOUT = 30


def _fits(text: str) -> bool:
    return len(text.encode("utf-8")) <= QR_BYTES


def _patterns(service: Service, now: datetime) -> list[str]:
    """Return each regular pattern still running ("Every Tuesday and Thursday, 1pm to 4pm")."""
    today = now.astimezone(LONDON).date()
    return [
        schedule_in_words(schedule, today=today)
        for schedule in service.schedules
        if schedule.valid_to is None or schedule.valid_to >= today
    ]


def _when_lines(service: Service, now: datetime, *, count: int, short: bool = False) -> list[str]:
    """Return when to go, in words that stay true on another day.

    The next sessions by date (never "Today" or "Open now": a card is read later), then
    the regular pattern. With no dated session, what the hub knows instead ("Phone only").
    """
    sessions = upcoming_sessions(service, now, count)
    lines = [session_dated(session, short=short) for session in sessions]
    if lines:
        lines.insert(0, ngettext("Next time:", "Next times:", len(lines)))
    patterns = _patterns(service, now)
    lines += patterns
    if not sessions and not patterns:
        lines.append(when_in_words(service, now))
    return lines


@dataclass
class _QrParts:
    """What the QR text is made of, as the trimming cuts it down (see qr_payload)."""

    name: str
    phone: str | None
    say: str | None
    when: str | None
    how: str | None
    patterns: list[str]
    pieces: list[str]
    """The address, one piece a line (the place's name first, the postcode last)."""

    def text(self) -> str:
        """Return the lines that are left, one a line."""
        address = ", ".join(self.pieces) or None
        lines = (self.name, self.phone, self.say, self.when, self.how, *self.patterns, address)
        return "\n".join(line for line in lines if line)


def _drop_address_middle(parts: _QrParts) -> bool:
    """Drop one piece from the middle of the address; False when only name and postcode
    (or less) are left: they find the place on a map."""
    if len(parts.pieces) <= 2:
        return False
    del parts.pieces[-2]
    return True


def _drop_address(parts: _QrParts) -> bool:
    """Drop the rest of the address (it is on the card)."""
    dropped, parts.pieces = bool(parts.pieces), []
    return dropped


def _drop_pattern(parts: _QrParts) -> bool:
    """Drop the last regular pattern left."""
    if not parts.patterns:
        return False
    parts.patterns.pop()
    return True


def _drop_how(parts: _QrParts) -> bool:
    """Drop how to get in."""
    dropped, parts.how = parts.how is not None, None
    return dropped


def _drop_when(parts: _QrParts) -> bool:
    """Drop the next date (or what the hub knows instead)."""
    dropped, parts.when = parts.when is not None, None
    return dropped


_DROPS: dict[str, Callable[[_QrParts], bool]] = {
    "address middle": _drop_address_middle,
    "address": _drop_address,
    "pattern": _drop_pattern,
    "how": _drop_how,
    "when": _drop_when,
}

QR_TRIM_STEPS: tuple[tuple[str, str], ...] = (
    # (what goes, for which service); each step drops while the text is still too long.
    ("address middle", "any"),
    # A service to ring first: the line to say helps more than where and when (the call
    # settles those, and both are on the card and the printout), so they make room for it.
    ("address", "to ring"),
    ("pattern", "to ring"),
    ("how", "to ring"),
    ("when", "to ring"),
    # If even the name, the number and the line are too long (in Tamil and Gujarati each
    # letter takes three bytes), the line is left to the card and the printout instead,
    # what it made room for comes back, and the rest is cut as for any service.
    ("line to say", "to ring"),
    # No date to give: where it is matters more than "Times not known — phone first" and
    # "Phone first" (the phone number says as much).
    ("how", "no date"),
    ("when", "no date"),
    ("address", "any"),
    ("pattern", "any"),
    ("how", "any"),
)
"""The order the QR text is cut in when it is too long: one table, read by qr_payload."""


def qr_payload(service: Service, now: datetime, hub_name: str | None = None) -> str:
    """Return the text the QR code holds, at most QR_BYTES long in UTF-8.

    Name, phone, what to say when you ring (for a service that needs a call), the next
    session by date, how to get in, the regular pattern and the address, one a line, in
    the visitor's language. When that is too long (Gujarati and Tamil take three bytes a
    letter), it is cut in the order of QR_TRIM_STEPS: the middle of the address first (the
    place's name and the postcode find it on a map), then what to say (it is on the card
    and the printout), then the address (it is on the card), the pattern, how to get in,
    and last the end of the text. The name, phone and next date stay longest.
    """
    sessions = upcoming_sessions(service, now, 1)
    parts = _QrParts(
        name=service.name,
        # The number alone: a phone shows it as a number to ring, and "Phone" in Tamil or
        # Gujarati would cost twenty-odd of the code's bytes.
        phone=main_phone(service),
        say=what_to_say(service, hub_name),
        when=session_dated(sessions[0], short=True) if sessions else when_in_words(service, now),
        how=how_to_go_short(service),
        patterns=_patterns(service, now) if sessions else [],
        pieces=address_lines(service.locations[0]) if service.locations else [],
    )
    applies = {"any": True, "to ring": parts.say is not None, "no date": not sessions}
    before_the_line: _QrParts | None = None
    for what, which in QR_TRIM_STEPS:
        if not applies[which] or _fits(parts.text()):
            continue
        if what == "line to say":
            if before_the_line is not None:
                parts = before_the_line  # what the line made room for comes back
            parts.say = None
            continue
        if which == "to ring" and before_the_line is None:
            before_the_line = replace(
                parts, patterns=list(parts.patterns), pieces=list(parts.pieces)
            )
        drop = _DROPS[what]
        while not _fits(parts.text()) and drop(parts):
            pass
    text = parts.text()
    while not _fits(text):
        text = text[:-1]
    return text


def print_card(service: Service, now: datetime, hub_name: str | None = None) -> str:
    """Return the large-print card: everything needed to get there, in plain words, and
    what to say when you ring (for a service that needs a call)."""
    lines = [service.name, "=" * min(len(service.name), 40), ""]
    if service.summary:
        lines += [service.summary, ""]
    lines += _when_lines(service, now, count=3)
    lines.append("")
    for location in service.locations[:1]:
        lines += address_lines(location)
        lines.append("")
    for phone in service.contact.phones:
        lines.append(_("Phone {number}").format(number=phone.number))
    lines += _say_lines(service, hub_name)
    if service.contact.email:
        lines.append(service.contact.email)
    if service.contact.website:
        lines.append(service.contact.website)
    lines += ["", how_to_go(service), cost_words(service)]
    return "\n".join(lines).strip() + "\n"


def _say_lines(service: Service, hub_name: str | None) -> list[str]:
    """Return "When you phone, you can say:" and the line to say, or nothing when the
    service needs no call."""
    say = what_to_say(service, hub_name)
    return [] if say is None else [_("When you phone, you can say:"), say]


def copy_down_lines(service: Service, now: datetime, hub_name: str | None = None) -> list[str]:
    """Return the lines worth copying down by hand: name, phone (and what to say when you
    ring), how to get in, when, where."""
    lines = [service.name]
    phone = main_phone(service)
    if phone:
        lines.append(_("Phone {number}").format(number=phone))
        lines += _say_lines(service, hub_name)
    lines.append(how_to_go_short(service))
    lines += _when_lines(service, now, count=2)
    if service.locations:
        lines += address_lines(service.locations[0])
    return lines


SIDE_WIDTH = 30
"""Columns the words and buttons beside the code need."""


def code_fits(modules: list[list[bool]], width: int, height: int) -> bool:
    """Return True when a QR code of these modules fits whole on a width × height screen,
    with its padding and the column of words beside it."""
    lines = (len(modules) + 1) // 2
    columns = (len(modules[0]) if modules else 0) + 2
    return lines <= height and columns + SIDE_WIDTH <= width


def printer_available() -> bool:
    """Return True when this PC has the `lp` print command."""
    return shutil.which(PRINT_COMMAND) is not None


class TakeAwayScreen(VisitorScreen):
    """The QR code on the left; the words, Print and the way back on the right."""

    AUTO_FOCUS = "#back"
    SCROLL_BODY = ".take-away-side"

    def __init__(self, service: Service) -> None:
        super().__init__(classes="take-away-screen")
        self.service = service

    def compose(self) -> ComposeResult:
        """Yield the code and the column beside it."""
        now = self.kiosk.clock()
        hub = self.kiosk.hub.hub_info()
        hub_name = hub.name if hub else None
        with Horizontal(classes="take-away"):
            yield QrCode(qr_payload(self.service, now, hub_name), id="qr")
            yield Static(
                Content(
                    _(
                        "The window is too small to draw a code a phone can read. "
                        "Please copy the details down, or make the window bigger."
                    )
                ),
                id="qr-too-small",
                classes="qr-too-small",
            )
            with VerticalScroll(classes="take-away-side", can_focus=False):
                # One above the other: side by side, "Urgent help (F1)" was cut to "Urgent
                # help (" at 80x24, and Somali's words are longer still.
                with Vertical(classes="take-away-buttons"):
                    yield Button(_("◀ Back"), id="back")
                    yield Button(urgent_button_label(), id="urgent", classes="urgent-button")
                yield Static(Content.styled(_("Take it with you"), "bold"), classes="side-title")
                yield Static(
                    Content(
                        _(
                            "Point your phone's camera at the square. The details appear on "
                            "your phone. You do not need the internet."
                        )
                    ),
                    classes="side-words",
                )
                if self.kiosk.sample_loaded:
                    yield Static(
                        Content(_("Sample directory — these services are not real")),
                        classes="sample-banner",
                    )
                if printer_available():
                    yield Button(_("Print these details"), id="print", classes="big-button")
                else:
                    yield Static(Content(_("Or copy these details down:")), classes="side-words")
                with Vertical(classes="copy-card"):
                    for line in copy_down_lines(self.service, now, hub_name):
                        yield Static(Content(line))

    def on_mount(self) -> None:
        """Draw the code only if all of it fits."""
        self._show_code_if_it_fits()

    def on_resize(self) -> None:
        """Check again on every resize: a code cut short cannot be read."""
        self._show_code_if_it_fits()

    def _show_code_if_it_fits(self) -> None:
        """Show the QR code when the whole of it fits the screen beside the words; else say
        so plainly, and leave the words to copy down."""
        qr = self.query_one(QrCode)
        fits = code_fits(qr.modules, self.app.size.width, self.app.size.height)
        qr.display = fits
        self.query_one("#qr-too-small").display = not fits

    @on(Button.Pressed, "#back")
    def _back(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_go_back()

    @on(Button.Pressed, "#urgent")
    def _urgent(self, event: Button.Pressed) -> None:
        event.stop()
        self.kiosk.action_urgent_help()

    @on(Button.Pressed, "#print")
    def _print(self, event: Button.Pressed) -> None:
        event.stop()
        event.button.disabled = True
        self.kiosk.show_message(_("Printing…"))
        hub = self.kiosk.hub.hub_info()
        card = print_card(self.service, self.kiosk.clock(), hub.name if hub else None)
        self._send_to_printer(card)

    @work(thread=True, exclusive=True, group="print")
    def _send_to_printer(self, card: str) -> None:
        """Send the card to `lp` in a thread; say whether it went."""
        try:
            done = subprocess.run(
                [PRINT_COMMAND, "-s", *PRINT_OPTIONS],
                input=card.encode("utf-8"),
                capture_output=True,
                timeout=PRINT_TIMEOUT,
                check=False,
            )
            sent = done.returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            sent = False
        self.app.call_from_thread(self._printed, sent)

    def _printed(self, sent: bool) -> None:
        if sent:
            self.kiosk.clear_notifications()
            self.kiosk.show_message(_("Sent to the printer. Please collect it."))
        else:
            self.kiosk.clear_notifications()
            self.kiosk.show_message(
                _("Sorry, the printer did not answer. Please copy the details down, or ask staff."),
                severity="warning",
            )
        for button in self.query("#print"):
            button.disabled = False
