"""Search by what a query means: the lay vocabulary, relation words, the whole query.

The directory here is hand-made, in the words services use; the queries are in the words
visitors use. None of the services says the visitor's words, so only meaning finds them.
"""

from __future__ import annotations

import pytest

from hub.needs import load_needs
from hub.search import SearchIndex
from tests.factories import named_service as make
from tests.searching import top

DIRECTORY = [
    make("Visual Impairment Team", "Help for people who are blind or partially sighted.",
         needs=["health"]),
    make("Hearing Aid Clinic", "Hearing aid batteries, retubing and advice on hearing loss.",
         needs=["health"]),
    make("Steady Steps", "Strength and balance classes to prevent falls.",
         needs=["older-people", "activities"]),
    make("Home From Hospital", "Practical help to settle back home after a hospital stay.",
         needs=["older-people"]),
    make("Cruse Group", "Bereavement support when someone close has died.",
         needs=["feeling-low"]),
    make("Welcome Centre", "Advice and friendship for refugees and asylum seekers.",
         needs=["language"]),
    make("Ramblers", "Country walks every Sunday, all paces.", needs=["activities"]),
    make("Grow Together Allotment", "Community growing: vegetables and gardening.",
         needs=["activities"]),
    make("Chatterbox Befriending", "A volunteer befriender visits for a cuppa and company.",
         needs=["loneliness"]),
    make("Debt Advice Service", "Free debt advice and budgeting help.", needs=["money"]),
    make("Community Transport", "Volunteer drivers take you to hospital appointments.",
         needs=["older-people"]),
    make("Young Carers Club", "Support for young carers and unpaid carers.", needs=["carers"]),
    make("Sons of Rest", "Social club for retired men: dominoes and snooker.",
         needs=["activities", "older-people"]),
    make("Nan's Kitchen Cafe", "A cafe selling cakes and sandwiches.", needs=["food"]),
    make("Stop Smoking Service", "Free help to stop smoking.", needs=["health"]),
    make("Baby Feeding Team", "Breastfeeding and infant feeding support for new parents.",
         needs=["families", "health"]),
    make("Young Minds Matter", "Support for young people who self-harm.",
         needs=["feeling-low", "families"]),
    make("Frail Bird Ornithology", "Birdwatching talks about frail migrating birds.",
         needs=["activities"]),
    make("Help at Home", "Home care for older people who find it hard to manage.",
         needs=["older-people", "health"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(DIRECTORY, load_needs())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("my sight is getting worse", "Visual Impairment Team"),
        ("going blind", "Visual Impairment Team"),
        ("going deaf", "Hearing Aid Clinic"),
        ("need my ears checked", "Hearing Aid Clinic"),
        ("i had a fall", "Steady Steps"),
        ("unsteady on my feet", "Steady Steps"),
        ("coming out of hospital next week", "Home From Hospital"),
        ("my wife died", "Cruse Group"),
        ("grieving", "Cruse Group"),
        ("just arrived in london", "Welcome Centre"),
        ("asylum", "Welcome Centre"),
        ("rambling", "Ramblers"),
        ("i want an allotment", "Grow Together Allotment"),
        ("a chat with someone", "Chatterbox Befriending"),
        ("skint", "Debt Advice Service"),
        ("behind on my catalogue payments", "Debt Advice Service"),
        ("cant afford the bus to hospital", "Community Transport"),
        ("looking after my nan", "Young Carers Club"),
        ("my nan had a fall", "Steady Steps"),
        ("my son is self harming", "Young Minds Matter"),
        ("my baby wont stop crying", "Baby Feeding Team"),
        ("my dad is getting frail and cant manage at home", "Help at Home"),
    ],
)
def test_how_people_say_it_reaches_the_service(
    index: SearchIndex, query: str, expected: str
) -> None:
    assert top(index, query) == [expected]


def test_relation_words_say_who_the_help_is_for_not_what_it_is_called(
    index: SearchIndex,
) -> None:
    # "son" and "nan" are not the services "Sons of Rest" and "Nan's Kitchen".
    assert "Sons of Rest" not in top(index, "my son is self harming", 3)
    assert "Nan's Kitchen Cafe" not in top(index, "my nan had a fall", 3)
    # ...but typed as what is wanted, they still find those names.
    assert top(index, "sons of rest") == ["Sons of Rest"]
    assert top(index, "nans kitchen") == ["Nan's Kitchen Cafe"]


def test_the_whole_query_beats_one_rare_word(index: SearchIndex) -> None:
    # "frail" is rare, and in one service's description; the query means care at home.
    found = top(index, "my dad is getting frail and cant manage at home", 3)
    assert found[0] == "Help at Home"
    assert top(index, "frail birds") == ["Frail Bird Ornithology"]


def test_a_common_word_that_means_no_need_counts_little(index: SearchIndex) -> None:
    assert top(index, "my baby wont stop crying") == ["Baby Feeding Team"]
    assert top(index, "stop smoking") == ["Stop Smoking Service"]


def test_stop_words_keep_phrases_apart(index: SearchIndex) -> None:
    # "want to die" is a crisis phrase; "died" alone, after "my wife", is bereavement.
    assert top(index, "my wife died") == ["Cruse Group"]
    assert "Cruse Group" not in top(index, "dining club", 3)


def test_word_forms_are_found_without_correcting_real_words(index: SearchIndex) -> None:
    # "harming" -> "harm" through its Snowball root; it is never "corrected" to "hearing".
    assert "Hearing Aid Clinic" not in top(index, "self harming", 3)
    assert top(index, "befriender ") == ["Chatterbox Befriending"]
