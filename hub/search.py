"""Finding services: the search index, ranking, filters and browse-by-need.

Visitors type the way they talk ("cant pay my rent", "my nan keeps falling", "councelling",
"żłobek", "ખોરાક") and staff type fragments of names, on every keystroke, on a cheap PC. So:

* The index is built once from the directory (`SearchIndex.build`) and rebuilt only when
  the directory changes (`IndexCache`, keyed by the store's `directory_version`); a staff
  change to one service is followed in place (`SearchIndex.with_change`), to exactly the
  index a build would give.
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
  thing in it (BM25's length normalisation); a topic a service's words say in several
  phrases counts more than one said once, saturating as BM25's term frequency does (so a
  therapy service saying "depression, anxiety and stress" beats a run tagged "Mental
  Health"). Above all, a service that covers more of the
  query's meaning beats one that matches one word very well: coverage is the share of the
  query's words (each weighted by how rare, so by how telling, it is) that the service
  answers by its own words, by a topic its words offer, or by a need the query says; a
  need reached only through a finer topic counts broadly (BROAD_COVER). So a name word is
  a strong boost, not the whole answer ("Outdoor Bowls" no longer beats the conservation
  volunteers for "volunteering outdoors"). Ties go by name, then id, so the order never
  changes between runs.

Searching is pure: it reads the index and the clock it is given, and writes nothing.
Callers log searches that found nothing (hub.unmet).

This module is the index itself (building, loading, `search`) and its cache; the rest lives
by job beside it, and every name other code imports is importable from here (`__all__`):
`search_words` (a query's words, roots, moments and ages), `search_weights` (the tuning
numbers), `search_types` (filters and results), `search_parts` (entries, phrases and
their build-time work), `search_query` (corrections, other forms and the needs a query
says) and `search_browse` (filters, browse by need, re-ranking for the moment).

Why one module of about 850 lines: `SearchIndex` builds, saves, loads, changes in place
(`with_change`) and searches the same private arrays (postings, norms, entries). The
helpers that take a service's words out and put them in (`_take_out`, `_put_in`,
`_renumber`) are the other half of `with_change`; apart, each would reach into the other's
arrays, and a change to the arrays' shape could be made in one place and missed in another.
"""

from __future__ import annotations

import bisect
import heapq
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from hub.lay_vocabulary import LayVocabulary, load_lay_vocabulary
from hub.models import Need, Service
from hub.schedule import LONDON
from hub.search_browse import Browsing
from hub.search_parts import (
    DirectorySource,
    SavedParts,
    ServiceFetcher,
    _Entry,
    _entry_for,
    _field_scales,
    _field_tokens,
    _field_weights,
    _join_families,
    _list_under_topics,
    _Meanings,
    _Phrase,
    _phrase_only_words,
    _topics_offered,
    meanings_for,
)
from hub.search_query import QueryReading
from hub.search_spacing import spaced
from hub.search_types import NO_FILTERS, Filters, Result
from hub.search_weights import (
    BREADTH,
    BROAD_COVER,
    COMMON_WORD_FACTOR,
    CONTEXT_FACTOR,
    COVER_BASE,
    FAMILY_SPACING,
    LISTED_BY_TOPIC_STRENGTH,
    NEED_WEIGHT,
    PHRASE_IDF_FLOOR,
    RELATIVE_FLOOR,
    TEMPORARILY_CLOSED_FACTOR,
    TOPIC_PREFIX,
    TOPIC_WEIGHT,
)
from hub.search_words import (
    MOMENT_RERANK,
    ONLY_FOR_OTHERS_FACTOR,
    OUT_OF_SEASON_FACTOR,
    VAGUE_WORDS,
    _root,
    is_searchable,
    query_asked_for,
    query_moment,
    stem,
    words,
)
from hub.text import is_common_word

# --- the index -----------------------------------------------------------------------


