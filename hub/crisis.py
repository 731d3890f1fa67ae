"""Which urgent kinds a search touches (suicide, abuse, danger now...), and which lines to show.

The phrases are data, in data/crisis_phrases.json, so that hub staff can read and extend
them; its "about" says how. A phrase is a handful of words that must all be somewhere in
the search, in any order, with anything else around them. Each word is compared by its
Snowball stem with doubled letters counted once ("harmming" and "harming" are "harm",
"kil" and "kill" are one word; a doubled e or o stays: "career" is not "carer"), but
for tense: a past in -ed ("killed") fills a phrase word only where the phrase writes a
past, so "want kill someone" is not completed by a bereavement ("was killed"),
apostrophes are dropped ("isn't" is "isnt"), and a word that is no English word at all
forgives one slip towards a few long, distinctive words listed in the file ("suicdal") or
towards any phrase word of its first letter ("boyfrend", "harmimg"); a real word never
does ("conscious" is not "unconscious"). A phrase marked "separate" needs a
different search word for each of its words: "@kin hits my @kin" wants two relatives, so
one relative ("my son hit his head") cannot fill both places. A phrase may also name word
runs that make it ordinary ("unless_seq": "@takes me to": a carer taking someone to the
bank is help, not theft), and the file lists everyday sayings ("everyday": "died
laughing") whose words count for no phrase at all, and runs that say a plain word another
way ("means": "knocks her about" is "hits her"), so slang reaches every phrase written
with the plain word. A four-letter word that is no English word counts as a phrase word
with one letter left out ("chid": child).

Why not the search engine's spelling correction: it "corrects" words towards the
directory's vocabulary, which once turned "harming" into "hearing". Here only a word
found in no English word list is corrected, towards the short list of long crisis words
or the phrases' own words; a real word is never bent into another.

This runs on every pause in typing, so it is built once (cached) and then costs a few
dictionary look-ups per word: well under a millisecond for a kiosk search.

Why one module of about 800 lines: the phrase file's reader (`parse_crisis_phrases`, with
its expansions) and the matcher (`phrase_fires`) share one private form of a phrase
(`Phrase`, word keys, slots); the reader builds exactly what the matcher walks. Apart,
the pair could drift, and a phrase that reads well could silently never fire.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args

import snowballstemmer
from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne

from hub.locations import bundled_file
from hub.models import CrisisKind, UrgentHelp, UrgentLine
from hub.text import COMMON_WORDS, ENGLISH_WORDS_FILE, is_real_word

__all__ = [
    "CRISIS_KINDS",
    "EVERYONE",
    "CrisisPhrases",
    "CrisisPhrasesError",
    "crisis_kinds",
    "crisis_needs",
    "kind_label",
    "load_crisis_phrases",
    "urgent_lines_for",
]

PHRASES_FILE = "crisis_phrases.json"
CRISIS_KINDS: tuple[str, ...] = get_args(CrisisKind)
"""Every kind, in the order the urgent lines are offered when several apply."""
EVERYONE = "everyone"
"""An urgent line's kind meaning "anyone in distress": listed after the specialist lines."""
DANGER_NOW = "danger-now"
MAX_QUERY_CHARS = 500
"""Only this much of a query is read: a kiosk box holds 100, a pasted essay is not a search."""
FUZZY_MIN_LENGTH = 6
"""Words shorter than this are never treated as a misspelling: too many real words are
one letter from a short word ("hit", "sit", "kit")."""
MAX_REMEMBERED_SLIPS = 50_000
"""Words whose slip check is remembered, at most (then the memory starts again)."""
FUZZY_TWO_SLIPS_LENGTH = 9
"""From this length a word may be two slips from a fuzzy word ("paracetemol")."""
MANY_FROM = 10
"""A number from this up ("took 20 paracetamol") also counts as the word "many": ten or more
tablets at once is an overdose, and a phrase says "many" rather than every number."""
MANY_KEY = "mani"
"""The word key of "many" (its Snowball stem)."""
TYPO_MIN_LENGTH = 5
TYPO_SHORT_LENGTH = 4
"""A shorter word that is no English word, from this length, is read only as a phrase word
with one letter left out ("chid": child, "abse": abuse), never as one with a letter changed:
four letters leave too many near neighbours ("nasa" is not "nana")."""
"""A word that is no English word at all ("boyfrend", "harmimg") and at least this long is
read as a slip of the phrases' word one letter from it (two from nine letters), if any."""

