"""Modern slavery, trafficking and forced work: a crisis kind of its own, with its own line.

Before 2026-12-01 these searches were read as abuse of an older or disabled adult and were
offered Hourglass, which is not for them. The phrasings are our own, written from how the
Modern Slavery & Exploitation Helpline (run by Unseen) describes the signs: made to work
for little or no pay, documents held by an employer, a debt for being brought here, not
free to leave, threats. None is taken from the benchmark sets.
"""

from __future__ import annotations

import pytest

from hub.crisis import CRISIS_KINDS, crisis_kinds, kind_label, urgent_lines_for
from hub.urgent import load_urgent_help
from tests.crisis_kinds import SLAVERY

HELPLINE = "modern-slavery-helpline"

SLAVERY_PHRASINGS: list[str] = [
    "my boss keeps my passport and i cant leave",
    "they make me work for no money",
    "someone is being trafficked",
    "i think the lads at the car wash are trafficked",
    "modern slavery helpline",
    "forced labour",
    "my employer took my passport when i started",
    "the agency holds our passports",
    "they brought me here and now i have to work to pay the debt",
    "i owe them money for bringing me to the uk and must work it off",
    "they lock us in at night after work",
    "my boss threatens to call immigration if i leave the job",
    "my cousin is made to work without wages",
    "i am a slave, they do not pay me",
]

LOOK_ALIKES: list[str] = [
    "slavery history talk",
    "work experience placement",
    "my passport expired",
    "renew my passport",
    "lost my passport",
    "passport photo at the library",
    "unpaid internship",
    "volunteering for free at the charity shop",
    "my boss didnt pay my wages on time",
    "employment tribunal advice",
    "black history month slavery exhibition",
    "i owe money and need a job to pay it off",
    "my daughter brought me here for the lunch club",
    "my boss makes me work weekends",
    "i locked my keys in the car at work",
]


@pytest.mark.parametrize("query", SLAVERY_PHRASINGS)
def test_forced_work_and_trafficking_have_their_own_kind(query: str) -> None:
    kinds = crisis_kinds(query)
    assert SLAVERY in kinds, query
    assert "adult-abuse" not in kinds, query


@pytest.mark.parametrize("query", LOOK_ALIKES)
def test_look_alikes_of_forced_work_raise_no_alarm(query: str) -> None:
    assert crisis_kinds(query) == frozenset(), query


def test_the_kind_is_known_and_named_for_staff() -> None:
    assert SLAVERY in CRISIS_KINDS
    assert kind_label(SLAVERY) != SLAVERY


def test_the_helpline_is_offered_with_999_first_for_danger_now() -> None:
    urgent = load_urgent_help(None)
    lines = urgent_lines_for({SLAVERY}, urgent)
    ids = [line.id for line in lines]
    # 999 first (someone in danger now), then the helpline, then the lines for everyone.
    assert ids[:2] == ["emergency-999", HELPLINE]
    helpline = lines[1]
    assert "0800 012 1700" in helpline.how
    assert helpline.kinds == [SLAVERY]
    assert helpline.source == "https://www.modernslaveryhelpline.org/"
    assert helpline.checked is None  # no internet here to confirm it: Needs checking lists it
    assert "hourglass" not in ids


def test_the_helpline_is_only_for_this_kind() -> None:
    urgent = load_urgent_help(None)
    for kind in CRISIS_KINDS:
        if kind != SLAVERY:
            assert HELPLINE not in [line.id for line in urgent_lines_for({kind}, urgent)], kind
