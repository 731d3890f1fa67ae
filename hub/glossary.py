"""The glossary: words from real directories a visitor may not know, each with one plain
sentence ("A GP is your local doctor…"), and where they first appear in a service's text.

data/glossary.json holds them as data hub staff can read and review, like the needs. The
sentences are translated like need descriptions: `hub.i18n` puts them in the template, and
the card shows them through `_()`. The terms stay English, because they are matched in the
directory's own text, which is English.

Matching: a term in capitals ("GP", "PIP") matches only in capitals, so "pip" in a recipe
does not; any other term matches in any case, with a hyphen or a space alike ("drop-in",
"drop in") and with or without a plural "s" ("bailiffs"). Where two terms start at the
same place, the longer wins ("food bank voucher" over a shorter one).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hub.locations import bundled_file
from hub.needs import NeedsFileError, read_data_file

__all__ = ["GLOSSARY_FILE", "GlossaryEntry", "first_mentions", "load_glossary", "terms_in"]

GLOSSARY_FILE = "glossary.json"


@dataclass(frozen=True)
class GlossaryEntry:
    """One term and its plain sentence (in English; translate it with `_()`)."""

    term: str
    explanation: str

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """Return the term as a whole-word pattern (see the module's note on matching)."""
        words = [re.escape(word) for word in re.split(r"[\s-]+", self.term)]
        # An apostrophe may be straight or curly in a directory's text.
        body = r"[\s-]+".join(words).replace("'", "['’]")
        if self.term.isupper():
            return re.compile(rf"\b{body}s?\b")
        return re.compile(rf"\b{body}s?\b", re.IGNORECASE)


def load_glossary(path: Path | None = None) -> tuple[GlossaryEntry, ...]:
    """Return the glossary's entries in file order; raise NeedsFileError naming the file
    when it is missing or not {"terms": {term: sentence, ...}}."""
    if path is None:
        return _bundled_glossary()
    return _parse(path)


@functools.cache
def _bundled_glossary() -> tuple[GlossaryEntry, ...]:
    return _parse(bundled_file(GLOSSARY_FILE))


def _parse(path: Path) -> tuple[GlossaryEntry, ...]:
    data = read_data_file(path)
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, dict) or not terms:
        raise NeedsFileError(f'{path}: must be a JSON object with "terms": {{term: sentence}}')
    entries: list[GlossaryEntry] = []
    for term, explanation in terms.items():
        if not isinstance(explanation, str) or not term.strip() or not explanation.strip():
            raise NeedsFileError(f"{path}: {term!r} needs one plain sentence")
        entries.append(GlossaryEntry(term.strip(), explanation.strip()))
    return tuple(entries)


def terms_in(text: str, glossary: Iterable[GlossaryEntry]) -> list[GlossaryEntry]:
    """Return the glossary's terms found in text, in the order they first appear, once each."""
    found: list[tuple[int, int, GlossaryEntry]] = []
    for entry in glossary:
        match = entry.pattern.search(text)
        if match:
            found.append((match.start(), -len(match.group()), entry))
    found.sort(key=lambda hit: (hit[0], hit[1]))
    ordered: list[GlossaryEntry] = []
    taken_until = -1
    for start, negative_length, entry in found:
        if start < taken_until:
            continue  # inside a longer term already found ("food bank voucher")
        ordered.append(entry)
        taken_until = start - negative_length
    return ordered


def first_mentions(
    parts: Sequence[str], glossary: Iterable[GlossaryEntry]
) -> list[list[GlossaryEntry]]:
    """Return, for each part of a text in order, the terms that appear there for the first
    time (so each is explained once, where a reader first meets it)."""
    entries = list(glossary)
    seen: set[str] = set()
    result: list[list[GlossaryEntry]] = []
    for part in parts:
        new = [entry for entry in terms_in(part, entries) if entry.term not in seen]
        seen.update(entry.term for entry in new)
        result.append(new)
    return result
