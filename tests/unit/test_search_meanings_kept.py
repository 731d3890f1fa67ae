"""The needs' and the lay vocabulary's phrases are worked out once per process
(`hub.search_parts.meanings_for`), not at every load of the saved index: and a change to
either is never answered from what was kept."""

from __future__ import annotations

from hub.lay_vocabulary import load_lay_vocabulary
from hub.needs import kiosk_needs
from hub.search import SearchIndex
from hub.search_parts import _meanings, meanings_for
from tests.factories import named_service as make
from tests.searching import top


def test_the_same_needs_and_vocabulary_are_worked_out_once() -> None:
    needs, vocabulary = kiosk_needs(), load_lay_vocabulary()
    first = meanings_for(needs, vocabulary)
    assert meanings_for(list(needs), vocabulary) is first
    # What was kept is what working them out again gives.
    assert first == _meanings(needs, vocabulary)


def test_a_need_said_otherwise_is_worked_out_again() -> None:
    needs, vocabulary = kiosk_needs(), load_lay_vocabulary()
    before = meanings_for(needs, vocabulary)
    renamed = [needs[0].model_copy(update={"synonyms": ["zebra crossing club"]}), *needs[1:]]
    after = meanings_for(renamed, vocabulary)
    assert after is not before
    assert "zebra" in after.words and "zebra" not in before.words


def test_another_vocabulary_is_worked_out_again() -> None:
    needs, bundled = kiosk_needs(), load_lay_vocabulary()
    other = bundled.model_copy(update={"topics": bundled.topics[:1]})
    assert meanings_for(needs, other) is not meanings_for(needs, bundled)
    assert len(meanings_for(needs, other).phrases) < len(meanings_for(needs, bundled).phrases)


def test_an_index_with_a_renamed_need_finds_by_the_new_words() -> None:
    """End to end: an index made after a need gains words answers to them."""
    needs = kiosk_needs()
    directory = [make("Crossing Patrol", "We help children cross the road.", needs=["food"])]
    plain = SearchIndex.build(directory, needs)
    assert top(plain, "zebra club") == []
    food = next(i for i, need in enumerate(needs) if need.id == "food")
    renamed = [*needs]
    renamed[food] = needs[food].model_copy(update={"synonyms": ["zebra club"]})
    assert top(SearchIndex.build(directory, renamed), "zebra club") == ["Crossing Patrol"]
