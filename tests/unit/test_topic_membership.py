"""A need lists the services search finds for it: tagged, or saying its topic in their words."""

from __future__ import annotations

from datetime import datetime

from hub.needs import load_needs
from hub.schedule import LONDON
from hub.search import Filters, SearchIndex
from tests.factories import make_service

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=LONDON)


def _directory() -> SearchIndex:
    carers_group = make_service(
        name="Alperton Dementia Carers' Circle",
        description="A support group for people caring for someone with dementia.",
        keywords=["dementia carers", "support group"],
        needs=["carers"],  # a feed that tagged it for carers only
    )
    cafe = make_service(name="Church End Memory Café", needs=["memory"])
    # "memory" deep in a long description is no sign the service is about memory.
    computers = make_service(
        name="Computer Club",
        description="Learn to use email and video calls. " * 8 + "Bring a memory stick.",
        needs=["learning"],
    )
    return SearchIndex.build([carers_group, cafe, computers], load_needs())


def test_memory_lists_every_service_search_finds_for_dementia() -> None:
    index = _directory()
    searched = {r.service.name for r in index.search("dementia", now=NOW)}
    listed = {r.service.name for r in index.browse("memory", now=NOW)}
    assert "Alperton Dementia Carers' Circle" in searched
    assert listed == {"Alperton Dementia Carers' Circle", "Church End Memory Café"}


def test_the_need_filter_uses_the_same_membership() -> None:
    index = _directory()
    found = index.search("support group", filters=Filters(need="memory"), now=NOW)
    assert [r.service.name for r in found] == ["Alperton Dementia Carers' Circle"]


def test_tags_still_list_a_service_and_a_weak_mention_does_not() -> None:
    index = _directory()
    assert "memory" in index.need_ids()
    assert [r.service.name for r in index.browse("learning", now=NOW)] == ["Computer Club"]
    assert "Computer Club" not in {r.service.name for r in index.browse("memory", now=NOW)}
