"""What a search query says: its words, their roots, and the moment and ages it names.

Split out of hub.search (which re-exports `words`, `stem`, `is_searchable` and
`query_moment`): text is normalised and split by hub.text; stop words and empty words are
dropped; Snowball roots let "harming" find "harm"; "today", "tonight", "this week" name a
moment; "I'm 70" names an age group.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from typing import Literal

import snowballstemmer

from hub.models import Service
from hub.needs import normalise
from hub.search_weights import MIN_QUERY_LETTERS
from hub.text import letter_count, word_tokens

# --- words ---------------------------------------------------------------------------

_STOP_WORDS_TEXT = """
    a an the and or but if of to for from in on at by with about into onto over under
    is are was were be been being am im ive id ill i me my mine myself we us our you your
    he him his she her hers they them their it its this that these those there here
    what which who whom whose where when how why do does did doing done have has had
    can could would should will shall may might must some any all very so just also too
    please thanks thank hi hello get got getting need needs needed want wants wanted
    looking look find finding near nearby around local somewhere anything something
    now today tonight asap
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
"""Words that say nothing about which service: dropped from queries and the index.

Not here on purpose: "no", "not", "cant", "dont", "alone", "someone": they carry meaning
in phrases such as "not safe at home" or "someone to talk to". "Now", "today", "tonight"
are here: they say when (see `query_moment`), not which service; inside a phrase ("I need
help now") they still count."""

_EMPTY_WORDS_TEXT = """
    a an the and or of to for in on at by with i me my mine myself we us our you your
    he him his she her hers they them their it its this that these those is are was were
    be been being am im ive id ill so very please thanks thank hi hello
"""
EMPTY_WORDS = frozenset(_EMPTY_WORDS_TEXT.split())
"""Stop words that mean nothing even inside a phrase. The other stop words are no search
terms of their own, but they do tell phrases apart: "want to die" is not "die", and
"end it all" is not "end"."""

_VAGUE_WORDS_TEXT = """
    cant dont wont isnt aint doesnt didnt havent hasnt couldnt wouldnt no not never nobody
    nothing someone somebody anyone anybody everyone everybody
"""
VAGUE_WORDS = frozenset(_VAGUE_WORDS_TEXT.split())
"""Words that point to no need on their own, though they are no stop words either."""

_SAME_AS = {
    "cannot": "cant",
    "couldnt": "cant",
    "unable": "cant",
    "wouldnt": "wont",
    "doesnt": "dont",
    "didnt": "dont",
    "wasnt": "isnt",
    "aint": "isnt",
    "anybody": "anyone",
    "somebody": "someone",
    "everybody": "everyone",
}
"""Words said another way: in a need's phrase, "couldn't get up" is "can't get up" and
"don't know anybody" is "don't know anyone"."""


# --- the moment a query speaks of ---------------------------------------------------

Moment = Literal["now", "today", "week"]
"""When the visitor wants the help: "now" (right now), "today" (today, tonight), "week"."""

_MOMENT_WORDS: dict[str, Moment] = {
    "now": "now",
    "asap": "now",
    "today": "today",
    "tonight": "today",
}
_MOMENT_PAIRS: dict[tuple[str, str], Moment] = {
    ("right", "now"): "now",
    ("this", "morning"): "today",
    ("this", "afternoon"): "today",
    ("this", "evening"): "today",
    ("this", "week"): "week",
}
_MOMENT_URGENCY: dict[Moment, int] = {"now": 0, "today": 1, "week": 2}
# How much a service counts when the query names a moment, by when it next runs
# (_soonness: 0 open now, 1 later today, 2 within a week, 3 later, 4 times not known).
# Times not known sit between: the service may well be open ("phone first").
MOMENT_FACTORS: dict[Moment, tuple[float, float, float, float, float]] = {
    "now": (1.0, 0.85, 0.35, 0.3, 0.5),
    "today": (1.0, 1.0, 0.35, 0.3, 0.5),
    "week": (1.0, 1.0, 1.0, 0.4, 0.6),
}
REFERRAL_FACTORS: dict[Moment, float] = {"now": 0.3, "today": 0.3, "week": 0.6}
"""When the query names a moment, a service that needs a referral (a food bank's voucher)
counts this much: a visitor who needs food today cannot wait for one, and a drop-in can.
Strong on purpose: when the visitor says "today", being there today is part of the answer,
so the free meal open today comes before a better-worded food bank that wants a voucher."""
MOMENT_RERANK = 100
"""With a moment, this many of the best matches (or 4 x the limit) are put in order of when
they run; the moment only ever lowers a score, so one further down cannot rise above them."""
OUT_OF_SEASON_FACTOR = 0.4
"""A seasonal service outside its dates today (a summer holiday club in December) counts
this much, and its Result says `not_running_now`."""


