"""A service's card: what, who, when, where, how to go, contact, cost, languages.

Each part is a short heading and plain lines. A word from the glossary ("GP", "drop-in")
is explained in one plain sentence under the part where it first appears. When nobody has
checked the details for six months the card says so near the top, and tells the visitor to
phone first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from hub.glossary import GlossaryEntry, first_mentions
from hub.i18n import _, current_language
from hub.models import Service
from hub.schedule import schedule_in_words, when_in_words
from hub.spoken_languages import names_for_visitor
from screens.something_wrong import SomethingWrongScreen
from screens.take_away import TakeAwayScreen
from screens.visitor import VisitorScreen
from screens.widgets.listen import ListenButton
from screens.widgets.top_bar import SampleBanner, TopBar
from screens.words import (
    address_lines,
    cost_words,
    details_checked,
    how_to_get_in,
    may_be_out_of_date,
    who_for,
    yes_no_unknown,
)


def section(heading: str, lines: list[str]) -> Content:
    """Return a card section: its heading in bold, then one line per fact."""
    return Content.assemble(
        Content.styled(heading, "bold"), *(part for line in lines for part in ("\n", line))
    )


DESCRIPTION_START = 200
"""Characters of a long description the card shows before "More about it"."""


def description_start(text: str, limit: int = DESCRIPTION_START) -> str:
    """Return the text whole when it is short, else its start cut at a word, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


def glossary_note(entries: list[GlossaryEntry]) -> Content:
    """Return the plain sentences for words just met, one a line, in the visitor's language."""
    return Content("\n".join(_(entry.explanation) for entry in entries))


def when_lines(service: Service, today_words: str) -> list[str]:
    """Return "when" as lines: the next session first, then every schedule in words."""
    lines = [today_words]
    for schedule in service.schedules:
        words = schedule_in_words(schedule)
        if words not in lines:
            lines.append(words)
    return lines


def where_lines(service: Service) -> list[str]:
    """Return each place's address and access, or that it is by phone or online only."""
    if not service.locations:
        if service.attendance.online:
            return [_("Online.")]
        return [_("By phone. There is no place to go to.")]
    lines: list[str] = []
    for number, location in enumerate(service.locations):
        if number:
            lines.append("")
        lines += address_lines(location)
        lines.append(
            _("Step-free access: {answer}").format(answer=yes_no_unknown(location.step_free))
        )
        lines.append(
            _("Hearing loop: {answer}").format(answer=yes_no_unknown(location.hearing_loop))
        )
        if location.accessibility:
            lines.append(location.accessibility)
    return lines


def contact_lines(service: Service) -> list[str]:
    """Return the phone numbers, email and website, one a line."""
    lines = []
    for phone in service.contact.phones:
        if phone.description:
            lines.append(f"{phone.number} ({phone.description})")
        else:
            lines.append(phone.number)
    if service.contact.email:
        lines.append(service.contact.email)
    if service.contact.website:
        lines.append(service.contact.website)
    return lines or [_("No phone or email listed. Ask staff here.")]


ABOUT_PART = 4
"""Where the description sits among the card's parts (after what a visitor acts on)."""
HOW_PART = 1
"""Where "How to get in" sits among the card's parts."""


def card_parts(
    service: Service, now: datetime, *, about: str | None = None
) -> list[tuple[str, list[str]]]:
    """Return the card's sections in order: each heading with its lines.

    What a visitor acts on comes first, so it shows at 80×24 without scrolling: when,
    how to get in, the phone, where. The description follows (`about` replaces it, for
    the start the card shows before "More about it").
    """
    return [
        (_("When"), when_lines(service, when_in_words(service, now))),
        (_("How to get in"), [how_to_get_in(service)]),
        (_("Contact"), contact_lines(service)),
        (_("Where"), where_lines(service)),
        (_("What it is"), [about if about is not None else service.description or service.summary]),
        (_("Who it is for"), [who_for(service)]),
        (_("Cost"), [cost_words(service)]),
        (
            _("Help in"),
            [", ".join(names_for_visitor(service.languages or ["English"], current_language()))],
        ),
    ]


def help_in(service: Service) -> str:
    """Return the languages the service works in, named in the visitor's language
    (English when the directory names none)."""
    return ", ".join(names_for_visitor(service.languages or ["English"], current_language()))


