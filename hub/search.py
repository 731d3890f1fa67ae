"""Finding services: the search index, ranking, filters and browse-by-need.

Visitors type the way they talk ("cant pay my rent", "my nan keeps falling", "councelling",
"żłobek", "ખોરાક") and staff type fragments of names, on every keystroke, on a cheap PC. So:

* The index is built once from the directory (`SearchIndex.build`) and rebuilt only when
  the directory changes (`IndexCache`, keyed by the store's `directory_version`).
* Words are whole words in any script: text is normalised and split by hub.text (case,
  accents, letters such as ł and ß, apostrophes; Indic vowel signs kept), and a query word
  matches only an equal word, so "rent" never finds "parent". Exceptions: the word being
  typed last may be the start of a longer word ("counsel" finds "counselling") once it has
  four letters; and a word the directory does not use finds its other forms ("harming"
  finds "harm", by its Snowball root).
* A misspelt word is corrected against the index's own vocabulary with rapidfuzz's plain
  `ratio`, one word at a time, with a cut-off that allows about one slip per six letters;
  but a real English word (data/english_words.txt) is never corrected into another word.
  Whole descriptions are never fuzzy-scored: that is slow and drowns real hits in noise.
* Meaning comes from the needs' synonyms (data/needs.json) and the lay vocabulary
  (data/lay_vocabulary.json: topics such as sight loss, falls or debt, with what people say
  and what services say). A query's phrases are evidence for needs and topics, added up
  across the query; a topic counts for the services whose own words offer it, a need for
  the services that meet it. "My nan", "my son" say who the help is for, not what the
  service is called.
* Ranking weighs where a word is found: name, then keywords, then needs, then description,
  then organisation; rarer words count for more (an IDF weight), very common words that
  say no need count little, and a long keyword list or description counts less for each
  thing in it (BM25's length normalisation). Above all, a service that covers more of the
  query's meaning beats one that matches one word very well: coverage is the share of the
  query's words (each weighted by how rare, so by how telling, it is) that the service
  answers by its own words, by a topic its words offer, or by a need the query says; a
  need reached only through a finer topic counts broadly (BROAD_COVER). So a name word is
  a strong boost, not the whole answer ("Outdoor Bowls" no longer beats the conservation
  volunteers for "volunteering outdoors"). Ties go by name, then id, so the order never
  changes between runs.

Searching is pure: it reads the index and the clock it is given, and writes nothing.
Callers log searches that found nothing (hub.unmet).
"""

from __future__ import annotations

import bisect
import functools
import heapq
import math
import re
import threading
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import Literal, Protocol

import snowballstemmer
from rapidfuzz import fuzz, process

from hub.lay_vocabulary import ANYONE, LayVocabulary, load_lay_vocabulary
from hub.models import Need, Service, Status
from hub.needs import normalise
from hub.schedule import LONDON, Session, Timetable, timetable
from hub.text import is_common_word, is_real_word, letter_count, word_tokens

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
}
"""Negations said another way: in a need's phrase, "couldn't get up" is "can't get up"."""

MIN_QUERY_LETTERS = 3
"""A query with fewer letters and digits than this returns nothing (one or two keystrokes)."""

PREFIX_MIN_LENGTH = 4
"""The word being typed matches longer words only from this length ("coun" is too vague)."""

MAX_PREFIX_EXPANSIONS = 25
# How sure we are that a query word stands for an index word, when it is not that word.
FORM_CONFIDENCE = 0.85  # another form of the same word, or half of a run-together pair
CORRECTION_CONFIDENCE = 0.85  # a spelling correction
PREFIX_CONFIDENCE = 0.75  # the start of a longer word, while typing
KNOWN_PREFIX_CONFIDENCE = 0.35  # a longer word, when what was typed is a word already
TEMPORARILY_CLOSED_FACTOR = 0.9
"""A service closed for now still shows, a little lower than open ones."""

# How much a word counts, by where it is found. Name beats keywords beats needs beats
# description beats organisation (the order); areas and places sit with description.
FIELD_WEIGHTS = {
    "name": 6.0,
    "keywords": 6.0,
    "description": 2.0,
    "place": 2.0,
    "organisation": 1.5,
}
KEYWORDS_PAR = 3.0
"""Up to this many keywords, each counts fully; a longer list counts sqrt(par / length)."""
DESCRIPTION_PAR = 150.0
"""Up to this many words, a description counts fully; a longer one (par / length) ** damping."""
DESCRIPTION_DAMPING = 0.5
RELATIVE_FLOOR = 0.08
"""Matches scoring under this share of the best match are dropped."""
NEED_WEIGHT = 4.0
"""A need matched by the query's phrasing counts like a word found between keywords and
description, scaled by how specific the matched phrase was."""
TOPIC_WEIGHT = 4.0
"""A topic of the lay vocabulary (sight loss, falls, debt...) counts as a need does, for the
services whose own words offer it."""
TOPIC_NEED_SHARE = 0.5
"""A topic is also evidence, at this share, for the needs it belongs to."""
EXTRA_PHRASE_SHARE = 0.5
"""A second phrase of the same need or topic, made of other words of the query, adds this
share of its strength: "my dad passed away, grieving" is surer than either half."""
HINT_STRENGTH = 1.0
"""How much "my son" or "my nan" hints at the needs of its relation group."""
CONTEXT_FACTOR = 0.2
"""A relation word after "my", "our", "his"... ("my nan") says who the help is for, not
what the service is called: as a word of a service's text it counts this much, and it is
not one of the words a service must match."""
COMMON_WORD_FACTOR = 0.35
"""A very common word that says no need or topic of the query ("stop" in "my baby won't
stop crying", "live" in "I live on my own") counts this much as a word of a service's text:
it is how the visitor talks, not what they look for. Alone in a query it still finds."""
PHRASE_IDF_FLOOR = 3.0
"""Inside a need's or topic's phrase, a word counts at least this much however common it is
in the directory: "care" in "I care for my husband" says carer however many services say
"care"."""
BREADTH = 0.15
"""A service that lists many needs is less about each: its needs count 1/(1 + 0.15 x (needs
- 1)), so a generalist does not top every list."""
PLACEHOLDER_WEIGHT = 0.5
"""How much a {someone} slot counts towards its phrase (its word decides little)."""
COVER_BASE = 0.35
"""A service that covers none of the query's words (only a need of it, say) keeps this share
of its score; one that covers them all keeps all of it, and in between in proportion."""
BROAD_COVER = 0.3
"""A query word that a service answers only through a need it is tagged with (not its own
words, nor a topic its words offer) counts this much towards how much of the query it covers:
a need is broad ("learning" is also a volunteering topic's need, and a bowls club's)."""
TOPIC_PREFIX = "topic:"
POSSESSIVES = frozenset({"my", "our", "his", "her", "their", "your"})
# How surely a service offers a topic, by where its text says one of the topic's phrases.
TOPIC_FIELD_STRENGTH = {
    "name": 1.0,
    "keywords": 0.9,
    "lead": 0.8,
    "description": 0.5,
    "organisation": 0.4,
}
LEAD_WORDS = 30
LISTED_BY_TOPIC_STRENGTH = 0.9
"""How surely a service's own words must offer a topic (its name or keywords) for it to be
listed under the topic's main need too, as search finds it: a dementia carers' group tagged
only "carers" still shows under Memory and dementia. A phrase deep in a description is
too weak a sign to list a service under a whole need."""
"""The first words of a description say what the service is for; the rest says more."""


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


