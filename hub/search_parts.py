"""What the search index is made of, and how each part is worked out from the directory.

Each listed service's entry, the needs' and lay vocabulary's phrases, and the build-time
work: a service's words by field and their weights, and the topics its own words offer.
(Filters and results are in hub.search_types, which Home can import without the index.)

Why one module of about 650 lines: these are the steps of one build, run in order over one
service's words (entry, field tokens and weights, then the topics those words offer), and
the query's phrase reading here must split text exactly as the build does. Kept together,
a change to how a service's words are read is made once for both.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from hub.lay_vocabulary import LayVocabulary
from hub.models import Need, Service, Status
from hub.needs import normalise
from hub.schedule import Timetable
from hub.search_weights import (
    DESCRIPTION_DAMPING,
    DESCRIPTION_PAR,
    FAMILY_LEAD_WORDS,
    FAMILY_MIN_WORDS,
    FIELD_WEIGHTS,
    KEYWORDS_PAR,
    LEAD_WORDS,
    LISTED_BY_TOPIC_STRENGTH,
    PLACEHOLDER_WEIGHT,
    TOPIC_FIELD_STRENGTH,
    TOPIC_PREFIX,
    TOPIC_REPEAT_SHARE,
    TOPIC_SATURATION,
    WORD_SATURATION,
)
from hub.search_words import (
    EMPTY_WORDS,
    ONLY_FOR_WORDS,
    STOP_WORDS,
    VAGUE_WORDS,
    _season_windows,
    stem,
)
from hub.text import is_common_word, word_tokens
from hub.timetable import schedules_text, timetable, timetable_from_text

# --- filters and results (kept in hub.search_types, light enough for Home) -----------

BOROUGH_WIDE = "borough wide"
"""The normalised area name of services that serve the whole borough."""


@dataclass(slots=True)
class _Entry:
    """What the index keeps about one listed service, worked out once at build time.

    Not the service itself: at 50,000 services those would not fit a kiosk PC's memory.
    Results read the services they show from the store, by id (`SearchIndex` is given how).
    Everything here is plain values, so the saved index keeps entries too (`facts`).
    """

    service_id: str
    name_key: str
    need_order: tuple[str, ...]  # its needs, the main one first
    needs: frozenset[str]
    areas: frozenset[str]  # normalised
    area_names: tuple[str, ...]  # as the directory spells them
    languages: frozenset[str]
    free: bool
    drop_in: bool
    referral_needed: bool
    closed: bool  # temporarily closed
    minimum_age: int | None
    maximum_age: int | None
    checked: int  # assured_date as an ordinal, 0 when never checked
    season: tuple[tuple[int, int], ...] | None  # the date windows of a seasonal service
    schedules: str  # the schedules as JSON text, compiled into `timetable` when first asked
    # Its needs plus the main need of each topic its name or keywords offer: the needs it
    # is listed under when a visitor chooses a need (browse and the need filter).
    listed_under: frozenset[str] = frozenset()
    # Which near-duplicates it is one of by its own description (`_family_of`), and its
    # name less the town (`_same_name_of`): the index joins the two into the families a
    # result list spaces out (`_join_families`), worked out afresh whenever entries change.
    family: int = 0
    same_name: int = 0
    # Its own words say it can be reached at any hour ("24/7", "day or night"): with no
    # times given, a search for help now counts it as open now (`_says_round_the_clock`).
    round_the_clock: bool = False
    # "women" or "men" when its own words say it is for them only ("open to any woman",
    # "men only"), else "": a query that says it is for the others counts it less.
    only_for: str = ""
    compiled: Timetable | None = None

    @property
    def timetable(self) -> Timetable:
        """Return the service's compiled timetable (compiled the first time it is asked)."""
        if self.compiled is None:
            self.compiled = timetable_from_text(self.schedules, closed=self.closed)
        return self.compiled

    def facts(self) -> list[object]:
        """Return the entry as JSON-ready values, for the saved index (`from_facts`)."""
        return [
            self.service_id,
            self.name_key,
            list(self.need_order),
            sorted(self.areas),
            list(self.area_names),
            sorted(self.languages),
            self.free,
            self.drop_in,
            self.referral_needed,
            self.closed,
            self.minimum_age,
            self.maximum_age,
            self.checked,
            None if self.season is None else [list(window) for window in self.season],
            self.schedules,
            sorted(self.listed_under),
            self.family,
            self.same_name,
            self.round_the_clock,
            self.only_for,
        ]

    @classmethod
    def from_facts(cls, facts: list[Any], shared: dict[object, Any]) -> _Entry:
        """Return the entry `facts` gave; equal sets and texts are shared through `shared`
        (tens of thousands of services name the same few areas, needs and languages).

        Raises ValueError or TypeError when the values are not what `facts` writes.
        """
        (
            service_id,
            name_key,
            need_order,
            areas,
            area_names,
            languages,
            free,
            drop_in,
            referral_needed,
            closed,
            minimum_age,
            maximum_age,
            checked,
            season,
            schedules,
            listed_under,
            family,
            same_name,
            round_the_clock,
            only_for,
        ) = facts

        def share(value: Any) -> Any:
            return shared.setdefault(value, value)

        if not all(isinstance(text, str) for text in (service_id, name_key, schedules)):
            raise TypeError("an entry's id, name and schedules are text")
        if only_for not in ("", *ONLY_FOR_WORDS):
            raise ValueError(f"an entry is for {only_for!r}: not a group search knows")
        return cls(
            service_id=service_id,
            name_key=name_key,
            need_order=share(tuple(map(str, need_order))),
            needs=share(frozenset(map(str, need_order))),
            areas=share(frozenset(map(str, areas))),
            area_names=share(tuple(map(str, area_names))),
            languages=share(frozenset(map(str, languages))),
            free=bool(free),
            drop_in=bool(drop_in),
            referral_needed=bool(referral_needed),
            closed=bool(closed),
            minimum_age=None if minimum_age is None else int(minimum_age),
            maximum_age=None if maximum_age is None else int(maximum_age),
            checked=int(checked),
            season=None
            if season is None
            else share(tuple((int(start), int(end)) for start, end in season)),
            schedules=share(schedules),
            listed_under=share(frozenset(map(str, listed_under))),
            family=int(family),
            same_name=int(same_name),
            round_the_clock=bool(round_the_clock),
            only_for=str(only_for),
        )


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
    True when it follows "my", "our", "his"...: it then says who the help is for; for a
    home word after "in", "at", "around"... ("in the house"): it then says where; and for
    "man" in "I'm a man": it then says who is asking.
    """

    text: str
    alternatives: dict[str, float]
    groups: tuple[str, ...] = ()
    context: bool = False


@dataclass(frozen=True)
class SavedParts:
    """The part of an index worked out from the services' words, for keeping on disk."""

    entries: list[_Entry]  # the listed services, in index order (a number is a place here)
    postings: dict[str, tuple[array[int], array[float]]]  # word -> (numbers, weights)
    topics: dict[str, tuple[list[int], list[float]]]  # topic concept -> (numbers, strengths)


