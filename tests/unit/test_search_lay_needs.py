"""Lay phrasing for carers, falls, babies, outdoor volunteering, money for someone else and
new arrivals reaches the right service, on a hand-made directory in services' own words.

None of these services uses the visitor's words: only the lay vocabulary's meaning finds them,
and a generic service that merely shares the broad need must not come first.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from hub.needs import load_needs
from hub.schedule import LONDON
from hub.search import SearchIndex
from tests.factories import named_service as make

NOW = datetime(2025, 12, 2, 11, 0, tzinfo=LONDON)


DIRECTORY = [
    make("Afternoon Films", "Classic films for older people, with tea.", needs=["older-people"]),
    make("Advocacy Service", "Independent advocacy for older people.", needs=["older-people"]),
    make(
        "Postural Stability Classes",
        "Exercise to reduce the risk of falls.",
        needs=["older-people", "health"],
    ),
    make(
        "Care Act Advocates",
        "Help to be involved in decisions about your care and support needs under the Care Act.",
        needs=["carers", "older-people"],
    ),
    make("Craft Club", "Knitting and sewing for everyone.", needs=["activities"]),
    make(
        "Headway Group",
        "Support for people with an acquired brain injury and their families.",
        needs=["health"],
    ),
    make(
        "Baby Massage",
        "Soothe your baby and bond: sessions with a health visitor.",
        needs=["families"],
    ),
    make(
        "Green Gym",
        "Conservation volunteers: tree planting and litter picking in local parks.",
        needs=["activities"],
    ),
    make("Bowls Club", "Indoor bowls every Tuesday.", needs=["activities"]),
    make(
        "Appointeeship Service",
        "We act as appointee and manage benefits on behalf of "
        "people who cannot manage their own money.",
        needs=["money"],
    ),
    make("Welfare Benefits Advice", "Help to claim benefits.", needs=["money"]),
    make(
        "ESOL Conversation Club",
        "English for speakers of other languages, for refugees and newcomers to the area.",
        needs=["language"],
    ),
    make("Bingo Night", "Bingo and a raffle.", needs=["activities"]),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(DIRECTORY, load_needs())


def top(index: SearchIndex, query: str) -> str:
    results = index.search(query, now=NOW)
    assert results, f"nothing found for {query!r}"
    return results[0].service.name


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("i keep falling over and im scared to go out", "Postural Stability Classes"),
        ("my nan had a fall", "Postural Stability Classes"),
        ("unsteady on her feet", "Postural Stability Classes"),
        ("can i get a carers assessment", "Care Act Advocates"),
        ("my wife had a head injury", "Headway Group"),
        ("my baby keeps crying all night", "Baby Massage"),
        ("struggling with a new baby", "Baby Massage"),
        ("conservation volunteering", "Green Gym"),
        ("planting trees with other people", "Green Gym"),
        ("who can manage my sons money he cant do it", "Appointeeship Service"),
        ("my mum has dementia and cant manage her money", "Appointeeship Service"),
        ("just moved here from abroad and my english is not good", "ESOL Conversation Club"),
    ],
)
def test_lay_phrasing_finds_the_service_that_means_it(
    index: SearchIndex, query: str, expected: str
) -> None:
    assert top(index, query) == expected


def test_a_broad_need_does_not_outrank_the_topic_that_says_it(index: SearchIndex) -> None:
    # "had a fall" says older people too; the film afternoon and the advocacy service meet
    # that need, but only the falls class offers what was asked.
    names = [r.service.name for r in index.search("i had a fall", now=NOW)]
    assert names[0] == "Postural Stability Classes"
    assert names.index("Postural Stability Classes") < names.index("Afternoon Films")
