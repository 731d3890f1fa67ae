"""A service whose own words say it can be reached at any hour ("24/7", "24 hours a day",
"a 24 hour phoneline", "day or night") counts as open now when a search asks for help now
and the directory gives it no times, on small hand-made directories.

The mechanism: hub.search_parts._says_round_the_clock sets each entry's round_the_clock, and
the moment re-ranking (hub.search_browse) treats such a service with no times as open now.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from hub.needs import load_needs
from hub.schedule import LONDON
from hub.search import SearchIndex
from hub.search_parts import _says_round_the_clock
from tests.factories import named_service as make
from tests.searching import saved_and_loaded

NOW = datetime(2025, 12, 2, 11, 0, tzinfo=LONDON)


# Both give no times. The counselling service says more of the query's words; the text
# line says it is there at any hour.
DIRECTORY = [
    make(
        "Anxiety Counselling",
        "Counselling for anxiety and panic attacks: weekly sessions with a trained counsellor"
        " to work through worry and stress.",
    ),
    make(
        "Calm Text Line",
        "A free, confidential 24/7 text service for anyone having panic attacks or anxiety.",
    ),
]


def names(index: SearchIndex, query: str) -> list[str]:
    """Return the names of the services found, best first."""
    return [result.service.name for result in index.search(query, now=NOW, limit=10)]


def test_help_now_puts_the_service_there_at_any_hour_first() -> None:
    index = SearchIndex.build(DIRECTORY, load_needs())
    # Without a moment the better-worded counselling comes first ...
    assert names(index, "panic attacks") == ["Anxiety Counselling", "Calm Text Line"]
    # ... and for help now the line that is there at any hour does.
    assert names(index, "panic attack now") == ["Calm Text Line", "Anxiety Counselling"]


@pytest.mark.parametrize(
    "words",
    [
        "Call us 24/7.",
        "The line is open 24 hours a day, every day.",
        "We have a 24 hour UK wide phoneline for anyone.",
        "A 24-hour helpline.",
        "Trained volunteers listen at any time of day or night.",
        "Support round the clock.",
    ],
)
def test_ways_of_saying_any_hour(words: str) -> None:
    assert _says_round_the_clock(make("A Line", words))


@pytest.mark.parametrize(
    "words",
    [
        "Leave a message and someone will be in touch within 24 hours.",
        "Cancellations are refunded with more than 24 hours notice.",
        "Fishing from 6am until dusk; 24 hrs by agreement.",
        "Open 9 to 5 on weekdays.",
    ],
)
def test_other_talk_of_hours_is_not_any_hour(words: str) -> None:
    assert not _says_round_the_clock(make("A Group", words))


def test_the_saved_index_keeps_it(tmp_path: Path) -> None:
    _, parts, loaded = saved_and_loaded(tmp_path, DIRECTORY)
    assert [entry.round_the_clock for entry in parts.entries] == [False, True]
    assert names(loaded, "panic attack now") == ["Calm Text Line", "Anxiety Counselling"]