ServiceFetcher = Callable[[Sequence[str]], Mapping[str, Service]]
"""Reads services by id (the store's `services_by_id`): results read only what they show."""


class DirectorySource(Protocol):
    """What IndexCache needs from the store: the services and a version that changes."""

    @property
    def directory_version(self) -> int: ...

    def services(self) -> list[Service]: ...


# --- working out the parts at build time ---------------------------------------------


def _list_under_topics(
    entries: list[_Entry],
    placed: dict[str, tuple[list[int], list[float]]],
    meanings: _Meanings,
) -> None:
    """Set each entry's `listed_under`: its own needs, and the need of each topic it offers
    strongly enough in its own words (a dementia carers' group under Memory and dementia).

    `placed` holds each topic's services with how surely the best place their words say it
    (`_topics_offered`'s first figure): where it is said, not how often, decides listing,
    so a description that names a topic's phrases several times does not list a service
    under a whole need. The saved index keeps `listed_under` in each entry's facts.
    """
    listed: list[set[str]] = [set(entry.needs) for entry in entries]
    for topic, (numbers, strengths) in placed.items():
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
    closed = service.status == Status.TEMPORARILY_CLOSED
    return _Entry(
        service_id=service.id,
        name_key=service.name.casefold(),
        need_order=tuple(service.needs),
        needs=frozenset(service.needs),
        areas=frozenset(normalise(area).replace("-", " ") for area in service.areas),
        area_names=tuple(service.areas),
        languages=frozenset(normalise(language) for language in service.languages),
        free=service.cost.free is True,
        drop_in=service.attendance.drop_in,
        referral_needed=service.attendance.referral_needed,
        closed=closed,
        minimum_age=service.eligibility.minimum_age,
        maximum_age=service.eligibility.maximum_age,
        checked=service.assured_date.toordinal() if service.assured_date else 0,
        season=_season_windows(service),
        schedules=schedules_text(service),
        family=_family_of(service),
        same_name=_same_name_of(service),
        round_the_clock=_says_round_the_clock(service),
        only_for=_says_only_for(service),
        compiled=timetable(service),
    )