def query_moment(query: str) -> Moment | None:
    """Return the moment a query speaks of ("food today" -> "today"), or None.

    "now", "right now" and "asap" -> "now"; "today", "tonight", "this morning / afternoon /
    evening" -> "today"; "this week" -> "week". With several, the most urgent wins. These
    words are no search words: "today" never finds a service because its text says "today".
    """
    tokens = word_tokens(normalise(query))
    found: Moment | None = None
    for place, token in enumerate(tokens):
        moment = _MOMENT_PAIRS.get((tokens[place - 1], token)) if place else None
        moment = moment or _MOMENT_WORDS.get(token)
        if moment is not None and (
            found is None or _MOMENT_URGENCY[moment] < _MOMENT_URGENCY[found]
        ):
            found = moment
    return found


ONLY_FOR_WORDS = ("women", "men")
"""The groups a service may say it is for only (hub.search_parts._says_only_for)."""
_ASKED_FOR = {
    "women": frozenset({"women", "woman", "womens", "female", "females", "ladies", "lady"}),
    "men": frozenset(
        {"men", "man", "mens", "male", "males", "lad", "lads", "bloke", "blokes", "gent", "gents"}
        | {"guy", "fella", "fellow"}
    ),
}
ONLY_FOR_OTHERS_FACTOR = 0.3
"""A service for women only counts this much when the query says it is for a man ("is
there anything for men", "I'm a man"), and one for men only when it says a woman: it
cannot take them, however well its words match."""


_OWNERS = frozenset({"my", "our", "his", "her", "their", "your"})


def query_asked_for(query: str) -> str:
    """Return "women" or "men" when the query says who the help is for by sex ("support for
    men", "a safe place for women", "im a bloke"), else "" (also when it says both: "men and
    women"). A word for someone else ("my fella", "my sister's bloke") says nothing of the
    asker: a woman whose fella hits her is asking for herself."""
    tokens = word_tokens(normalise(query))
    asking = {
        token
        for place, token in enumerate(tokens)
        if not _OWNERS.intersection(tokens[max(0, place - 2) : place])
    }
    said = [group for group, words in _ASKED_FOR.items() if asking & words]
    return said[0] if len(said) == 1 else ""


_AGE_BEFORE = frozenset({"im", "am", "aged", "age", "is", "hes", "shes"})
_AGE_AFTER = frozenset({"yo", "yrs", "years", "year"})
OLDER_AGE = 60
"""From this age a visitor saying "I'm 80" is asking as an older person."""
ADULT_AGE = 18


def _age_groups(tokens: Sequence[str]) -> dict[int, str]:
    """Return the places of ages in the query with the relation group they make the asker
    ("im 80" -> elder, "im 14" -> child); an age says who, like "my nan", not what."""
    found: dict[int, str] = {}
    for place, token in enumerate(tokens):
        if not token.isdigit() or len(token) > 3:
            continue
        before = place > 0 and tokens[place - 1] in _AGE_BEFORE
        after = place + 1 < len(tokens) and tokens[place + 1] in _AGE_AFTER
        if not (before or after):
            continue
        age = int(token)
        if OLDER_AGE <= age <= 120:
            found[place] = "elder"
        elif 0 < age < ADULT_AGE:
            found[place] = "child"
    return found


_SELF_BEFORE = frozenset({"im", "am", "as"})
SEX_WORDS = frozenset(
    {"man", "woman", "bloke", "guy", "fella", "fellow", "lad", "lady", "gent", "male", "female"}
)
"""Words for a visitor's sex: after "I'm a" they say who is asking, as an age does."""


def _self_described(tokens: Sequence[str]) -> set[int]:
    """Return the places of words by which the asker says who they are: "man" in "I'm a
    man", "bloke" in "as a bloke". Like "my nan" or "I'm 80" they say who the help is for,
    not what is asked: a man whose wife hits him is not looking for a men's group (whether
    a women-only service can take him is `query_asked_for`'s part)."""
    found: set[int] = set()
    for place, token in enumerate(tokens):
        if token not in SEX_WORDS or place == 0:
            continue
        before = place - 1
        if tokens[before] == "a" and before > 0:
            before -= 1
        if tokens[before] in _SELF_BEFORE:
            found.add(place)
    return found


