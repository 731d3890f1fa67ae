"""Near-duplicates (one organisation's same group in several towns, or its sessions sharing
one blurb) are spaced out in a result list, on small hand-made directories: a visitor sees
another good answer before the second copy, and every copy stays on the list.

The mechanism: hub.search_parts._family_of gives each service its family, and
hub.search_spacing.spaced re-orders the chosen results (FAMILY_SPACING in hub.search_weights).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hub.crisis_results import crisis_first
from hub.index_file import index_fingerprint, load_parts, save_index
from hub.needs import load_needs
from hub.schedule import LONDON
from hub.search import SearchIndex
from hub.search_parts import _entry_for
from hub.search_spacing import spaced
from tests.factories import named_service as make

NOW = datetime(2025, 12, 2, 11, 0, tzinfo=LONDON)

CAFE_BLURB = (
    "Come along to our friendly memory cafes, run by our advisors, for a cuppa, a chat and"
    " activities for people living with memory loss and the family who look after them."
)


# One scheme's café in four towns, each naming memory loss in its name and blurb, and two
# other services that answer "memory loss cafe" a little less strongly by their words.
DIRECTORY = [
    *(
        make(f"Memory Loss Cafe - {town}", CAFE_BLURB, organisation="Carers Trust")
        for town in ("Ashby", "Barton", "Brigg", "Epworth")
    ),
    make(
        "Forget Me Not Cafe",
        "A cafe afternoon for people with memory loss, with music and games.",
        organisation="Library Friends",
    ),
    make(
        "Memory Clinic",
        "Assessment for memory loss by the hospital team, by referral from your doctor.",
        organisation="Hospital Trust",
    ),
]


def names(index: SearchIndex, query: str) -> list[str]:
    """Return the names of the services found, best first."""
    return [result.service.name for result in index.search(query, now=NOW, limit=20)]


def test_a_second_copy_of_one_group_waits_behind_another_good_answer() -> None:
    found = names(SearchIndex.build(DIRECTORY, load_needs()), "memory loss cafe")
    assert found[0].startswith("Memory Loss Cafe - ")
    # Without spacing the four copies fill the first four places.
    assert not found[1].startswith("Memory Loss Cafe - ")
    assert sum(name.startswith("Memory Loss Cafe - ") for name in found[:4]) <= 2


def test_every_copy_stays_on_the_list() -> None:
    found = names(SearchIndex.build(DIRECTORY, load_needs()), "memory loss cafe")
    assert sorted(name for name in found if name.startswith("Memory Loss Cafe - ")) == [
        "Memory Loss Cafe - Ashby",
        "Memory Loss Cafe - Barton",
        "Memory Loss Cafe - Brigg",
        "Memory Loss Cafe - Epworth",
    ]


def test_family_is_organisation_and_opening_words_or_a_short_blurbs_name() -> None:
    cafes = [_entry_for(service).family for service in DIRECTORY[:4]]
    assert len(set(cafes)) == 1
    # The same blurb under another organisation is another family.
    other = make("Memory Loss Cafe - Crowle", CAFE_BLURB, organisation="Someone Else")
    assert _entry_for(other).family != cafes[0]
    # Descriptions too short to compare: the names are compared instead.
    one = make("Zumba Gold", "Gentle dance.", organisation="Leisure")
    two = make("Zumba Gold ", "Gentle dance.", organisation="Leisure")
    three = make("Chair Yoga", "Gentle dance.", organisation="Leisure")
    assert _entry_for(one).family == _entry_for(two).family != _entry_for(three).family


def test_spaced_keeps_the_pairs_and_orders_by_spaced_score() -> None:
    families = [7, 7, 7, 9, 11]
    chosen = [(0, 10.0), (1, 9.0), (2, 8.0), (3, 7.0), (4, 1.0)]
    out = spaced(chosen, families, 0.6)
    assert sorted(number for number, _score in out) == [0, 1, 2, 3, 4]
    assert [number for number, _score in out] == [0, 3, 1, 2, 4]
    assert out[1:4] == [(3, 7.0), (1, 9.0 * 0.6), (2, 8.0 * 0.36)]
    # A factor of 1 changes nothing.
    assert spaced(chosen, families, 1.0) == chosen


def test_the_saved_index_keeps_families(tmp_path: Path) -> None:
    needs = load_needs()
    index = SearchIndex.build(DIRECTORY, needs)
    path = tmp_path / "search-index.sqlite3"
    fingerprint = index_fingerprint(needs)
    assert save_index(path, index, revision="r1", fingerprint=fingerprint)
    by_id = {service.id: service for service in DIRECTORY}
    parts = load_parts(path, revision="r1", fingerprint=fingerprint)
    assert [entry.family for entry in parts.entries] == [
        entry.family for entry in index.saved_parts().entries
    ]
    loaded = SearchIndex.from_saved_parts(
        parts, needs, fetch=lambda ids: {i: by_id[i] for i in ids if i in by_id}
    )
    assert names(loaded, "memory loss cafe") == names(index, "memory loss cafe")


# One organisation's reminiscence group in two towns, each described in its own words, and
# a history society that answers "local history" a little less strongly.
HISTORY = [
    make(
        "Local History & Reminiscence (Brigg)",
        "Come and share memories of local history over a cup of tea: old photos of the town.",
        organisation="Community Wellbeing",
    ),
    make(
        "Local History & Reminiscence (Scunthorpe Central)",
        "Talk about local history and the past with others: memories, photos, local history.",
        organisation="Community Wellbeing",
    ),
    make(
        "Bonby Local History",
        "A village society: talks and research into the local history of the area.",
        organisation="Bonby Village",
    ),
]


def test_names_the_same_but_for_the_town_are_one_family() -> None:
    index = SearchIndex.build(HISTORY, load_needs())
    families = set(index._families[:2])  # joined: the entries keep their own families
    assert len(families) == 1
    found = names(index, "local history")
    assert found[0].startswith("Local History & Reminiscence")
    # Without the names joining them, both reminiscence groups come before the society.
    assert found[1] == "Bonby Local History"
    assert len(found) == 3


def test_joined_families_take_in_everything_already_in_them() -> None:
    # A and B share a blurb; B and C share a name but for the town: all three are one family.
    blurb = "A friendly weekly group for anyone who wants to sing in a choir with others."
    a = make("Sing Along", blurb, organisation="Voices")
    b = make("Community Choir (Ashby)", blurb, organisation="Voices")
    c = make(
        "Community Choir (Brigg)",
        "Our Brigg choir meets in the church hall.",
        organisation="Voices",
    )
    d = make(
        "Brass Band", "Learn to play in a brass band: all ages welcome.", organisation="Voices"
    )
    index = SearchIndex.build([a, b, c, d], load_needs())
    families = index._families  # joined: the entries keep their own families
    assert families[0] == families[1] == families[2] != families[3]


def test_a_plain_search_through_crisis_first_keeps_every_copy_it_would_show() -> None:
    # The kiosk and `hub search` answer through crisis_first; with no crisis it asks for just
    # what it shows, so spacing re-orders that list and no copy falls off the end of it.
    index = SearchIndex.build(DIRECTORY, load_needs())
    shown = crisis_first(index, "memory loss cafe", (), now=NOW, limit=4)
    plain = index.search("memory loss cafe", now=NOW, limit=4)
    assert [r.service.id for r in shown] == [r.service.id for r in plain]
    assert sorted(r.service.name for r in shown) == [
        "Memory Loss Cafe - Ashby",
        "Memory Loss Cafe - Barton",
        "Memory Loss Cafe - Brigg",
        "Memory Loss Cafe - Epworth",
    ]