class SearchIndex(QueryReading, Browsing):
    """An inverted index over the listed services: word -> (service numbers, weights)."""

    def __init__(
        self,
        entries: list[_Entry],
        postings: dict[str, tuple[array[int], array[float]]],
        meanings: _Meanings,
        topic_members: dict[str, tuple[list[int], list[float]]],
        version: int | None,
        fetch: ServiceFetcher,
    ) -> None:
        self._entries = entries
        self._fetch = fetch
        """Reads the services a result list shows, by id: the index holds none of them."""
        self._postings = postings
        self._meanings = meanings
        self._topic_members = topic_members
        self.version = version
        """The directory_version the index was built from (None when not from a store)."""
        by_need: dict[str, list[int]] = defaultdict(list)
        for number, entry in enumerate(entries):
            for need_id in entry.needs:
                by_need[need_id].append(number)
        # The services a visitor sees on choosing a need: tagged with it, or offering one of
        # its topics in their own words, as search finds them (`listed_under`).
        self._listed_under: dict[str, list[int]] = defaultdict(list)
        for number, entry in enumerate(entries):
            for need_id in entry.listed_under:
                self._listed_under[need_id].append(number)
        # For each need: its services, and how much the need counts for each. A service's
        # first need is what it is mainly for; later ones count a little less.
        self._need_members: dict[str, tuple[list[int], list[float]]] = {
            need_id: (numbers, [_need_factor(entries[n], need_id) for n in numbers])
            for need_id, numbers in by_need.items()
        }
        # Each service's place in name-then-id order, the tie-break for equal scores.
        by_name = sorted(
            range(len(entries)), key=lambda n: (entries[n].name_key, entries[n].service_id)
        )
        self._order = [0] * len(entries)
        for place, number in enumerate(by_name):
            self._order[number] = place
        self._by_name = by_name
        """The service numbers in name-then-id order (`_order` turned round)."""
        self._families = _join_families(entries)
        self._status_factor = [TEMPORARILY_CLOSED_FACTOR if e.closed else 1.0 for e in entries]
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
            if entry.season is not None:
                self._seasonal.append((number, entry.season))

    # -- building --

    @classmethod
    def build(
        cls,
        services: Iterable[Service],
        needs: Sequence[Need],
        *,
        version: int | None = None,
        vocabulary: LayVocabulary | None = None,
        fetch: ServiceFetcher | None = None,
    ) -> SearchIndex:
        """Return an index of the listed services (defunct and inactive ones left out).

        `services` may be a stream: each is read for its words and let go. `fetch` reads
        the services results show, by id (the store's `services_by_id`); without it the
        index keeps the listed services in memory to show them (for small lists and tests).
        `vocabulary` is the lay vocabulary (default: the bundled data/lay_vocabulary.json).
        """
        kept: dict[str, Service] = {}
        meanings = meanings_for(
            tuple(needs), vocabulary if vocabulary is not None else load_lay_vocabulary()
        )
        entries: list[_Entry] = []
        # Postings are appended as each service is read (numbers rise, so they stay in
        # order): 8 bytes a posting, where a dict of floats per word took about 100, and a
        # build of 50,000 services fits a kiosk PC.
        postings: dict[str, tuple[array[int], array[float]]] = {}
        topics: dict[str, tuple[list[int], list[float]]] = {}
        placed: dict[str, tuple[list[int], list[float]]] = {}  # for listing, not ranking
        for service in services:
            if not service.is_listed:
                continue
            number = len(entries)
            if fetch is None:
                kept[service.id] = service
            entry, weights, offered = _service_parts(service, meanings)
            entries.append(entry)
            for word, weight in weights.items():
                found = postings.get(word)
                if found is None:
                    found = postings[word] = (array("I"), array("f"))
                found[0].append(number)
                found[1].append(weight)
            for topic, (place, strength) in offered.items():
                numbers, strengths = topics.setdefault(topic, ([], []))
                numbers.append(number)
                strengths.append(strength)
                numbers, places = placed.setdefault(topic, ([], []))
                numbers.append(number)
                places.append(place)
        _list_under_topics(entries, placed, meanings)
        return cls(entries, postings, meanings, topics, version, fetch or _fetch_from(kept))

    # -- saving and loading (hub.index_file keeps these in the data folder) --

    def saved_parts(self) -> SavedParts:
        """Return what `from_saved_parts` needs to make this index again without the
        slow part of `build` (reading every service's words): the listed services' ids in
        index order, each word's postings, and each topic's services."""
        return SavedParts(
            entries=self._entries,
            postings=self._postings,
            topics=self._topic_members,
        )

    @classmethod
    def from_saved_parts(
        cls,
        parts: SavedParts,
        needs: Sequence[Need],
        *,
        fetch: ServiceFetcher,
        version: int | None = None,
        vocabulary: LayVocabulary | None = None,
    ) -> SearchIndex:
        """Return the index `build` would give, from parts `saved_parts` gave for the same
        directory, needs and vocabulary; `fetch` reads the services results show, by id.

        No service is read: the parts hold every entry. The caller checks that the parts
        fit (hub.index_file does): numbers in range, lengths equal.
        """
        meanings = meanings_for(
            tuple(needs), vocabulary if vocabulary is not None else load_lay_vocabulary()
        )
        entries = list(parts.entries)  # their facts keep what each is listed under
        return cls(entries, dict(parts.postings), meanings, dict(parts.topics), version, fetch)

    # -- one service changed (a staff edit), without building again --

    def with_change(
        self, previous: Service | None, current: Service | None, *, version: int | None
    ) -> tuple[SearchIndex, IndexChange]:
        """Return the index `build` would give once `previous` (None for a new service) is
        saved as `current` (None when it was deleted), and what changed in the saved parts
        (for hub.index_file).

        Only that service's words, topics and entry are worked out: its old postings are
        taken out and its new ones put in, so each word's document frequency (the length of
        its postings) and the number of listed services, all that the ranking counts
        corpus-wide, stay what a build would make. A service no longer listed leaves its
        place to the last one (whose postings are renumbered), so numbers stay dense.

        This index is left as it was (a search may be running on it in another thread):
        the arrays and lists that change are copied, the rest shared. Raises
        IndexOutOfStep when the index does not hold what `previous` says (it was built from
        another directory): the caller builds it again.
        """
        meanings = self._meanings
        entries = list(self._entries)
        postings = dict(self._postings)
        topics = dict(self._topic_members)
        change = IndexChange()
        either = current if current is not None else previous
        if either is None:
            raise ValueError("a change needs the service before it or after it")
        service_id = either.id
        if previous is not None and previous.id != service_id:
            raise ValueError("a change keeps the service's id")
        number = next(
            (n for n, entry in enumerate(entries) if entry.service_id == service_id), None
        )
        if (number is not None) != (previous is not None and previous.is_listed):
            raise IndexOutOfStep(f"the index does not list service {service_id} as it was")
        slots: list[tuple[int, _Entry | None, _Entry | None]] = []  # (number, out, in)
        if number is not None:
            assert previous is not None
            was, old_weights, old_topics = _service_parts(previous, meanings)
            was.listed_under = _needs_listed_under(was, _places(old_topics), meanings)
            if was.facts() != entries[number].facts():
                raise IndexOutOfStep(f"the index holds another copy of service {service_id}")
            _take_out(postings, old_weights, number, change.words, array_kind=True)
            _take_out(topics, _strengths(old_topics), number, change.topics, array_kind=False)
        if current is not None and current.is_listed:
            entry, weights, offered = _service_parts(current, meanings)
            entry.listed_under = _needs_listed_under(entry, _places(offered), meanings)
            if number is None:
                number = len(entries)
                entries.append(entry)
                slots.append((number, None, entry))
            else:
                slots.append((number, entries[number], entry))
                entries[number] = entry
            _put_in(postings, weights, number, change.words, array_kind=True)
            _put_in(topics, _strengths(offered), number, change.topics, array_kind=False)
            change.numbers.add(number)
        elif number is not None:
            last = len(entries) - 1
            if last != number:
                moved = entries[last]
                found = self._fetch([moved.service_id]).get(moved.service_id)
                if found is None:
                    raise IndexOutOfStep(f"service {moved.service_id} is not stored")
                stored, moved_weights, moved_topics = _service_parts(found, meanings)
                stored.listed_under = _needs_listed_under(stored, _places(moved_topics), meanings)
                if stored.facts() != moved.facts():
                    raise IndexOutOfStep(f"the index holds another copy of service {found.id}")
                _renumber(postings, moved_weights, last, number, change.words, array_kind=True)
                _renumber(
                    topics, _strengths(moved_topics), last, number, change.topics, array_kind=False
                )
                slots += [(number, entries[number], None), (last, moved, None)]
                slots.append((number, None, moved))
                entries[number] = moved
            else:
                slots.append((number, entries[number], None))
            entries.pop()
            change.numbers.update((number, last))
        index = self._patched(entries, postings, topics, version, slots, change.words)
        return index, change

    def _patched(
        self,
        entries: list[_Entry],
        postings: dict[str, tuple[array[int], array[float]]],
        topics: dict[str, tuple[list[int], list[float]]],
        version: int | None,
        slots: list[tuple[int, _Entry | None, _Entry | None]],
        words: set[str],
    ) -> SearchIndex:
        """Return a new index over the changed parts, with what `__init__` works out from
        every entry (need lists, name order, vocabulary) carried over from this one and
        changed only where `slots` say: each (number, entry taken out, entry put in).

        The result is what `__init__` would give (`with_change` says why it ranks alike);
        only the few lists and sets that change are copied.
        """
        index = object.__new__(SearchIndex)
        index._entries = entries
        index._fetch = self._fetch
        index._postings = postings
        index._meanings = self._meanings
        index._topic_members = topics
        index.version = version
        index._phrases_by_word = self._phrases_by_word
        index._phrase_forms = self._phrase_forms
        # Families join across the directory (a name less its town), so an edit may move
        # others: worked out afresh from the entries, as `__init__` does (one pass).
        index._families = _join_families(entries)
        listed_under: dict[str, list[int]] = defaultdict(list, self._listed_under)
        need_members = dict(self._need_members)
        order = list(self._order)
        by_name = list(self._by_name)
        status_factor = list(self._status_factor)
        seasonal = list(self._seasonal)
        copied: set[tuple[str, str]] = set()

        def own(kind: str, need_id: str) -> None:
            """Copy a need's lists before the first change to them."""
            if (kind, need_id) in copied:
                return
            copied.add((kind, need_id))
            if kind == "listed":
                listed_under[need_id] = list(listed_under.get(need_id, ()))
            else:
                numbers, factors = need_members.get(need_id, ([], []))
                need_members[need_id] = (list(numbers), list(factors))

        for number, out, put in slots:
            if out is not None:
                for need_id in out.listed_under:
                    own("listed", need_id)
                    listed_under[need_id].remove(number)
                for need_id in out.needs:
                    own("member", need_id)
                    numbers, factors = need_members[need_id]
                    place = numbers.index(number)
                    del numbers[place]
                    del factors[place]
                seasonal = [(n, windows) for n, windows in seasonal if n != number]
                gone = order[number]
                del by_name[gone]
                order = [place - 1 if place > gone else place for place in order]
                order[number] = -1  # free until an entry is put in
            if put is not None:
                for need_id in put.listed_under:
                    own("listed", need_id)
                    listed_under[need_id].append(number)
                for need_id in put.needs:
                    own("member", need_id)
                    numbers, factors = need_members[need_id]
                    numbers.append(number)
                    factors.append(_need_factor(put, need_id))
                if put.season is not None:
                    seasonal.append((number, put.season))
                # Its place among the entries in place, by name then id (a binary search).
                place = bisect.bisect_left(
                    by_name,
                    (put.name_key, put.service_id),
                    key=lambda n: (entries[n].name_key, entries[n].service_id),
                )
                by_name.insert(place, number)
                order = [later + 1 if later >= place else later for later in order]
                if number == len(order):
                    order.append(place)
                    status_factor.append(1.0)
                else:
                    order[number] = place
                status_factor[number] = TEMPORARILY_CLOSED_FACTOR if put.closed else 1.0
        del order[len(entries) :]
        del status_factor[len(entries) :]
        index._listed_under = listed_under
        index._need_members = need_members
        index._order = order
        index._by_name = by_name
        index._status_factor = status_factor
        index._seasonal = seasonal
        # The vocabulary: only the changed words can join or leave it.
        meaning_words = self._meanings.words
        known = set(self._known)
        sorted_vocabulary = list(self._sorted_vocabulary)
        by_length = dict(self._vocabulary_by_length)
        frequency = dict(self._document_frequency)
        for word in words:
            found = postings.get(word)
            if found is not None:
                frequency[word] = len(found[0])
            else:
                frequency.pop(word, None)
            now_known = found is not None or word in meaning_words
            if now_known == (word in known):
                continue
            same_length = list(by_length.get(len(word), ()))
            if now_known:
                known.add(word)
                bisect.insort(sorted_vocabulary, word)
                bisect.insort(same_length, word)
            else:
                known.discard(word)
                sorted_vocabulary.pop(bisect.bisect_left(sorted_vocabulary, word))
                same_length.pop(bisect.bisect_left(same_length, word))
            by_length[len(word)] = same_length
        index._known = known
        index._sorted_vocabulary = sorted_vocabulary
        index._document_frequency = frequency
        index._vocabulary_by_length = by_length
        index._forms = {}
        index._corrections = {}
        index._listed = len(entries)
        return index

    def is_stale(self, version: int) -> bool:
        """Return True when the directory has changed since this index was built."""
        return self.version != version

    def __len__(self) -> int:
        return self._listed

    @property
    def vocabulary_size(self) -> int:
        """Return how many distinct words the index and the needs know."""
        return len(self._sorted_vocabulary)

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
        asked_for = query_asked_for(query)  # "for men": a women-only service cannot help
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
            only_for = entries[number].only_for
            if asked_for and only_for and only_for != asked_for:
                score *= ONLY_FOR_OTHERS_FACTOR
            ranked.append((-score, order[number], number))
        if moment is not None:
            ranked = self._at_the_moment(ranked, moment, now, max(MOMENT_RERANK, 4 * limit))
        chosen = spaced(self._top(ranked, filters, now, limit), self._families, FAMILY_SPACING)
        shown = self._fetch([entries[number].service_id for number, _score in chosen])
        return [
            Result(
                service=service,
                score=round(score, 3),
                matched_needs=tuple(sorted(set(matched) & entries[number].needs)),
                timetable=entries[number].timetable,
                not_running_now=number in off_season,
            )
            for number, score in chosen
            # Left out when gone or retired since the index was made: a kiosk answers from
            # the index in hand while it builds a new one (Hub.search_index).
            if (service := shown.get(entries[number].service_id)) is not None and service.is_listed
        ]


