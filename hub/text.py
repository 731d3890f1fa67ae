"""How text is compared: folded to plain lower-case letters, then split into words.

Visitors type "zlobek" for "Żłobek", "cafe" for "Café" and "cant" for "can't", and some
type in Gujarati, Tamil, Arabic or Polish. The directory, the needs' synonyms and every
query go through the same two steps, so each meets the others:

* `normalise` casefolds; drops accents (é -> e, ż -> z) and folds the letters that carry
  no separate accent (ł -> l, ø -> o, ß -> ss, đ -> d, æ -> ae, œ -> oe, ı -> i,
  þ -> th); drops apostrophes; collapses spaces. Only marks that are accents go: in
  Gujarati, Tamil, Devanagari and the other Indic scripts vowels are written as combining
  marks (ખોરાક is ખ + ો + ર + ા + ક), and dropping them would make different words.
  Arabic's optional short-vowel and hamza marks do go, as every Arabic search does.
* `word_tokens` splits into words made of Unicode letters, digits and combining marks
  (Python's `re` has no class for that: its `\\w` leaves out the marks and so cuts
  Indic words in pieces, hence the `regex` package). Zero-width joiners and non-joiners,
  which Persian, Sinhala and Malayalam write inside words, keep the word whole and are
  then ignored, so a word typed with or without them is the same word.

`is_real_word` says whether a word is a real English word (a list of 82,813 words, loaded
on first use): search never "corrects" such a word into another one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from hub.locations import bundled_file

__all__ = [
    "COMMON_WORDS",
    "ENGLISH_WORDS_FILE",
    "is_common_word",
    "is_real_word",
    "letter_count",
    "normalise",
    "word_tokens",
    "words_and_gaps",
]

ENGLISH_WORDS_FILE = "english_words.txt"
COMMON_WORDS = 3_000
"""The English words listed first (the commonest) are "common words": "die", "fall", "know"."""

# Removed before anything else: apostrophes (straight, curly, the modifier letter some
# keyboards produce, the backtick and the acute that people use as one), the soft hyphen,
# zero-width space and byte-order mark, and the Arabic tatweel, which only stretches a word.
_REMOVED_FIRST = dict.fromkeys(map(ord, "'‘’ʼ`´\u00ad\u200b\ufeff\u0640"))
# Underscores join words in codes and slugs ("emergency_food"); they are spaces here.
_REMOVED_FIRST[ord("_")] = " "

# Marks that are accents, after Unicode decomposition: the combining diacritics used by
# Latin, Greek and Cyrillic, Hebrew points, Arabic short vowels and hamza, variation
# selectors. Other scripts' combining marks (Indic vowel signs, viramas) are kept.
_ACCENTS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f]"
)

# Letters that Unicode does not split into a plain letter and an accent, written as people
# who lack the key write them. Arabic-script letters that have two common forms (Arabic
# and Persian/Urdu keyboards) become one, as does the final-h form of teh marbuta.
_LETTER_FOLDS: dict[int, str] = {
    ord(letter): plain
    for letter, plain in {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
        "ĸ": "k",
        "ŋ": "n",
        "ƀ": "b",
        "ɨ": "i",
        "ʉ": "u",
        "ƶ": "z",
        "ȥ": "z",
        "ǥ": "g",
        "ɗ": "d",
        "ɓ": "b",
        "ƙ": "k",
        "ə": "e",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
        "ة": "ه",
        "ہ": "ه",
    }.items()
}
# Digits of other scripts count as the same numbers: "٣" is "3".
for _zero in (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6):
    for _value in range(10):
        _LETTER_FOLDS[_zero + _value] = str(_value)

_SPACES = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


@functools.cache
def _word_pattern() -> Any:
    """Return the pattern of a word in any script (compiled on first use: importing the
    `regex` package is a good part of a kiosk's start, and ASCII text never needs it)."""
    import regex

    return regex.compile(r"[\p{L}\p{N}\p{M}\u200c\u200d]+")


_JOINERS = {0x200C: None, 0x200D: None}


def normalise(text: str) -> str:
    """Return text casefolded, without accents or apostrophes, spaces collapsed.

    "Café  Can't" becomes "cafe cant" and "Żłobek" becomes "zlobek", so a visitor's
    typing, a service's description and our synonyms can be compared as plain words.
    Text in other scripts keeps its letters and vowel signs: only accents are dropped.
    """
    plain = text.translate(_REMOVED_FIRST).casefold()
    if not plain.isascii():
        decomposed = _ACCENTS.sub("", unicodedata.normalize("NFKD", plain))
        # Recomposed, so the vowel signs that stay are in one canonical form.
        plain = unicodedata.normalize("NFC", decomposed.translate(_LETTER_FOLDS))
    return _SPACES.sub(" ", plain).strip()


def word_tokens(text: str) -> list[str]:
    """Return the words of already-normalised text, in order (no stop words dropped).

    A word is a run of letters, digits and combining marks in any script; joiners inside
    it are dropped, so "می‌خواهم" and "میخواهم" are one word.
    """
    if text.isascii():  # most directory text: the plain pattern is several times faster
        return _ASCII_WORD.findall(text)
    return [
        word.translate(_JOINERS) if "\u200c" in word or "\u200d" in word else word
        for word in _word_pattern().findall(text)
    ]


def words_and_gaps(text: str) -> tuple[list[str], list[str]]:
    """Return the words of already-normalised text and what stands between each and the next.

    The words are exactly `word_tokens(text)`; the gaps are one fewer (a space, a hyphen,
    ". "), so a caller can tell "food-bank" from "food. Bank".
    """
    if text.isascii():
        return _ASCII_WORD.findall(text), _ASCII_WORD.split(text)[1:-1]
    return word_tokens(text), _word_pattern().split(text)[1:-1]


def letter_count(text: str) -> int:
    """Return how many letters and digits the text has, for "is this enough to search?".

    A Chinese, Japanese or Korean character is a whole syllable or word, so it counts as
    two: two such characters are enough to search with, as three Latin letters are.
    Combining marks and joiners do not count.
    """
    count = 0
    for word in word_tokens(normalise(text)):
        if word.isascii():
            count += len(word)
            continue
        for ch in word:
            if unicodedata.category(ch)[0] in "LN":
                count += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return count


@functools.cache
def _english_words() -> str:
    """Return the bundled English word list (data/english_words.txt) as one string, read once.

    Kept as the file's text, one word a line, and searched for "\nword\n": that takes
    about 0.3 ms a look-up, against 9 MB and 35 ms to build a set of the 82,813 words at
    kiosk start; look-ups are rare (only query words the directory does not use) and
    `is_real_word` remembers its answers.
    """
    text = bundled_file(ENGLISH_WORDS_FILE).read_text(encoding="utf-8")
    return "\n" + text + ("" if text.endswith("\n") else "\n")


@functools.lru_cache(maxsize=8192)
def is_real_word(word: str) -> bool:
    """Return True when a normalised word is a real English word (in the bundled list).

    The list is the words of symspellpy's English frequency dictionary (MIT): the words
    common to Google Books' n-grams and SCOWL, in British and American spellings.
    """
    if not word or "\n" in word or word.startswith("#"):
        return False
    return f"\n{word}\n" in _english_words()


@functools.cache
def _common_words() -> frozenset[str]:
    """Return the COMMON_WORDS commonest English words (the first lines of the list)."""
    found: list[str] = []
    # Split off only the first lines (the header and the commonest words), not all 82,813.
    for line in _english_words().split("\n", COMMON_WORDS + 200)[:-1]:
        if line and not line.startswith("#"):
            found.append(line)
            if len(found) == COMMON_WORDS:
                break
    return frozenset(found)


def is_common_word(word: str) -> bool:
    """Return True when a normalised word is among the 3,000 commonest English words.

    Such a word ("die", "fall", "know", "home") means too many things to point to a need on
    its own: it does only inside a longer phrase ("want to die", "had a fall").
    """
    return word in _common_words()
