"""The real-feed evaluation files keep their shape and their dev / held-out split.

The split must never drift: a question that moved from held-out to dev after someone saw
how search did on it would make the held-out figures a lie. These tests recompute the
split from the rule (per kind, sort by SHA-256 of the text, alternate dev / held-out) and
compare. They read only benchmarks/eval, never the feed beside the repository.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

EVAL = Path(__file__).resolve().parents[2] / "benchmarks" / "eval"
KINDS = {
    "senses",
    "falls-frailty",
    "bereavement",
    "new-arrivals",
    "activities",
    "company",
    "money",
    "carers",
    "memory",
    "mental-health",
    "abuse",
    "food",
    "housing",
    "families",
    "health",
    "learning-work",
    "crisis",
}
CRISIS_KINDS = {
    "suicide-self-harm",
    "domestic-abuse",
    "child-at-risk",
    "sexual-violence",
    "adult-abuse",
    "danger-now",
}


def _load(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((EVAL / name).read_text(encoding="utf-8"))
    return data


def _expected_halves(items: list[dict[str, Any]], text_key: str, group_key: str) -> dict[str, str]:
    groups: dict[str, list[str]] = defaultdict(list)
    for item in items:
        value = item[group_key]
        group = (value[0] if value else "neutral") if isinstance(value, list) else str(value)
        groups[group].append(str(item[text_key]))
    halves: dict[str, str] = {}
    for texts in groups.values():
        ordered = sorted(texts, key=lambda t: hashlib.sha256(t.encode("utf-8")).hexdigest())
        for position, text in enumerate(ordered):
            halves[text] = "dev" if position % 2 == 0 else "held-out"
    return halves


@pytest.fixture(scope="module")
def queries() -> list[dict[str, Any]]:
    return _load("northlincs_queries.json")


def test_questions_cover_every_kind_in_both_halves(queries: list[dict[str, Any]]) -> None:
    assert len(queries) >= 140
    assert {q["kind"] for q in queries} == KINDS
    per_half = Counter((q["kind"], q["half"]) for q in queries)
    for kind in KINDS:
        assert per_half[(kind, "dev")] >= 4, kind
        assert per_half[(kind, "held-out")] >= 4, kind


def test_each_question_is_lay_text_with_labelled_answers(queries: list[dict[str, Any]]) -> None:
    texts = [q["query"] for q in queries]
    assert len(set(texts)) == len(texts)
    for q in queries:
        assert set(q) == {"query", "kind", "acceptable", "names", "half"}
        assert q["query"] == q["query"].lower() and "'" not in q["query"], q["query"]
        assert q["acceptable"], q["query"]
        assert len(q["names"]) == len(q["acceptable"]), q["query"]
        assert len(set(q["acceptable"])) == len(q["acceptable"]), q["query"]
        for service_id in q["acceptable"]:
            assert str(uuid.UUID(service_id)) == service_id


def test_halves_follow_the_hash_rule(queries: list[dict[str, Any]]) -> None:
    expected = _expected_halves(queries, "query", "kind")
    assert {q["query"]: q["half"] for q in queries} == expected


def test_dev_and_heldout_files_are_the_two_halves(queries: list[dict[str, Any]]) -> None:
    assert _load("northlincs_dev.json") == [q for q in queries if q["half"] == "dev"]
    assert _load("northlincs_heldout.json") == [q for q in queries if q["half"] == "held-out"]


def test_crisis_phrasings_shape_and_split() -> None:
    items = _load("crisis_phrasings.json")
    crises = [i for i in items if i["kinds"]]
    neutral = [i for i in items if not i["kinds"]]
    assert len(crises) >= 60 and len(neutral) >= 60
    texts = [i["text"] for i in items]
    assert len(set(texts)) == len(texts)
    for item in items:
        assert set(item) == {"text", "kinds", "half"}
        assert set(item["kinds"]) <= CRISIS_KINDS, item["text"]
        assert item["text"] == item["text"].lower() and "'" not in item["text"]
    assert {k for i in crises for k in i["kinds"]} == CRISIS_KINDS
    expected = _expected_halves(items, "text", "kinds")
    assert {i["text"]: i["half"] for i in items} == expected
