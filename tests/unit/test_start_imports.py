"""Home's first paint needs only what Home shows (issue 11): what importing it loads.

Each check runs in a fresh interpreter, as `hub` starts: the modules a test run has
already imported would hide a regression. A correctness test, not a timed one: it fails
when a heavy module (the search index, pydantic and the models, Babel, SQLite, the
crisis phrases, the formats' parsers) finds its way back onto the path to Home.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hub.needs import load_needs
from hub.topics import bundled_topics, more_topics, tile_topics

ROOT = Path(__file__).resolve().parents[2]

# Loaded later, in the worker that loads the directory (or by staff mode, or a card).
AFTER_HOME = (
    "babel",
    "dateutil",
    "hub.crisis",
    "hub.directory",
    "hub.formats",
    "hub.glossary",
    "hub.hub_identity",
    "hub.index_file",
    "hub.lay_vocabulary",
    "hub.models",
    "hub.needs",
    "hub.referrals",
    "hub.search",
    "hub.search_parts",
    "hub.search_words",
    "hub.staff",
    "hub.unmet",
    "hub.urgent",
    "nacl",
    "pydantic",
    "pygments",
    "rapidfuzz",
    "screens.staff",
    "screens.urgent",
    "snowballstemmer",
)


def _loaded_by(statement: str) -> set[str]:
    """Return the modules (and their packages) a fresh interpreter has after `statement`."""
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(json.loads(done.stdout))


def _heavy(loaded: set[str]) -> list[str]:
    return sorted(
        name for name in loaded if any(name == h or name.startswith(h + ".") for h in AFTER_HOME)
    )


def test_the_home_screen_imports_nothing_heavy() -> None:
    loaded = _loaded_by("import screens.home")
    assert _heavy(loaded) == []
    assert "sqlite3" not in loaded  # Home itself reads no file


@pytest.mark.parametrize("module", ["hub.cli", "screens.app"])
def test_the_way_to_home_imports_nothing_heavy(module: str) -> None:
    """What `hub` imports before Home is drawn: the command line, then the app."""
    assert _heavy(_loaded_by(f"import {module}")) == []


def test_the_tiles_read_without_pydantic_agree_with_the_checked_needs() -> None:
    checked = load_needs()
    assert [(n.id, n.label, n.description, n.tile) for n in checked] == [
        (t.id, t.label, t.description, t.tile) for t in bundled_topics()
    ]
    assert [t.id for t in tile_topics()] == [n.id for n in checked if n.tile]
    assert [t.id for t in more_topics()] == [n.id for n in checked if not n.tile]
