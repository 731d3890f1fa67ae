"""Ranking weighs how much of a topic a service's own words say, and how much of the query
it answers, not one strong word or tag, on small hand-made directories.

The mechanisms (hub.search, hub.search_parts): a topic's distinct phrases said again count
as BM25 counts a repeated word, saturating (a phrase said again counts less than a new
one); listing under a need still goes by where a phrase is said, not how often; and a
word said again in a description counts more, saturating as BM25's term frequency does.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from hub.lay_vocabulary import load_lay_vocabulary
from hub.needs import load_needs
from hub.schedule import LONDON
from hub.search import SearchIndex
from hub.search_parts import _field_scales, _field_tokens, _meanings, _topics_offered
from tests.factories import named_service as make

NOW = datetime(2025, 12, 2, 11, 0, tzinfo=LONDON)


# A run in the park tagged "Mental Health" (one phrase of the worry-and-low-mood topic, in
# its keywords) against a therapy service whose description says several of its phrases.
LOW_MOOD = [
    make(
        "Park Run",
        "A free weekly 5k run, jog or walk in the park on Saturday mornings. Everyone is welcome.",
        keywords=["Mental Health"],
        needs=["feeling-low"],
    ),
    make(
        "Talking Therapies",
        "Psychological therapies for adults with common problems such as depression, anxiety"
        " and stress. Self-referral by phone.",
        needs=["feeling-low", "health"],
    ),
    make("Walking Group", "Gentle walks for mental health and wellbeing.", needs=["activities"]),
]


def names(index: SearchIndex, query: str) -> list[str]:
    """Return the names of the services found, best first."""
    return [result.service.name for result in index.search(query, now=NOW)]


@pytest.mark.parametrize(
    "query", ["feeling low", "anxious all the time", "stressed out", "cant stop worrying"]
)
def test_a_service_saying_a_topic_several_ways_beats_one_keyword(query: str) -> None:
    index = SearchIndex.build(LOW_MOOD, load_needs())
    assert names(index, query)[0] == "Talking Therapies"


def test_further_phrases_of_a_topic_count_less_and_less() -> None:
    meanings = _meanings(tuple(load_needs()), load_lay_vocabulary())

    def offered(description: str) -> tuple[float, float]:
        service = make("Some Service", description)
        fields = _field_tokens(service)
        return _topics_offered(fields, meanings, _field_scales(service, fields))["topic:anxiety"]

    one = offered("We help with anxiety.")
    two = offered("We help with anxiety and depression.")
    three = offered("We help with anxiety, depression and stress.")
    four = offered("We help with anxiety, depression, stress and panic.")
    # Ranking: each further phrase adds, each less than the one before.
    assert one[1] < two[1] < three[1] < four[1]
    assert two[1] - one[1] > three[1] - two[1] > four[1] - three[1]
    assert four[1] < 3 * one[1]
    # The same phrase said again counts, less than a phrase not yet said.
    again = offered("We help with anxiety. Anxiety is common.")
    assert one[1] < again[1] < two[1]
    # Listing: where it is said, not how often.
    assert one[0] == pytest.approx(two[0] - 0.05)
    assert again[0] == one[0]


def test_listing_goes_by_where_a_topic_is_said_not_how_often() -> None:
    service = make(
        "Community Cafe",
        "A cafe in the village hall serving breakfast, lunch and afternoon tea every weekday,"
        " with cakes baked by our volunteers and a room to hire for parties and meetings."
        " Once a month it also hosts talks on anxiety, depression, stress, panic and low mood.",
        needs=["food"],
    )
    index = SearchIndex.build([service], load_needs())
    assert index.search("anxiety", now=NOW)  # found by its words...
    # ...but five phrases deep in a description (each 0.5 alone; 1.07 in ranking) do not
    # list a cafe under a whole need
    assert not index.browse("feeling-low", now=NOW)


@pytest.mark.parametrize("query", ["crafts", "i like making things"])
def test_a_service_about_a_topic_beats_one_that_mentions_it_once(query: str) -> None:
    directory = [
        make(
            "Community Centre",
            "Room hire, a lunch club, a youth club, bingo and a monthly arts and crafts table.",
            needs=["activities"],
        ),
        make(
            "Makers Studio",
            "Arts and crafts for adults: bring your own arts and crafts project or join ours.",
            needs=["activities"],
        ),
    ]
    index = SearchIndex.build(directory, load_needs())
    assert names(index, query)[0] == "Makers Studio"


def test_a_description_that_keeps_saying_a_word_beats_one_that_mentions_it() -> None:
    # The same fields, no topic of the lay vocabulary: only how often "chess" is said differs.
    directory = [
        make("Afternoon Club", "Tea, cake, a quiz, bingo and chess on Tuesday afternoons."),
        make("Thursday Group", "Chess for beginners: chess puzzles, chess openings, tea."),
    ]
    index = SearchIndex.build(directory, load_needs())
    assert names(index, "chess") == ["Thursday Group", "Afternoon Club"]


def test_a_phrase_two_topics_share_adds_to_a_topic_but_never_makes_one_alone() -> None:
    # "in crisis" is a phrase of the suicidal-thoughts topic and of the crisis-now one.
    meanings = _meanings(tuple(load_needs()), load_lay_vocabulary())

    def offered(description: str) -> dict[str, tuple[float, float]]:
        service = make("Some Service", description)
        fields = _field_tokens(service)
        return _topics_offered(fields, meanings, _field_scales(service, fields))

    food_bank = offered("Food parcels for three days if you are in crisis.")
    assert "topic:crisis-now" not in food_bank
    line = offered("A 24 hour line for anyone in crisis.")
    alone = offered("A 24 hour line for anyone.")
    assert line["topic:crisis-now"][1] > alone["topic:crisis-now"][1]
    assert line["topic:crisis-now"][0] == alone["topic:crisis-now"][0]  # listing: unchanged