# --- changing one service's parts ----------------------------------------------------


class IndexOutOfStep(Exception):
    """The index does not hold a service as the directory had it: build it again."""


@dataclass
class IndexChange:
    """What `SearchIndex.with_change` changed: the words and topics whose postings differ,
    and the service numbers whose entry is new or gone (a number past the end is gone)."""

    words: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    numbers: set[int] = field(default_factory=set)


_Postings = dict[str, tuple[Any, Any]]
"""word -> (numbers, values): array("I"), array("f") for words; lists for topics."""


def _service_parts(
    service: Service, meanings: _Meanings
) -> tuple[_Entry, dict[str, float], dict[str, tuple[float, float]]]:
    """Return what the index keeps about one listed service: its entry, each of its words
    with its weight, and each topic its words offer with (where it is said, how much it
    counts): see `_topics_offered`."""
    entry = _entry_for(service)
    fields = _field_tokens(service)
    scales = _field_scales(service, fields)
    return entry, _field_weights(fields, scales), _topics_offered(fields, meanings, scales)


def _copied(numbers: Any, values: Any, *, array_kind: bool) -> tuple[Any, Any]:
    """Return copies of a posting's numbers and values, of the kind the index keeps."""
    if array_kind:
        return array("I", numbers), array("f", values)
    return list(numbers), list(values)


