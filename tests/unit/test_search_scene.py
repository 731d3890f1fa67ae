"""How search reads a query's scene and its one-activity words, on small hand-made directories.

* A home word after "in", "at", "around"... ("help around the house") says where the need
  is, not that housing is wanted (hub.search_words._home_places); a home word that is the
  thing asked for ("I need a house") still finds housing.
* A topic names one activity (cycling, drama, family history, fostering): "bike" finds the
  bike workshop and the cycling club, not every sports club that the broad sport topic holds.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from hub.needs import load_needs
from hub.schedule import LONDON
from hub.search import SearchIndex
from hub.search_words import _home_places
from hub.text import normalise, word_tokens
from tests.factories import named_service as make

NOW = datetime(2025, 12, 2, 11, 0, tzinfo=LONDON)

HOME = [
    make(
        "Housing Advice",
        "Advice for anyone who is homeless or at risk of losing their home: tenancy, rent"
        " arrears and finding a house to live in.",
        needs=["housing"],
    ),
    make(
        "Victor House",
        "A hostel for single homeless people with a day room.",
        needs=["housing"],
    ),
    make(
        "Adult Care and Support",
        "Help to stay independent: home care, grab rails, daily living aids and equipment"
        " and adaptations, and a needs assessment.",
        needs=["older-people", "health"],
    ),
    make(
        "Community Equipment Service",
        "Community equipment on loan: walking frames, bath seats, raised toilet seats.",
        needs=["health"],
    ),
]


def names(index: SearchIndex, query: str) -> list[str]:
    """Return the names of the services found, best first."""
    return [result.service.name for result in index.search(query, now=NOW)]


def places(query: str) -> set[str]:
    """Return the words of the query that _home_places reads as where, not what."""
    tokens = word_tokens(normalise(query))
    return {tokens[place] for place in _home_places(tokens)}


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("equipment to help me in the house", {"house"}),
        ("help around the house", {"house"}),
        ("struggling at home", {"home"}),
        ("cold in my flat", {"flat"}),
        ("help in the garden", set()),
        ("i need a house", set()),
        ("housing advice", set()),
        ("house", set()),
    ],
)
def test_a_home_word_after_in_at_around_says_where(query: str, where: set[str]) -> None:
    assert places(query) == where


@pytest.mark.parametrize(
    "query", ["equipment to help me in the house", "equipment to help around the house"]
)
def test_equipment_in_the_house_is_not_a_housing_question(query: str) -> None:
    index = SearchIndex.build(HOME, load_needs())
    found = names(index, query)
    assert found[0] in {"Adult Care and Support", "Community Equipment Service"}
    assert "Victor House" not in found[:2]
    assert "Housing Advice" not in found[:2]


@pytest.mark.parametrize("query", ["i need a house", "somewhere to live", "house"])
def test_a_house_that_is_asked_for_still_finds_housing(query: str) -> None:
    index = SearchIndex.build(HOME, load_needs())
    assert names(index, query)[0] in {"Housing Advice", "Victor House"}


ACTIVITIES = [
    make(
        "Cycle Hub",
        "Cycle training and cycle maintenance courses: learn to fix a puncture and look after"
        " your own cycle.",
        needs=["activities"],
    ),
    make("Bowls Club", "Indoor bowls for all ages; sports club with a bar.", needs=["activities"]),
    make(
        "Tennis Club",
        "Tennis coaching and club nights; a friendly sports club.",
        needs=["activities"],
    ),
    make(
        "Village Players",
        "An amateur dramatic society: two productions a year and a pantomime at Christmas.",
        needs=["activities"],
    ),
    make(
        "Family History Group",
        "Research your family tree with others: genealogy help, census records and archives.",
        needs=["activities"],
    ),
    make(
        "Tree Planting Volunteers",
        "Plant trees with us in the parks and green spaces of the town.",
        needs=["activities"],
    ),
    make(
        "Fostering Service",
        "Could you foster? We need foster carers for children of all ages; training and"
        " support given.",
        needs=["families"],
    ),
    make(
        "Carers Support Group",
        "A monthly group for unpaid carers looking after a relative.",
        needs=["carers"],
    ),
]


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("my bike needs fixing", "Cycle Hub"),
        ("bike repair course", "Cycle Hub"),
        ("am dram", "Village Players"),
        ("amateur theatre group", "Village Players"),
        ("family tree", "Family History Group"),
        ("tracing my ancestors", "Family History Group"),
        ("becoming a foster carer", "Fostering Service"),
        ("how do i adopt a child", "Fostering Service"),
    ],
)
def test_one_activity_words_find_that_activity(query: str, wanted: str) -> None:
    index = SearchIndex.build(ACTIVITIES, load_needs())
    assert names(index, query)[0] == wanted