PAST = "+ed"
"""Added to the word key of a regular past ("killed" is "kill+ed"). A phrase word written in
the past ("pushed") stands for every tense of it; one written in the present or as -ing
("kill", "killing") stands for those only: "want kill someone" is an intention, and "my dog
was killed by a car, I want to talk to someone" is grief (see _slot_keys)."""

EXACT = "="
"""Written before a phrase word ("want =die"), it matches that very word and not its other
forms: "dying" shares the stem of "die" (and a past such as "died" fills only a phrase word
written in the past, see PAST), and "my wife is dying, I want to talk to someone" is grief,
not a wish to die."""

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`´]")
_NOT_WORD = re.compile(r"[\W_]+")
_DOUBLED = re.compile(r"([^eo])\1+")
"""A doubled letter, counted once ("harmming", "kil"), except a doubled e or o: there the
double is most often a different word ("career" is not "carer", "too" not "to", "good" not
"god"), so "my career hurts me" must not read as a carer hurting someone."""
_STEMMER_LOCK = threading.Lock()
_STEMMER = snowballstemmer.stemmer("english")


class CrisisPhrasesError(ValueError):
    """The crisis phrases file is missing or wrong; the message says where and what."""


# --- words ------------------------------------------------------------------------------


def _plain_words(text: str) -> list[str]:
    """Return the text's words: casefolded, accents and apostrophes dropped, in order."""
    text = _APOSTROPHES.sub("", text[:MAX_QUERY_CHARS].casefold())
    if not text.isascii():
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    return [word for word in _NOT_WORD.split(text) if word]


@lru_cache(maxsize=8192)
def word_key(word: str) -> str:
    """Return how a (plain) word is compared: its stem, with doubled letters counted once
    (but for e and o: see _DOUBLED).

    Numbers are kept as they are ("999"): doubled digits matter, and there is no stem. A
    phrase word written "=die" is compared as written, not by its stem (see _expand).
    """
    if word.isdigit() or word.startswith(EXACT):
        return word
    # The stemmer keeps state while it works, and the UI thread and a search worker both
    # check words: one word at a time, or a word is cut short mid-stem (IndexError).
    with _STEMMER_LOCK:
        stem = str(_STEMMER.stemWord(word))
    key = _DOUBLED.sub(r"\1", stem)
    # A regular past: the stemmer took its -ed ("killed", "died", "raped"), where a word like
    # "need" or "speed" keeps it. An -ed word that is no verb ("naked") is marked too, which
    # is harmless: phrase and search mark it alike.
    if word.endswith("ed") and not stem.endswith("ed"):
        return key + PAST
    return key


def _any_tense(key: str) -> frozenset[str]:
    """Return a word key and its other tense ("kill" -> "kill", "kill+ed"): what a word
    written in the past stands for, and what an "unless" word or a run matches."""
    if key.startswith(EXACT) or key.isdigit():
        return frozenset((key,))
    base = key.removesuffix(PAST)
    return frozenset((base, base + PAST))


def _slot_keys(word: str) -> frozenset[str]:
    """Return the keys a phrase word stands for: a past ("pushed") every tense of it, any
    other form ("kill", "killing") its own stem only, so a past in the search ("killed")
    does not complete a phrase written for an intention ("want kill someone")."""
    key = word_key(word)
    return _any_tense(key) if key.endswith(PAST) else frozenset((key,))


def _squeeze(word: str) -> str:
    """Return the word with doubled letters counted once ("harmming" -> "harming"), but for
    e and o (see _DOUBLED)."""
    return _DOUBLED.sub(r"\1", word)


# --- the phrases ------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """One phrase: every slot must be in the search (a slot is a set of word keys)."""

    kind: str
    text: str
    slots: tuple[frozenset[str], ...]
    unless: frozenset[str]
    separate: bool = False
    """Each slot needs a word of its own: "@kin @hurts my @kin" wants two relatives, so
    "my son hurt his head" (one relative, filling both) does not fire."""
    unless_seq: tuple[tuple[frozenset[str], ...], ...] = ()
    with_seq: tuple[tuple[frozenset[str], ...], ...] = ()
    """Word runs of which one must stand side by side in the search (when any are named):
    "wish dead" with "i was dead" is a wish to die; "my husband is dead, I wish I could
    talk to him" has "wish" and "dead" but is grief."""
    """Word runs that, side by side in the search, mean something ordinary: "@takes me to"
    (a carer taking someone to the bank is help, not theft). The phrase does not fire then."""


@dataclass(frozen=True)
class CrisisPhrases:
    """The phrases for every kind, indexed by word key so a search checks only a few."""

    phrases: tuple[Phrase, ...]
    by_key: Mapping[str, tuple[int, ...]]
    """Word key -> the phrases to check when a search holds it (each phrase is filed under
    one of its slots, the one of least-used words: the others are checked on the way)."""
    same_as: Mapping[tuple[str, ...], tuple[str, ...]]
    """Ways of writing a word as two ("do not") -> the one word the phrases use ("dont")."""
    fuzzy: Mapping[str, str]
    """A long crisis word, doubled letters squeezed -> its word key."""
    vocabulary: frozenset[str]
    """Every word key any phrase uses (a word with such a key is never fuzzed)."""
    labels: Mapping[str, str]
    """Kind id -> what staff call it ("Domestic abuse"), for reports."""
    exact: frozenset[str] = frozenset()
    """The phrase words compared as written ("=die"), with their "="."""
    typo_targets: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """First letter -> every phrase word of TYPO_MIN_LENGTH+ letters starting with it,
    doubled letters squeezed -> its word key: what a word that is no English word may be
    a slip of ("boyfrend" -> "boyfriend")."""
    everyday: tuple[tuple[frozenset[str], ...], ...] = ()
    """Word runs that are everyday sayings ("died laughing", "to die for"): their words
    count for no phrase, wherever they stand in the search."""
    means: tuple[tuple[tuple[frozenset[str], ...], frozenset[str]], ...] = ()
    """Word runs that say a plain word another way ("knocks her about": hits), with the
    keys of that word: its first word also counts as that word, in its place."""
    needs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Kind id -> the hub needs whose services serve it (suicide and self-harm: feeling low),
    so a crisis search lists those services first, under the urgent lines."""
    _slips: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)
    """Words already looked up as possible slips (a report reads thousands of searches)."""

    def kinds_in(self, query: str) -> frozenset[str]:
        """Return the kinds whose phrases all appear in the query (see crisis_kinds)."""
        words = self._word_keys(query)
        keys: set[str] = set().union(*words)
        if not keys:
            return frozenset()
        candidates: set[int] = set()
        for key in keys:
            candidates.update(self.by_key.get(key, ()))
        found: set[str] = set()
        for number in candidates:
            phrase = self.phrases[number]
            if phrase.kind in found:
                continue
            if phrase_fires(phrase, keys, words):
                found.add(phrase.kind)
        return frozenset(found)

    def _keys(self, query: str) -> set[str]:
        """Return the word keys of a query, after joining "do not" and forgiving slips."""
        return set().union(*self._word_keys(query))

    def _word_keys(self, query: str) -> list[frozenset[str]]:
        """Return, per word of the query (after joining "do not"), the keys it counts as:
        its own, and the crisis word it is a slip of, if any."""
        words = _join_same(_plain_words(query), self.same_as)
        out: list[frozenset[str]] = []
        exact = self.exact
        for word in words:
            key = word_key(word)
            if exact and EXACT + word in exact:
                out.append(frozenset((key, EXACT + word)))
                continue
            if word.isdigit() and len(word) <= 4 and int(word) >= MANY_FROM:
                out.append(frozenset((key, MANY_KEY)))
                continue
            if key not in self.vocabulary and len(word) >= TYPO_SHORT_LENGTH and word.isalpha():
                fixed = self._fuzzy_key(word)
                if fixed is not None:
                    out.append(frozenset((key, fixed)))
                    continue
            out.append(frozenset((key,)))
        if self.means:
            _add_meanings(out, self.means)
        if self.everyday:
            _drop_sayings(out, self.everyday)
        return out

    def _fuzzy_key(self, word: str) -> str | None:
        """Return the key of the fuzzy crisis word this word is a slip of, if any."""
        if word in self._slips:
            return self._slips[word]
        if len(self._slips) >= MAX_REMEMBERED_SLIPS:
            self._slips.clear()
        found = self._slip_of(word)
        self._slips[word] = found
        return found

    def _slip_of(self, word: str) -> str | None:
        """Return the key of the crisis word this word is a slip of, or None.

        Only a word that is no English word at all (not in data/english_words.txt) is read
        as a slip; a real word is never bent into another ("hearing" stays "hearing",
        "conscious" stays "conscious"), so this cannot turn an everyday word into a crisis
        word. Two tiers: the "fuzzy" words of the file (long, distinctive) forgive a slip in
        any such word of FUZZY_MIN_LENGTH+ letters; every other phrase word forgives a slip
        only in one that starts with the same letter: "boyfrend", "harmimg", "strangeld".
        """
        # A real word is never bent into another, not even towards the long crisis words:
        # "conscious" is two slips from "unconscious", "overcoming" from "overdosing",
        # "estranged" from "strangled", "overdoing" one from "overdosing".
        if is_real_word(word):
            return None
        squeezed = _squeeze(word)
        slips = 2 if len(squeezed) >= FUZZY_TWO_SLIPS_LENGTH else 1
        # OSA counts a swap of two letters ("myslef") as one slip, as people make them.
        if len(word) >= FUZZY_MIN_LENGTH:
            best = extractOne(squeezed, self.fuzzy.keys(), scorer=OSA.distance, score_cutoff=slips)
            if best is not None:
                return self.fuzzy[best[0]]
        targets = self.typo_targets.get(squeezed[0])
        if not targets:
            return None
        if len(word) < TYPO_MIN_LENGTH:
            # A short word: only a phrase word with one letter left out ("chid": "child").
            for target, key in targets.items():
                if len(target) == len(squeezed) + 1 and OSA.distance(squeezed, target) == 1:
                    return key
            return None
        best = extractOne(squeezed, targets.keys(), scorer=OSA.distance, score_cutoff=slips)
        if best is None:
            return None
        return targets[best[0]]


def phrase_fires(
    phrase: Phrase, keys: set[str] | frozenset[str], words: Sequence[frozenset[str]]
) -> bool:
    """Return whether a phrase fires for a search (its word keys, and per word its keys)."""
    return (
        all(not slot.isdisjoint(keys) for slot in phrase.slots)
        and phrase.unless.isdisjoint(keys)
        and (not phrase.separate or _fills_apart(phrase.slots, words))
        and not any(_has_run(run, words, keys) for run in phrase.unless_seq)
        and (not phrase.with_seq or any(_has_run(run, words, keys) for run in phrase.with_seq))
    )


def _has_run(
    run: Sequence[frozenset[str]],
    words: Sequence[frozenset[str]],
    keys: set[str] | frozenset[str] | None = None,
) -> bool:
    """Return whether the words hold the run side by side ("takes" "me" "to").

    keys, the search's word keys if given, rule out at once a run with a word not in it.
    """
    if keys is not None and any(place.isdisjoint(keys) for place in run):
        return False
    first, rest = run[0], run[1:]
    # A plain loop, first word first: this runs for every phrase a search wakes, on every
    # pause in typing, and most places fail at the first word.
    for start in range(len(words) - len(rest)):
        if first.isdisjoint(words[start]):
            continue
        if all(not keys.isdisjoint(words[start + 1 + step]) for step, keys in enumerate(rest)):
            return True
    return False


def _add_meanings(
    words: list[frozenset[str]],
    means: Sequence[tuple[Sequence[frozenset[str]], frozenset[str]]],
) -> None:
    """Add, in place, to the first word of every run in `means` found in the search the
    keys of the plain word it means: "knocks her about" then reads as "hits her about",
    so every phrase written with "hits" ("@partner @violent", "@carer @violent") hears it
    without a copy of each phrase per way of saying it.
    """
    present: set[str] = set().union(*words)
    for run, meant in means:
        if run[0].isdisjoint(present):
            continue
        for start in range(len(words) - len(run) + 1):
            if all(not run[step].isdisjoint(words[start + step]) for step in range(len(run))):
                words[start] = words[start] | meant


def _drop_sayings(words: list[frozenset[str]], sayings: Sequence[Sequence[frozenset[str]]]) -> None:
    """Empty, in place, the words of every everyday saying in the search ("died laughing").

    A saying is a run of words side by side; its words then count for no phrase, so "we
    nearly died laughing" is not "died" (the rest of the search still counts).
    """
    for run in sayings:
        for start in range(len(words) - len(run) + 1):
            if run[0].isdisjoint(words[start]):
                continue
            if all(not run[step].isdisjoint(words[start + step]) for step in range(len(run))):
                for step in range(len(run)):
                    words[start + step] = frozenset()


def _fills_apart(
    slots: Sequence[frozenset[str]],
    words: Sequence[frozenset[str]],
    used: frozenset[int] = frozenset(),
) -> bool:
    """Return whether each slot can be filled by a different word (the word keys given).

    A phrase has a handful of slots and a search a few dozen words, so trying each word
    for the first slot and the rest recursively is quick.
    """
    if not slots:
        return True
    first, rest = slots[0], slots[1:]
    return any(
        index not in used
        and not first.isdisjoint(keys)
        and _fills_apart(rest, words, used | {index})
        for index, keys in enumerate(words)
    )


def _join_same(
    words: Sequence[str], same_as: Mapping[tuple[str, ...], tuple[str, ...]]
) -> list[str]:
    """Return the words, plus the one word each form in same_as stands for ("do not": "dont").

    The original words stay too: "want to" adds "wanna" but "want" must still count.
    """
    out = list(words)
    if not same_as:
        return out
    for index, word in enumerate(words):
        out.extend(same_as.get((word,), ()))
        if index + 1 < len(words):
            out.extend(same_as.get((word, words[index + 1]), ()))
    return out


def _expand(
    token: str,
    groups: Mapping[str, Sequence[str]],
    where: str,
    seen: tuple[str, ...] = (),
    expanded: dict[str, frozenset[str]] | None = None,
) -> set[str]:
    """Return the plain words a phrase token stands for ("a|@group|b").

    expanded, if given, remembers each group's words once read: hundreds of phrases name
    the same few groups ("@not_crisis_topic", "@carer"), and reading them afresh each time
    was most of the file's load time, which every start of the CLI pays.
    """
    words: set[str] = set()
    for part in token.split("|"):
        part = part.strip()
        if not part:
            raise CrisisPhrasesError(f"{where}: an empty choice in {token!r}")
        if part.startswith("@"):
            name = part[1:]
            if name not in groups:
                raise CrisisPhrasesError(f"{where}: there is no group {part!r}")
            if name in seen:
                raise CrisisPhrasesError(f"{where}: the group {part!r} contains itself")
            known = expanded.get(name) if expanded is not None else None
            if known is None:
                members: set[str] = set()
                for member in groups[name]:
                    members |= _expand(
                        member, groups, f"{where} (group {part})", (*seen, name), expanded
                    )
                known = frozenset(members)
                if expanded is not None:
                    expanded[name] = known
            words |= known
        else:
            exact = part.startswith(EXACT)
            plain = _plain_words(part.removeprefix(EXACT))
            if len(plain) != 1:
                raise CrisisPhrasesError(f"{where}: {part!r} is not one word")
            words.add(EXACT + plain[0] if exact else plain[0])
    return words


def _phrase_entry(entry: Any, where: str) -> tuple[str, list[str], bool, list[str], list[str]]:
    """Return a phrase's words, its "unless" words, whether each word must be a separate
    word of the search, its "unless_seq" runs and its "with_seq" runs, from a string or an
    object."""
    if isinstance(entry, str):
        return entry, [], False, [], []
    if (
        isinstance(entry, dict)
        and isinstance(entry.get("words"), str)
        and set(entry) <= {"words", "unless", "separate", "unless_seq", "with_seq"}
        and all(
            isinstance(entry.get(name, []), list)
            and all(isinstance(word, str) for word in entry.get(name, []))
            for name in ("unless", "unless_seq", "with_seq")
        )
        and isinstance(entry.get("separate", False), bool)
    ):
        return (
            entry["words"],
            list(entry.get("unless", [])),
            bool(entry.get("separate", False)),
            list(entry.get("unless_seq", [])),
            list(entry.get("with_seq", [])),
        )
    raise CrisisPhrasesError(
        f'{where}: a phrase is a string or {{"words": "...", "unless": ["..."],'
        f' "separate": true, "unless_seq": ["..."], "with_seq": ["..."]}}, not {entry!r}'
    )


def _one_copy(shared: dict[frozenset[str], frozenset[str]], keys: frozenset[str]) -> frozenset[str]:
    """Return the one copy of `keys` kept in `shared`: the many phrases that name the same
    group ("@older", "@child") share one set of its word keys instead of a copy each."""
    return shared.setdefault(keys, keys)


def _runs(
    runs: Sequence[str],
    groups: Mapping[str, Sequence[str]],
    where: str,
    shared: dict[frozenset[str], frozenset[str]],
    expanded: dict[str, frozenset[str]] | None = None,
) -> tuple[tuple[frozenset[str], ...], ...]:
    """Return word runs ("@takes me to") as, per place, the word keys that may stand there."""
    out: list[tuple[frozenset[str], ...]] = []
    for run in runs:
        if not run.split():
            raise CrisisPhrasesError(f"{where}: an empty run")
        out.append(
            tuple(
                _one_copy(
                    shared,
                    frozenset().union(
                        *(
                            _any_tense(word_key(w))
                            for w in _expand(token, groups, where, (), expanded)
                        )
                    ),
                )
                for token in run.split()
            )
        )
    return tuple(out)


RARE_WORD = 1 / (4 * COMMON_WORDS)
"""How often a word outside the commonest English words is met in a search, roughly."""


def _commonness() -> dict[str, float]:
    """Return, for each of the COMMON_WORDS commonest English words, about how often it is
    met (1 / its rank, as word frequencies fall): what a phrase's slot costs to watch for.

    Only the first lines of data/english_words.txt are read (commonest first).
    """
    found: dict[str, float] = {}
    with bundled_file(ENGLISH_WORDS_FILE).open(encoding="utf-8") as lines:
        for line in lines:
            word = line.strip()
            if word and not word.startswith("#"):
                found.setdefault(word, 1 / (len(found) + 10))
                if len(found) >= COMMON_WORDS:
                    break
    return found


def _unless_keys(
    token: str,
    groups: Mapping[str, Sequence[str]],
    where: str,
    group_words: dict[str, frozenset[str]],
) -> frozenset[str]:
    """Return the word keys, in every tense, of an "unless" token ("@not_fire|smoke")."""
    words = _expand(token, groups, where, (), group_words)
    return frozenset(key for w in words for key in _any_tense(word_key(w)))


def parse_crisis_phrases(data: Any, where: str) -> CrisisPhrases:
    """Return the phrases in a crisis phrases document; raise CrisisPhrasesError if wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("kinds"), dict):
        raise CrisisPhrasesError(f'{where}: expected an object with "kinds"')
    groups = data.get("groups", {})
    if not isinstance(groups, dict) or not all(
        isinstance(words, list) and all(isinstance(w, str) for w in words)
        for words in groups.values()
    ):
        raise CrisisPhrasesError(f'{where}: "groups" must map names to lists of words')
    unknown = set(data["kinds"]) - set(CRISIS_KINDS)
    if unknown:
        raise CrisisPhrasesError(
            f"{where}: unknown kind {sorted(unknown)[0]!r}; use one of {', '.join(CRISIS_KINDS)}"
        )
    phrases: list[Phrase] = []
    shared: dict[frozenset[str], frozenset[str]] = {}
    group_words: dict[str, frozenset[str]] = {}
    token_slots: dict[str, frozenset[str]] = {}
    token_costs: dict[str, float] = {}
    slot_costs: list[tuple[float, ...]] = []
    commonness = _commonness()
    phrase_words: set[str] = set()
    labels: dict[str, str] = {}
    kind_needs: dict[str, tuple[str, ...]] = {}
    for kind, body in data["kinds"].items():
        entries = body.get("phrases") if isinstance(body, dict) else None
        if not isinstance(entries, list) or not entries:
            raise CrisisPhrasesError(f'{where}: kind {kind!r} needs a list of "phrases"')
        labels[kind] = str(body.get("label") or kind)
        needs = body.get("needs", [])
        if not isinstance(needs, list) or not all(isinstance(n, str) and n for n in needs):
            raise CrisisPhrasesError(f'{where}: kind {kind!r}: "needs" must be a list of need ids')
        kind_needs[kind] = tuple(needs)
        for number, entry in enumerate(entries, start=1):
            place = f"{where}: {kind} phrase {number}"
            words, unless, separate, unless_seq, with_seq = _phrase_entry(entry, place)
            tokens = words.split()
            if not tokens:
                raise CrisisPhrasesError(f"{place}: the phrase is empty")
            slot_list: list[frozenset[str]] = []
            cost_list: list[float] = []
            for token in tokens:
                # A token ("@carer|staff") recurs in many phrases: its keys are worked out once.
                slot = token_slots.get(token)
                if slot is None:
                    choices = _expand(token, groups, place, (), group_words)
                    phrase_words.update(choices)
                    slot = _one_copy(shared, frozenset().union(*map(_slot_keys, choices)))
                    token_slots[token] = slot
                    token_costs[token] = sum(
                        commonness.get(w.removeprefix(EXACT), RARE_WORD) for w in choices
                    )
                slot_list.append(slot)
                cost_list.append(token_costs[token])
            slots = tuple(slot_list)
            slot_costs.append(tuple(cost_list))
            unless_keys = _one_copy(
                shared,
                frozenset().union(
                    *(_unless_keys(token, groups, place, group_words) for token in unless)
                ),
            )
            phrases.append(
                Phrase(
                    kind,
                    words,
                    slots,
                    unless_keys,
                    separate,
                    _runs(unless_seq, groups, f"{place} unless_seq", shared, group_words),
                    _runs(with_seq, groups, f"{place} with_seq", shared, group_words),
                )
            )
    same_as: dict[tuple[str, ...], tuple[str, ...]] = {}
    for written, meant in dict(data.get("same_as", {})).items():
        form = tuple(_plain_words(str(written)))
        if not 1 <= len(form) <= 2:
            raise CrisisPhrasesError(f'{where}: "same_as" {written!r} must be one or two words')
        same_as[form] = tuple(_plain_words(str(meant)))
    sayings = data.get("everyday", [])
    if not isinstance(sayings, list) or not all(isinstance(run, str) for run in sayings):
        raise CrisisPhrasesError(f'{where}: "everyday" must be a list of word runs')
    everyday = _runs(sayings, groups, f'{where}: "everyday"', shared, group_words)
    means_data = data.get("means", {})
    if not isinstance(means_data, dict) or not all(
        isinstance(meant, str) and meant.strip() for meant in means_data.values()
    ):
        raise CrisisPhrasesError(f'{where}: "means" must map word runs to a plain word')
    means_runs = _runs(list(means_data), groups, f'{where}: "means"', shared, group_words)
    uses: dict[str, int] = {}
    for phrase in phrases:
        for slot in phrase.slots:
            for key in slot:
                uses[key] = uses.get(key, 0) + 1
    by_key: dict[str, list[int]] = {}
    for number, phrase in enumerate(phrases):
        # A phrase fires only when every slot is in the search, so it need only be checked
        # when one chosen slot is. Choose the slot least likely to be in a search: the one
        # whose words are rarest in English ("pension" before "my", "find" or "for"), then
        # whose commonest word is in the fewest phrases. Filed under "my" or "me", a phrase
        # would be checked for nearly every search.
        costs = slot_costs[number]
        best = min(
            range(len(phrase.slots)),
            key=lambda i: (
                costs[i],
                max(uses[key] for key in phrase.slots[i]),
                len(phrase.slots[i]),
            ),
        )
        chosen = phrase.slots[best]
        for key in chosen:
            by_key.setdefault(key, []).append(number)
    # Every tense of a phrase word is known: "killed" is never read as a slip of another word.
    vocabulary = frozenset().union(*map(_any_tense, uses))
    fuzzy: dict[str, str] = {}
    for word in data.get("fuzzy", []):
        plain = _plain_words(str(word))
        if len(plain) != 1 or len(plain[0]) < FUZZY_MIN_LENGTH:
            raise CrisisPhrasesError(
                f'{where}: "fuzzy" word {word!r} must be one word of {FUZZY_MIN_LENGTH}+ letters'
            )
        if word_key(plain[0]) not in vocabulary:
            raise CrisisPhrasesError(f'{where}: "fuzzy" word {word!r} is in no phrase')
        fuzzy[_squeeze(plain[0])] = word_key(plain[0])
    means: list[tuple[tuple[frozenset[str], ...], frozenset[str]]] = []
    for run, (written, meant) in zip(means_runs, means_data.items(), strict=True):
        meant_keys = frozenset(word_key(w) for w in _plain_words(meant))
        if not meant_keys <= vocabulary:
            raise CrisisPhrasesError(
                f'{where}: "means" {written!r}: {meant!r} is in no phrase, so it would mean nothing'
            )
        means.append((run, meant_keys))
    typo_targets: dict[str, dict[str, str]] = {}
    for word in sorted(phrase_words):
        if len(word) >= TYPO_MIN_LENGTH and word.isalpha():
            typo_targets.setdefault(word[0], {})[_squeeze(word)] = word_key(word)
    return CrisisPhrases(
        phrases=tuple(phrases),
        by_key={key: tuple(sorted(set(numbers))) for key, numbers in by_key.items()},
        same_as=same_as,
        fuzzy=fuzzy,
        typo_targets=typo_targets,
        exact=frozenset(key for key in vocabulary if key.startswith(EXACT)),
        vocabulary=vocabulary,
        labels=labels,
        everyday=everyday,
        means=tuple(means),
        needs=kind_needs,
    )


def load_crisis_phrases(path: Path | None = None) -> CrisisPhrases:
    """Return the crisis phrases in path (default: the bundled data/crisis_phrases.json)."""
    if path is None:
        return _bundled_phrases()
    return _read_phrases(path)


def _read_phrases(path: Path) -> CrisisPhrases:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CrisisPhrasesError(f"cannot read {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise CrisisPhrasesError(f"{path} is not valid JSON: {exc}") from None
    return parse_crisis_phrases(data, str(path))


@lru_cache(maxsize=1)
def _bundled_phrases() -> CrisisPhrases:
    """Return the bundled phrases, read once."""
    return _read_phrases(bundled_file(PHRASES_FILE))


def crisis_kinds(query: str, phrases: CrisisPhrases | None = None) -> frozenset[str]:
    """Return the urgent kinds the query touches (empty for an ordinary search).

    Kinds are the ids in CRISIS_KINDS, e.g. {"domestic-abuse"} for "my partner hits me".
    """
    return (phrases or _bundled_phrases()).kinds_in(query)


def crisis_needs(kinds: Iterable[str], phrases: CrisisPhrases | None = None) -> tuple[str, ...]:
    """Return the hub needs whose services serve these crisis kinds, most specific first.

    The kinds are taken in CRISIS_KINDS order and each kind's needs as the file lists them
    ("a child at risk": feeling safe, then children and families); () for no kind.
    """
    chosen = phrases or _bundled_phrases()
    wanted = set(kinds)
    ordered = [kind for kind in CRISIS_KINDS if kind in wanted]
    return tuple(dict.fromkeys(need for kind in ordered for need in chosen.needs.get(kind, ())))


def kind_label(kind: str) -> str:
    """Return what staff call a crisis kind ("Domestic abuse"), or the id if unknown."""
    return _bundled_phrases().labels.get(kind, kind)


# --- which lines to show ----------------------------------------------------------------


def urgent_lines_for(kinds: Iterable[str], urgent: UrgentHelp) -> list[UrgentLine]:
    """Return the urgent lines for these kinds, in the order to show them.

    999 (every line for "danger-now") comes first when there is danger now; then the lines
    for each kind, in the order of CRISIS_KINDS and then of the file; then the lines for
    anyone in distress (kind "everyone", such as Samaritans). No kinds, no lines.
    """
    wanted = set(kinds)
    if not wanted:
        return []
    chosen: list[UrgentLine] = []

    def take(line: UrgentLine) -> None:
        if line not in chosen:
            chosen.append(line)

    if DANGER_NOW in wanted:
        for line in urgent.lines:
            if DANGER_NOW in line.kinds:
                take(line)
    for kind in CRISIS_KINDS:
        if kind in wanted:
            for line in urgent.lines:
                if kind in line.kinds:
                    take(line)
    for line in urgent.lines:
        if EVERYONE in line.kinds:
            take(line)
    return chosen
