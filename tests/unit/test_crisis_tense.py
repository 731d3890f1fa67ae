"""Crisis phrases and tense: a past tense ("killed") fills a phrase word only where the
phrase writes a past tense of it.

Snowball gives "kill", "kills", "killing" and "killed" one stem, so a phrase written for an
intention ("want ... kill ... someone") once fired for a bereavement ("my dog was killed by
a car and i want to talk to someone"), and a joke ("i killed myself laughing") read as a
wish to die. These phrasings are our own, written from what the words mean; none is taken
from the benchmark sets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hub.crisis import crisis_kinds, load_crisis_phrases
from tests.crisis_kinds import DANGER, DOMESTIC, SUICIDE

# (a crisis said in some tense, the kinds it must touch)
CRISIS_IN_ANY_TENSE: list[tuple[str, set[str]]] = [
    ("i want to kill myself", {SUICIDE}),
    ("i wanted to kill myself all week", {SUICIDE}),
    ("i keep thinking about killing myself", {SUICIDE}),
    ("she tried to kill herself last night", {SUICIDE}),
    ("my son has tried killing himself before", {SUICIDE}),
    ("he threatened to kill me", {DANGER}),
    ("she threatens to kill me if i leave", {DANGER}),
    ("i wanted to kill someone today", {DANGER}),
    ("i wanted to die", {SUICIDE}),
    ("my partner tried to kill me", {DOMESTIC}),
    ("my husband nearly killed me last night", {DOMESTIC}),
    ("he almost strangled me", {DOMESTIC}),
    ("my boyfriend pushed me down the stairs", {DOMESTIC}),
    ("my wife punched me", {DOMESTIC}),
    ("i was raped", {"sexual-violence"}),
    # Money taken from an older person by pressure, said in the past.
    ("my son bullied me for money", {"adult-abuse"}),
    ("my carer pressured my mum for her pension", {"adult-abuse"}),
    ("her grandson threatened my nan for money", {"adult-abuse"}),
    # Someone close lost to suicide: the phrase writes "killed" on purpose, as Samaritans
    # also support people bereaved by suicide.
    ("my brother killed himself last year", {SUICIDE}),
]

# Look-alikes: the same stems in another tense, with no crisis in them.
NEUTRAL_LOOK_ALIKES: list[str] = [
    "the frost killed my plants",
    "i killed it at the quiz",
    "we absolutely killed it at karaoke, want to find someone to sing with",
    "my dog was killed by a car and i want to talk to someone",
    "my dad was killed in a crash and i want to talk to someone about it",
    "the slugs killed my lettuces, want someone from the allotment group",
    "i killed myself laughing at the panto",
    "we nearly killed ourselves laughing at bingo",
    "the heat killed my tomatoes",
    "my husband nearly killed me with that long walk",
]


@pytest.mark.parametrize(("query", "kinds"), CRISIS_IN_ANY_TENSE)
def test_a_crisis_is_found_in_the_tense_it_is_said(query: str, kinds: set[str]) -> None:
    assert crisis_kinds(query) >= kinds, query


@pytest.mark.parametrize("query", NEUTRAL_LOOK_ALIKES)
def test_a_past_tense_does_not_complete_a_phrase_written_for_another(query: str) -> None:
    assert crisis_kinds(query) == frozenset(), query


def test_a_phrase_word_in_the_present_is_not_filled_by_its_past(tmp_path: Path) -> None:
    doc = {
        "groups": {},
        "fuzzy": [],
        "kinds": {
            DANGER: {"phrases": ["want|wanted kill someone"]},
            DOMESTIC: {"phrases": ["pushed me"]},
        },
    }
    path = tmp_path / "phrases.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    phrases = load_crisis_phrases(path)
    # "kill" written in the present: the present and the -ing form fill it, the past does
    # not; "wanted" written in the past: every tense of "want" fills it.
    assert crisis_kinds("i want to kill someone", phrases) == {DANGER}
    assert crisis_kinds("i wanted to kill someone", phrases) == {DANGER}
    assert crisis_kinds("want killing someone", phrases) == {DANGER}
    assert crisis_kinds("someone killed my cat, i want help", phrases) == frozenset()
    # Written in the past: every tense fills it (a past written is "any tense").
    assert crisis_kinds("he pushed me", phrases) == {DOMESTIC}
    assert crisis_kinds("he pushes me", phrases) == {DOMESTIC}
    assert crisis_kinds("he keeps pushing me", phrases) == {DOMESTIC}