# How a service says in words that it can be reached at any hour. Directory feeds often
# give no opening times for phone and text lines; their descriptions say it instead.
_ROUND_THE_CLOCK = re.compile(
    r"\b24\s*/\s*7\b|\b(?:24|twenty[\s-]*four)[\s-]*(?:hours?|hrs?) (?:a|per|each) day\b"
    # "a 24 hour phoneline", "24-hour UK-wide helpline": a word or two may come between
    r"|\b(?:24|twenty[\s-]*four)[\s-]*(?:hour|hr)\b(?:[\s-]+\w+){0,2}?[\s-]+"
    r"(?:phone|tele|help|line|text|crisis|support|service|emergency)"
    r"|\b(?:a)?round[\s-]the[\s-]clock\b|\bday (?:or|and) night\b|\bany time of (?:the )?day\b"
)


def _says_round_the_clock(service: Service) -> bool:
    """Return True when the service's name, keywords or description say it can be reached
    at any hour ("24/7", "24 hours a day", "24 hour phoneline", "day or night", "round the
    clock"); "within 24 hours" and "24 hours' notice" say nothing of the kind."""
    text = " ".join([service.name, *service.keywords, service.description]).casefold()
    return _ROUND_THE_CLOCK.search(text) is not None


# How a service says in words that it is for women only, or men only. A passing mention
# ("weights for ladies", "men and women") says nothing of the kind.
_ONLY_FOR = {
    group: re.compile(
        rf"\b(?:{words})(?:'s|s)?\s+only\b|\bonly\s+for\s+(?:{words})\b"
        rf"|\bopen\s+to\s+any\s+(?:{words})\b|\bfor\s+(?:{words})\s+only\b",
    )
    for group, words in (("women", "women|woman|ladies|female"), ("men", "men|man|male"))
}


def _says_only_for(service: Service) -> str:
    """Return "women" or "men" when the service's name, keywords or description say it is
    for them only ("women only", "ladies' only", "open to any woman", "for men only"), else
    "" (also when it says both)."""
    text = " ".join([service.name, *service.keywords, service.description]).casefold()
    text = text.replace("\u2019", "'")
    said = [group for group, pattern in _ONLY_FOR.items() if pattern.search(text)]
    return said[0] if len(said) == 1 else ""


