"""The glossary (issue 15, item 6): which words a card explains, and where it first meets them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hub.glossary import GlossaryEntry, first_mentions, load_glossary, terms_in
from hub.needs import NeedsFileError

GLOSSARY = (
    GlossaryEntry("GP", "A GP is your local doctor."),
    GlossaryEntry("PIP", "PIP is money from the state."),
    GlossaryEntry("food bank voucher", "A slip you take to the food bank."),
    GlossaryEntry("food bank", "A place that gives out free food."),
    GlossaryEntry("drop-in", "You can just turn up."),
    GlossaryEntry("bailiff", "Someone sent to take what you owe."),
    GlossaryEntry("Carer's Allowance", "Money for carers."),
)


def _terms(text: str) -> list[str]:
    return [entry.term for entry in terms_in(text, GLOSSARY)]


def test_terms_come_in_the_order_they_appear_once_each() -> None:
    text = "Ask your GP. Drop in on Monday; the GP will be there. PIP forms too."
    assert _terms(text) == ["GP", "drop-in", "PIP"]


def test_capitals_match_only_in_capitals_and_words_only_whole() -> None:
    assert _terms("Spit out the pip; a gp; GPS") == []
    assert _terms("GPs and PIPs") == ["GP", "PIP"]


def test_any_case_a_space_or_hyphen_a_plural_and_a_curly_apostrophe() -> None:
    assert _terms("A DROP IN for bailiffs") == ["drop-in", "bailiff"]
    assert _terms("Ask about Carer’s Allowance") == ["Carer's Allowance"]


def test_the_longer_term_wins_where_two_start_together() -> None:
    assert _terms("Bring a food bank voucher.") == ["food bank voucher"]
    assert _terms("A food bank. Bring a food bank voucher.") == ["food bank", "food bank voucher"]


def test_each_term_is_explained_where_it_is_first_met() -> None:
    parts = ["Drop in on Monday.", "Ask your GP.", "A drop-in with your GP and PIP help."]
    found = first_mentions(parts, GLOSSARY)
    assert [[entry.term for entry in part] for part in found] == [["drop-in"], ["GP"], ["PIP"]]


def test_the_bundled_glossary_explains_the_words_the_issue_names() -> None:
    terms = {entry.term.casefold() for entry in load_glossary()}
    for term in [
        "gp",
        "pip",
        "universal credit",
        "signposting",
        "referral",
        "drop-in",
        "befriending",
        "advocacy",
        "respite",
        "carer's assessment",
        "food bank voucher",
        "mhfa",
    ]:
        assert term in terms, term
    for entry in load_glossary():
        # One plain sentence or two short ones, never a paragraph.
        assert len(entry.explanation) <= 130, entry.term
        assert entry.explanation.endswith("."), entry.term


@pytest.mark.parametrize(
    "content",
    ["[]", '{"terms": {}}', '{"terms": {"GP": 3}}', '{"terms": {"GP": "  "}}', "{not json"],
)
def test_a_broken_glossary_file_says_which_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "glossary.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NeedsFileError, match=r"glossary\.json"):
        load_glossary(path)


def test_a_custom_glossary_loads_in_order(tmp_path: Path) -> None:
    path = tmp_path / "glossary.json"
    path.write_text(json.dumps({"terms": {"NHS": "The free health service.", "GP": "A doctor."}}))
    assert [entry.term for entry in load_glossary(path)] == ["NHS", "GP"]
