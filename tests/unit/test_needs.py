"""The bundled needs, urgent help and taxonomy map, and how words become needs."""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.locations import bundled_file
from hub.needs import (
    MAX_TILES,
    NeedsFileError,
    load_needs,
    load_taxonomy_map,
    load_urgent,
    map_terms_to_needs,
    more_needs,
    need_by_id,
    need_phrase_hits,
    needs_from_text,
    normalise,
    tile_needs,
)

ALL_IDS = [
    "urgent",
    "feeling-low",
    "loneliness",
    "memory",
    "carers",
    "money",
    "food",
    "housing",
    "health",
    "learning",
    "families",
    "safety",
    "older-people",
    "activities",
    "faith-community",
    "language",
    "other-help",
]
TILE_ORDER = [
    "memory",
    "loneliness",
    "money",
    "food",
]


def _need(need_id: str, synonyms: int = 8, tile: bool = True) -> dict[str, Any]:
    return {
        "id": need_id,
        "label": need_id.title(),
        "description": f"About {need_id}",
        "synonyms": [f"word {n}" for n in range(synonyms)],
        "tile": tile,
    }


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- the bundled files ---------------------------------------------------------------


def test_bundled_needs_have_every_id_once() -> None:
    ids = [need.id for need in load_needs()]
    assert sorted(ids) == sorted(ALL_IDS)
    assert len(ids) == len(set(ids))


def test_four_tiles_come_first_in_order_then_urgent_leads_more_help() -> None:
    needs = load_needs()
    assert [need.id for need in tile_needs()] == TILE_ORDER
    assert sum(need.tile for need in needs) == MAX_TILES == 4
    assert [need.id for need in needs[:4]] == TILE_ORDER
    more = [need.id for need in more_needs()]
    assert more[0] == "urgent"
    assert sorted(more) == sorted(set(ALL_IDS) - set(TILE_ORDER))


def test_every_need_is_short_plain_and_has_many_synonyms() -> None:
    for need in load_needs():
        assert len(need.synonyms) >= 8, need.id
        assert len(need.description) <= 60, need.id
        # Labels go on big tiles at 80x24: keep them short.
        assert len(need.label) <= 26, need.id
        normalised = [normalise(synonym) for synonym in need.synonyms]
        assert len(normalised) == len(set(normalised)), f"{need.id} repeats a synonym"


def test_lay_phrasings_are_covered() -> None:
    by_id = {need.id: {normalise(s) for s in need.synonyms} for need in load_needs()}
    expected = {
        "housing": ["cant pay my rent", "evicted", "sofa surfing"],
        "money": ["skint", "bailiffs", "cant pay my rent"],
        "memory": ["mum keeps forgetting things", "dementia", "alzheimers"],
        "food": ["foodbank"],
        "loneliness": ["no one to talk to", "lonely", "isolated"],
        "carers": ["carer", "looking after my husband"],
        "feeling-low": ["counselling", "depressed", "anxious", "stressed"],
        "learning": ["mental health first aid", "mhfa", "courses", "english classes", "esol"],
    }
    for need_id, phrases in expected.items():
        for phrase in phrases:
            assert phrase in by_id[need_id], (need_id, phrase)
    assert any("volunteer" in phrase for phrase in by_id["learning"])


def test_need_by_id_finds_bundled_needs_only() -> None:
    memory = need_by_id("memory")
    assert memory is not None
    assert memory.label == "Memory and dementia"
    assert need_by_id("no-such-need") is None


def test_load_needs_gives_a_fresh_list_each_time() -> None:
    first = load_needs()
    first.clear()
    assert len(load_needs()) == len(ALL_IDS)


def test_bundled_urgent_help_has_the_national_lines() -> None:
    urgent = load_urgent()
    assert urgent.last_checked == date(2026, 12, 1)
    text = {line.id: f"{line.name} | {line.how} | {line.when}" for line in urgent.lines}
    assert "999" in text["emergency-999"] and "danger" in text["emergency-999"]
    nhs = text["nhs-111-mental-health"]
    assert "111" in nhs and "option 2" in nhs and "24 hours" in nhs
    assert "116 123" in text["samaritans"] and "free" in text["samaritans"]
    assert "SHOUT" in text["shout"] and "85258" in text["shout"] and "24 hours" in text["shout"]
    abuse = text["national-domestic-abuse-helpline"]
    assert "Domestic Abuse" in abuse and "0808 2000 247" in abuse and "24 hours" in abuse
    # The first line of the Urgent help screen is still 999.
    assert urgent.lines[0].id == "emergency-999"


