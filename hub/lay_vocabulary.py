"""The lay vocabulary (data/lay_vocabulary.json): how people say what they need.

Visitors ask in their own words ("my sight is getting worse", "my nan keeps falling",
"skint till payday") and services describe the same help in theirs ("sight loss",
"falls prevention", "debt advice"). The file, written for hub staff to read and extend,
holds both sides:

* `relations`: words for the people a visitor asks about ("nan", "son", "husband"), in
  groups; a phrase may use {someone} for any of them, or {partner}, {child}, {elder},
  {parent}, {sibling} for one group ("scared of {partner}").
* `relation_hints`: needs a group hints at ("my son ..." hints at children and families).
* `topics`: one kind of help, finer than a need (sight loss, falls, bereavement...), with
  the hub needs it belongs to, what people say, and what services say.

Search (hub.search) reads it; this module only loads and checks it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator

from hub.locations import bundled_file
from hub.models import NeedId, StrictModel
from hub.needs import NeedsFileError, load_needs, read_model_file

__all__ = [
    "ANYONE",
    "LAY_VOCABULARY_FILE",
    "LayVocabulary",
    "Topic",
    "load_lay_vocabulary",
    "placeholders",
]

LAY_VOCABULARY_FILE = "lay_vocabulary.json"
ANYONE = "someone"
"""The placeholder that stands for any relation word: {someone}."""

_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")
Phrase = Annotated[str, Field(min_length=1, max_length=80)]


def placeholders(phrase: str) -> list[str]:
    """Return the relation groups a phrase names with {braces}, in order: "{partner}"."""
    return _PLACEHOLDER.findall(phrase)


class Topic(StrictModel):
    """One kind of help, with how people and services put it."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    label: Annotated[str, Field(min_length=1, max_length=60)]
    needs: list[NeedId] = Field(default_factory=list)
    people_say: list[Phrase] = Field(default_factory=list)
    services_say: list[Phrase] = Field(min_length=1)


class LayVocabulary(StrictModel):
    """The whole file: relation words, their hints, and the topics."""

    about: list[str] | str = ""
    relations: dict[str, list[Annotated[str, Field(min_length=1, max_length=30)]]]
    relation_hints: dict[str, list[NeedId]] = Field(default_factory=dict)
    topics: list[Topic]

    @field_validator("relations")
    @classmethod
    def _group_names_are_plain(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for group in value:
            if not re.fullmatch(r"[a-z]+", group) or group == ANYONE:
                raise ValueError(f"relation group {group!r} must be lower-case letters")
        return value

    def relation_groups(self) -> dict[str, str]:
        """Return each relation word with its group: {"nan": "elder", "son": "child", ...}."""
        return {word: group for group, words in self.relations.items() for word in words}


def _check(vocabulary: LayVocabulary, path: Path) -> LayVocabulary:
    """Return the vocabulary, or raise NeedsFileError naming what refers to nothing."""
    need_ids = {need.id for need in load_needs()}
    groups = {*vocabulary.relations, ANYONE}
    seen: set[str] = set()
    for group, hinted in vocabulary.relation_hints.items():
        if group not in vocabulary.relations:
            raise NeedsFileError(f"{path}: relation_hints names no relation group {group!r}")
        unknown = set(hinted) - need_ids
        if unknown:
            raise NeedsFileError(f"{path}: relation_hints.{group}: no such need {sorted(unknown)}")
    for topic in vocabulary.topics:
        where = f"{path}: topic {topic.id!r}"
        if topic.id in seen:
            raise NeedsFileError(f"{where}: the id is used twice")
        seen.add(topic.id)
        unknown = set(topic.needs) - need_ids
        if unknown:
            raise NeedsFileError(f"{where}: no such need {sorted(unknown)}")
        for phrase in topic.services_say:
            if placeholders(phrase):
                raise NeedsFileError(
                    f"{where}: services_say {phrase!r}: only people_say may use {{someone}}"
                )
        for phrase in topic.people_say:
            for group in placeholders(phrase):
                if group not in groups:
                    raise NeedsFileError(f"{where}: {phrase!r} names no relation group {{{group}}}")
    return vocabulary


def _parse(path: Path) -> LayVocabulary:
    return _check(read_model_file(path, LayVocabulary, "lay vocabulary"), path)


@functools.cache
def _bundled() -> LayVocabulary:
    return _parse(bundled_file(LAY_VOCABULARY_FILE))


def load_lay_vocabulary(path: Path | None = None) -> LayVocabulary:
    """Return the lay vocabulary in path (default: the bundled one, read once and shared).

    Raises NeedsFileError, naming the file and the topic, when it is wrong.
    """
    if path is None:
        return _bundled()
    return _parse(path)