# --- filters and results -------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a visitor or worker has narrowed the list to. Every field is optional.

    `area` keeps services in that neighbourhood or borough-wide ones (which serve it too),
    and in browse puts the local ones first. `language` keeps services that say they work
    in it (English is assumed when a service names no language). `age` keeps services
    whose age limits allow it.
    """

    need: str | None = None
    area: str | None = None
    open_now: bool = False
    open_today: bool = False
    free_only: bool = False
    drop_in_only: bool = False
    language: str | None = None
    age: int | None = None


NO_FILTERS = Filters()

BOROUGH_WIDE = "borough wide"
"""The normalised area name of services that serve the whole borough."""


@dataclass(frozen=True)
class Result:
    """One service found, with its score and the needs the query matched it through."""

    service: Service
    score: float
    matched_needs: tuple[str, ...] = ()
    timetable: Timetable = field(repr=False, compare=False, default_factory=lambda: Timetable(()))
    not_running_now: bool = False
    """True for a seasonal service outside its dates today (a summer club in December)."""

    def next_session(self, now: datetime) -> Session | None:
        """Return the service's session running now or the next one (None when unknown)."""
        return self.timetable.next_session(now)


@dataclass(slots=True)
class _Entry:
    """What the index keeps about one listed service, worked out once at build time."""

    service: Service
    name_key: str
    needs: frozenset[str]
    need_places: dict[str, int]  # need id -> its place in the service's list (0 = main)
    areas: frozenset[str]
    languages: frozenset[str]
    free: bool
    drop_in: bool
    minimum_age: int | None
    maximum_age: int | None
    checked: int  # assured_date as an ordinal, 0 when never checked
    timetable: Timetable
    # Its needs plus the main need of each topic its name or keywords offer: the needs it
    # is listed under when a visitor chooses a need (browse and the need filter).
    listed_under: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Phrase:
    """One way of saying a need or topic, as stemmed words ({group} for a relation slot).

    `weights` holds each word with how much it points to this need or topic:
    1/sqrt(the number of needs, or of topics, whose phrases use it).
    """

    concept: str  # a need id, or TOPIC_PREFIX + a topic id
    words: frozenset[str]
    weights: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class _Meanings:
    """The needs and the lay vocabulary, as search uses them; made once per index."""

    phrases: list[_Phrase]
    words: frozenset[str]  # every word of every phrase
    topic_needs: dict[str, tuple[str, ...]]  # TOPIC_PREFIX + id -> the topic's needs
    relation_groups: dict[str, str]  # a stemmed relation word -> its group
    hints: dict[str, tuple[str, ...]]  # relation group -> the needs it hints at
    # How services say a topic: first word -> [(all the phrase's words, topic concept)].
    service_phrases: dict[str, list[tuple[tuple[str, ...], str]]]


@dataclass(slots=True)
class _QueryWord:
    """One word of the query, with the index words it may stand for and how sure we are.

    `groups` are the relation groups the word belongs to ("nan" -> elder); `context` is
    True when it follows "my", "our", "his"...: it then says who the help is for.
    """

    text: str
    alternatives: dict[str, float]
    groups: tuple[str, ...] = ()
    context: bool = False


@dataclass(frozen=True)
class SavedParts:
    """The part of an index worked out from the services' words, for keeping on disk."""

    service_ids: list[str]  # the listed services, in index order (a number is a place here)
    postings: dict[str, tuple[array[int], array[float]]]  # word -> (numbers, weights)
    topics: dict[str, tuple[list[int], list[float]]]  # topic concept -> (numbers, strengths)


class DirectorySource(Protocol):
    """What IndexCache needs from the store: the services and a version that changes."""

    @property
    def directory_version(self) -> int: ...

    def services(self) -> list[Service]: ...


# --- the index -----------------------------------------------------------------------


