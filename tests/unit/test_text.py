"""How text is folded and split into words, in every script, and the English word list."""

from __future__ import annotations

import unicodedata

import pytest

from hub.needs import normalise as needs_normalise
from hub.text import is_real_word, letter_count, normalise, word_tokens, words_and_gaps


def test_the_needs_module_still_offers_normalise() -> None:
    assert needs_normalise is normalise


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Café  Can't", "cafe cant"),
        ("Żłobek", "zlobek"),
        ("ŁÓDŹ", "lodz"),
        ("Straße STRASSE", "strasse strasse"),
        ("Ørsted", "orsted"),
        ("Đorđe", "dorde"),
        ("Æsir Cæsar", "aesir caesar"),
        ("Œuvre", "oeuvre"),
        ("Istanbul ıi İ", "istanbul ii i"),
        ("Þór Ðóra", "thor dora"),
        ("Crème Brûlée Naïve Zoë", "creme brulee naive zoe"),
        ("Mañana São Paulo Ţara", "manana sao paulo tara"),
        ("can´t can`t can’t", "cant cant cant"),
        ("ｆｏｏｄ ﬁsh", "food fish"),  # full-width letters and ligatures
        ("food_bank", "food bank"),
        ("soft\u00adhyphen", "softhyphen"),
    ],
)
def test_normalise_folds_case_accents_and_letters_without_accents(text: str, folded: str) -> None:
    assert normalise(text) == folded


def test_indic_vowel_signs_are_kept_not_stripped_as_accents() -> None:
    # Gujarati "food" and Tamil "food": vowels are written as combining marks. Stripping
    # them (as accents are stripped) would turn ખોરાક into ખરક, a different word.
    for word in ["ખોરાક", "உணவு", "नमस्ते", "ਭੋਜਨ", "খাবার"]:
        assert any(unicodedata.category(ch).startswith("M") for ch in word)
        assert normalise(word) == unicodedata.normalize("NFC", word)
        assert word_tokens(normalise(word)) == [unicodedata.normalize("NFC", word)]
    assert normalise("ખોરાક") != "ખરક"


def test_words_in_other_scripts_stay_whole() -> None:
    assert word_tokens(normalise("ખોરાક બેંક, உணவு வங்கி!")) == ["ખોરાક", "બેંક", "உணவு", "வங்கி"]
    assert word_tokens(normalise("بنك الطعام")) == ["بنك", "الطعام"]
    assert word_tokens(normalise("Gujarati ગુજરાતી-group")) == ["gujarati", "ગુજરાતી", "group"]


def test_arabic_optional_marks_and_letter_forms_fold() -> None:
    # Short vowels and hamza forms are optional in Arabic writing; searches ignore them.
    assert normalise("مَدْرَسَة") == normalise("مدرسه")
    assert normalise("أحمد") == normalise("احمد") == normalise("إحمد")
    # The Persian and Arabic forms of yeh and kaf are one letter to a search.
    assert normalise("کتابی") == normalise("كتابي")
    # Digits of other scripts are the same numbers.
    assert normalise("٣ ३ ௩") == "3 3 3"


def test_joiners_keep_a_word_whole_and_are_ignored_when_comparing() -> None:
    with_joiner = "می\u200cخواهم"  # Persian "I want", written with a zero-width non-joiner
    assert "\u200c" in normalise(with_joiner)  # the text keeps it
    assert word_tokens(normalise(with_joiner)) == word_tokens(normalise("میخواهم"))
    assert len(word_tokens(normalise(with_joiner))) == 1
    sinhala = "ශ්\u200dරී"  # Sri, written with a zero-width joiner
    assert word_tokens(normalise(sinhala)) == ["ශ්රී"]


@pytest.mark.parametrize(
    "text",
    ["food-bank, drop in", "", "  ?!", "ખોરાક બેંક", "می\u200cخواهم غذا", "cafe 24/7 help"],
)
def test_words_and_gaps_are_the_word_tokens_and_what_lies_between(text: str) -> None:
    plain = normalise(text)
    words, gaps = words_and_gaps(plain)
    assert words == word_tokens(plain)
    assert len(gaps) == max(len(words) - 1, 0)
    assert all(gap and not word_tokens(gap) for gap in gaps)


def test_gaps_say_what_joins_two_words() -> None:
    assert words_and_gaps("food-bank, drop in") == (
        ["food", "bank", "drop", "in"],
        ["-", ", ", " "],
    )
    assert words_and_gaps("ખોરાક બેંક. help") == (["ખોરાક", "બેંક", "help"], [" ", ". "])


def test_letter_count_counts_letters_in_any_script() -> None:
    assert letter_count("a b") == 2
    assert letter_count("?! ...") == 0
    assert letter_count("ખોરાક") == 3  # three letters; vowel signs are not counted
    assert letter_count("食物") == 4  # a Chinese character is a whole word: it counts as two
    assert letter_count("é") == 1


def test_real_words_come_from_the_bundled_english_list() -> None:
    for word in ["harming", "hearing", "grieving", "counselling", "organisation", "skint"]:
        assert is_real_word(word), word
    for typo in ["dementa", "fodbank", "councelling", "dimentia", "lonley", "benifits"]:
        assert not is_real_word(typo), typo
    assert not is_real_word("")
    assert not is_real_word("#")
    assert not is_real_word("harming\nhearing")
