"""Search that knows the moment (issue 13, item 2), on real indexes.

"today", "now", "tonight" and "this week" in a query say when, not what: they are no
search words, and services that run at that moment and need no referral come first.
Seasonal services outside their dates (a summer club in December) count for little and
say `not_running_now`. The bundled sample is read through the real importer.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from hub.formats.to_model import read_directory_file
from hub.needs import load_needs
from hub.schedule import LONDON
from hub.search import SearchIndex, query_moment
from tests.factories import named_service as make

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "directory.sample.json"
TUESDAY_11AM = datetime(2026, 12, 1, 11, 0, tzinfo=LONDON)  # Tuesday 1 December 2026
TUESDAY_4PM = datetime(2026, 12, 1, 16, 0, tzinfo=LONDON)
AUGUST = datetime(2026, 8, 4, 11, 0, tzinfo=LONDON)  # a Tuesday in the summer holidays


@pytest.fixture(scope="module")
def sample() -> SearchIndex:
    return SearchIndex.build(read_directory_file(SAMPLE).services, load_needs())


def names(index: SearchIndex, query: str, now: datetime, limit: int = 20) -> list[str]:
    return [r.service.name for r in index.search(query, now=now, limit=limit)]


@pytest.mark.parametrize(
    ("query", "moment"),
    [
        ("I need food today", "today"),
        ("somewhere to sleep tonight", "today"),
        ("i need to talk to someone now", "now"),
        ("food right now today", "now"),
        ("lunch club this week", "week"),
        ("something to do this evening", "today"),
        ("lunch club", None),
        ("nowhere to live", None),
        ("the week ahead", None),
    ],
)
def test_the_moment_a_query_speaks_of(query: str, moment: str | None) -> None:
    assert query_moment(query) == moment


def test_time_words_are_no_search_words(sample: SearchIndex) -> None:
    # The garden's description says "today"; that is no reason to show it for food today.
    assert sample.search("today", now=TUESDAY_11AM) == []
    assert sample.search("this week", now=TUESDAY_11AM) == []
    with_time = set(names(sample, "I need food today", TUESDAY_11AM, limit=50))
    assert with_time <= set(names(sample, "I need food", TUESDAY_11AM, limit=50))


def test_food_today_puts_the_free_meal_open_today_above_the_referral_food_banks(
    sample: SearchIndex,
) -> None:
    results = sample.search("I need food today", now=TUESDAY_11AM, limit=10)
    order = [r.service.name for r in results]
    assert "Alperton Gurdwara Community Langar" in order[:3]
    langar = order.index("Alperton Gurdwara Community Langar")
    for result in results:
        if result.service.attendance.referral_needed:
            assert order.index(result.service.name) > langar, order
    # The first three all run today (the langar is open every day, 11am to 3pm).
    for result in results[:3]:
        if result.service.name != "Alperton Community Fridge":  # Mon, Wed, Fri
            assert result.timetable.opens_today(TUESDAY_11AM), result.service.name
    # Without a moment the food banks' own words still win: the moment made the change.
    assert names(sample, "I need food", TUESDAY_11AM)[0].endswith("Food Bank")


def test_after_the_meal_has_closed_it_no_longer_leads(sample: SearchIndex) -> None:
    # At 4pm the langar (11am to 3pm) is done for the day: "today" cannot put it first.
    assert names(sample, "I need food today", TUESDAY_4PM)[0] != (
        "Alperton Gurdwara Community Langar"
    )


def test_a_summer_club_in_december_is_marked_not_running_and_ranks_low(
    sample: SearchIndex,
) -> None:
    club = "Summer Holiday Food and Fun Club"
    december = sample.search("food", now=TUESDAY_11AM, limit=30)
    by_name = {r.service.name: r for r in december}
    assert by_name[club].not_running_now is True
    assert [r.service.name for r in december].index(club) >= 5
    assert not any(r.not_running_now for r in december if r.service.name != club)
    # In the summer holidays it is running, and says so.
    august = {r.service.name: r for r in sample.search("food", now=AUGUST, limit=30)}
    assert august[club].not_running_now is False
    assert august["Wembley Library Warm Space"].not_running_now is True  # winter only
    # Asked for by name in December it is still found, marked, not hidden.
    top = sample.search("summer holiday food and fun club", now=TUESDAY_11AM, limit=3)
    assert top[0].service.name == club and top[0].not_running_now


def test_browse_marks_services_out_of_season_too(sample: SearchIndex) -> None:
    browsed = {r.service.name: r for r in sample.browse("food", now=TUESDAY_11AM)}
    assert browsed["Summer Holiday Food and Fun Club"].not_running_now is True
    assert browsed["Alperton Gurdwara Community Langar"].not_running_now is False


def test_this_week_puts_a_club_meeting_this_week_above_one_meeting_later() -> None:
    description = "A friendly lunch club with a hot meal and a chat. Drop in."
    weekly = {"freq": "WEEKLY", "byday": "TH", "opens_at": "12:00", "closes_at": "14:00"}
    third = {"freq": "MONTHLY", "byday": "3TH", "opens_at": "12:00", "closes_at": "14:00"}
    services = [
        make("Aardvark Lunch Club", description, needs=["food"], schedules=[third]),
        make("Zebra Lunch Club", description, needs=["food"], schedules=[weekly]),
    ]
    index = SearchIndex.build(services, load_needs())
    # Without a moment the two are equal, and the name decides.
    assert names(index, "lunch club", TUESDAY_11AM) == ["Aardvark Lunch Club", "Zebra Lunch Club"]
    # This week: Zebra meets on Thursday 3 December; Aardvark not until the 17th.
    assert names(index, "lunch club this week", TUESDAY_11AM) == [
        "Zebra Lunch Club",
        "Aardvark Lunch Club",
    ]