def test_taxonomy_map_points_only_at_bundled_needs() -> None:
    known = set(ALL_IDS)
    table = load_taxonomy_map()
    assert {"open-eligibility", "esd-needs", "esd-circumstances", "esd-services"} <= set(
        table.vocabularies
    )
    for name, vocabulary in table.vocabularies.items():
        assert vocabulary.terms, name
        for term, need_ids in vocabulary.terms.items():
            assert need_ids and set(need_ids) <= known, (name, term)


# --- bad files ---------------------------------------------------------------------


def test_a_need_with_too_few_synonyms_is_named_in_the_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "needs.json", [_need("food"), _need("memory", synonyms=3)])
    with pytest.raises(NeedsFileError) as caught:
        load_needs(path)
    message = str(caught.value)
    assert str(path) in message
    assert "memory" in message and "synonyms" in message


def test_a_repeated_need_id_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "needs.json", [_need("food"), _need("food")])
    with pytest.raises(NeedsFileError, match="used twice"):
        load_needs(path)


def test_more_than_four_tiles_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "needs.json", [_need(f"need-{n}") for n in range(5)])
    with pytest.raises(NeedsFileError, match="at most 4"):
        load_needs(path)


def test_a_good_custom_needs_file_loads_in_order(tmp_path: Path) -> None:
    path = _write(tmp_path / "needs.json", [_need("zeta"), _need("alpha", tile=False)])
    assert [(need.id, need.tile) for need in load_needs(path)] == [
        ("zeta", True),
        ("alpha", False),
    ]


def test_broken_json_and_missing_files_say_which_file(tmp_path: Path) -> None:
    broken = tmp_path / "needs.json"
    broken.write_text('[{"id": "food",', encoding="utf-8")
    with pytest.raises(NeedsFileError, match=r"not valid JSON \(line 1"):
        load_needs(broken)
    missing = tmp_path / "nowhere.json"
    with pytest.raises(NeedsFileError, match="cannot be read") as caught:
        load_urgent(missing)
    assert str(missing) in str(caught.value)


def test_urgent_help_without_lines_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "urgent.json", {"last_checked": "2026-11-26", "lines": []})
    with pytest.raises(NeedsFileError, match="lines"):
        load_urgent(path)


def test_taxonomy_map_with_a_bad_need_id_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "map.json",
        {"vocabularies": {"x": {"aliases": [], "terms": {"food": ["Not An Id"]}}}},
    )
    with pytest.raises(NeedsFileError, match="taxonomy map"):
        load_taxonomy_map(path)


def test_a_custom_taxonomy_map_finds_vocabularies_by_any_alias(tmp_path: Path) -> None:
    source = json.loads(bundled_file("taxonomy_map.json").read_text(encoding="utf-8"))
    source["vocabularies"]["brent"] = {
        "aliases": ["Brent Council Categories"],
        "terms": {"Women's Group": ["families"]},
    }
    table = load_taxonomy_map(_write(tmp_path / "map.json", source))
    vocabulary = table.vocabulary_for("brent-council categories")
    assert vocabulary is not None
    assert vocabulary.terms["womens group"] == ["families"]
    assert table.vocabulary_for("ESD needs") is table.vocabularies["esd-needs"]
    assert table.vocabulary_for("Something else") is None