class SearchIndex:
    """An inverted index over the listed services: word -> (service numbers, weights)."""

    def __init__(
        self,
        entries: list[_Entry],
        postings: dict[str, tuple[array[int], array[float]]],
        meanings: _Meanings,
        topic_members: dict[str, tuple[list[int], list[float]]],
        version: int | None,
    ) -> None:
        self._entries = entries
        self._postings = postings
        self._meanings = meanings
        self._topic_members = topic_members
        self.version = version
        """The directory_version the index was built from (None when not from a store)."""
        self._by_need: dict[str, list[int]] = defaultdict(list)
        for number, entry in enumerate(entries):
            for need_id in entry.needs:
                self._by_need[need_id].append(number)
        # The services a visitor sees on choosing a need: tagged with it, or offering one of
        # its topics in their own words, as search finds them (`listed_under`).
        self._listed_under: dict[str, list[int]] = defaultdict(list)
        for number, entry in enumerate(entries):
            for need_id in entry.listed_under:
                self._listed_under[need_id].append(number)
        # For each need: its services, and how much the need counts for each. A service's
        # first need is what it is mainly for; later ones count a little less.
        self._need_members: dict[str, tuple[list[int], list[float]]] = {
            need_id: (
                numbers,
                [
                    1.0
                    / (1.0 + 0.25 * entries[n].need_places[need_id])
                    / (1.0 + BREADTH * (len(entries[n].needs) - 1))
                    for n in numbers
                ],
            )
            for need_id, numbers in self._by_need.items()
        }
        # Each service's place in name-then-id order, the tie-break for equal scores.
        by_name = sorted(
            range(len(entries)), key=lambda n: (entries[n].name_key, entries[n].service.id)
        )
        self._order = [0] * len(entries)
        for place, number in enumerate(by_name):
            self._order[number] = place
        self._status_factor = [
            TEMPORARILY_CLOSED_FACTOR if e.service.status == Status.TEMPORARILY_CLOSED else 1.0
            for e in entries
        ]
        self._phrases_by_word: dict[str, list[_Phrase]] = defaultdict(list)
        for phrase in meanings.phrases:
            for word in phrase.words:
                self._phrases_by_word[word].append(phrase)
        # The phrases' words by their Snowball root, so "threatening" says "threatens me"
        # and "forgets" says "keeps forgetting", whatever form the directory uses.
        self._phrase_forms: dict[str, list[str]] = defaultdict(list)
        for word in meanings.words:
            if not word.startswith("{"):
                self._phrase_forms[_root(word)].append(word)
        # Every word the index, the needs or the lay vocabulary know: a query word in here
        # is never "corrected".
        self._known = set(postings) | {w for w in meanings.words if not w.startswith("{")}
        self._sorted_vocabulary = sorted(self._known)
        self._document_frequency = {word: len(ids) for word, (ids, _w) in postings.items()}
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in self._sorted_vocabulary:
            by_length[len(word)].append(word)
        self._vocabulary_by_length = dict(by_length)
        self._forms: dict[str, list[str]] = {}
        self._corrections: dict[str, tuple[str, float] | None] = {}
        self._listed = len(entries)
        # Seasonal services (few) with their windows, worked out from the services: the
        # index keeps nothing more per service.
        self._seasonal: list[tuple[int, tuple[tuple[int, int], ...]]] = []
        for number, entry in enumerate(entries):
            windows = _season_windows(entry.service)
            if windows is not None:
                self._seasonal.append((number, windows))

    # -- building --

    @classmethod
    def build(
        cls,
        services: Iterable[Service],
        needs: Sequence[Need],
        *,
        version: int | None = None,
        vocabulary: LayVocabulary | None = None,
    ) -> SearchIndex:
        """Return an index of the listed services (defunct and inactive ones left out).

        `vocabulary` is the lay vocabulary (default: the bundled data/lay_vocabulary.json).
        """
        meanings = _meanings(
            tuple(needs), vocabulary if vocabulary is not None else load_lay_vocabulary()
        )
        entries: list[_Entry] = []
        weights_by_word: dict[str, dict[int, float]] = defaultdict(dict)
        topics: dict[str, tuple[list[int], list[float]]] = {}
        for service in services:
            if not service.is_listed:
                continue
            number = len(entries)
            entry = _entry_for(service)
            entries.append(entry)
            fields = _field_tokens(service)
            scales = _field_scales(service, fields)
            for word, weight in _field_weights(fields, scales).items():
                weights_by_word[word][number] = weight
            for topic, strength in _topics_offered(fields, meanings, scales).items():
                numbers, strengths = topics.setdefault(topic, ([], []))
                numbers.append(number)
                strengths.append(strength)
        _list_under_topics(entries, topics, meanings)
        postings = {
            word: (array("I", found.keys()), array("f", found.values()))
            for word, found in weights_by_word.items()
        }
        return cls(entries, postings, meanings, topics, version)

    # -- saving and loading (hub.index_file keeps these in the data folder) --

    def saved_parts(self) -> SavedParts:
        """Return what `from_saved_parts` needs to make this index again without the
        slow part of `build` (reading every service's words): the listed services' ids in
        index order, each word's postings, and each topic's services."""
        return SavedParts(
            service_ids=[entry.service.id for entry in self._entries],
            postings=self._postings,
            topics=self._topic_members,
        )

    @classmethod
    def from_saved_parts(
        cls,
        services: Sequence[Service],
        parts: SavedParts,
        needs: Sequence[Need],
        *,
        version: int | None = None,
        vocabulary: LayVocabulary | None = None,
    ) -> SearchIndex:
        """Return the index `build` would give, from parts `saved_parts` gave for the same
        directory, needs and vocabulary; `services` are the listed ones, in the parts' order.

        The caller checks that the parts fit (hub.index_file does): numbers in range,
        lengths equal.
        """
        meanings = _meanings(
            tuple(needs), vocabulary if vocabulary is not None else load_lay_vocabulary()
        )
        entries = [_entry_for(service) for service in services]
        _list_under_topics(entries, parts.topics, meanings)
        return cls(entries, dict(parts.postings), meanings, dict(parts.topics), version)

    def is_stale(self, version: int) -> bool:
        """Return True when the directory has changed since this index was built."""
        return self.version != version

    def __len__(self) -> int:
        return self._listed

    @property
    def vocabulary_size(self) -> int:
        """Return how many distinct words the index and the needs know."""
        return len(self._sorted_vocabulary)

    # -- query words --

    def _correct(self, word: str) -> tuple[str, float] | None:
        """Return the index word a misspelt word most likely meant, with its score, or None.

        A real English word is never corrected, whatever it looks like: "harming" is not a
        slip for "hearing". It is found through its other forms and the needs' phrases.
        """
        if word in self._corrections:
            return self._corrections[word]
        best: tuple[str, float] | None = None
        if len(word) >= 4 and not is_real_word(word) and not is_real_word(stem(word)):
            cutoff = _correction_cutoff(len(word))
            choices = [
                candidate
                for length in range(len(word) - 2, len(word) + 3)
                for candidate in self._vocabulary_by_length.get(length, ())
            ]
            found = process.extract(
                word, choices, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=5
            )
            if found:
                # Highest score; then the commoner word (what the directory says most);
                # then alphabetical, so a tie is always settled the same way.
                choice, score, _index = min(
                    found, key=lambda f: (-f[1], -self._document_frequency.get(f[0], 0), f[0])
                )
                best = (choice, score)
        if len(self._corrections) > 10_000:
            self._corrections.clear()
        self._corrections[word] = best
        return best

    def _expansions(self, prefix: str) -> list[str]:
        """Return known words that start with `prefix` (longer than it), commonest first."""
        start = bisect.bisect_left(self._sorted_vocabulary, prefix)
        found: list[str] = []
        for word in self._sorted_vocabulary[start:]:
            if not word.startswith(prefix):
                break
            if word != prefix:
                found.append(word)
        found.sort(key=lambda w: (-self._document_frequency.get(w, 0), w))
        return found[:MAX_PREFIX_EXPANSIONS]

    def _other_forms(self, word: str) -> list[str]:
        """Return the known words that are other forms of `word` ("harming" -> "harm").

        Forms share a Snowball root, and a root is the start of its words (less a final
        "i": "happi" is the root of "happy"), so only known words that start with it are
        stemmed, once each: the whole vocabulary never is.
        """
        found = self._forms.get(word)
        if found is not None:
            return found
        root = _root(word)
        start = root[:-1] if root.endswith("i") else root
        found = []
        if len(start) >= 3:
            place = bisect.bisect_left(self._sorted_vocabulary, start)
            for other in self._sorted_vocabulary[place : place + 200]:
                if not other.startswith(start):
                    break
                if other != word and _root(other) == root:
                    found.append(other)
        if len(self._forms) > 10_000:
            self._forms.clear()
        self._forms[word] = found
        return found

    def _split_compound(self, word: str) -> list[str] | None:
        """Return two known words that make up `word` ("foodbank" -> food, bank), or None."""
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if left in self._postings and stem(right) in self._postings:
                return [left, stem(right)]
        return None

    def _query_words(self, query: str) -> list[_QueryWord]:
        """Return the query's words, each with the index words it may stand for.

        In order of trust: the word itself; other forms of it the directory uses
        ("evicted" -> "eviction"); for the word still being typed, longer words it starts;
        the two words it runs together ("foodbank" -> "food", "bank"); and last, the
        spelling correction.
        """
        tokens = word_tokens(normalise(query))
        # A relation word just after "my", "our"... says who the help is for: "my nan",
        # "my elderly dad", "my little boy" (a word or two between).
        after_possessive = {
            place + gap
            for place, token in enumerate(tokens)
            if token in POSSESSIVES
            for gap in (1, 2, 3)
        }
        times = _moment_places(tokens)  # "week" in "this week" says when, not what
        ages = _age_groups(tokens)  # "im 80" says who the help is for, as "my nan" does
        raw = [
            (word, place in after_possessive or place in ages, ages.get(place))
            for place, word in enumerate(tokens)
            if word not in STOP_WORDS and place not in times
        ]
        # Only the query's very last word may be still being typed ("food today": not "food").
        typing_last = bool(query) and not query[-1].isspace() and bool(tokens)
        typing_last = typing_last and tokens[-1] not in STOP_WORDS
        typing_last = typing_last and len(tokens) - 1 not in _moment_places(tokens)
        relation_groups = self._meanings.relation_groups
        result: list[_QueryWord] = []
        for position, (plain, possessed, age_group) in enumerate(raw):
            word = stem(plain)
            last = typing_last and position == len(raw) - 1
            group = relation_groups.get(word) or age_group
            if group is not None:
                # "nan", "son": words, never typos, and never two words run together
                alternatives = {word: 1.0} if word in self._known else {}
                if last and len(plain) >= PREFIX_MIN_LENGTH:
                    for longer in self._expansions(plain):
                        alternatives.setdefault(longer, KNOWN_PREFIX_CONFIDENCE)
                result.append(_QueryWord(plain, alternatives, (group,), context=possessed))
                continue
            alternatives = {}
            if word in self._known:
                alternatives[word] = 1.0
            if word not in self._postings and len(word) >= 4:
                for other in self._other_forms(word):
                    alternatives.setdefault(other, FORM_CONFIDENCE)
            if last and len(plain) >= PREFIX_MIN_LENGTH:
                # A finished word ("home") is probably meant as itself; a fragment
                # ("counsel") is probably the start of something longer.
                confidence = KNOWN_PREFIX_CONFIDENCE if alternatives else PREFIX_CONFIDENCE
                for longer in self._expansions(plain):
                    alternatives.setdefault(longer, confidence)
            if word not in self._postings and len(plain) >= 6:
                split = self._split_compound(plain)
                if split is not None:
                    if alternatives:  # e.g. "foodbank" is also a need's synonym
                        result.append(_QueryWord(plain, alternatives))
                    result.extend(_QueryWord(part, {part: FORM_CONFIDENCE}) for part in split)
                    continue
            if not alternatives and len(plain) >= 3 and not is_real_word(plain):
                corrected = self._correct(word)
                if corrected is not None:
                    alternatives[corrected[0]] = CORRECTION_CONFIDENCE
                    # "foodbnak" -> "foodbank", a need's word that the directory writes
                    # as two: "food bank"
                    split = None
                    if corrected[0] not in self._postings:
                        split = self._split_compound(corrected[0])
                    if split is not None:
                        result.append(_QueryWord(plain, alternatives))
                        result.extend(
                            _QueryWord(part, {part: CORRECTION_CONFIDENCE}) for part in split
                        )
                        continue
            if len(plain) < 3 and not alternatives:
                continue  # a stray "x" or "nw" says nothing
            result.append(_QueryWord(plain, alternatives))
        return result

    # -- needs from phrasing --

    def _matched_concepts(
        self, query_words: list[_QueryWord], phrase_only: frozenset[str] = frozenset()
    ) -> tuple[dict[str, tuple[float, int]], frozenset[str]]:
        """Return the needs and topics the query's phrasing points to: concept -> (strength,
        bit mask of the query words that say it); and those that a whole phrase said.

        A phrase counts fully when the query holds all its words ("cant pay rent" holds
        "can't pay my rent"; "my wife died" holds "{someone} died"; stop words such as
        "want" count inside phrases, from `phrase_only`). It counts at half strength when
        the query holds only some of its words, and then only uncommon words that belong to
        this one need or topic ("forgetting" points to memory; "cant", "die" or "things"
        alone point nowhere). A phrase made only of relation words after "my" ("my mum")
        says who, not what, and points nowhere. Strength adds up the phrase's words, each
        weighted by how few needs (or topics) use it and by how rare it is in the directory,
        so the most specific phrase wins; another phrase of the same need made of other
        words of the query adds to it, so the whole query's meaning counts.
        """
        present: dict[str, tuple[float, int]] = dict.fromkeys(phrase_only, (1.0, -1))
        # Words present only as another form of a query word: they complete a phrase, but
        # alone they say too little ("eat" is not "eating disorder").
        only_a_form: set[str] = set()
        context = 0
        for position, query_word in enumerate(query_words):
            for word, confidence in query_word.alternatives.items():
                if word not in present or present[word][0] < confidence:
                    present[word] = (confidence, position)
            plain = _SAME_AS.get(query_word.text, query_word.text)
            for word in self._phrase_forms.get(_root(stem(plain)), ()):
                if word not in present:
                    present[word] = (1.0 if word == plain else FORM_CONFIDENCE, position)
                    only_a_form.add(word)
            for group in query_word.groups:
                present[f"{{{group}}}"] = (1.0, position)
                present[f"{{{ANYONE}}}"] = (1.0, position)
            if query_word.context:
                context |= 1 << position
        relation_groups = self._meanings.relation_groups
        found: dict[str, list[tuple[float, int]]] = defaultdict(list)
        whole: list[tuple[int, str]] = []  # (query words' bits, concept) of whole phrases
        surely: set[str] = set()  # concepts said by a whole phrase, no word of it a guess
        seen: set[int] = set()
        for word in present:
            for phrase in self._phrases_by_word.get(word, ()):
                if id(phrase) in seen:
                    continue
                seen.add(id(phrase))
                held = [(w, weight) for w, weight in phrase.weights if w in present]
                if len(held) < len(phrase.words):
                    held = [
                        (w, weight)
                        for w, weight in held
                        if weight >= 1.0
                        and _telling(w)
                        and w not in relation_groups
                        and w not in only_a_form
                    ]
                    factor = 0.5
                else:
                    factor = 1.0
                if not held:
                    continue
                bits = 0
                for w, _weight in held:
                    if present[w][1] >= 0:
                        bits |= 1 << present[w][1]
                if bits & ~context == 0:
                    continue
                strength = factor * sum(
                    weight * present[w][0] * self._word_idf(w) for w, weight in held
                )
                found[phrase.concept].append((strength, bits))
                if factor == 1.0:
                    whole.append((bits, phrase.concept))
                    if min(present[w][0] for w, _weight in held) > KNOWN_PREFIX_CONFIDENCE:
                        surely.add(phrase.concept)  # not only "food" typed as "foodbank..."

        concepts: dict[str, tuple[float, int]] = {}
        for concept, hits in found.items():
            # The longest phrase says what the words mean: "learning disabilities" is about
            # disability, so "learning" alone no longer says the learning need, nor "benefits"
            # money in general once "manage my brother's benefits" has said appointeeship.
            hits = [
                (strength, bits)
                for strength, bits in hits
                if not any(
                    other != concept and bits & longer == bits and bits != longer
                    for longer, other in whole
                )
            ]
            if not hits:
                continue
            hits.sort(reverse=True)
            total, used = hits[0]
            for strength, bits in hits[1:]:
                if not bits & used:
                    total += EXTRA_PHRASE_SHARE * strength
                    used |= bits
            concepts[concept] = (total, used)
        wholly = frozenset(concept for concept in surely if concept in concepts)
        return concepts, wholly

    def _query_needs(
        self,
        query_words: list[_QueryWord],
        concepts: dict[str, tuple[float, int]],
        wholly: frozenset[str] = frozenset(),
    ) -> dict[str, tuple[float, int]]:
        """Return the needs the query points to: need id -> (strength, query words' bits).

        From the needs' own phrases; from the topics matched, at TOPIC_NEED_SHARE; and a
        hint from relation words ("my son" hints at children and families).
        """
        needs: dict[str, tuple[float, int]] = {}

        def add(need_id: str, strength: float, bits: int) -> None:
            old_strength, old_bits = needs.get(need_id, (0.0, 0))
            needs[need_id] = (old_strength + strength, old_bits | bits)

        topic_bits: dict[str, int] = defaultdict(int)  # need -> words its topics used
        topic_best: dict[str, float] = defaultdict(float)  # need -> its strongest topic
        for concept, (strength, bits) in concepts.items():
            if concept.startswith(TOPIC_PREFIX):
                for need_id in self._meanings.topic_needs.get(concept, ()):
                    add(need_id, TOPIC_NEED_SHARE * strength, bits)
                    if concept in wholly:  # a word or two of a topic's phrase is no finer
                        topic_bits[need_id] |= bits
                        topic_best[need_id] = max(topic_best[need_id], strength)
        for concept, (strength, bits) in concepts.items():
            if concept.startswith(TOPIC_PREFIX):
                continue
            if bits & topic_bits[concept] == bits:
                # The same words wholly said a finer topic of this need ("had a fall" says falls,
                # and so older people): the broad need may count as much as that topic, never
                # more, or any older people's service (a film afternoon, an advocacy
                # service) outranks the falls services.
                extra = min(strength, topic_best[concept]) - TOPIC_NEED_SHARE * topic_best[concept]
                if extra > 0:
                    add(concept, extra, bits)
                continue
            add(concept, strength, bits)
        for query_word in query_words:
            for group in query_word.groups:
                for need_id in self._meanings.hints.get(group, ()):
                    add(need_id, HINT_STRENGTH, 0)
        return needs

    # -- searching --

    def _idf(self, document_frequency: int) -> float:
        """Return how much a word found in this many services counts (rarer counts more)."""
        return math.log(1.0 + self._listed / max(document_frequency, 1))

    def _word_idf(self, word: str) -> float:
        """Return a word's weight; a word no service uses (only a need) counts as rarest.

        A {someone} slot, or a stop word inside a phrase, is no search word: it counts 1.
        """
        if word[0] == "{" or word in VAGUE_WORDS:
            return 1.0
        if word in STOP_WORDS:
            return PHRASE_IDF_FLOOR
        return max(PHRASE_IDF_FLOOR, self._idf(self._document_frequency.get(word, 1)))

    def search(
        self,
        query: str,
        *,
        filters: Filters = NO_FILTERS,
        now: datetime,
        limit: int = 20,
    ) -> list[Result]:
        """Return the services that best answer the query, best first (at most `limit`).

        A query of fewer than three letters, or only stop words or punctuation, returns []
        without complaint: the search box calls this on every keystroke.
        """
        if limit <= 0 or not is_searchable(query):
            return []
        query_words = self._query_words(query)
        if not query_words:
            return []
        # Plain lists indexed by service number: at 50,000 services they are several times
        # faster than dicts in these loops, which are where a query spends its time.
        count = self._listed
        scores = [0.0] * count
        covered = [0] * count  # bit mask of the query words each service matched
        importance: list[float] = []
        broadly = [0] * count  # ... and of those it matched only through a need it is tagged with
        concepts, wholly = self._matched_concepts(query_words, _phrase_only_words(query))
        explained = 0  # the query words that say a need or topic
        for _strength, bits in concepts.values():
            explained |= bits
        for position, query_word in enumerate(query_words):
            bit = 1 << position
            if query_word.context:
                context = CONTEXT_FACTOR
            elif not bit & explained and is_common_word(query_word.text):
                context = COMMON_WORD_FACTOR
            else:
                context = 1.0
            found = [
                (self._postings[word], confidence)
                for word, confidence in query_word.alternatives.items()
                if word in self._postings
            ]
            # How much of the query this word is, for coverage: rarer words say more, a word
            # inside a need's phrase says at least as much as any, "cant" or "someone" little,
            # and a common word that says no need ("stop") or who it is for ("my nan") less.
            rarest = min((len(ids) for (ids, _w), _c in found), default=1)
            importance.append(
                1.0
                if query_word.text in VAGUE_WORDS
                else max(self._idf(rarest), PHRASE_IDF_FLOOR if bit & explained else 0.0)
                * min(context, 1.0)
            )
            if len(found) == 1:
                (ids, weights), confidence = found[0]
                factor = self._idf(len(ids)) * confidence * context
                for number, weight in zip(ids, weights, strict=True):
                    scores[number] += weight * factor
                    covered[number] |= bit
                continue
            best_here: dict[int, float] = {}  # a word's best alternative counts, not all
            for (ids, weights), confidence in found:
                factor = self._idf(len(ids)) * confidence * context
                for number, weight in zip(ids, weights, strict=True):
                    value = weight * factor
                    if value > best_here.get(number, 0.0):
                        best_here[number] = value
            for number, value in best_here.items():
                scores[number] += value
                covered[number] |= bit
        for concept, (strength, bits) in concepts.items():
            if not concept.startswith(TOPIC_PREFIX):
                continue
            boost = TOPIC_WEIGHT * strength
            numbers, strengths = self._topic_members.get(concept, ((), ()))
            for number, offered in zip(numbers, strengths, strict=True):
                scores[number] += boost * offered
                covered[number] |= bits
        matched = self._query_needs(query_words, concepts, wholly)
        # A need the query's own words say ("lonely" says loneliness) is what was asked; a
        # need reached only through a finer topic ("volunteering outdoors" -> learning) or a
        # relation word is broad: its services answer the query only broadly.
        for need_id, (strength, bits) in matched.items():
            boost = NEED_WEIGHT * strength
            exact = concepts.get(need_id, (0.0, 0))[1]
            broad = bits & ~exact
            numbers, place_factors = self._need_members.get(need_id, ((), ()))
            # Three loops rather than a test per service: a need may have thousands.
            if exact and broad:
                for number, place_factor in zip(numbers, place_factors, strict=True):
                    scores[number] += boost * place_factor
                    covered[number] |= exact
                    broadly[number] |= broad
            elif exact:
                for number, place_factor in zip(numbers, place_factors, strict=True):
                    scores[number] += boost * place_factor
                    covered[number] |= exact
            else:
                for number, place_factor in zip(numbers, place_factors, strict=True):
                    scores[number] += boost * place_factor
                    broadly[number] |= broad
        best = max(scores, default=0.0)
        if best <= 0.0:
            return []
        # Words that only say who the help is for ("my nan") are not asked of a service.
        total = sum(not query_word.context for query_word in query_words)
        context_bits = sum(1 << p for p, w in enumerate(query_words) if w.context)
        if total == 0:  # only "my mum": then it is what was asked
            total, context_bits = len(query_words), 0
        # Results far below the best are noise on a kiosk screen (a stray word in one
        # description), so they are left out.
        floor = best * RELATIVE_FLOOR
        filtered = filters != NO_FILTERS
        moment = query_moment(query)
        off_season = self._off_season(now)
        if not filtered:
            # A service's score is its raw score times at most 1 and at least 0.35 x 0.9,
            # so one whose raw score is under that share of the limit-th best raw score
            # cannot make the list: skipping them keeps a query on 50,000 services quick.
            kth = heapq.nlargest(limit, scores)[-1]
            lowest = COVER_BASE * TEMPORARILY_CLOSED_FACTOR
            if off_season:
                lowest *= OUT_OF_SEASON_FACTOR
            floor = max(floor, kth * lowest)
        entries = self._entries
        status_factor = self._status_factor
        order = self._order
        keep = ~context_bits
        ranked: list[tuple[float, int, int]] = []
        whole = sum(w for p, w in enumerate(importance) if keep >> p & 1) or 1.0
        width = len(query_words)
        factors: dict[int, float] = {}  # (own | broad << width) -> the coverage factor

        def coverage(own: int, broad: int) -> float:
            """Return COVER_BASE .. 1 for the query words a service covers (own, broad)."""
            share = sum(w for p, w in enumerate(importance) if own >> p & 1) / whole
            share += (
                BROAD_COVER * sum(w for p, w in enumerate(importance) if broad >> p & 1) / whole
            )
            return COVER_BASE + (1.0 - COVER_BASE) * min(share, 1.0)

        for number in [number for number, score in enumerate(scores) if score >= floor]:
            if filtered and not self._passes_static(entries[number], filters):
                continue
            # Matching more of what was asked beats matching one word very well.
            own = covered[number] & keep
            broad = broadly[number] & keep & ~own
            key = own | broad << width
            cover = factors.get(key)
            if cover is None:
                cover = factors[key] = coverage(own, broad)
            score = scores[number] * cover * status_factor[number]
            if off_season and number in off_season:
                score *= OUT_OF_SEASON_FACTOR
            ranked.append((-score, order[number], number))
        if moment is not None:
            ranked = self._at_the_moment(ranked, moment, now, max(MOMENT_RERANK, 4 * limit))
        chosen = self._top(ranked, filters, now, limit)
        return [
            Result(
                service=entries[number].service,
                score=round(score, 3),
                matched_needs=tuple(sorted(set(matched) & entries[number].needs)),
                timetable=entries[number].timetable,
                not_running_now=number in off_season,
            )
            for number, score in chosen
        ]

    def _off_season(self, now: datetime) -> set[int]:
        """Return the numbers of the seasonal services not running today (London date)."""
        today = now.astimezone(LONDON).date().toordinal()
        return {
            number
            for number, windows in self._seasonal
            if not any(start <= today <= end for start, end in windows)
        }

    def _at_the_moment(
        self, ranked: list[tuple[float, int, int]], moment: Moment, now: datetime, take: int
    ) -> list[tuple[float, int, int]]:
        """Return the best `take` of `ranked`, scored again for the moment the query names.

        A service that runs at that moment keeps its score; one that runs later counts less
        (MOMENT_FACTORS), and one that needs a referral counts less again (REFERRAL_FACTORS): "food
        today" puts the free meal open today above the food bank that wants a voucher. Only
        the best few are looked at, because working out when a service next runs is the slow
        part; the rest, already lower, can only fall further.
        """
        factors = MOMENT_FACTORS[moment]
        best = heapq.nsmallest(take, ranked) if len(ranked) > take else ranked
        again: list[tuple[float, int, int]] = []
        off_season = self._off_season(now)
        for negative, place, number in best:
            entry = self._entries[number]
            # Not running now is not "times not known": it is not at this moment at all.
            factor = factors[3 if number in off_season else _soonness(entry.timetable, now)]
            if entry.service.attendance.referral_needed:
                factor *= REFERRAL_FACTORS[moment]
            again.append((negative * factor, place, number))
        return again

    def _top(
        self, ranked: list[tuple[float, int, int]], filters: Filters, now: datetime, limit: int
    ) -> list[tuple[int, float]]:
        """Return the best `limit` (number, score) pairs; ties go by name, then id.

        `ranked` holds (-score, place in name order, number), so plain tuple comparison,
        which runs in C, gives the order; only the top few are ever sorted.
        """
        timed = filters.open_now or filters.open_today
        take = limit * 4 if timed else limit
        while True:
            top = heapq.nsmallest(take, ranked) if len(ranked) > take else sorted(ranked)
            if timed:
                top = [
                    row for row in top if self._passes_timed(self._entries[row[2]], filters, now)
                ]
            if len(top) >= limit or len(ranked) <= take:
                return [(number, -negative) for negative, _order, number in top[:limit]]
            take *= 4

    def browse(
        self,
        need_id: str,
        *,
        filters: Filters = NO_FILTERS,
        now: datetime,
        limit: int | None = None,
    ) -> list[Result]:
        """Return a need's services, most useful first.

        Most useful: open now, then later today, then this week, then later, then times
        unknown; within that, local ones (the filter's area) before borough-wide ones;
        then the most recently checked; then by name.
        """
        local = normalise(filters.area) if filters.area else None
        rows: list[tuple[tuple[object, ...], int]] = []
        for number in self._listed_under.get(need_id, ()):
            entry = self._entries[number]
            if not self._passes_static(entry, filters) or not self._passes_timed(
                entry, filters, now
            ):
                continue
            if local is None or local in entry.areas:
                area_rank = 0
            elif BOROUGH_WIDE in entry.areas:
                area_rank = 1
            else:
                area_rank = 2
            key = (
                _soonness(entry.timetable, now),
                area_rank,
                -entry.checked,
                entry.name_key,
                entry.service.id,
            )
            rows.append((key, number))
        rows.sort(key=itemgetter(0))
        if limit is not None:
            rows = rows[:limit]
        off_season = self._off_season(now)
        return [
            Result(
                service=self._entries[number].service,
                score=0.0,
                matched_needs=(need_id,),
                timetable=self._entries[number].timetable,
                not_running_now=number in off_season,
            )
            for _key, number in rows
        ]

    def need_ids(self) -> set[str]:
        """Return the ids of needs that have at least one listed service."""
        return {need_id for need_id, numbers in self._listed_under.items() if numbers}

    def areas(self) -> list[str]:
        """Return every area named by a listed service, as the directory spells it."""
        found: dict[str, str] = {}
        for entry in self._entries:
            for area in entry.service.areas:
                found.setdefault(normalise(area), area)
        return sorted(found.values(), key=str.casefold)

    # -- filters --

    @staticmethod
    def _passes_static(entry: _Entry, filters: Filters) -> bool:
        """Return True when the entry passes the filters that do not depend on the time."""
        if filters == NO_FILTERS:
            return True
        if filters.need is not None and filters.need not in entry.listed_under:
            return False
        if filters.free_only and not entry.free:
            return False
        if filters.drop_in_only and not entry.drop_in:
            return False
        if filters.area:
            area = normalise(filters.area)
            if area not in entry.areas and BOROUGH_WIDE not in entry.areas:
                return False
        if filters.language:
            language = normalise(filters.language)
            if entry.languages:
                if language not in entry.languages:
                    return False
            elif language != "english":
                return False
        if filters.age is not None:
            if entry.minimum_age is not None and filters.age < entry.minimum_age:
                return False
            if entry.maximum_age is not None and filters.age > entry.maximum_age:
                return False
        return True

    @staticmethod
    def _passes_timed(entry: _Entry, filters: Filters, now: datetime) -> bool:
        """Return True when the entry passes the open-now and open-today filters."""
        if filters.open_now and not entry.timetable.is_open_now(now):
            return False
        return not (filters.open_today and not entry.timetable.opens_today(now))


