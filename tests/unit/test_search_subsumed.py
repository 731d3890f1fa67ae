"""A meaning said only by words inside a longer phrase of another meaning still counts a
little, on a small hand-made directory with the bundled needs and lay vocabulary.

The mechanism (hub.search_query._matched_concepts, SUBSUMED_SHARE in hub.search_weights):
"postnatal depression" is a phrase of pregnancy and a new baby, so it says that first; but
"depression" inside it still says low mood, at a share, where it used to be dropped.
"""

from __future__ import annotations

from datetime import datetime

from hub.needs import load_needs
from hub.schedule import LONDON
from hub.search import SearchIndex
from tests.factories import named_service as make

NOW = datetime(2025, 12, 2, 11, 0, tzinfo=LONDON)


DIRECTORY = [
    make(
        "Baby Clinic",
        "Antenatal and postnatal checks with a midwife and health visitor for pregnancy and"
        " new babies.",
        needs=["families"],
    ),
    make(
        "Mood Matters",
        "Talking therapy for low mood, depression and anxiety. Refer yourself by phone.",
        needs=["feeling-low"],
    ),
    make(
        "Adult Courses",
        "Evening courses to learn new skills and gain qualifications.",
        needs=["learning"],
    ),
    make(
        "Special Needs Support",
        "Support for children and adults with special educational needs and disabilities.",
        needs=["health"],
    ),
]


def names(query: str) -> list[str]:
    """Return the names of the services found, best first."""
    index = SearchIndex.build(DIRECTORY, load_needs())
    return [result.service.name for result in index.search(query, now=NOW, limit=10)]


def test_the_longer_phrase_leads_and_the_shorter_meaning_follows() -> None:
    found = names("postnatal depression")
    assert found[0] == "Baby Clinic"
    # Low mood is not lost: the therapy service comes next.
    assert found[1] == "Mood Matters"


def test_the_longer_phrase_still_says_what_the_words_mean() -> None:
    found = names("learning disabilities")
    assert found[0] == "Special Needs Support"
    assert "Adult Courses" in found
    assert found.index("Adult Courses") > 0