# --- taxonomy terms ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (("Open Eligibility", "", "Emergency Food"), ["food"]),
        (("openEligibility", None, "Mental Health Care"), ["feeling-low"]),
        (("Open Eligibility", None, "Support Groups"), ["loneliness", "feeling-low"]),
        (("OpenEligibility", None, "Caregivers"), ["carers"]),
        (("Open Eligibility", None, "Alzheimer's"), ["memory"]),
        (
            ("Open Eligibility", None, "English as a Second Language (ESL)"),
            ["learning", "language"],
        ),
        (
            ("open-eligibility", "human_services:care:daytime_care:relief_for_caregivers", None),
            ["carers"],
        ),
        (("open-eligibility", "human_services:housing:emergency_shelter", ""), ["housing"]),
        (("esdServiceTypes", "esdServiceType:298", None), ["carers"]),
        (("esdServiceType", "1755", "Carers assessment"), ["carers"]),
        (("esdNeeds", "69", None), ["loneliness", "activities"]),
        (("LGA Needs", None, "Food poverty"), ["food"]),
        (("Needs", None, "Debt"), ["money"]),
        (("esdNeeds", None, "Homelessness"), ["housing"]),
        (("esdCircumstances", None, "Dementia"), ["memory"]),
        (("Circumstances", None, "Carer"), ["carers"]),
        (("esdNeeds", None, "Mental health"), ["feeling-low"]),
        (("esdNeeds", None, "Loneliness"), ["loneliness"]),
    ],
)
def test_known_vocabulary_terms_map_to_needs(
    term: tuple[str | None, str | None, str | None], expected: list[str]
) -> None:
    assert map_terms_to_needs([term]) == expected


def test_codes_are_only_read_in_their_own_vocabulary() -> None:
    # 298 is "Carers support groups" in the LGA services list, not a need number.
    assert map_terms_to_needs([("esdNeeds", "298", None)]) == []
    assert map_terms_to_needs([("Some council list", "298", None)]) == []


def test_our_own_vocabulary_codes_are_need_ids() -> None:
    assert map_terms_to_needs([("community-hub-needs", "memory", "Memory and dementia")]) == [
        "memory"
    ]
    assert map_terms_to_needs([("Community Hub Needs", "safety", None)]) == ["safety"]
    # An id we do not have falls back to the name, like any other term.
    assert map_terms_to_needs([("community-hub-needs", "gardens", "Food")]) == ["food"]
    assert map_terms_to_needs([("community-hub-needs", "gardens", None)]) == []


def test_unknown_vocabularies_fall_back_to_names_then_synonyms() -> None:
    # A name known in one of our mapped vocabularies.
    assert map_terms_to_needs([("Brent categories", "B17", "Dementia")]) == ["memory"]
    # A name no vocabulary knows, read as text against our synonyms.
    assert map_terms_to_needs([(None, None, "Lonely older people")]) == [
        "loneliness",
        "older-people",
    ]
    assert map_terms_to_needs([("Brent categories", "B99", "Parking permits")]) == []


def test_terms_give_needs_first_found_first_without_repeats() -> None:
    terms = [
        ("esdServiceTypes", "298", "Carers support groups"),
        ("Open Eligibility", None, "Caregivers"),
        ("esdCircumstances", None, "Dementia"),
        ("Open Eligibility", None, "Relief for Caregivers"),
        (None, None, None),
    ]
    assert map_terms_to_needs(terms) == ["carers", "memory"]
    assert map_terms_to_needs([]) == []


# --- free text ---------------------------------------------------------------------


def test_memory_cafe_text_gives_memory_and_carers() -> None:
    found = needs_from_text("Memory cafe for people living with dementia and their carers")
    assert found[:2] == ["memory", "carers"]


def test_rent_does_not_match_inside_parent() -> None:
    hits = need_phrase_hits("Parent and toddler group")
    assert "housing" not in hits
    assert "families" in hits
    assert needs_from_text("Rent arrears advice")[0] == "housing"


def test_art_does_not_match_inside_heart() -> None:
    hits = need_phrase_hits("heart health walk")
    assert all("art" not in phrases for phrases in hits.values())
    assert "heart" in hits["health"]
    assert "art" in need_phrase_hits("Art club for beginners").get("activities", [])


def test_text_matching_ignores_case_accents_apostrophes_and_hyphens() -> None:
    assert needs_from_text("ALZHEIMER'S SUPPORT")[0] == "memory"
    assert needs_from_text("Mémory café")[0] == "memory"
    assert needs_from_text("I can’t pay my rent")[:2] == ["housing", "money"]
    assert "older-people" in needs_from_text("Over-50s tea dance")
    assert "food" in needs_from_text("Harlesden food-bank")