def _take_out(
    postings: _Postings, keys: Iterable[str], number: int, touched: set[str], *, array_kind: bool
) -> None:
    """Take service `number` out of each key's postings (copied first); a key left with
    none is dropped, as a build would never have made it."""
    for key in keys:
        found = postings.get(key)
        if found is None or number not in found[0]:
            raise IndexOutOfStep(f"the index does not hold {key!r} for a service")
        numbers, values = _copied(*found, array_kind=array_kind)
        place = numbers.index(number)
        del numbers[place]
        del values[place]
        if numbers:
            postings[key] = (numbers, values)
        else:
            del postings[key]
        touched.add(key)


def _put_in(
    postings: _Postings,
    values_by_key: Mapping[str, float],
    number: int,
    touched: set[str],
    *,
    array_kind: bool,
) -> None:
    """Add service `number` to each key's postings (copied first) with its value."""
    for key, value in values_by_key.items():
        found = postings.get(key)
        if found is None:
            numbers, values = _copied((), (), array_kind=array_kind)
        else:
            numbers, values = _copied(*found, array_kind=array_kind)
        numbers.append(number)
        values.append(value)
        postings[key] = (numbers, values)
        touched.add(key)


def _renumber(
    postings: _Postings,
    keys: Iterable[str],
    old: int,
    new: int,
    touched: set[str],
    *,
    array_kind: bool,
) -> None:
    """Give service `old` the number `new` in each key's postings (copied first)."""
    for key in keys:
        found = postings.get(key)
        if found is None or old not in found[0]:
            raise IndexOutOfStep(f"the index does not hold {key!r} for a service")
        numbers, values = _copied(*found, array_kind=array_kind)
        numbers[numbers.index(old)] = new
        postings[key] = (numbers, values)
        touched.add(key)