def _soonness(table: Timetable, now: datetime) -> int:
    """Return 0 when open now, 1 later today, 2 within a week, 3 later, 4 when not known.

    Buckets rather than exact times, so that within "this week" a local, recently checked
    service can come before one that happens to start an hour earlier.
    """
    session = table.next_session(now)
    if session is None:
        return 4
    local_now = now.astimezone(LONDON)
    if session.start <= local_now:
        return 0
    days = (session.start.date() - local_now.date()).days
    return 1 if days == 0 else 2 if days < 7 else 3


def _list_under_topics(
    entries: list[_Entry],
    topics: dict[str, tuple[list[int], list[float]]],
    meanings: _Meanings,
) -> None:
    """Set each entry's `listed_under`: its own needs, and the need of each topic it offers
    strongly enough in its own words (a dementia carers' group under Memory and dementia).

    Worked out from the topics alone, so an index loaded from its saved parts lists
    exactly what a freshly built one does.
    """
    listed: list[set[str]] = [set(entry.needs) for entry in entries]
    for topic, (numbers, strengths) in topics.items():
        topic_needs = meanings.topic_needs.get(topic, ())
        if not topic_needs:
            continue
        for number, strength in zip(numbers, strengths, strict=True):
            if strength >= LISTED_BY_TOPIC_STRENGTH:
                listed[number].add(topic_needs[0])
    for entry, need_ids in zip(entries, listed, strict=True):
        entry.listed_under = frozenset(need_ids)


