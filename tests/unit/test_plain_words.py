"""Plain words for a reading age of nine (issue 15, item 6), measured.

Flesch-Kincaid grade 4 is a reading age of about nine. It is measured with textstat 0.7.3,
pinned because it counts syllables with pyphen's dictionaries, which are installed with it:
later releases fetch NLTK's CMU dictionary on first use, which fails on an offline PC.

Measured over every description in the bundled sample directory, every need's description,
every glossary explanation, and the English words of the visitor screens. A grade needs a
sentence: for a label of a word or two ("Languages", "Cancel") the formula only measures
syllables (any two-syllable word alone scores 8.4), so labels under `SENTENCE_WORDS` words
are left to the people who write them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import textstat
from babel.messages.extract import extract_from_file

from hub.glossary import load_glossary
from hub.locations import SAMPLE_DIRECTORY, bundled_file
from hub.needs import load_needs

textstat.set_lang("en_GB")

HIGHEST_GRADE = 4.0
"""Flesch-Kincaid grade 4: a reading age of about nine (DESIGN.md)."""

SENTENCE_WORDS = 5
"""Words from which a string is a sentence worth a grade."""

ROOT = Path(__file__).resolve().parents[2]

VISITOR_MODULES = [
    "screens/home.py",
    "screens/more_help.py",
    "screens/results.py",
    "screens/service_card.py",
    "screens/urgent.py",
    "screens/take_away.py",
    "screens/idle.py",
    "screens/theme_choice.py",
    "screens/language_choice.py",
    "screens/something_wrong.py",
    "screens/too_small.py",
    "screens/words.py",
    *sorted(str(path.relative_to(ROOT)) for path in (ROOT / "screens" / "widgets").glob("*.py")),
    "hub/schedule.py",
    "hub/timetable.py",
]
"""The modules whose `_()` words a visitor reads (staff and coordinator screens are not
measured: their readers are trained)."""


def grade(text: str) -> float:
    """Return the text's Flesch-Kincaid grade, placeholders such as {name} left out."""
    return float(textstat.flesch_kincaid_grade(re.sub(r"\{[^}]*\}", "", text)))


def _sample_descriptions() -> list[tuple[str, str]]:
    data = json.loads(bundled_file(SAMPLE_DIRECTORY).read_text(encoding="utf-8"))
    return [(service["name"], service["description"]) for service in data["contents"]]


def _visitor_msgids() -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for module in VISITOR_MODULES:
        extracted = extract_from_file(
            "python", str(ROOT / module), keywords={"_": None, "ngettext": (1, 2)}
        )
        for line, message, _comments, _context in extracted:
            for text in message if isinstance(message, tuple) else (message,):
                if text:
                    found.setdefault(text, f"{module}:{line}")
    return [(where, text) for text, where in found.items()]


def test_the_measure_counts_syllables_offline() -> None:
    # pyphen's British English hyphenation dictionary, installed with it, not a download.
    # Hyphenation points are not syllables ("dementia" counts 3, "community" 2), so the
    # grade runs a little low: that is why the limit is grade 4, not a looser one.
    assert textstat.syllable_count("volunteering") == 4
    assert textstat.syllable_count("food bank") == 2
    assert grade("The cat sat on the mat.") < 1
    assert grade("Comprehensive multidisciplinary rehabilitation interventions.") > 12


def test_every_sample_description_reads_at_age_nine() -> None:
    descriptions = _sample_descriptions()
    assert len(descriptions) >= 50
    hard = {name: grade(text) for name, text in descriptions if grade(text) > HIGHEST_GRADE}
    assert not hard, f"over grade {HIGHEST_GRADE}: {hard}"


def test_every_need_description_reads_at_age_nine() -> None:
    hard = {
        need.id: grade(need.description)
        for need in load_needs()
        if grade(need.description) > HIGHEST_GRADE
    }
    assert not hard, f"over grade {HIGHEST_GRADE}: {hard}"


def test_every_glossary_explanation_reads_at_age_nine() -> None:
    glossary = load_glossary()
    assert len(glossary) >= 12
    hard = {
        entry.term: grade(entry.explanation)
        for entry in glossary
        if grade(entry.explanation) > HIGHEST_GRADE
    }
    assert not hard, f"over grade {HIGHEST_GRADE}: {hard}"


def test_the_sample_has_no_unexplained_acronyms() -> None:
    glossary = {entry.term.casefold() for entry in load_glossary()}
    for name, text in _sample_descriptions():
        for acronym in re.findall(r"\b[A-Z]{2,}\b", text):
            assert acronym.casefold() in glossary, f"{name}: {acronym} is not explained"


def _sentences() -> list[object]:
    """Return each visitor sentence as a test case, named by where it is."""
    return [
        pytest.param(where, text, id=where)
        for where, text in _visitor_msgids()
        if len(re.sub(r"\{[^}]*\}", "", text).split()) >= SENTENCE_WORDS
    ]


def test_the_visitor_screens_have_sentences_to_measure() -> None:
    assert len(_sentences()) >= 30


@pytest.mark.parametrize(("where", "text"), _sentences())
def test_visitor_words_read_at_age_nine(where: str, text: str) -> None:
    assert grade(text) <= HIGHEST_GRADE, f"{where}: {text!r} is grade {grade(text)}"
