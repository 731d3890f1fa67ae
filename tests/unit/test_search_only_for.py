"""A service for women only (or men only) comes lower when the query says it is for the others.

The service's own words say whom it is only for (hub.search_parts._says_only_for); the
query says whom the help is for by sex (hub.search_words.query_asked_for); the saved index
keeps the first.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from hub.needs import load_needs, normalise
from hub.schedule import LONDON
from hub.search import SearchIndex
from hub.search_parts import _says_only_for
from hub.search_words import _self_described, query_asked_for
from hub.text import word_tokens
from tests.factories import named_service as make
from tests.searching import saved_and_loaded

NOW = datetime(2025, 12, 2, 11, 0, tzinfo=LONDON)

WOMEN_ONLY = make(
    "Freedom Group",
    "A domestic abuse programme open to any woman who wants to understand abusive"
    " relationships. Free and confidential.",
    needs=["safety"],
)
ANYONE = make(
    "Family Helpline",
    "Support by phone for families facing domestic abuse, money worries or mental health problems.",
    needs=["safety", "families"],
)
MEN_ONLY = make(
    "Dads' Shed",
    "Men only: a workshop to make things, fix things and have a natter.",
    needs=["loneliness"],
)
DIRECTORY = [WOMEN_ONLY, ANYONE, MEN_ONLY]


def names(index: SearchIndex, query: str) -> list[str]:
    """Return the names of the services found, best first."""
    return [result.service.name for result in index.search(query, now=NOW)]


@pytest.mark.parametrize(
    ("text", "only_for"),
    [
        ("Open to any woman who wishes to know more.", "women"),
        ("A women's only session on Mondays.", "women"),
        ("Ladies only kickboxing and fitness.", "women"),
        ("For men only, every Friday.", "men"),
        ("Men only: a workshop.", "men"),
        ("Weights for ladies, cardio for everyone.", ""),
        ("Open to men and women of all ages.", ""),
        ("Women only on Tuesdays, men only on Thursdays.", ""),
    ],
)
def test_a_service_says_whom_it_is_only_for(text: str, only_for: str) -> None:
    assert _says_only_for(make("A service", text)) == only_for


@pytest.mark.parametrize(
    ("query", "asked_for"),
    [
        ("is there anything for men", "men"),
        ("im a man and my wife hits me", "men"),
        ("safe place for women", "women"),
        ("ladies group", "women"),
        ("domestic abuse", ""),
        ("groups for men and women", ""),
        ("my girlfriend hits me, im a bloke", "men"),
        ("as a lad i dont know who to tell", "men"),
        # someone else's man is no man asking: a woman speaking of her fella
        ("my fella hits me", ""),
        ("my sisters fella knocks her about", ""),
        ("my man hits me", ""),
    ],
)
def test_a_query_says_whom_the_help_is_for(query: str, asked_for: str) -> None:
    assert query_asked_for(query) == asked_for


def test_a_women_only_service_comes_below_others_when_a_man_asks() -> None:
    index = SearchIndex.build(DIRECTORY, load_needs())
    assert names(index, "domestic abuse programme")[0] == "Freedom Group"
    found = names(index, "domestic abuse programme for men")
    assert found.index("Family Helpline") < found.index("Freedom Group")


def test_a_men_only_service_comes_below_others_when_a_woman_asks() -> None:
    coffee = make(
        "Coffee Morning", "Tea, cake and a natter in the village hall.", needs=["loneliness"]
    )
    index = SearchIndex.build([*DIRECTORY, coffee], load_needs())
    assert names(index, "natter at a shed")[0] == "Dads' Shed"
    assert names(index, "natter at a shed for women")[0] == "Coffee Morning"


def test_the_saved_index_keeps_whom_a_service_is_for(tmp_path: Path) -> None:
    index, parts, loaded = saved_and_loaded(tmp_path, DIRECTORY)
    by_id = {entry.service_id: entry.only_for for entry in parts.entries}
    assert by_id == {WOMEN_ONLY.id: "women", ANYONE.id: "", MEN_ONLY.id: "men"}
    query = "domestic abuse programme for men"
    assert names(loaded, query) == names(index, query)


@pytest.mark.parametrize(
    ("query", "asker"),
    [
        ("im a man and my wife hits me", {"man"}),
        ("as a bloke i feel daft asking", {"bloke"}),
        ("i am a woman", {"woman"}),
        ("mens group", set()),
        ("a man at work keeps shouting", set()),
    ],
)
def test_words_by_which_the_asker_says_who_they_are(query: str, asker: set[str]) -> None:
    tokens = word_tokens(normalise(query))
    assert {tokens[place] for place in _self_described(tokens)} == asker