def _entry_for(service: Service) -> _Entry:
    """Return what the index keeps about one service."""
    return _Entry(
        service=service,
        name_key=service.name.casefold(),
        needs=frozenset(service.needs),
        need_places={need_id: place for place, need_id in enumerate(service.needs)},
        areas=frozenset(normalise(area).replace("-", " ") for area in service.areas),
        languages=frozenset(normalise(language) for language in service.languages),
        free=service.cost.free is True,
        drop_in=service.attendance.drop_in,
        minimum_age=service.eligibility.minimum_age,
        maximum_age=service.eligibility.maximum_age,
        checked=service.assured_date.toordinal() if service.assured_date else 0,
        timetable=timetable(service),
    )


def _field_tokens(service: Service) -> dict[str, list[str]]:
    """Return each searchable field of a service as its words, stemmed, stop words kept."""
    texts = {
        "name": service.name,
        "keywords": " | ".join(service.keywords),
        "description": service.description,
        "place": " ".join(
            [*service.areas]
            + [
                " ".join(filter(None, (location.name, location.town)))
                for location in service.locations
            ]
        ),
        "organisation": service.organisation or "",
    }
    return {name: _phrase_tokens(text) for name, text in texts.items()}


def _phrase_only_words(query: str) -> frozenset[str]:
    """Return the query's stop words that still tell phrases apart ("want", "all")."""
    return frozenset(
        word
        for word in word_tokens(normalise(query))
        if word in STOP_WORDS and word not in EMPTY_WORDS
    )