def _family_of(service: Service) -> int:
    """Return a number shared by the service's near-duplicates by description, 0 .. 2**63 - 1.

    Near-duplicates are services of one organisation whose descriptions open with the same
    words (FAMILY_LEAD_WORDS of them): the same group in four towns ("Dementia Cafe -
    Ashby", "- Barton"...), the same welcome scheme at six venues, or one provider's
    sessions that share its blurb. A description too short to say so uses the name instead
    (two "Zumba Gold" entries of one organisation). `_same_name_of` finds the rest.
    """
    lead = word_tokens(normalise(service.description))[:FAMILY_LEAD_WORDS]
    if len(lead) < FAMILY_MIN_WORDS:
        lead = ["name:", *word_tokens(normalise(service.name))]
    return _digest([*word_tokens(normalise(service.organisation or "")), "|", *lead])


# A name's own part: before " - ", " – " or ":" and outside brackets, where a directory
# puts the town or the session ("Social History & Reminiscence (Brigg)").
_NAME_TAIL = re.compile(r"\([^)]*\)|\s[-–]\s.*$|:.*$")


def _same_name_of(service: Service) -> int:
    """Return a number shared by the services of one organisation whose names are the same
    but for a town or session after a dash or colon or in brackets ("Social History &
    Reminiscence (Brigg)", "... (Scunthorpe Central)"); the build joins their families.
    A digest, not Python's `hash`, so the number is the same in every run."""
    own = word_tokens(normalise(_NAME_TAIL.sub(" ", service.name)))
    return _digest(["name:", *word_tokens(normalise(service.organisation or "")), "|", *own])


