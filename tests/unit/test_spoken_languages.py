"""Languages a service works in, named in the visitor's language (issue 14, item 4)."""

from __future__ import annotations

from hub.spoken_languages import code_for, english_name, names_for_visitor


def test_directory_words_and_codes_give_the_same_language() -> None:
    assert code_for("Polish") == code_for("polish") == code_for("pl") == "pl"
    assert code_for("British Sign Language") is None
    assert english_name("gu") == "Gujarati"


def test_a_polish_visitor_reads_the_names_in_polish_and_unknown_names_as_written() -> None:
    shown = names_for_visitor(
        ["English", "Gujarati", "Polish", "pl", "British Sign Language"], "pl"
    )
    assert shown == ["angielski", "gudżarati", "polski", "British Sign Language"]


def test_a_tamil_visitor_reads_them_in_tamil_script() -> None:
    (tamil,) = names_for_visitor(["Tamil"], "ta")
    assert tamil == "தமிழ்"