_PLACE_BEFORE = frozenset({"in", "at", "around", "round", "about", "inside", "indoors"})
_PLACE_ARTICLES = frozenset({"the", "my", "our", "your", "his", "her", "their", "a"})
HOME_WORDS = frozenset({"house", "home", "flat", "bungalow", "bathroom"})
"""Words for where someone lives: alone in a query they may be what is asked ("house"), but
inside a phrase they set the scene, so they never say a phrase's meaning by themselves."""


def _home_places(tokens: Sequence[str]) -> set[int]:
    """Return the places of home words that say where, not what: "house" in "help around
    the house", "home" in "struggling at home". There they set the scene of the need (care,
    equipment, warmth); they are not a housing question, and no service is wanted for
    saying "house". A phrase that holds one ("cold house", "help at home") still counts.
    A garden or a kitchen is not here: "help in the garden" asks for gardening."""
    found: set[int] = set()
    for place, token in enumerate(tokens):
        if token not in HOME_WORDS or place == 0:
            continue
        before = place - 1
        if tokens[before] in _PLACE_ARTICLES and before > 0:
            before -= 1
        if tokens[before] in _PLACE_BEFORE:
            found.add(place)
    return found


def _moment_places(tokens: Sequence[str]) -> set[int]:
    """Return the places of the second words of "this week", "this evening"...: times."""
    return {
        place
        for place in range(1, len(tokens))
        if (tokens[place - 1], tokens[place]) in _MOMENT_PAIRS
    }


def _season_windows(service: Service) -> tuple[tuple[int, int], ...] | None:
    """Return the date windows (as ordinals) a seasonal service runs in, or None.

    A service is seasonal when every one of its schedules has a start or end date (a
    summer club, a winter warm space); one with any open-ended schedule runs all year.
    """
    if not service.schedules:
        return None
    windows: list[tuple[int, int]] = []
    for schedule in service.schedules:
        if schedule.valid_from is None and schedule.valid_to is None:
            return None
        windows.append(
            (
                schedule.valid_from.toordinal() if schedule.valid_from else 0,
                schedule.valid_to.toordinal() if schedule.valid_to else 10**7,
            )
        )
    return tuple(windows)


def stem(word: str) -> str:
    """Return a word without its plural ending: "carers" -> "carer", "activities" -> "activity".

    Deliberately timid: only plurals, so no two different words are ever merged by accident
    (a fuller stemmer turns "parenting" and "parents" into "parent", but also "organ" and
    "organisation" into the same thing).
    """
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_STEMMER_LOCK = threading.Lock()
_STEMMER = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65_536)
def _root(word: str) -> str:
    """Return the Snowball (Porter2) stem shared by forms of a word: "harming" -> "harm".

    Used only to find *other* forms the directory or the needs use for a query word the
    directory does not contain ("evicted" finds "eviction", "harming" finds "harm"),
    never to merge words in the index, so an over-eager stem costs little. Words of other
    scripts are their own root.
    """
    if not word.isascii():
        return word
    with _STEMMER_LOCK:  # the stemmer keeps state while it works: one word at a time
        return str(_STEMMER.stemWord(word))


def words(text: str) -> list[str]:
    """Return the text's meaningful words, normalised and stemmed, in order."""
    return [stem(word) for word in word_tokens(normalise(text)) if word not in STOP_WORDS]


def is_searchable(query: str) -> bool:
    """Return True when the query has enough letters to search with (three or more).

    Letters of any script count, so a query in Gujarati or Arabic that finds nothing is
    logged as unmet like any other; a Chinese or Japanese character counts as two.
    """
    return letter_count(query) >= MIN_QUERY_LETTERS and bool(words(query))


def _correction_cutoff(length: int) -> float:
    """Return the least rapidfuzz ratio a correction needs for a word this long.

    `fuzz.ratio` is 100 * (1 - edits/total letters) with swaps counting double, so one
    slip in an n-letter word scores about 100 * (n-1)/n. Short words allow one slip, and
    words of eight letters or more allow two.
    """
    slips = 2 if length >= 8 else 1
    return max(75.0, 100.0 * (length - slips) / length) - 0.01
