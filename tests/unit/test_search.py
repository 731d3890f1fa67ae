"""Search on small hand-built directories: whole words, accents, typos, needs, filters, order."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.models import Status
from hub.needs import load_needs
from hub.schedule import LONDON
from hub.search import Filters, IndexCache, SearchIndex, is_searchable, stem, words
from hub.storage import HubStore
from hub.unmet import log_empty_need, log_unmet_search, unmet_searches
from tests.factories import named_service as make

NOW = datetime(2025, 12, 2, 11, 0, tzinfo=LONDON)  # Tuesday 2 December, 11am
NEEDS = load_needs()


def names(index: SearchIndex, query: str, **filters: Any) -> list[str]:
    return [r.service.name for r in index.search(query, filters=Filters(**filters), now=NOW)]


DIRECTORY = [
    make(
        "Brent Counselling Service",
        "Free talking therapy and counselling for adults.",
        needs=["feeling-low"],
        areas=["Borough-wide"],
        cost={"free": True},
    ),
    make(
        "Parent and Toddler Group",
        "Play sessions for parents and their babies.",
        needs=["families"],
        areas=["Church End"],
    ),
    make(
        "Rent Arrears Advice",
        "Help if you can't pay your rent or are facing eviction.",
        needs=["housing", "money"],
        areas=["Borough-wide"],
        cost={"free": True},
    ),
    make("Heart Health Check", "Blood pressure checks at the library.", needs=["health"]),
    make("Art Club", "Painting and drawing for all ages.", needs=["activities"]),
    make(
        "Café Connect",
        "A friendly café for people on their own.",
        needs=["loneliness"],
        areas=["Alperton"],
        attendance={"drop_in": True},
        schedules=[{"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", "closes_at": "12:00"}],
    ),
    make(
        "Memory Lane Group",
        "For people living with dementia, and the people who care for them.",
        needs=["memory", "carers"],
        areas=["Church End"],
        schedules=[{"freq": "WEEKLY", "byday": "TH", "opens_at": "14:00", "closes_at": "16:00"}],
    ),
    make(
        "Church End Foodbank",
        "Food parcels for people referred with a voucher.",
        needs=["food"],
        areas=["Church End"],
        keywords=["food bank", "emergency food"],
    ),
    make(
        "Money Matters",
        "Debt and benefits advice, in English, Gujarati and Urdu.",
        needs=["money"],
        languages=["English", "Gujarati", "Urdu"],
        organisation="Brent Advice Partnership",
    ),
    make(
        "Closed Lunch Club",
        "Hot meals for older people. Closed for good.",
        needs=["food", "older-people"],
        status=Status.DEFUNCT,
    ),
    make(
        "Youth Football",
        "Football for young people aged 11 to 18.",
        needs=["activities", "families"],
        eligibility={"minimum_age": 11, "maximum_age": 18},
    ),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(DIRECTORY, NEEDS)


# --- words ---------------------------------------------------------------------------


def test_words_are_normalised_stemmed_and_stop_words_dropped() -> None:
    assert words("The Carers' Café, can't stop!") == ["carer", "cafe", "cant", "stop"]
    assert stem("activities") == "activity"
    assert stem("classes") == "class"
    assert stem("bus") == "bus"


def test_whole_words_not_fragments(index: SearchIndex) -> None:
    assert names(index, "rent")[0] == "Rent Arrears Advice"
    assert "Parent and Toddler Group" not in names(index, "rent ")
    assert names(index, "art ")[0] == "Art Club"
    assert "Heart Health Check" not in names(index, "art")
    assert "Heart Health Check" not in names(index, "art ")


def test_the_word_being_typed_may_be_the_start_of_a_longer_word(index: SearchIndex) -> None:
    assert names(index, "counsel")[0] == "Brent Counselling Service"
    # ...but only at the end of the query, and only from four letters
    assert names(index, "cou") == []
    assert names(index, "pare")[0] == "Parent and Toddler Group"
    assert "Parent and Toddler Group" not in names(index, "pare ")  # a finished word


def test_accents_and_case(index: SearchIndex) -> None:
    assert names(index, "cafe")[0] == "Café Connect"
    assert names(index, "CAFÉ")[0] == "Café Connect"
    assert names(index, "Café  ")[0] == "Café Connect"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("councelling", "Brent Counselling Service"),
        ("dementa", "Memory Lane Group"),
        ("footbal", "Youth Football"),
        ("arrers", "Rent Arrears Advice"),
        ("foodbnak", "Church End Foodbank"),
    ],
)
def test_misspellings_are_corrected(index: SearchIndex, query: str, expected: str) -> None:
    assert names(index, query + " ")[0] == expected


def test_lay_phrasing_goes_through_need_synonyms(index: SearchIndex) -> None:
    top = index.search("cant pay my rent", now=NOW)[0]
    assert top.service.name == "Rent Arrears Advice"
    assert set(top.matched_needs) == {"housing", "money"}
    assert names(index, "mum keeps forgetting things")[0] == "Memory Lane Group"
    assert names(index, "lonely")[0] == "Café Connect"


def test_food_bank_spelt_either_way(index: SearchIndex) -> None:
    assert names(index, "foodbank")[0] == "Church End Foodbank"
    assert names(index, "food bank")[0] == "Church End Foodbank"


@pytest.mark.parametrize(
    "query", ["", " ", "a", "ab", "?!", "...", "   --  ", "the", "of the", "é", "a b"]
)
def test_short_empty_and_punctuation_queries_return_nothing_quietly(
    index: SearchIndex, query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert index.search(query, now=NOW) == []
    assert not is_searchable(query)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_nonsense_finds_nothing(index: SearchIndex) -> None:
    assert index.search("zzzzqqqq", now=NOW) == []


def test_defunct_services_are_never_found(index: SearchIndex) -> None:
    assert "Closed Lunch Club" not in names(index, "lunch club")
    assert "Closed Lunch Club" not in [r.service.name for r in index.browse("food", now=NOW)]


def test_name_outranks_keywords_outranks_description_outranks_organisation() -> None:
    directory = [
        make("Zeta", "Nothing here.", organisation="Walking Trust"),
        make("Delta", "We go walking on Sundays."),
        make("Beta", "Nothing here.", keywords=["walking"]),
        make("Alpha Walking Group", "Nothing here."),
    ]
    index = SearchIndex.build(directory, NEEDS)
    assert names(index, "walking") == ["Alpha Walking Group", "Beta", "Delta", "Zeta"]


def test_matching_more_of_the_query_wins() -> None:
    directory = [
        make("Debt Drop-in", "Advice on debt."),
        make("Debt and Housing Advice", "Debt advice and housing advice."),
    ]
    index = SearchIndex.build(directory, NEEDS)
    assert names(index, "debt housing")[0] == "Debt and Housing Advice"


def test_order_is_deterministic_with_ties_by_name_then_id() -> None:
    twins = [make(f"Knitting Circle {letter}", "Knitting together.") for letter in "DCAB"]
    index = SearchIndex.build(twins, NEEDS)
    expected = [f"Knitting Circle {letter}" for letter in "ABCD"]
    assert names(index, "knitting") == expected
    shuffled = SearchIndex.build(list(reversed(twins)), NEEDS)
    assert names(shuffled, "knitting") == expected
    same_name = [make("Knitting", "x", id=str(uuid.UUID(int=n))) for n in (3, 1, 2)]
    found = SearchIndex.build(same_name, NEEDS).search("knitting", now=NOW)
    assert [r.service.id for r in found] == sorted(s.id for s in same_name)


def test_limit(index: SearchIndex) -> None:
    assert len(index.search("advice", now=NOW, limit=1)) == 1
    assert index.search("advice", now=NOW, limit=0) == []


# --- filters -------------------------------------------------------------------------


def test_filter_by_need(index: SearchIndex) -> None:
    assert names(index, "advice", need="housing") == ["Rent Arrears Advice"]


def test_filter_free_only(index: SearchIndex) -> None:
    assert "Money Matters" in names(index, "advice")
    assert "Money Matters" not in names(index, "advice", free_only=True)


def test_filter_area_keeps_local_and_borough_wide(index: SearchIndex) -> None:
    found = names(index, "advice", area="church end")
    assert "Rent Arrears Advice" in found  # borough-wide serves Church End too
    assert names(index, "cafe", area="Church End") == []
    assert names(index, "cafe", area="Alperton") == ["Café Connect"]


def test_filter_open_now_and_today(index: SearchIndex) -> None:
    # NOW is Tuesday 11am: Café Connect (Tuesday 10-12) is open; Memory Lane is Thursday.
    assert names(index, "cafe", open_now=True) == ["Café Connect"]
    assert names(index, "dementia", open_today=True) == []
    assert names(index, "dementia")[0] == "Memory Lane Group"


def test_filter_drop_in_language_and_age(index: SearchIndex) -> None:
    assert names(index, "cafe", drop_in_only=True) == ["Café Connect"]
    assert names(index, "debt", language="gujarati") == ["Money Matters"]
    assert names(index, "debt", language="Polish") == []
    assert names(index, "football", age=14)[0] == "Youth Football"
    assert "Youth Football" not in names(index, "football", age=40)


# --- browse by need ------------------------------------------------------------------


def weekly(byday: str, opens: int, closes: int) -> dict[str, Any]:
    return {"freq": "WEEKLY", "byday": byday, "opens_at": time(opens), "closes_at": time(closes)}


def test_browse_puts_open_soonest_then_local_then_recently_checked_first() -> None:
    directory = [
        make("Later this week, local", needs=["memory"], areas=["Church End"],
             schedules=[weekly("TH", 10, 12)], assured_date=date(2025, 1, 1)),
        make("Later this week, checked recently", needs=["memory"], areas=["Church End"],
             schedules=[weekly("FR", 10, 12)], assured_date=date(2025, 11, 1)),
        make("Later this week, borough-wide", needs=["memory"], areas=["Borough-wide"],
             schedules=[weekly("WE", 10, 12)], assured_date=date(2025, 11, 30)),
        make("Open now", needs=["memory"], areas=["Borough-wide"],
             schedules=[weekly("TU", 10, 12)]),
        make("Later today", needs=["memory"], areas=["Alperton"],
             schedules=[weekly("TU", 14, 16)]),
        make("Times unknown", needs=["memory"], areas=["Church End"]),
        make("Another need", needs=["money"], schedules=[weekly("TU", 10, 12)]),
    ]  # fmt: skip
    index = SearchIndex.build(directory, NEEDS)
    found = [
        r.service.name for r in index.browse("memory", filters=Filters(area="Church End"), now=NOW)
    ]
    assert found == [
        "Open now",
        "Later this week, checked recently",
        "Later this week, local",
        "Later this week, borough-wide",
        "Times unknown",
    ]  # "Later today" is in Alperton, so the area filter leaves it out
    everything = [r.service.name for r in index.browse("memory", now=NOW)]
    assert everything[:2] == ["Open now", "Later today"]
    assert index.browse("memory", now=NOW, limit=1)[0].matched_needs == ("memory",)
    assert index.browse("safety", now=NOW) == []


# --- keeping the index fresh, and unmet needs ----------------------------------------


def test_index_cache_rebuilds_only_when_the_directory_changes(tmp_path: Path) -> None:
    with HubStore.open(tmp_path / "hub") as store:
        store.save_services([make("Knitting Circle", "Knit and natter.")])
        cache = IndexCache(NEEDS)
        first = cache.get(store)
        assert cache.get(store) is first
        assert [r.service.name for r in first.search("knitting", now=NOW)] == ["Knitting Circle"]
        store.save_services([make("Knitting Workshop", "Learn to knit.")])
        second = cache.get(store)
        assert second is not first and not second.is_stale(store.directory_version)
        assert len(second.search("knitting", now=NOW)) == 2


def test_unmet_searches_keep_only_words_day_and_count(tmp_path: Path) -> None:
    day = date(2025, 12, 2)
    with HubStore.open(tmp_path / "hub") as store:
        assert log_unmet_search(store, "  Ukulele   LESSONS ", day) == "ukulele lessons"
        log_unmet_search(store, "ukulele lessons", day)
        log_unmet_search(store, "Ukulele lessons", date(2025, 12, 3))
        assert log_unmet_search(store, " ?! ", day) is None
        log_empty_need(store, "safety", day)
        records = unmet_searches(store)
        assert [(r.text, r.day, r.count) for r in records] == [
            ("need:safety", day, 1),
            ("ukulele lessons", day, 2),
            ("ukulele lessons", date(2025, 12, 3), 1),
        ]
        assert [r.day for r in unmet_searches(store, since=date(2025, 12, 3))] == [
            date(2025, 12, 3)
        ]
        stored = store.collection("unmet_searches").all()
        assert set(stored) == {
            "2025-12-02|ukulele lessons",
            "2025-12-03|ukulele lessons",
            "2025-12-02|need:safety",
        }
        assert all(set(doc) == {"text", "day", "count"} for doc in stored.values())
    # and it is still there after reopening the folder
    with HubStore.open(tmp_path / "hub") as store:
        assert len(unmet_searches(store)) == 3


def test_a_very_long_unmet_search_is_cut_to_fit(tmp_path: Path) -> None:
    with HubStore.open(tmp_path / "hub") as store:
        logged = log_unmet_search(store, "word " * 100, date(2025, 12, 2))
        assert logged is not None and len(logged) <= 200 and logged.endswith("word")
        assert unmet_searches(store)[0].text == logged


# --- no query crashes search -----------------------------------------------------------


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.text(max_size=60)
    | st.text(alphabet="abcdefghijklmnopqrstuvwxyz éà'-!?.", max_size=40),
    open_now=st.booleans(),
    limit=st.integers(0, 30),
)
def test_no_query_crashes_search(
    index: SearchIndex, query: str, open_now: bool, limit: int
) -> None:
    found = index.search(query, filters=Filters(open_now=open_now), now=NOW, limit=limit)
    assert len(found) <= limit
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    assert all(r.service.is_listed for r in found)
    assert len({r.service.id for r in found}) == len(found)


# --- every script ----------------------------------------------------------------------

SCRIPTS = [
    make("Żłobek Tęcza", "Polski żłobek dla dzieci do lat trzech.", needs=["families"]),
    make("ગુજરાતી વડીલ મંડળ", "વડીલો માટે સાપ્તાહિક મુલાકાત અને ભોજન.", needs=["older-people"]),
    make("தமிழ் சமூக உதவி", "உணவு மற்றும் ஆலோசனை, ஒவ்வொரு செவ்வாய்.", needs=["money"]),
    make("بنك الطعام المجتمعي", "طرود غذائية مجانية للعائلات.", needs=["food"]),
    make("Hearing Loss Drop-in", "Hearing aid batteries, retubing and advice.", needs=["health"]),
]


@pytest.fixture(scope="module")
def scripts_index() -> SearchIndex:
    return SearchIndex.build(SCRIPTS, NEEDS)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("żłobek", "Żłobek Tęcza"),
        ("zlobek", "Żłobek Tęcza"),
        ("ZŁOBEK tecza", "Żłobek Tęcza"),
        ("ગુજરાતી", "ગુજરાતી વડીલ મંડળ"),
        ("વડીલ મંડળ", "ગુજરાતી વડીલ મંડળ"),
        ("ભોજન", "ગુજરાતી વડીલ મંડળ"),  # a word of the description
        ("தமிழ்", "தமிழ் சமூக உதவி"),
        ("உணவு", "தமிழ் சமூக உதவி"),
        ("بنك الطعام", "بنك الطعام المجتمعي"),
        ("بَنْك", "بنك الطعام المجتمعي"),  # typed with a short vowel mark
        ("طرود", "بنك الطعام المجتمعي"),
    ],
)
def test_a_query_in_any_script_finds_services_named_in_it(
    scripts_index: SearchIndex, query: str, expected: str
) -> None:
    assert is_searchable(query)
    assert names(scripts_index, query)[0] == expected
    assert names(scripts_index, query + " ")[0] == expected


def test_a_query_in_another_script_that_matches_nothing_is_logged_as_unmet(
    scripts_index: SearchIndex, tmp_path: Path
) -> None:
    query = "ਸਿਹਤ ਜਾਂਚ"  # Punjabi: "health check"; nothing in this directory says so
    assert is_searchable(query)
    assert scripts_index.search(query, now=NOW) == []
    with HubStore.open(tmp_path / "hub") as store:
        assert log_unmet_search(store, query, date(2025, 12, 2)) == query
        assert [r.text for r in unmet_searches(store)] == [query]


# --- never "correct" a real word -------------------------------------------------------


def test_a_real_word_is_never_corrected_into_another_word() -> None:
    directory = [
        *SCRIPTS,
        make(
            "Young Minds Matter",
            "Support for young people who self-harm, and for their parents.",
            needs=["feeling-low", "families"],
        ),
    ]
    index = SearchIndex.build(directory, NEEDS)
    # "harming" is one letter away from "hearing", but it is a word: it means harm.
    assert "Hearing Loss Drop-in" not in names(index, "harming ")
    assert names(index, "my son is self harming")[0] == "Young Minds Matter"
    assert "Hearing Loss Drop-in" not in names(index, "my son is self harming")
    assert names(index, "hearing")[0] == "Hearing Loss Drop-in"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dementa", "Memory Lane Group"),
        ("fodbank", "Church End Foodbank"),
        ("councelling", "Brent Counselling Service"),
    ],
)
def test_typos_of_words_that_are_not_words_are_still_corrected(
    index: SearchIndex, query: str, expected: str
) -> None:
    assert names(index, query + " ")[0] == expected
