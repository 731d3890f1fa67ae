"""How people say a need reaches the service that meets it, through data/lay_vocabulary.json.

A small hand-made directory with one service per need, all in services' own words, and
questions in visitors' words that share no telling word with the service that answers them.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from hub.needs import load_needs
from hub.schedule import LONDON
from hub.search import SearchIndex
from tests.factories import named_service as make

NOW = datetime(2025, 12, 2, 11, 0, tzinfo=LONDON)

DIRECTORY = [
    make(
        "Crisis Café",
        "Open every evening for anyone in mental health distress, to help prevent them reaching"
        " a crisis point. Trained support workers.",
        needs=["urgent", "feeling-low"],
    ),
    make(
        "Talking Therapies",
        "Psychological therapy for depression, anxiety and stress. Self-referral.",
        needs=["feeling-low", "health"],
    ),
    make(
        "Grief Cafe",
        "A monthly cafe for people who are bereaved, to share memories and support each other.",
        needs=["feeling-low"],
    ),
    make(
        "Coffee Morning",
        "A friendly coffee morning at the village hall: tea, cake and a natter.",
        needs=["loneliness"],
    ),
    make(
        "Mental Capacity Advocacy",
        "Independent mental capacity advocacy (IMCA) for people who lack capacity to make"
        " important decisions: best interests and deprivation of liberty safeguards.",
        needs=["other-help"],
    ),
    make(
        "Children's Therapy Service",
        "Speech and language therapy and physiotherapy for children; development reviews.",
        needs=["families", "health"],
    ),
    make(
        "School Admissions",
        "Apply for a school place, or an in-year transfer when you move house.",
        needs=["families", "learning"],
    ),
    make(
        "Social Prescribing",
        "A link worker connects you with local groups and can accompany you to your first session.",
        needs=["loneliness"],
    ),
    make(
        "Football Club",
        "Football for all ages; junior and adult teams.",
        needs=["activities"],
    ),
    make(
        "Blind Society",
        "Life after vision loss: help for people with a visual impairment, and magnifiers.",
        needs=["health"],
    ),
    make(
        "Fraud Advice",
        "Fraudsters trick people into giving away cash or bank details. We help victims of"
        " fraud and cybercrime to report it.",
        needs=["safety", "money"],
    ),
    make(
        "Antenatal Workshops",
        "Antenatal workshops with the midwife: labour, birth and caring for your newborn.",
        needs=["families", "health"],
    ),
    make(
        "Day Service",
        "Day service provision for people living with dementia, older age or frailty.",
        needs=["older-people"],
    ),
    make(
        "Freedom Course",
        "A rolling programme for any woman who wishes to know more about domestic abuse and"
        " its effects upon children.",
        needs=["safety"],
    ),
    make(
        "Children's Helpline",
        "Free, private and confidential: you can talk about anything, online or on the phone.",
        needs=["families"],
    ),
    make(
        "Inclusion Health Nurses",
        "The inclusion health team visits the day centre twice a week: wound care, foot care"
        " and diabetes advice.",
        needs=["health"],
    ),
    make(
        "Community Shop",
        "A waste reduction shop open to everyone: fresh food and tins, ten points for £4."
        " Products may have short shelf dates.",
        needs=["food"],
    ),
]


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("im at the end of my tether", "Crisis Café"),
        ("everything is too much and im falling apart", "Crisis Café"),
        ("since my wife passed i dont know what to do with myself", "Grief Cafe"),
        ("somewhere to go after losing a loved one", "Grief Cafe"),
        ("my dad cant make decisions for himself now", "Mental Capacity Advocacy"),
        ("my grandson isnt talking yet", "Children's Therapy Service"),
        ("how do i get my daughter into school", "School Admissions"),
        ("someone to go with me because im nervous on my own", "Social Prescribing"),
        ("footy", "Football Club"),
        ("my vision is going and im scared", "Blind Society"),
        ("clicked a link in a dodgy text and they emptied my account", "Fraud Advice"),
        ("lost a spouse last spring", "Grief Cafe"),
        ("no one comes round to see me any more", "Coffee Morning"),
        ("expecting our first, what classes are there", "Antenatal Workshops"),
        ("a day centre for my nan", "Day Service"),
        ("my son hasnt spoken a word yet and hes two", "Children's Therapy Service"),
        ("was it abuse? my ex was controlling", "Freedom Course"),
        ("somewhere my daughter can talk in private, shes unhappy at home", "Children's Helpline"),
        ("a doctor for the homeless", "Inclusion Health Nurses"),
        ("where can i buy short dated food", "Community Shop"),
    ],
)
def test_lay_phrasing_reaches_the_service(query: str, wanted: str) -> None:
    index = SearchIndex.build(DIRECTORY, load_needs())
    found = [result.service.name for result in index.search(query, now=NOW)]
    assert found[0] == wanted, found


FOOD_BANK = make(
    "Food Bank",
    "Food parcels for an emergency, for people who are having a hard time. Crisis support"
    " with food and toiletries.",
    needs=["food"],
)


@pytest.mark.parametrize("query", ["in a dark place", "falling apart and cant cope anymore"])
def test_a_food_bank_for_people_having_a_hard_time_is_no_crisis_service(query: str) -> None:
    index = SearchIndex.build([*DIRECTORY, FOOD_BANK], load_needs())
    found = [result.service.name for result in index.search(query, now=NOW)]
    assert found[0] == "Crisis Café"
    assert "Food Bank" not in found
