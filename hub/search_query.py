"""Reading a query against the index: corrections, other forms, and the needs it says.

`QueryReading` is the part of `hub.search.SearchIndex` that turns what a visitor typed into
index words (with how sure each is: a correction, a longer word while typing, another form
of the same word) and into evidence for needs and topics. It is a base class, not a
separate object, because it reads the index's vocabulary on every keystroke.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections import defaultdict

from rapidfuzz import fuzz, process

from hub.lay_vocabulary import ANYONE
from hub.needs import normalise
from hub.search_parts import _Meanings, _Phrase, _QueryWord, _telling
from hub.search_weights import (
    CORRECTION_CONFIDENCE,
    EXTRA_PHRASE_SHARE,
    FORM_CONFIDENCE,
    HINT_STRENGTH,
    KNOWN_PREFIX_CONFIDENCE,
    MAX_PREFIX_EXPANSIONS,
    PHRASE_IDF_FLOOR,
    POSSESSIVES,
    PREFIX_CONFIDENCE,
    PREFIX_MIN_LENGTH,
    SUBSUMED_SHARE,
    TOPIC_NEED_SHARE,
    TOPIC_PREFIX,
)
from hub.search_words import (
    _SAME_AS,
    HOME_WORDS,
    STOP_WORDS,
    VAGUE_WORDS,
    _age_groups,
    _correction_cutoff,
    _home_places,
    _moment_places,
    _root,
    _self_described,
    stem,
)
from hub.text import is_real_word, word_tokens


class QueryReading:
    """Query understanding over an index's vocabulary (see SearchIndex).

    The attributes are the index's, set by `SearchIndex.__init__`.
    """

    _postings: dict[str, tuple[array[int], array[float]]]
    _meanings: _Meanings
    _phrases_by_word: dict[str, list[_Phrase]]
    _phrase_forms: dict[str, list[str]]
    _known: set[str]
    _sorted_vocabulary: list[str]
    _document_frequency: dict[str, int]
    _vocabulary_by_length: dict[int, list[str]]
    _forms: dict[str, list[str]]
    _corrections: dict[str, tuple[str, float] | None]
    _listed: int

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
        homes = _home_places(tokens)  # "in the house" says where, not what
        asker = _self_described(tokens)  # "im a man" says who is asking, not what
        raw = [
            (
                word,
                place in after_possessive or place in ages,
                ages.get(place),
                place in homes or place in asker,
            )
            for place, word in enumerate(tokens)
            if word not in STOP_WORDS and place not in times
        ]
        # Only the query's very last word may be still being typed ("food today": not "food").
        typing_last = bool(query) and not query[-1].isspace() and bool(tokens)
        typing_last = typing_last and tokens[-1] not in STOP_WORDS
        typing_last = typing_last and len(tokens) - 1 not in _moment_places(tokens)
        relation_groups = self._meanings.relation_groups
        result: list[_QueryWord] = []
        for position, (plain, possessed, age_group, aside) in enumerate(raw):
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
            result.append(_QueryWord(plain, alternatives, context=aside))
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
        scene: set[int] = set()  # "house" in "cold house": a phrase's word, never its meaning
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
            if query_word.text in HOME_WORDS:
                scene.add(position)
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
                        and present[w][1] not in scene
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
            # disability, so "learning" alone says the learning need only at SUBSUMED_SHARE,
            # and "benefits" money in general once "manage my brother's benefits" has said
            # appointeeship; but "depression" in "postnatal depression" still says low mood.
            # A need inside another's phrase stays dropped: a topic names a meaning, a need
            # is broad, and "dads" in "groups for dads" says families only through dads.
            share = SUBSUMED_SHARE if concept.startswith(TOPIC_PREFIX) else 0.0
            hits = [
                (strength * share, bits)
                if any(
                    other != concept and bits & longer == bits and bits != longer
                    for longer, other in whole
                )
                else (strength, bits)
                for strength, bits in hits
            ]
            hits = [(strength, bits) for strength, bits in hits if strength > 0.0]
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
