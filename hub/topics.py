"""The needs as Home's tiles show them: id, label and one line, read without pydantic.

Home is drawn before the directory loads, and pydantic (with the models it checks the
needs against) takes longer to import than Textual itself on a kiosk PC. So the tiles come
from data/needs.json read here with `json` alone, with the few checks drawing them needs.
The same file is checked in full (hub.needs: every field, the synonyms, at most four
tiles) when the directory loads, in the kiosk's worker, before any search runs; a test
keeps the two readings in step.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from hub.locations import NEEDS_FILE, bundled_file


class NeedsFileError(Exception):
    """A needs, urgent-help or taxonomy map file is missing or wrong; the message says where."""


@dataclass(frozen=True)
class Topic:
    """One need as a tile or a list's heading shows it (hub.models.Need has the rest)."""

    id: str
    label: str
    description: str
    tile: bool = True
    """False for needs shown only under "More topics"."""


def _topic(item: Any, where: str) -> Topic:
    """Return the topic in one of the file's records; NeedsFileError if it cannot be one."""
    if not isinstance(item, dict):
        raise NeedsFileError(f"{where}: must be a JSON object")
    words: dict[str, str] = {}
    for key in ("id", "label", "description"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise NeedsFileError(f"{where}: {key} must be words")
        words[key] = value
    tile = item.get("tile", True)
    if not isinstance(tile, bool):
        raise NeedsFileError(f"{where}: tile must be true or false")
    return Topic(
        id=words["id"].strip(),
        label=words["label"].strip(),
        description=words["description"].strip(),
        tile=tile,
    )


@functools.cache
def bundled_topics() -> tuple[Topic, ...]:
    """Return the bundled needs as topics, in the file's order (read once per run).

    Raises NeedsFileError, naming the file, when it cannot be read or a record is not a need.
    """
    path = bundled_file(NEEDS_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NeedsFileError(f"{path}: cannot be read as JSON ({exc})") from None
    if not isinstance(data, list) or not data:
        raise NeedsFileError(f"{path}: must be a JSON array of needs, with at least one")
    return tuple(
        _topic(item, f"{path}: need {position}") for position, item in enumerate(data, start=1)
    )


def tile_topics() -> list[Topic]:
    """Return the needs shown as tiles on Home, in order."""
    return [topic for topic in bundled_topics() if topic.tile]


def more_topics() -> list[Topic]:
    """Return the needs shown under "More topics", in order."""
    return [topic for topic in bundled_topics() if not topic.tile]