def _telling(word: str) -> bool:
    """Return True when a word alone may point to a need: not a slot, stop word, "cant"...,
    nor one of the commonest English words ("die", "fall", "home")."""
    return not (word[0] == "{" or word in STOP_WORDS or word in VAGUE_WORDS or is_common_word(word))


def _phrase_tokens(text: str) -> list[str]:
    """Return every word of the text in order: stop words as they are, others stemmed."""
    return [word if word in STOP_WORDS else stem(word) for word in word_tokens(normalise(text))]


def _field_scales(service: Service, fields: dict[str, list[str]]) -> dict[str, float]:
    """Return how much each field's words count for this service, from 0 to 1.

    A long list says less about each thing on it (BM25's length normalisation, as a square
    root): a service tagged with thirty client groups ("Refugees", "Carers", "Visually
    impaired"...) is not about each of them as one tagged with two is, and a word somewhere
    in a thousand-word description says less than one in a short description.
    """
    keywords = len(service.keywords)
    described = len(fields["description"])
    return {
        "keywords": min(1.0, math.sqrt(KEYWORDS_PAR / keywords)) if keywords else 1.0,
        "description": min(1.0, (DESCRIPTION_PAR / described) ** DESCRIPTION_DAMPING)
        if described
        else 1.0,
    }


