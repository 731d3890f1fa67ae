"""The lay vocabulary file: it loads, refers only to real needs, and bad files are refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hub.lay_vocabulary import LayVocabulary, load_lay_vocabulary, placeholders
from hub.needs import NeedsFileError, load_needs


def test_the_bundled_vocabulary_loads_and_names_only_real_needs() -> None:
    vocabulary = load_lay_vocabulary()
    need_ids = {need.id for need in load_needs()}
    assert len(vocabulary.topics) >= 40
    for topic in vocabulary.topics:
        assert set(topic.needs) <= need_ids, topic.id
        assert topic.services_say, topic.id
    ids = [topic.id for topic in vocabulary.topics]
    assert len(ids) == len(set(ids))


def test_the_issue_s_ways_of_saying_it_are_there() -> None:
    """Each area the issue names has a topic, and a phrase people use for it."""
    said = {
        topic.id: {phrase.casefold() for phrase in topic.people_say}
        for topic in load_lay_vocabulary().topics
    }
    expected = {
        "sight": "going blind",
        "hearing": "going deaf",
        "falls": "had a fall",
        "bereavement": "grieving",
        "new-arrivals": "asylum",
        "walking": "rambling",
        "growing": "allotment",
        "something-to-do": "something to do in the day",
        "company": "a chat with someone",
        "short-of-money": "skint",
        "carers": "looking after {someone}",
    }
    for topic_id, phrase in expected.items():
        assert phrase in said[topic_id], (topic_id, phrase)


def test_relation_groups_and_placeholders() -> None:
    vocabulary = load_lay_vocabulary()
    groups = vocabulary.relation_groups()
    assert groups["nan"] == "elder"
    assert groups["son"] == "child"
    assert groups["husband"] == "partner"
    assert placeholders("scared of {partner} and {someone}") == ["partner", "someone"]


def _vocabulary(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "relations": {"partner": ["husband", "wife"]},
        "relation_hints": {},
        "topics": [
            {
                "id": "sight",
                "label": "Sight loss",
                "needs": ["health"],
                "people_say": ["going blind", "scared of {partner}"],
                "services_say": ["sight loss"],
            }
        ],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"topics": [{"id": "x", "label": "X", "needs": ["nope"], "services_say": ["a"]}]},
         "no such need"),
        ({"topics": [{"id": "x", "label": "X", "people_say": ["{cousins}"],
                      "services_say": ["a"]}]}, "names no relation group"),
        ({"topics": [{"id": "x", "label": "X", "services_say": ["{partner} help"]}]},
         "only people_say"),
        ({"topics": [{"id": "x", "label": "X", "services_say": ["a"]}] * 2}, "used twice"),
        ({"relation_hints": {"elder": ["older-people"]}}, "no relation group"),
        ({"topics": [{"id": "x", "label": "X", "services_say": []}]}, "services_say"),
        ({"relations": {"Partner!": ["x"]}}, "lower-case"),
    ],
)  # fmt: skip
def test_a_wrong_file_is_refused_with_a_clear_message(
    tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    path = tmp_path / "lay_vocabulary.json"
    path.write_text(json.dumps(_vocabulary(**changes)), encoding="utf-8")
    with pytest.raises(NeedsFileError, match=message) as caught:
        load_lay_vocabulary(path)
    assert str(path) in str(caught.value)


def test_a_good_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "lay_vocabulary.json"
    path.write_text(json.dumps(_vocabulary()), encoding="utf-8")
    assert isinstance(load_lay_vocabulary(path), LayVocabulary)


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lay_vocabulary.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(NeedsFileError, match="not valid JSON"):
        load_lay_vocabulary(path)


def test_how_services_say_a_topic_places_feed_services_under_its_needs() -> None:
    """A feed without a taxonomy gets needs from its text, written the way services write."""
    from hub.needs import needs_from_text

    assert "health" in needs_from_text("Support for people who are visually impaired")
    assert "older-people" in needs_from_text("Strength and balance classes for falls prevention")
    assert "language" in needs_from_text("Football for people resettling here, and asylum seekers")
    assert needs_from_text("Parking permits and bin collections") == []
