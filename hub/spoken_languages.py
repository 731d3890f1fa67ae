"""The languages a service says it works in, named for the visitor in their own language.

Directories name languages in English words ("Polish", "Gujarati") or by code ("pl"); the
card shows them in the visitor's language ("Help in: polski, gudżarati" for a Polish
visitor), and the results can be narrowed to services that work in the visitor's language.
Babel's CLDR data holds every language's name in every other, so nothing is translated by
hand here. A name CLDR does not know ("British Sign Language") is shown as the directory
wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from babel import Locale, UnknownLocaleError


@cache
def _codes_by_english_name() -> dict[str, str]:
    """Return {english name, casefolded: code}, e.g. {"polish": "pl"}."""
    return {name.casefold(): code for code, name in Locale("en").languages.items()}


def code_for(name: str) -> str | None:
    """Return the language code a directory's word stands for ("Polish" or "pl" → "pl"),
    or None when CLDR does not know it."""
    word = name.strip()
    if word.casefold() in _codes_by_english_name():
        return _codes_by_english_name()[word.casefold()]
    if word.lower() in Locale("en").languages:
        return word.lower()
    return None


def english_name(code: str) -> str:
    """Return the English name directories use for a language code ("pl" → "Polish")."""
    return str(Locale("en").languages.get(code.split("_")[0], code))


@cache
def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return None


def names_for_visitor(names: Iterable[str], visitor_language: str) -> list[str]:
    """Return each language a service names, in the visitor's language, in the given order.

    A name CLDR does not know stays as written; the same language named twice shows once.
    """
    locale = _locale(visitor_language) or Locale("en")
    shown: list[str] = []
    for name in names:
        code = code_for(name)
        label = str(locale.languages.get(code, name)) if code else name
        if label not in shown:
            shown.append(label)
    return shown