def _field_weights(fields: dict[str, list[str]], scales: dict[str, float]) -> dict[str, float]:
    """Return each word of the service with its weight: the best field, plus a little more
    for each other field that has it (a word in the name and description is a surer sign)."""
    best: dict[str, float] = {}
    extra: dict[str, float] = defaultdict(float)
    for field_name, tokens in fields.items():
        weight = FIELD_WEIGHTS[field_name] * scales.get(field_name, 1.0)
        for word in set(tokens):
            if len(word) < 2 or word in STOP_WORDS:
                continue
            previous = best.get(word)
            if previous is None:
                best[word] = weight
            elif weight > previous:
                extra[word] += previous * 0.25
                best[word] = weight
            else:
                extra[word] += weight * 0.25
    return {word: weight + extra.get(word, 0.0) for word, weight in best.items()}


def _topics_offered(
    fields: dict[str, list[str]], meanings: _Meanings, scales: dict[str, float]
) -> dict[str, float]:
    """Return the topics a service's own words offer, each with how surely (0 to 1).

    A topic is offered when its name, keywords or description holds one of the topic's
    services_say phrases, word for word ("sight loss", "men in sheds"); the name is the
    surest place. Each further phrase of the same topic adds a little.
    """
    found: dict[str, tuple[float, int]] = {}
    starts = meanings.service_phrases
    seen: set[tuple[str, ...]] = set()
    description = fields["description"]
    parts = {
        "name": fields["name"],
        "keywords": fields["keywords"],
        "lead": description[:LEAD_WORDS],
        "description": description[LEAD_WORDS - 4 :],  # phrases across the cut count too
        "organisation": fields["organisation"],
    }
    for field_name, where in TOPIC_FIELD_STRENGTH.items():
        tokens = parts[field_name]
        if field_name in scales:  # a long list or text says less about each thing in it
            where = (
                TOPIC_FIELD_STRENGTH["organisation"]
                + (where - TOPIC_FIELD_STRENGTH["organisation"]) * scales[field_name]
            )
        # Every phrase said here, as (start, end, phrase, topic); then those inside a longer
        # phrase of another topic are dropped: "martial arts" is a sport, not an art class,
        # and "baby equipment" is no stairlift.
        said: list[tuple[int, int, tuple[str, ...], str]] = []
        for place, token in enumerate(tokens):
            candidates = starts.get(token)
            if candidates is None:
                continue
            for phrase, topic in candidates:
                if tuple(tokens[place : place + len(phrase)]) == phrase:
                    said.append((place, place + len(phrase), phrase, topic))
        for start, end, phrase, topic in said:
            if phrase in seen or any(
                other != topic and s <= start and end <= e and e - s > end - start
                for s, e, _p, other in said
            ):
                continue
            seen.add(phrase)
            strength, count = found.get(topic, (0.0, 0))
            found[topic] = (max(strength, where), count + 1)
    return {
        topic: min(1.0, strength + 0.05 * (count - 1)) for topic, (strength, count) in found.items()
    }