def _need_factor(entry: _Entry, need_id: str) -> float:
    """Return how much a need counts for a service: its first need is what it is mainly
    for, later ones a little less, and a service of many needs less for each."""
    return (
        1.0
        / (1.0 + 0.25 * entry.need_order.index(need_id))
        / (1.0 + BREADTH * (len(entry.needs) - 1))
    )


def _strengths(offered: Mapping[str, tuple[float, float]]) -> dict[str, float]:
    """Return each offered topic's ranking figure (what the index's topic postings hold)."""
    return {topic: strength for topic, (_place, strength) in offered.items()}


def _places(offered: Mapping[str, tuple[float, float]]) -> dict[str, float]:
    """Return each offered topic's listing figure: where it is said, not how often."""
    return {topic: place for topic, (place, _strength) in offered.items()}


def _needs_listed_under(
    entry: _Entry, offered: Mapping[str, float], meanings: _Meanings
) -> frozenset[str]:
    """Return the needs one service is listed under, as `_list_under_topics` works out
    (`offered`: each topic with its listing figure, see `_places`)."""
    listed = set(entry.needs)
    for topic, strength in offered.items():
        topic_needs = meanings.topic_needs.get(topic, ())
        if topic_needs and strength >= LISTED_BY_TOPIC_STRENGTH:
            listed.add(topic_needs[0])
    return frozenset(listed)


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


def _fetch_from(services: Mapping[str, Service]) -> ServiceFetcher:
    """Return a fetcher over services held in memory (an index built without a store)."""

    def fetch(service_ids: Sequence[str]) -> Mapping[str, Service]:
        return {i: services[i] for i in service_ids if i in services}

    return fetch


def today_in_london(now: datetime) -> date:
    """Return the London date at `now`: the day unmet searches are logged under."""
    return now.astimezone(LONDON).date()


# The names other modules import from here, wherever they now live.
__all__ = [
    "NO_FILTERS",
    "DirectorySource",
    "Filters",
    "IndexCache",
    "Result",
    "SavedParts",
    "SearchIndex",
    "ServiceFetcher",
    "is_searchable",
    "query_moment",
    "stem",
    "today_in_london",
    "words",
]
