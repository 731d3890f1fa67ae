"""A crisis search lists the services that serve the crisis first, under the urgent lines.

On a hand-made directory where a crisis phrase's ordinary words ("end", "all") sit in the
name and description of a food bank, the food bank must not come before the services for
feeling low; a domestic-abuse search brings the abuse service first even when its words
never say "hits"; an ordinary search is untouched.
"""

from __future__ import annotations

import json
from datetime import datetime

from hub.crisis import CRISIS_KINDS, crisis_kinds, crisis_needs, load_crisis_phrases
from hub.crisis_results import crisis_first
from hub.locations import bundled_file
from hub.needs import load_needs
from hub.schedule import LONDON
from hub.search import Filters, SearchIndex
from tests.factories import named_service as make

NOW = datetime(2026, 12, 2, 11, 0, tzinfo=LONDON)


FOOD_BANK = make(
    "Church End Food Bank",
    "Food for all who need it, at the end of the week.",
    needs=["food"],
    areas=["Church End"],
)
CRISIS_CAFE = make(
    "Evening Crisis Café",
    "A calm place in the evening when you are struggling to cope.",
    needs=["feeling-low", "urgent"],
)
TALKING = make(
    "Talking Space", "Free talking therapy for low mood and worry.", needs=["feeling-low"]
)
SAFE_SPACE = make(
    "Safe Space",
    "Support for anyone living with domestic abuse, for women and for men.",
    needs=["safety"],
    areas=["Harlesden"],
)
MEN_GROUP = make("Men's Shed", "Woodwork and a chat for men.", needs=["activities"])
DIRECTORY = [FOOD_BANK, CRISIS_CAFE, TALKING, SAFE_SPACE, MEN_GROUP]


def index() -> SearchIndex:
    """Return the search index of the hand-made directory."""
    return SearchIndex.build(DIRECTORY, load_needs())


def names(query: str, *, filters: Filters | None = None, limit: int = 20) -> list[str]:
    """Return what a kiosk lists for the words, in order."""
    needs = crisis_needs(crisis_kinds(query))
    found = crisis_first(index(), query, needs, now=NOW, filters=filters or Filters(), limit=limit)
    return [result.service.name for result in found]


def test_the_words_of_a_crisis_phrase_do_not_put_a_food_bank_first() -> None:
    plain = [r.service.name for r in index().search("i want to end it all", now=NOW)]
    assert plain[0] == "Church End Food Bank"  # what the words alone would show first
    listed = names("i want to end it all")
    assert set(listed[:2]) == {"Evening Crisis Café", "Talking Space"}
    assert listed.index("Church End Food Bank") > 1


def test_a_serving_service_the_words_never_reach_is_still_listed() -> None:
    # "my partner hits me" shares no word with Safe Space's description.
    assert names("my partner hits me")[0] == "Safe Space"


def test_among_serving_services_the_better_word_match_comes_first() -> None:
    assert names("my wife hits me is there anything for men")[0] == "Safe Space"


def test_an_ordinary_search_is_the_plain_search() -> None:
    for query in ("food", "woodwork for men", "talking therapy"):
        plain = [r.service.name for r in index().search(query, now=NOW)]
        assert names(query) == plain


def test_no_service_twice_and_the_limit_holds() -> None:
    listed = names("i want to end it all", limit=3)
    assert len(listed) == 3
    assert len(set(names("i want to end it all"))) == len(names("i want to end it all"))


def test_the_visitors_filters_still_hold() -> None:
    listed = names("my partner hits me", filters=Filters(area="Church End"))
    # Safe Space is in Harlesden only: a visitor who chose Church End is not shown it.
    assert "Safe Space" not in listed


def test_every_crisis_kind_names_needs_the_hub_has() -> None:
    phrases = load_crisis_phrases()
    known = {need.id for need in load_needs()}
    for kind in CRISIS_KINDS:
        assert phrases.needs.get(kind), f"{kind} lists no needs"
        assert set(phrases.needs[kind]) <= known, kind


def test_needs_come_in_kind_order_without_repeats() -> None:
    data = json.loads(bundled_file("crisis_phrases.json").read_text(encoding="utf-8"))
    both = crisis_needs({"child-at-risk", "domestic-abuse"})
    assert both[0] == data["kinds"]["domestic-abuse"]["needs"][0]
    assert len(both) == len(set(both))
    assert crisis_needs(set()) == ()
