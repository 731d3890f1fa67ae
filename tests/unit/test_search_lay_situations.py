"""A visitor describing their situation reaches the service for it, not one that shares a word.

People at a kiosk say what is happening ("my 12 year old does everything for me", "my
brother is disabled and nobody thinks about me growing up", "just moved here and dont know
anybody") rather than what the service is called. Each question below is beside a service
that shares one of its words but not its meaning (a gardening club for "growing", an ESOL
class for "moved", a crisis line for "cant ... anymore"), so the test shows the meaning won.
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
        "Young Carers Team",
        "Support for young carers: children under 18 who help look after someone in their"
        " family with an illness or disability.",
        needs=["carers", "families"],
    ),
    make(
        "Sibs",
        "Support for brothers and sisters of disabled children and adults.",
        needs=["carers", "families"],
    ),
    make(
        "Allotment Gardening Group",
        "Growing fruit and vegetables together on the allotment; all welcome.",
        needs=["activities"],
    ),
    make(
        "ESOL for Beginners",
        "English classes for refugees and people new to the country.",
        needs=["language", "learning"],
    ),
    make(
        "Crossword and a Cuppa",
        "A friendly get together with a cuppa and a crossword: come and make new friends.",
        needs=["loneliness"],
    ),
    make(
        "Crisis Text Line",
        "A 24/7 text line for anyone in crisis.",
        needs=["urgent", "feeling-low"],
    ),
    make(
        "Supported Lodgings",
        "A room with a caring household for young people aged 16 to 24 who cannot return to the"
        " family home.",
        needs=["housing", "families"],
    ),
    make(
        "Children's Helpline",
        "Free and confidential for children and young people: talk about anything, including"
        " bullying, online or on the phone.",
        needs=["families"],
    ),
    make(
        "Junior Parkrun",
        "A free 2k run at the park for children every Sunday morning.",
        needs=["families", "activities"],
    ),
    make(
        "Alcohol and Drug Service",
        "Free, confidential help with alcohol and drugs: cut down or stop, at your pace.",
        needs=["health"],
    ),
    make(
        "Wine Tasting Evening",
        "An evening of wine tasting every night of the festival.",
        needs=["activities"],
    ),
]


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        # a child who cares for a parent, said by the parent
        ("my 12 year old does everything for me since i got ill", "Young Carers Team"),
        ("my son has to look after me since my operation", "Young Carers Team"),
        ("my daughter does the cooking and cleaning because im poorly", "Young Carers Team"),
        # growing up beside a disabled brother or sister is no gardening
        ("growing up with a disabled sister", "Sibs"),
        ("my brother has special needs and gets all the attention", "Sibs"),
        # a new town, not a new country
        ("just moved to the area and dont know anybody", "Crossword and a Cuppa"),
        ("new in town, dont know a soul", "Crossword and a Cuppa"),
        # a young person who cannot stay at home is a housing question, not a crisis line's
        ("my 17 year old cant live at home anymore", "Supported Lodgings"),
        ("my dad kicked me out, im 17", "Supported Lodgings"),
        # being picked on is bullying
        ("my grandson is being picked on at school", "Children's Helpline"),
        # worry about drinking
        ("worried about how much i drink every night", "Alcohol and Drug Service"),
        ("i think my husband drinks too much", "Alcohol and Drug Service"),
    ],
)
def test_a_situation_reaches_the_service_for_it(query: str, wanted: str) -> None:
    index = SearchIndex.build(DIRECTORY, load_needs())
    found = [result.service.name for result in index.search(query, now=NOW)]
    assert found and found[0] == wanted, found


def test_moving_from_abroad_still_reaches_english_classes() -> None:
    index = SearchIndex.build(DIRECTORY, load_needs())
    found = [result.service.name for result in index.search("just moved to the uk", now=NOW)]
    assert found[0] == "ESOL for Beginners", found


def test_anybody_is_read_as_anyone_inside_a_phrase() -> None:
    index = SearchIndex.build(DIRECTORY, load_needs())
    said = {
        query: [r.service.name for r in index.search(query, now=NOW)][:1]
        for query in ("i dont know anybody here", "i dont know anyone here")
    }
    assert said["i dont know anybody here"] == said["i dont know anyone here"]
    assert said["i dont know anybody here"] == ["Crossword and a Cuppa"]


CRAFTS = [
    make("Art Club", "Painting, drawing and crafts for adults every week.", needs=["activities"]),
    make("Knit and Natter", "Bring your knitting or crochet, have a cuppa.", needs=["activities"]),
    make(
        "ESOL Embroidery",
        "An embroidery class for ESOL learners, to practise their English.",
        needs=["learning", "language"],
    ),
]


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("knitting", "Knit and Natter"),
        ("where can i join a knitting group", "Knit and Natter"),
        ("a crochet group", "Knit and Natter"),
        ("embroidery and english practice", "ESOL Embroidery"),
        ("painting class", "Art Club"),
    ],
)
def test_a_named_craft_beats_the_broad_kind(query: str, wanted: str) -> None:
    # Knitting is needlework: an art club that paints is the same broad kind of activity,
    # but not what was asked, so it must not outrank the knitting group.
    index = SearchIndex.build(CRAFTS, load_needs())
    found = [result.service.name for result in index.search(query, now=NOW)]
    assert found and found[0] == wanted, found


ABUSE = [
    make(
        "Seated Exercise",
        "A seated exercise class for stroke survivors; come and get moving again.",
        needs=["health", "activities"],
    ),
    make(
        "Family Helpline",
        "Support for families facing money worries, mental health problems or domestic abuse."
        " We are here to provide a listening ear by telephone, text or email.",
        needs=["families", "safety"],
    ),
    make(
        "Abuse Survivors Counselling",
        "One to one counselling for survivors of abuse.",
        needs=["feeling-low"],
    ),
]


def test_stroke_survivors_are_not_survivors_of_abuse() -> None:
    # "survivors" alone says nothing of abuse: only "survivors of abuse" does.
    index = SearchIndex.build(ABUSE, load_needs())
    found = [result.service.name for result in index.search("husband hits me", now=NOW)]
    assert "Seated Exercise" not in found
    assert found[0] in ("Family Helpline", "Abuse Survivors Counselling"), found


def test_who_do_i_tell_asks_for_someone_to_listen() -> None:
    # A man whose wife hits him asks "who do i tell": a line that listens, and names domestic
    # abuse, answers before a counsellor he has to book (both are acceptable answers).
    index = SearchIndex.build(ABUSE, load_needs())
    query = "my wife hits me and i am a man, who do i tell"
    found = [result.service.name for result in index.search(query, now=NOW)]
    assert found[0] == "Family Helpline", found


COUNSELLING = [
    make(
        "Jane Smith Counselling",
        "Person centred counselling for anxiety, depression and stress. Book a session.",
        needs=["feeling-low"],
    ),
    make(
        "NHS Talking Therapies",
        "Talking therapies for anxiety, depression and stress. Refer yourself online.",
        needs=["feeling-low"],
    ),
    make("Warm Space", "A free warm space with tea and coffee.", needs=["loneliness"]),
]


def test_free_lifts_the_nhs_service_above_a_private_counsellor() -> None:
    # "Free" is what the visitor needs to know; a service that says it is NHS is free to
    # them, where a private counsellor (who says nothing of cost) may not be. Without "free"
    # the counsellor, whose name says "counselling", comes first; with it, the NHS service.
    index = SearchIndex.build(COUNSELLING, load_needs())

    def names(query: str) -> list[str]:
        return [result.service.name for result in index.search(query, now=NOW)]

    assert names("counselling")[0] == "Jane Smith Counselling"
    for query in ("free counselling", "counselling on the nhs", "counselling for free"):
        found = names(query)
        assert found[0] == "NHS Talking Therapies", (query, found)
        assert "Warm Space" not in found[:2]


HOUSING = [
    make(
        "Home Care",
        "Care at home for older people who need help with washing, dressing and meals.",
        needs=["older-people", "health"],
    ),
    make(
        "Housing Advice",
        "Housing advice for tenants, landlords and homeowners: tenancy problems, eviction and"
        " the housing register.",
        needs=["housing"],
    ),
    make(
        "Parish Council", "Your local town council: meetings and allotments.", needs=["other-help"]
    ),
    make("Victor House", "A safe hub open seven days a week: hot drinks and food.", needs=["food"]),
    make(
        "Repair Cafe",
        "Bring your broken toaster or lamp and we fix it together.",
        needs=["activities"],
    ),
]


@pytest.mark.parametrize(
    "query",
    [
        "need a council flat",
        "how do i get rehoused",
        "got a letter saying i have to leave my house",
        "boiler broken and the landlord ignores me",
        "we have mice in the flat",
        "our house is overcrowded",
        "housing association wont do the repairs",
    ],
)
def test_a_home_problem_reaches_housing_advice(query: str) -> None:
    # Not the town council for "council", a place named "House" for "house", nor the repair
    # cafe for "repairs": these are questions about a tenancy.
    index = SearchIndex.build(HOUSING, load_needs())
    found = [result.service.name for result in index.search(query, now=NOW)]
    assert found and found[0] == "Housing Advice", found


EVERYDAY = [
    make(
        "Coffee Morning",
        "A friendly coffee morning: tea, cake and a natter. Make new friends.",
        needs=["loneliness"],
    ),
    make(
        "Talking Therapies",
        "Talking therapies for low mood, depression and anxiety.",
        needs=["feeling-low"],
    ),
    make(
        "Adult Safeguarding",
        "Raise a concern about an adult at risk: neglect, financial abuse or mistreatment.",
        needs=["safety", "older-people"],
    ),
    make(
        "Women's Freedom Programme",
        "A programme for women only, about domestic abuse and abusive relationships.",
        needs=["safety"],
    ),
    make("Bed Shop", "Beds, mattresses and bedding; free delivery.", needs=["other-help"]),
    make("Pensions Service", "Check your state pension and pension credit.", needs=["money"]),
]


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        # company: days without talking to anyone
        ("i dont talk to anyone all week", "Coffee Morning"),
        ("my mum sits alone all day", "Coffee Morning"),
        ("feel cut off from everyone", "Coffee Morning"),
        # low mood said as what it does to a day
        ("cant get out of bed most days", "Talking Therapies"),
        ("lost interest in everything", "Talking Therapies"),
        # an older person mistreated, by family or by carers
        ("my daughter takes my pension", "Adult Safeguarding"),
        ("carers at the home shout at my dad", "Adult Safeguarding"),
        ("i think my grandad is being abused", "Adult Safeguarding"),
        ("old man next door never gets fed", "Adult Safeguarding"),
    ],
)
def test_everyday_words_for_company_low_mood_and_an_older_person_mistreated(
    query: str, wanted: str
) -> None:
    index = SearchIndex.build(EVERYDAY, load_needs())
    found = [result.service.name for result in index.search(query, now=NOW)]
    assert found and found[0] == wanted, found


FOOTBALL = [
    make(
        "Town Football Club",
        "Football club for all ages; junior and adult teams play every Saturday.",
        needs=["activities"],
    ),
    make(
        "Football Integration",
        "Uses football to connect with people who are resettling here: refugees and newcomers.",
        needs=["language"],
    ),
    make("Tennis Club", "Tennis for all ages.", needs=["activities"]),
]


def test_a_newcomer_wanting_football_finds_the_football_for_newcomers() -> None:
    # "football" said in a newcomers' service's text is football too, not only a sport.
    index = SearchIndex.build(FOOTBALL, load_needs())
    query = "new to england, i like play football with other people"
    found = [result.service.name for result in index.search(query, now=NOW)]
    assert found[0] == "Football Integration", found
    assert [r.service.name for r in index.search("football", now=NOW)][:2] == [
        "Town Football Club",
        "Football Integration",
    ]


def test_caring_24_7_is_about_caring_not_a_crisis_line() -> None:
    # "24/7" says how much a carer cares here; a 24/7 crisis line is not what was asked.
    directory = [
        make("Crisis Text Line", "A free 24/7 text line for anyone in crisis.", needs=["urgent"]),
        make(
            "Carers Respite",
            "Respite is a way for carers to take a break from caring.",
            needs=["carers"],
        ),
    ]
    index = SearchIndex.build(directory, load_needs())
    for query in ("i look after my husband 24/7 and i need a break", "i care for my mum 24 7"):
        found = [result.service.name for result in index.search(query, now=NOW)]
        assert found[0] == "Carers Respite", (query, found)


def test_hobbies_for_retired_men_reaches_a_mens_group() -> None:
    # Hobbies, retired and men together: a men's shed, not a hobbies group for anyone.
    directory = [
        make(
            "Hobbies Group",
            "Hobbies and interests for all: crafts, games and chat.",
            needs=["activities"],
        ),
        make(
            "Men in Sheds",
            "A men in sheds workshop: make and mend things, have a brew and a chat.",
            needs=["activities", "loneliness"],
        ),
        make("Coffee Morning", "A coffee morning for older people.", needs=["older-people"]),
    ]
    index = SearchIndex.build(directory, load_needs())
    for query in ("hobbies for retired men", "something for older men"):
        found = [result.service.name for result in index.search(query, now=NOW)]
        assert found[0] == "Men in Sheds", (query, found)


def test_little_english_about_not_wanting_to_live_reaches_a_crisis_line() -> None:
    directory = [
        make(
            "Crisis Text Line",
            "Text us 24/7 if you are having suicidal thoughts.",
            needs=["urgent"],
        ),
        make("Live Music Night", "Live music every Friday; come and listen.", needs=["activities"]),
        make("Walk and Talk", "A monthly walk and talk for anyone.", needs=["activities"]),
    ]
    index = SearchIndex.build(directory, load_needs())
    for query in ("no want live. who i talk now", "i dont want to live anymore"):
        found = [result.service.name for result in index.search(query, now=NOW)]
        assert found[0] == "Crisis Text Line", (query, found)


def test_one_common_word_of_a_phrase_does_not_say_its_meaning() -> None:
    # "picked on" is bullying, but "fruit picking" is not.
    directory = [
        make(
            "Children's Helpline",
            "Talk to us about anything, including bullying.",
            needs=["families"],
        ),
        make(
            "Fruit Farm",
            "Pick your own strawberries all summer.",
            needs=["activities"],
        ),
    ]
    index = SearchIndex.build(directory, load_needs())

    def first(query: str) -> str:
        return next(result.service.name for result in index.search(query, now=NOW))

    assert first("fruit picking") == "Fruit Farm"
    assert first("my son is picked on at school") == "Children's Helpline"


def test_housing_related_support_offers_help_to_keep_a_home() -> None:
    # A service whose own words are "housing related support ... maintain a stable home"
    # offers help with a tenancy, whatever need it is tagged with.
    directory = [
        *HOUSING,
        make(
            "Council Support Team",
            "Housing related support helps people to maintain a stable home and build"
            " independent living skills.",
            needs=["other-help"],
        ),
    ]
    index = SearchIndex.build(directory, load_needs())
    for query in ("help to keep my tenancy", "help to keep my home"):
        found = [result.service.name for result in index.search(query, now=NOW)]
        assert "Council Support Team" in found[:2], (query, found)


def test_cant_pay_the_rent_is_not_a_search_for_free_things() -> None:
    # "Free" is a topic of its own; "can't pay" is about money owed, not something free.
    directory = [
        make("Rent Arrears Advice", "Advice on rent arrears and tenancy.", needs=["housing"]),
        make("Free Film Club", "A free film every week: free tea too.", needs=["activities"]),
    ]
    index = SearchIndex.build(directory, load_needs())
    found = [result.service.name for result in index.search("cant pay my rent", now=NOW)]
    assert found == ["Rent Arrears Advice"], found


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("electric on the meter has run out", "Warm Homes Advice"),
        ("no credit on the meter and its freezing", "Warm Homes Advice"),
        ("bills piling up", "Money Advice"),
        ("need a grant for a cooker", "Money Advice"),
    ],
)
def test_money_said_as_what_has_run_out(query: str, wanted: str) -> None:
    directory = [
        make("Warm Homes Advice", "Help with energy bills and fuel poverty.", needs=["money"]),
        make(
            "Money Advice",
            "Money advice and hardship grants for people on a low income.",
            needs=["money"],
        ),
        make("Cookery Class", "Learn to cook healthy meals on a cooker at home.", needs=["food"]),
        make("Running Club", "Running for all abilities; meet at the park.", needs=["activities"]),
    ]
    index = SearchIndex.build(directory, load_needs())
    found = [result.service.name for result in index.search(query, now=NOW)]
    assert found and found[0] == wanted, found


SELF = [
    make(
        "Women's Freedom Programme",
        "A programme for women only, about domestic abuse and abusive relationships.",
        needs=["safety"],
    ),
    make(
        "Family Helpline",
        "Support by phone for families facing domestic abuse, money worries or mental health"
        " problems.",
        needs=["families", "safety"],
    ),
    make(
        "Men in Sheds",
        "A men's shed: make things, have a brew with other blokes.",
        needs=["loneliness"],
    ),
]


@pytest.mark.parametrize(
    "query", ["my girlfriend hits me, im a bloke", "my wife hits me and i am a man"]
)
def test_a_man_saying_who_he_is_asks_about_abuse_not_for_a_mens_group(query: str) -> None:
    # "im a bloke" says who is asking: the help is for domestic abuse, and the programme for
    # women only cannot take him.
    index = SearchIndex.build(SELF, load_needs())
    found = [result.service.name for result in index.search(query, now=NOW)]
    assert found[0] == "Family Helpline", found
    assert found.index("Women's Freedom Programme") > 0


def test_a_woman_speaking_of_her_fella_is_not_asking_as_a_man() -> None:
    index = SearchIndex.build(SELF, load_needs())
    found = [result.service.name for result in index.search("my fella hits me", now=NOW)]
    assert found[0] == "Women's Freedom Programme", found
    assert "Men in Sheds" not in found[:2]