def part_mentions(
    service: Service, parts: Sequence[tuple[str, list[str]]], glossary: Iterable[GlossaryEntry]
) -> list[list[GlossaryEntry]]:
    """Return, for each of the card's parts, the glossary words first met in it.

    Words are looked for in the whole description, not only its start, so a term is
    explained even while "More about it" still hides it. "How to get in" is the kiosk's
    own words, which already say what "Drop in" and "Someone must send you" mean:
    explaining them again would only repeat them.
    """
    about = service.description or service.summary
    texts = [
        about if number == ABOUT_PART else "" if number == HOW_PART else "\n".join(lines)
        for number, (_heading, lines) in enumerate(parts)
    ]
    return first_mentions(texts, glossary)


def card_words(
    service: Service,
    now: datetime,
    glossary: Iterable[GlossaryEntry] = (),
    *,
    stale: bool = False,
) -> str:
    """Return the card as plain sentences to read aloud, in the order the card shows them:
    the name, the out-of-date warning (when stale), each section with the plain
    explanations of the glossary words first met in it, and when it was checked."""
    lines = [service.name]
    if stale:
        lines.append(_("This may be out of date — phone first"))
    parts = card_parts(service, now)
    for (heading, section_lines), entries in zip(
        parts, part_mentions(service, parts, glossary), strict=True
    ):
        lines.append(f"{heading}.")
        lines += [line for line in section_lines if line]
        lines += [_(entry.explanation) for entry in entries]
    lines.append(details_checked(service))
    return "\n".join(lines)


class ServiceCardScreen(VisitorScreen):
    """Everything about one service, with Take it with you and Something wrong?"""

    AUTO_FOCUS = "#take-away"
    # The buttons hold the keyboard, so Up, Down and the page keys scroll the card.
    SCROLL_BODY = ".card-body"

    def __init__(self, service: Service) -> None:
        super().__init__(classes="card-screen")
        self.service = service

    def compose(self) -> ComposeResult:
        """Yield the bar, the card's parts, and the two buttons."""
        service = self.service
        kiosk = self.kiosk
        now = kiosk.clock()
        yield TopBar(_("About this service"))
        if kiosk.sample_loaded:
            yield SampleBanner()
        with VerticalScroll(classes="card-body", can_focus=False):
            yield Static(Content.styled(service.name, "bold"), classes="card-name")
            if may_be_out_of_date(service, kiosk.today()):
                yield Static(
                    Content(_("This may be out of date — phone first")), classes="card-stale"
                )
            about = service.description or service.summary
            start = description_start(about)
            parts = card_parts(service, now, about=start)
            # The same notes Listen reads (card_words).
            mentions = part_mentions(service, parts, kiosk.glossary)
            for number, (heading, lines) in enumerate(parts):
                part_id = "card-about" if number == ABOUT_PART else None
                yield Static(section(heading, lines), classes="card-section", id=part_id)
                if mentions[number]:
                    yield Static(glossary_note(mentions[number]), classes="card-glossary")
            yield Static(Content(details_checked(service)), classes="card-checked")
        with Horizontal(classes="card-actions"):
            yield Button(_("Take it with you"), id="take-away", classes="big-button")
            if start != about:
                yield Button(_("More about it"), id="more")
            yield Button(_("Something wrong?"), id="something-wrong")
            yield ListenButton(shown=self.kiosk.can_listen)
            # Staff only: shown while staff mode is open, hidden (and unfocusable) otherwise.
            refer = Button("Refer", id="refer", classes="refer-button")
            refer.display = kiosk.staff_session is not None
            yield refer

    def words_to_read(self) -> str:
        """Return what Listen reads: the whole card, with the notes it shows."""
        kiosk = self.kiosk
        return card_words(
            self.service,
            kiosk.clock(),
            kiosk.glossary,
            stale=may_be_out_of_date(self.service, kiosk.today()),
        )

    def on_screen_resume(self) -> None:
        """Show Refer only while staff mode is open (it may have opened over this card)."""
        self.query_one("#refer", Button).display = self.kiosk.staff_session is not None

    @on(Button.Pressed, "#more")
    def _more(self, event: Button.Pressed) -> None:
        """Show the whole description, and put the keyboard back on Take it with you."""
        event.stop()
        about = self.query_one("#card-about", Static)
        about.update(section(_("What it is"), [self.service.description or self.service.summary]))
        self.query_one("#take-away", Button).focus()
        event.button.remove()
        about.scroll_visible(animate=False, top=True)

    @on(Button.Pressed, "#take-away")
    def _take_away(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.push_screen(TakeAwayScreen(self.service))

    @on(Button.Pressed, "#refer")
    def _refer(self, event: Button.Pressed) -> None:
        event.stop()
        session = self.kiosk.staff_session
        if session is not None:
            session.refer(self.service)

    @on(Button.Pressed, "#something-wrong")
    def _something_wrong(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.push_screen(SomethingWrongScreen(self.service))
