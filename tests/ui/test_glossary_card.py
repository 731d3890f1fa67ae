"""The card explains a hard word where it first appears (issue 15, item 6), through Pilot."""

from __future__ import annotations

from textual.pilot import Pilot

from hub.glossary import load_glossary
from screens.app import HubApp
from screens.service_card import ServiceCardScreen
from screens.widgets.result_rows import ResultItem
from tests.ui.conftest import settle

Part = tuple[bool, str]
"""One block of the card, top to bottom: whether it is a glossary note, and its words."""


def _sentence(term: str) -> str:
    return next(entry.explanation for entry in load_glossary() if entry.term == term)


async def _open_card(pilot: Pilot[None], name: str) -> ServiceCardScreen:
    """Search for the service by name and open its card by mouse; return the card."""
    await pilot.press(*name, "enter")
    await settle(pilot)
    item = next(i for i in pilot.app.screen.query(ResultItem) if i.service_name == name)
    await pilot.click(item)
    await pilot.pause()
    card = pilot.app.screen
    assert isinstance(card, ServiceCardScreen)
    return card


async def _card_parts(app: HubApp, name: str) -> list[Part]:
    """Open the named service's card (searched, then clicked) and return its blocks."""
    async with app.run_test(size=(80, 24)) as pilot:
        card = await _open_card(pilot, name)
        return [
            (widget.has_class("card-glossary"), str(widget.render()))
            for widget in card.query(".card-section, .card-glossary")
        ]


def _after(parts: list[Part], heading: str) -> Part:
    """Return the block just under the section with this heading."""
    index = next(n for n, (_note, text) in enumerate(parts) if text.startswith(heading))
    return parts[index + 1]


async def test_the_card_explains_benefits_words_under_what_it_is(app: HubApp) -> None:
    parts = await _card_parts(app, "Benefits Help at Wembley Library")
    is_note, note = _after(parts, "What it is")
    assert is_note
    # In the order the description names them ("Universal Credit, PIP and Pension Credit").
    assert note.splitlines() == [
        _sentence("Universal Credit"),
        _sentence("PIP"),
        _sentence("Pension Credit"),
    ]


async def test_a_word_is_explained_once_where_it_is_first_met(app: HubApp) -> None:
    parts = await _card_parts(app, "St Aidan's Church Food Bank")
    is_note, note = _after(parts, "What it is")
    assert is_note and _sentence("food bank voucher") in note.splitlines()
    every = [line for is_note, text in parts if is_note for line in text.splitlines()]
    assert len(every) == len(set(every)), "nothing is explained twice on one card"


async def test_a_card_with_no_hard_words_has_no_notes(app: HubApp) -> None:
    parts = await _card_parts(app, "Church End Youth Club")
    assert parts and not [text for is_note, text in parts if is_note]


async def test_listen_reads_the_plain_explanations_the_card_shows(app: HubApp) -> None:
    # Listen once read the card's sections but not the glossary's sentences under them.
    name = "Benefits Help at Wembley Library"
    async with app.run_test(size=(80, 24)) as pilot:
        card = await _open_card(pilot, name)
        shown = [
            line
            for widget in card.query(".card-glossary")
            for line in str(widget.render()).splitlines()
        ]
        assert _sentence("PIP") in shown
        read = card.words_to_read().splitlines()
        for sentence in shown:
            assert sentence in read, sentence
        # Each where it is shown: after its section's heading and words, before the next.
        assert read.index(_sentence("PIP")) > read.index("What it is.")