def _phrase_words(text: str) -> frozenset[str]:
    """Return a phrase's words, stemmed, with {group} slots kept as they are.

    Only empty words ("the", "my", "is") are dropped: "want to die" keeps "want".
    """
    found: set[str] = set()
    for part in re.split(r"(\{[a-z]+\})", text):
        if part.startswith("{"):
            found.add(part)
        else:
            found.update(word for word in _phrase_tokens(part) if word not in EMPTY_WORDS)
    return frozenset(found)


def _meanings(needs: Sequence[Need], vocabulary: LayVocabulary) -> _Meanings:
    """Return the needs' and the lay vocabulary's phrases as search uses them."""
    texts: list[tuple[str, str, str]] = []  # (family, concept, phrase)
    for need in needs:
        for text in [need.label, need.id.replace("-", " "), *need.synonyms]:
            texts.append(("need", need.id, text))
    service_phrases: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    topic_needs: dict[str, tuple[str, ...]] = {}
    for topic in vocabulary.topics:
        concept = TOPIC_PREFIX + topic.id
        topic_needs[concept] = tuple(topic.needs)
        for text in [topic.label, *topic.people_say, *topic.services_say]:
            texts.append(("topic", concept, text))
        for text in topic.services_say:
            tokens = tuple(_phrase_tokens(text))
            if tokens and (tokens, concept) not in service_phrases[tokens[0]]:
                service_phrases[tokens[0]].append((tokens, concept))
    parsed: list[tuple[str, str, frozenset[str]]] = []
    using: dict[tuple[str, str], set[str]] = defaultdict(set)  # (family, word) -> concepts
    for family, concept, text in texts:
        phrase_words = _phrase_words(text)
        if phrase_words:
            parsed.append((family, concept, phrase_words))
            for word in phrase_words:
                using[family, word].add(concept)
    phrases: dict[tuple[str, frozenset[str]], _Phrase] = {}
    for family, concept, phrase_words in parsed:
        weights = tuple(
            sorted(
                (
                    word,
                    PLACEHOLDER_WEIGHT
                    if word.startswith("{") or word in VAGUE_WORDS
                    else 1.0 / math.sqrt(len(using[family, word])),
                )
                for word in phrase_words
            )
        )
        phrases.setdefault((concept, phrase_words), _Phrase(concept, phrase_words, weights))
    groups = {stem(normalise(word)): group for word, group in vocabulary.relation_groups().items()}
    return _Meanings(
        phrases=list(phrases.values()),
        words=frozenset(word for _family, word in using),
        topic_needs=topic_needs,
        relation_groups=groups,
        hints={group: tuple(ids) for group, ids in vocabulary.relation_hints.items()},
        service_phrases=dict(service_phrases),
    )


# --- keeping the index fresh ---------------------------------------------------------


class IndexCache:
    """Holds one SearchIndex and rebuilds it only when the directory has changed."""

    def __init__(self, needs: Sequence[Need]) -> None:
        self._needs = list(needs)
        self._index: SearchIndex | None = None

    def get(self, source: DirectorySource) -> SearchIndex:
        """Return an index that matches the store's directory as it is now."""
        version = source.directory_version
        if self._index is None or self._index.is_stale(version):
            self._index = SearchIndex.build(source.services(), self._needs, version=version)
        return self._index


def today_in_london(now: datetime) -> date:
    """Return the London date at `now`: the day unmet searches are logged under."""
    return now.astimezone(LONDON).date()