def _digest(words: list[str]) -> int:
    """Return a stable 63-bit number for a list of words (the same in every run)."""
    digest = hashlib.blake2b("\n".join(words).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _join_families(entries: Sequence[_Entry]) -> list[int]:
    """Return each entry's family: services whose names are the same but for the town
    (`same_name`) join one family, with everything already in their own families
    (`family`; a small union-find over family numbers). The entries are not changed: an
    index made from them by a staff edit works the families out again the same way."""
    parent: dict[int, int] = {}

    def root(family: int) -> int:
        while parent.get(family, family) != family:
            family = parent[family]
        return family

    first: dict[int, int] = {}
    for entry in entries:
        other = first.setdefault(entry.same_name, entry.family)
        a, b = root(entry.family), root(other)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return [root(entry.family) for entry in entries]


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
    for each other field that has it (a word in the name and description is a surer sign).

    In the description a word said n times counts (1 + k) n / (n + k) times once (BM25's
    term frequency, k = WORD_SATURATION): a description that says "dementia" four times is
    about dementia more surely than one that mentions it, yet never more than 1 + k times.
    Only there: a name seldom repeats a word, and a keyword list that says "food bank |
    food parcels" is two tags, not a service saying "food" twice. The little more for other
    fields goes by whether they have the word, not how often.
    """
    best: dict[str, float] = {}
    extra: dict[str, float] = defaultdict(float)
    plain: dict[str, float] = {}  # the best field's weight without repeats
    for field_name, tokens in fields.items():
        field_weight = FIELD_WEIGHTS[field_name] * scales.get(field_name, 1.0)
        counts = Counter(tokens)
        for word, count in counts.items():
            if len(word) < 2 or word in STOP_WORDS:
                continue
            weight = field_weight
            if field_name == "description" and count > 1:
                weight *= (1.0 + WORD_SATURATION) * count / (count + WORD_SATURATION)
            previous = best.get(word)
            if previous is None:
                best[word] = weight
                plain[word] = field_weight
            elif weight > previous:
                extra[word] += plain[word] * 0.25
                best[word] = weight
                plain[word] = field_weight
            else:
                extra[word] += field_weight * 0.25
    return {word: weight + extra.get(word, 0.0) for word, weight in best.items()}


def _topics_offered(
    fields: dict[str, list[str]], meanings: _Meanings, scales: dict[str, float]
) -> dict[str, tuple[float, float]]:
    """Return the topics a service's own words offer, each with two figures: how surely
    its best place says it (0 to 1; a little more for each further phrase), which decides
    listing; and how much it counts in ranking.

    A topic is offered when its name, keywords or description holds one of the topic's
    services_say phrases, word for word ("sight loss", "men in sheds"); the name is the
    surest place. For ranking, each further distinct phrase of the same topic counts as
    BM25 counts a word said again: (1 + k) n / (n + k) times the best place's figure, so a
    service whose words say "depression, anxiety and stress" and "talking therapies" is
    surer about low mood than one with the single keyword "Mental Health", yet no number
    of phrases counts more than 1 + k times one. A phrase said again, or one another
    topic has already counted, counts as TOPIC_REPEAT_SHARE of a new one.
    """
    # topic -> (best place of a phrase's first saying, best place of any, distinct phrases
    # said, phrases said with each repeat at its share)
    found: dict[str, tuple[float, float, int, float]] = {}
    starts = meanings.service_phrases
    # Each phrase said, with the topic it first counted for (a phrase two topics share, such
    # as "in crisis", lists a service under the first only), and those counted once already.
    seen: dict[tuple[str, ...], str] = {}
    counted: set[tuple[str, ...]] = set()
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
            if any(
                other != topic and s <= start and end <= e and e - s > end - start
                for s, e, _p, other in said
            ):
                continue
            owner = seen.setdefault(phrase, topic)
            first, best, distinct, count = found.get(topic, (0.0, 0.0, 0, 0.0))
            if owner != topic:
                # Said already for another topic: in ranking it counts as a repeat does,
                # not for listing; and only for a topic the service says in a phrase of
                # its own (below), so "in crisis" in a food bank's text, a phrase of the
                # suicidal-thoughts topic first, does not make it a crisis-now service.
                found[topic] = (first, max(best, where), distinct, count + TOPIC_REPEAT_SHARE)
                continue
            again = phrase in counted
            counted.add(phrase)
            found[topic] = (
                first if again else max(first, where),
                max(best, where),
                distinct + (not again),
                count + (TOPIC_REPEAT_SHARE if again else 1.0),
            )
    return {
        topic: (
            min(1.0, first + 0.05 * (distinct - 1)),
            best * (1.0 + TOPIC_SATURATION) * count / (count + TOPIC_SATURATION),
        )
        for topic, (first, best, distinct, count) in found.items()
        if distinct
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


_NeedsKey = tuple[tuple[str, str, tuple[str, ...]], ...]
_kept_meanings: dict[tuple[_NeedsKey, int], tuple[LayVocabulary, _Meanings]] = {}
_kept_meanings_lock = threading.Lock()
_KEEP_MEANINGS = 8
"""How many sets of needs and vocabulary a process keeps the meanings of (one, in a kiosk)."""


def meanings_for(needs: Sequence[Need], vocabulary: LayVocabulary) -> _Meanings:
    """Return the needs' and the lay vocabulary's phrases as search uses them, worked out
    once per process for the same needs and vocabulary.

    Every index built or loaded needs them and none depends on the directory: working them
    out again was most of the CPU of loading a small directory's saved index (about 120 ms
    of 150), at every kiosk start and every reload after an import or another kiosk's edit.
    The bundled vocabulary is one object for the whole process (read once); it is kept with
    its meanings, so the id in the key is never another vocabulary's. _Meanings is frozen
    and only read, as every index already shares its own with the copies staff edits make.
    """
    key = (tuple((need.id, need.label, tuple(need.synonyms)) for need in needs), id(vocabulary))
    kept = _kept_meanings.get(key)
    if kept is not None and kept[0] is vocabulary:
        return kept[1]
    meanings = _meanings(needs, vocabulary)
    with _kept_meanings_lock:  # a load in a worker thread may meet a build in another
        while len(_kept_meanings) >= _KEEP_MEANINGS:
            _kept_meanings.pop(next(iter(_kept_meanings)))
        _kept_meanings[key] = (vocabulary, meanings)
    return meanings


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
