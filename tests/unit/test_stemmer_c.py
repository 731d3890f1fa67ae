"""The Snowball stemmer runs as C (PyStemmer), and gives exactly the words the Python one did.

Search keys, the saved index and the crisis phrases are all built from stems, so the C
stemmer may only be used because it is the same algorithm: these tests hold it to the
pure-Python Snowball English on every word the bundled data uses and a spread of the English
word list.
"""

from __future__ import annotations

import re

import snowballstemmer
import Stemmer
from snowballstemmer.english_stemmer import EnglishStemmer

from hub.locations import bundled_file

DATA_FILES = (
    "crisis_phrases.json",
    "lay_vocabulary.json",
    "needs.json",
    "glossary.json",
    "taxonomy_map.json",
    "directory.sample.json",
)


def _words() -> list[str]:
    """Return the words of the bundled data files and every 10th of the English word list."""
    words: set[str] = set()
    for name in DATA_FILES:
        words |= set(re.findall(r"\w+", bundled_file(name).read_text(encoding="utf-8").casefold()))
    listed = [
        line.strip()
        for line in bundled_file("english_words.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    words |= set(listed[::10])
    return sorted(words)


def test_the_english_stemmer_is_the_c_one() -> None:
    assert isinstance(snowballstemmer.stemmer("english"), Stemmer.Stemmer)


def test_the_c_stemmer_gives_the_same_stem_as_snowballs_python_for_every_word() -> None:
    words = _words()
    assert len(words) > 10_000
    python = EnglishStemmer()
    different = [
        (word, python.stemWord(word), c_stem)
        for word, c_stem in zip(words, Stemmer.Stemmer("english").stemWords(words), strict=True)
        if c_stem != python.stemWord(word)
    ]
    assert different == []


def test_both_stemmers_stem_what_search_needs_stemmed() -> None:
    # A change of algorithm would show here first: these are the stems search relies on.
    c_stemmer = Stemmer.Stemmer("english")
    for word, stem in {
        "parenting": "parent",
        "befriending": "befriend",
        "harming": "harm",
        "hearing": "hear",
        "lonely": "lone",
    }.items():
        assert c_stemmer.stemWord(word) == stem
        assert EnglishStemmer().stemWord(word) == stem
