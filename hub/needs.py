"""The hub's needs, the urgent-help lines, and how outside words are turned into needs.

A *need* (data/needs.json) is a way of browsing the directory in a visitor's words:
"Memory and dementia", "Food", "Someone to talk to". Services carry need ids, and this
module decides which ones when a council feed does not say:

- `map_terms_to_needs` reads the taxonomy terms an imported service is tagged with, using
  data/taxonomy_map.json;
- `needs_from_text` is the fallback when a feed knows nothing of our needs: it looks for
  each need's synonyms, as whole words and phrases, in the service's own text.

data/taxonomy_map.json has this shape::

    {
      "about": "...",
      "vocabularies": {
        "open-eligibility": {
          "aliases": ["Open Eligibility", "openEligibility", ...],
          "terms": {"emergency food": ["food"], "caregivers": ["carers"], ...}
        },
        "esd-services": {
          "aliases": ["esdServiceTypes", "LGA Services", ...],
          "terms": {"298": ["carers"], "carers support groups": ["carers"], ...}
        },
        ...
      }
    }

A vocabulary is recognised by any of its aliases, compared with case, spaces and
punctuation ignored ("esdNeeds" == "ESD needs"). Term keys are lower-case term names or
codes; a code may also arrive as a CURIE ("esdServiceType:298") or an Open Eligibility
slug ("human_services:food:emergency_food"), and the part after the last colon is tried
too. Codes are only looked up in their own vocabulary, because the LGA's lists reuse
the same numbers; names are also tried across every vocabulary when the feed's own
vocabulary is unknown.

Our own vocabulary, "community-hub-needs", is what our exports write: its codes are
need ids and are taken as they are.

Why one module of about 500 lines: the three ways a service gets its needs (taxonomy
terms, the publisher's audience words, its own text) share one reading of the needs file
and must agree on it; kept together, a change to how a need is matched is made once.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field, PrivateAttr, ValidationError

from hub.locations import NEEDS_FILE, URGENT_FILE, bundled_file
from hub.models import Need, NeedId, StrictModel, UrgentHelp, describe_error, record_label
from hub.text import normalise, word_tokens, words_and_gaps
from hub.topics import NeedsFileError

__all__ = [
    "MAX_TILES",
    "OWN_VOCABULARY",
    "TAXONOMY_MAP_FILE",
    "Need",
    "NeedsFileError",
    "TaxonomyMap",
    "TaxonomyVocabulary",
    "load_needs",
    "load_taxonomy_map",
    "load_urgent",
    "map_terms_to_needs",
    "more_needs",
    "need_by_id",
    "need_phrase_hits",
    "needs_from_text",
    "normalise",
    "read_data_file",
    "tile_needs",
]

TAXONOMY_MAP_FILE = "taxonomy_map.json"
OWN_VOCABULARY = "community-hub-needs"
"""The vocabulary our own exports use for needs; its term codes are need ids."""

MAX_TILES = 4
"""The home screen shows at most four need tiles and "More topics": with Languages, Listen,
Text and colours and Urgent help that is nine choices (issue 15: at most nine a screen)."""


# --- text ---------------------------------------------------------------------------
# `normalise` (hub.text) folds case, accents and apostrophes; it is exported from here too,
# where the rest of the hub has always found it.


def _vocabulary_key(name: str) -> str:
    """Return a vocabulary name reduced to letters and digits, for comparing aliases."""
    return "".join(word_tokens(normalise(name)))


# Words in a phrase may be written with spaces, hyphens, slashes or commas between them:
# "drop in" matches "drop-in", "over 50" matches "over-50s".
_PHRASE_SEPARATORS = frozenset(" -/,")


def _joins_words(gap: str) -> bool:
    """True when the text between two words lets them be read as one phrase.

    Only spaces (any whitespace), hyphens, slashes and commas may stand between the words
    of a phrase: "food-bank" and "food / bank" are "food bank", "food. Bank" is not.
    """
    return all(ch in _PHRASE_SEPARATORS or ch.isspace() for ch in gap)


# --- loading files ------------------------------------------------------------------


def read_data_file(path: Path) -> Any:
    """Return the parsed JSON in path, or raise NeedsFileError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise NeedsFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise NeedsFileError(f"{path}: is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise NeedsFileError(
            f"{path}: is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None


ModelT = TypeVar("ModelT", bound=BaseModel)


def read_model_file(path: Path, model: type[ModelT], what: str) -> ModelT:
    """Return the JSON in path read as `model`, or raise NeedsFileError naming the file,
    `what` it is (e.g. "taxonomy map") and each field that is wrong."""
    data = read_data_file(path)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise NeedsFileError(describe_error(error, f"{path}: {what}")) from None


def _parse_needs(path: Path) -> tuple[Need, ...]:
    """Return the needs in a needs.json file, checked; raise NeedsFileError if wrong."""
    data = read_data_file(path)
    if not isinstance(data, list) or not data:
        raise NeedsFileError(f"{path}: must be a JSON array of needs, with at least one")
    needs: list[Need] = []
    seen: set[str] = set()
    for position, item in enumerate(data, start=1):
        label = f"{path}: need {position} {record_label(item)}"
        try:
            need = Need.model_validate(item)
        except ValidationError as error:
            raise NeedsFileError(describe_error(error, label)) from None
        if need.id in seen:
            raise NeedsFileError(f"{label}: the id {need.id!r} is used twice")
        seen.add(need.id)
        needs.append(need)
    tiles = sum(need.tile for need in needs)
    if tiles > MAX_TILES:
        raise NeedsFileError(
            f"{path}: {tiles} needs have tile true; the home screen shows at most {MAX_TILES}"
        )
    return tuple(needs)


@functools.cache
def _bundled_needs() -> tuple[Need, ...]:
    """Return the bundled needs, read once: search and screens ask for them often."""
    return _parse_needs(bundled_file(NEEDS_FILE))


def load_needs(path: Path | None = None) -> list[Need]:
    """Return the needs in path (default: the bundled needs.json), in the file's order.

    Raises NeedsFileError, naming the file and the need, when the file is wrong.
    """
    if path is None:
        return list(_bundled_needs())
    return list(_parse_needs(path))


def load_urgent(path: Path | None = None) -> UrgentHelp:
    """Return the urgent-help lines in path (default: the bundled urgent.json)."""
    where = path if path is not None else bundled_file(URGENT_FILE)
    return read_model_file(where, UrgentHelp, "urgent help")


def need_by_id(need_id: str) -> Need | None:
    """Return the bundled need with this id, or None if there is none."""
    return _needs_by_id().get(need_id)


@functools.cache
def _needs_by_id() -> dict[str, Need]:
    return {need.id: need for need in _bundled_needs()}


def tile_needs() -> list[Need]:
    """Return the needs shown as tiles on the kiosk home, in order."""
    return [need for need in _bundled_needs() if need.tile]


def more_needs() -> list[Need]:
    """Return the needs shown under "More help", in order."""
    return [need for need in _bundled_needs() if not need.tile]


def kiosk_needs() -> list[Need]:
    """Return every need the kiosk offers, tiles first: what its search index is built for."""
    return [*tile_needs(), *more_needs()]


# --- the taxonomy map ---------------------------------------------------------------


class TaxonomyVocabulary(StrictModel):
    """One outside vocabulary: the names feeds give it, and its terms' need ids."""

    aliases: list[str] = Field(default_factory=list)
    terms: dict[str, list[NeedId]] = Field(default_factory=dict)


class TaxonomyMap(StrictModel):
    """data/taxonomy_map.json: outside vocabularies by our name for them."""

    about: str = ""
    vocabularies: dict[str, TaxonomyVocabulary]
    _by_alias: dict[str, TaxonomyVocabulary] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        """Index the vocabularies by every alias, reduced to letters and digits."""
        for name, vocabulary in self.vocabularies.items():
            for alias in [name, *vocabulary.aliases]:
                self._by_alias.setdefault(_vocabulary_key(alias), vocabulary)

    def vocabulary_for(self, name: str | None) -> TaxonomyVocabulary | None:
        """Return the vocabulary a feed calls `name`, or None if we do not know it."""
        if not name:
            return None
        return self._by_alias.get(_vocabulary_key(name))

    def terms_named(self, key: str) -> list[str]:
        """Return need ids for a normalised term name in every vocabulary, first seen first."""
        found: list[str] = []
        for vocabulary in self.vocabularies.values():
            found.extend(vocabulary.terms.get(key, []))
        return list(dict.fromkeys(found))


def _parse_taxonomy_map(path: Path) -> TaxonomyMap:
    """Return the checked taxonomy map in path, its term keys normalised."""
    table = read_model_file(path, TaxonomyMap, "taxonomy map")
    for vocabulary in table.vocabularies.values():
        # Keys are written for people ("Women's Health"); lookups use normalised text.
        vocabulary.terms = {normalise(key): ids for key, ids in vocabulary.terms.items()}
    return table


@functools.cache
def _bundled_taxonomy_map() -> TaxonomyMap:
    return _parse_taxonomy_map(bundled_file(TAXONOMY_MAP_FILE))


def load_taxonomy_map(path: Path | None = None) -> TaxonomyMap:
    """Return the taxonomy map in path (default: the bundled taxonomy_map.json).

    The bundled map is read once and shared: treat it as read-only.
    """
    if path is None:
        return _bundled_taxonomy_map()
    return _parse_taxonomy_map(path)


def _code_keys(code: str) -> list[str]:
    """Return the ways to look a term code up: as given, and after its last colon.

    "esdServiceType:298" is also tried as "298", and the Open Eligibility slug
    "human_services:food:emergency_food" as "emergency food".
    """
    whole = normalise(code)
    keys = [whole]
    tail = whole.rsplit(":", 1)[-1]
    keys.append(tail)
    keys.append(" ".join(tail.replace("_", " ").split()))
    return [key for key in dict.fromkeys(keys) if key]


def map_terms_to_needs(terms: Iterable[tuple[str | None, str | None, str | None]]) -> list[str]:
    """Return the hub need ids for imported taxonomy terms, first found first, no repeats.

    Each term is (vocabulary name, code, term name), any of which may be missing. Our own
    "community-hub-needs" codes are need ids. A known vocabulary is searched by code and
    by name. When that finds nothing (or the vocabulary is unknown) the name is tried in
    every vocabulary of the map, and last as text against our needs' labels and synonyms.
    Ids that are not bundled needs are dropped.
    """
    known = _needs_by_id()
    table = _bundled_taxonomy_map()
    own = _vocabulary_key(OWN_VOCABULARY)
    found: list[str] = []
    for vocabulary_name, code, name in terms:
        own_code = code.strip() if code else ""
        if vocabulary_name and _vocabulary_key(vocabulary_name) == own and own_code in known:
            found.append(own_code)
            continue
        hits: list[str] = []
        vocabulary = table.vocabulary_for(vocabulary_name)
        if vocabulary is not None:
            for key in _code_keys(code) if code else []:
                hits.extend(vocabulary.terms.get(key, []))
            if name:
                hits.extend(vocabulary.terms.get(normalise(name), []))
        if not hits and name:
            hits = table.terms_named(normalise(name)) or needs_from_text(name)
        found.extend(hits)
    return [need_id for need_id in dict.fromkeys(found) if need_id in known]


# --- free text ----------------------------------------------------------------------
#
# A service's words are read once for every need together. Each synonym (and label, and
# lay "services say" phrase) is filed under its first word; walking the text word by word,
# only the phrases filed under that word are tried. Per need this finds exactly what one
# regex of the need's phrases (longest first, whole words, an optional plural "s" on the
# last word) found with `finditer`, but costs one dictionary look-up a word instead of
# trying some 80 phrases at every word for each of 17 needs: a feed of 15,000 services
# spent three quarters of its import there.


@dataclass(frozen=True, slots=True)
class _Phrase:
    """One of a need's phrases, normalised and split into words."""

    need: int
    """The need's place in needs.json."""
    rank: int
    """Its place among the need's phrases, longest first: at one spot the lowest rank wins."""
    text: str
    words: tuple[str, ...]

    def end_at(self, words: Sequence[str], joined: Sequence[bool], start: int) -> int:
        """Return the index of the text's last word of this phrase read from `start`, or -1.

        `words` are the text's words and `joined[i]` says whether words i and i+1 may be
        read as one phrase. The last word may carry a plural "s" ("carer" finds "carers").
        """
        last = start + len(self.words) - 1
        if last >= len(words):
            return -1
        for offset, word in enumerate(self.words[:-1]):
            if words[start + offset] != word or not joined[start + offset]:
                return -1
        tail = words[last]
        final = self.words[-1]
        if tail == final or (len(tail) == len(final) + 1 and tail == final + "s"):
            return last
        return -1


@dataclass(frozen=True)
class _PhraseIndex:
    """Every need's phrases filed under the words they start with, and each need's phrases
    by rank."""

    need_ids: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    """Per need (needs.json order), its phrases by rank."""
    one_word: dict[str, tuple[_Phrase, ...]]
    """One-word phrases by their word, and by its plural."""
    longer: dict[tuple[str, str], tuple[_Phrase, ...]]
    """Longer phrases by their first two words (a two-word phrase by its plural too)."""

    @classmethod
    def of(cls, needs: Sequence[Need]) -> _PhraseIndex:
        """Return the index of these needs' labels and synonyms."""
        one_word: dict[str, list[_Phrase]] = defaultdict(list)
        longer: dict[tuple[str, str], list[_Phrase]] = defaultdict(list)
        per_need: list[tuple[str, ...]] = []
        for position, need in enumerate(needs):
            # Keyed by the words, so "housing-related support" and "housing related support"
            # (the same words, read the same way) are one phrase, not two hits for one match.
            by_words: dict[str, str] = {}
            for text in sorted({normalise(text) for text in [need.label, *need.synonyms]}):
                by_words.setdefault(" ".join(word_tokens(text)), text)  # the first one stays
            distinct = set(by_words.values())
            # "carers" is already found by "carer" (a plural s is allowed), so it would only
            # count the same words twice.
            distinct = {p for p in distinct if not (p.endswith("s") and p[:-1] in distinct)}
            # Longest first, so "memory cafe" is found as itself rather than as "memory".
            ordered = sorted(distinct, key=lambda phrase: (-len(phrase), phrase))
            kept: list[str] = []
            for text in ordered:
                words = tuple(word_tokens(text))
                if not words:
                    continue
                phrase = _Phrase(position, len(kept), text, words)
                kept.append(text)
                if len(words) == 1:
                    one_word[words[0]].append(phrase)
                    one_word[words[0] + "s"].append(phrase)
                else:
                    longer[words[0], words[1]].append(phrase)
                    if len(words) == 2:
                        longer[words[0], words[1] + "s"].append(phrase)
            per_need.append(tuple(kept))
        return cls(
            tuple(need.id for need in needs),
            tuple(per_need),
            {word: tuple(found) for word, found in one_word.items()},
            {pair: tuple(found) for pair, found in longer.items()},
        )

    def hits(self, text: str) -> dict[str, list[str]]:
        """Return, per need with a hit (needs.json order), its phrases found in text.

        Per need, phrases are found left to right without overlapping, the lowest rank
        winning where several start at one word. A long phrase also counts the shorter
        ones of the same need inside it: "mum keeps forgetting things" is three memory
        phrases, so it outweighs the one family word "mum".
        """
        words, gaps = words_and_gaps(normalise(text))
        # joined[i]: may words i and i+1 be read as one phrase? (The last has no next word.)
        joined = [gap == " " or _joins_words(gap) for gap in gaps]
        joined.append(False)
        return self._hits_in(words, joined)

    def _hits_in(self, words: Sequence[str], joined: Sequence[bool]) -> dict[str, list[str]]:
        """Return the hits for a text already split into words and joins (see `hits`)."""
        found: dict[int, dict[str, None]] = {}
        free_from = [0] * len(self.need_ids)  # per need: where its next phrase may start
        one_word, longer = self.one_word, self.longer
        for start, word in enumerate(words):
            # `_starting_at`, written out: this loop runs for every word of every service.
            candidates = one_word.get(word, ())
            if joined[start]:
                candidates += longer.get((word, words[start + 1]), ())
            if not candidates:
                continue
            best: dict[int, tuple[int, int]] = {}  # need -> (rank, last word)
            for phrase in candidates:
                if start < free_from[phrase.need]:
                    continue
                chosen = best.get(phrase.need)
                if chosen is not None and chosen[0] < phrase.rank:
                    continue
                last = phrase.end_at(words, joined, start)
                if last >= 0:
                    best[phrase.need] = (phrase.rank, last)
            for need, (rank, last) in best.items():
                phrases = found.setdefault(need, {})
                phrases[self.phrases[need][rank]] = None
                for inner in sorted(self._inside(words, joined, need, rank, start, last)):
                    phrases[self.phrases[need][inner]] = None
                free_from[need] = last + 1
        return {self.need_ids[need]: list(found[need]) for need in sorted(found) if found[need]}

    def _starting_at(
        self, words: Sequence[str], joined: Sequence[bool], start: int
    ) -> tuple[_Phrase, ...]:
        """Return the phrases that may start at word `start`: filed under its word(s)."""
        found = self.one_word.get(words[start], ())
        if joined[start]:
            found += self.longer.get((words[start], words[start + 1]), ())
        return found

    def _inside(
        self,
        words: Sequence[str],
        joined: Sequence[bool],
        need: int,
        rank: int,
        first: int,
        last: int,
    ) -> set[int]:
        """Return the ranks, above `rank`, of the need's phrases within words first..last."""
        inner: set[int] = set()
        for start in range(first, last + 1):
            for phrase in self._starting_at(words, joined, start):
                if phrase.need == need and phrase.rank > rank:
                    end = phrase.end_at(words, joined, start)
                    if 0 <= end <= last:
                        inner.add(phrase.rank)
        return inner


@functools.cache
def _phrase_index() -> _PhraseIndex:
    """Return the index of every bundled need's phrases: synonyms, label, how services say it.

    A feed with no taxonomy gets its needs from its own text, which is written the way
    services write ("visually impaired", "falls prevention"): so the lay vocabulary's
    services_say phrases count for each need their topic belongs to.
    """
    # Imported here: the lay vocabulary checks its need ids against this module's needs.
    from hub.lay_vocabulary import load_lay_vocabulary

    said: dict[str, list[str]] = defaultdict(list)
    for topic in load_lay_vocabulary().topics:
        for need_id in topic.needs:
            said[need_id].extend(topic.services_say)
    return _PhraseIndex.of(
        [
            need.model_copy(update={"synonyms": [*need.synonyms, *said[need.id]]})
            for need in _bundled_needs()
        ]
    )


def need_phrase_hits(text: str) -> dict[str, list[str]]:
    """Return, for each need found in text, the synonyms or label it was found by.

    Needs come in needs.json order; needs with no hit are left out. Phrases match as whole
    words, ignoring case, accents and apostrophes. Useful to explain a match ("found by:
    dementia, carers").
    """
    return _phrase_index().hits(text)


def needs_from_text(text: str) -> list[str]:
    """Return need ids whose synonyms appear in text, strongest first.

    Strength is the number of distinct synonyms found; ties keep needs.json order.
    Phrases match as whole words, ignoring case and accents.
    """
    hits = need_phrase_hits(text)
    order = {need_id: position for position, need_id in enumerate(hits)}
    return sorted(hits, key=lambda need_id: (-len(hits[need_id]), order[need_id]))
