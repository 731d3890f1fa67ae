"""Search reads how people say a need, not only the words a phrase was written with.

Other forms of a word complete a need's phrase ("threatening" for "threatens me"), a
negation said another way is the same negation ("couldn't" for "can't"), an age says who
the help is for ("I'm 80" as "my nan" does), and a service phrase inside a longer phrase
of another topic does not offer its topic ("martial arts" is no art class).
"""

from __future__ import annotations

import pytest

from hub.needs import load_needs
from hub.search import SearchIndex
from tests.factories import named_service as make
from tests.searching import top

DIRECTORY = [
    make("Safe Haven", "Support for anyone living with domestic abuse or coercive control.",
         needs=["safety"]),
    make("Weather Watchers", "Talks on storms and threatening skies.", needs=["activities"]),
    make("Lifeline Alarms", "A personal alarm pendant: press it and we answer day or night.",
         needs=["older-people"]),
    make("Steady Steps", "Strength and balance classes to prevent falls.",
         needs=["older-people", "activities"]),
    make("Martial Arts Club", "Karate and judo for all ages.", needs=["health"]),
    make("Brush Strokes", "A painting and drawing group for adults.", needs=["activities"]),
    make("Silver Circle", "Games and tea for older people.",
         needs=["loneliness", "older-people"]),
    make("Youth Drop-in", "Games and tea for young people.",
         needs=["loneliness", "families"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(DIRECTORY, load_needs())


def test_another_form_of_a_word_completes_a_phrase(index: SearchIndex) -> None:
    # The vocabulary says "threatens me"; people say "threatening me" too, a word the
    # directory uses as it is (so no other form of it would be looked for).
    assert top(index, "my ex keeps threatening me") == ["Safe Haven"]


def test_a_negation_said_another_way_is_the_same(index: SearchIndex) -> None:
    # "fell and can't get up" is what an alarm is for; "couldn't" says the same.
    assert top(index, "my nan fell and couldnt get up") == ["Lifeline Alarms"]
    assert top(index, "my nan fell and cannot get up") == ["Lifeline Alarms"]


def test_a_phrase_inside_a_longer_one_of_another_topic_offers_nothing(
    index: SearchIndex,
) -> None:
    # "arts" is an art class's word, but "martial arts" is a sport (the club is tagged
    # health only, so only the art class topic could bring it to a painting query).
    found = top(index, "painting", 5)
    assert found[0] == "Brush Strokes"
    assert "Martial Arts Club" not in found
    assert top(index, "martial arts") == ["Martial Arts Club"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("im 80 and lonely", "Silver Circle"),
        ("im 15 and lonely", "Youth Drop-in"),
        ("lonely, aged 75", "Silver Circle"),
    ],
)
def test_an_age_says_who_the_help_is_for(index: SearchIndex, query: str, expected: str) -> None:
    assert top(index, query) == [expected]


def test_a_number_that_is_no_age_is_a_plain_word(index: SearchIndex) -> None:
    # "80" in "80 people" is no age: it neither finds nor hints at older people.
    assert top(index, "lonely", 2) == top(index, "lonely 80 people", 2)