def test_stronger_needs_come_first_and_ties_keep_file_order() -> None:
    # Three memory phrases against one family word.
    assert needs_from_text("mum keeps forgetting things") == ["memory", "families"]
    # One hit each: needs.json order decides (money comes before food).
    assert needs_from_text("food and skint") == ["money", "food"]


def test_text_with_no_phrase_gives_nothing() -> None:
    assert needs_from_text("") == []
    assert needs_from_text("Parking permits and bin collections") == []


@functools.cache
def _reference_regexes() -> list[
    tuple[str, tuple[str, ...], re.Pattern[str], list[re.Pattern[str]]]
]:
    """Return, per need, its phrases, their one regex and a whole-word regex for each."""
    from hub.needs import _phrase_index

    index = _phrase_index()
    built = []
    for need_id, phrases in zip(index.need_ids, index.phrases, strict=True):
        bodies = [r"[\s\-/,]+".join(map(re.escape, phrase.split())) for phrase in phrases]
        whole = [re.compile(rf"(?<!\w)(?:{body})s?(?!\w)") for body in bodies]
        alternation = "|".join(f"(?P<p{n}>{body})" for n, body in enumerate(bodies))
        built.append((need_id, phrases, re.compile(rf"(?<!\w)(?:{alternation})s?(?!\w)"), whole))
    return built


def _one_regex_per_need(text: str) -> dict[str, list[str]]:
    """The reference: each need's phrases as one whole-word regex, longest first, found with
    finditer, each match also counting the need's shorter phrases inside it (how the hub
    placed services before the phrase index; the index must find exactly the same)."""
    plain = normalise(text)
    result: dict[str, list[str]] = {}
    for need_id, phrases, regex, whole in _reference_regexes():
        found: dict[str, None] = {}
        for match in regex.finditer(plain):
            rank = int((match.lastgroup or "p0")[1:])
            found[phrases[rank]] = None
            for later in range(rank + 1, len(phrases)):
                if whole[later].search(match.group()):
                    found[phrases[later]] = None
        if found:
            result[need_id] = list(found)
    return result


def _phrase_words() -> list[str]:
    from hub.needs import _phrase_index

    every = [phrase for phrases in _phrase_index().phrases for phrase in phrases]
    return every + sorted({word for phrase in every for word in phrase.split()})


_GLUE = st.sampled_from([" ", "-", " / ", ", ", ". ", " & ", "'", "_", "s ", ":", "\t", "é "])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_phrase_words()), _GLUE), min_size=1, max_size=12))
def test_one_pass_over_the_words_finds_what_a_regex_per_need_found(
    parts: list[tuple[str, str]],
) -> None:
    text = "".join(word + glue for word, glue in parts)
    assert need_phrase_hits(text) == _one_regex_per_need(text)


def test_two_spellings_of_one_phrase_are_one_hit() -> None:
    # The lay vocabulary lists "housing related support" and "housing-related support";
    # they are the same words, so a service saying either counts the phrase once.
    text = "housing related support "
    assert need_phrase_hits(text) == {"housing": ["housing related support", "housing"]}
    assert need_phrase_hits(text) == _one_regex_per_need(text)


def test_one_pass_finds_the_same_in_real_service_descriptions() -> None:
    texts = [
        "Memory cafe for people living with dementia and their carers; carer's drop-in",
        "Over-50s tea dance / food-bank, debt advice. Mental health and wellbeing support",
        "Support for parents, parent carers and young carers: baby equipment, home from hospital",
    ]
    for text in texts:
        assert need_phrase_hits(text) == _one_regex_per_need(text)
        assert need_phrase_hits(text)


def test_normalise() -> None:
    assert normalise("Café  Can't") == "cafe cant"
    assert normalise("  Can’t\tSTOP\n worrying ") == "cant stop worrying"
    assert normalise("Naïve Zoë") == "naive zoe"


def test_needs_module_does_not_import_textual() -> None:
    code = "import sys, hub.needs; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
