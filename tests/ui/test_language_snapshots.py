"""SVG snapshots at 80x24 in Polish, Gujarati and Tamil: Home, results, a card, the idle prompt.

Gujarati and Tamil vowel signs are measured as terminals draw them (screens/script_widths.py),
so these pictures are laid out as tmux shows them; benchmarks/tmux_borders.py checks the
real terminal. Update with `--snapshot-update` on this file, then look at them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from hub import i18n
from hub.storage import HubStore
from screens.app import make_app
from tests.ui.conftest import FakeClock
from tests.ui.test_snapshots import SCREENS

LANGUAGES = ["pl", "gu", "ta"]
SHOWN = ["home", "results", "card", "idle"]


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """Put English back: the language is the process's, and other tests expect English."""
    before = i18n.current_catalogue()
    yield
    i18n.use_catalogue(before)


@pytest.mark.parametrize("screen", SHOWN)
@pytest.mark.parametrize("code", LANGUAGES)
def test_language_snapshot(
    snap_compare: Any, store: HubStore, clock: FakeClock, code: str, screen: str
) -> None:
    app = make_app(
        store=store, clock=clock, idle_seconds=120, idle_countdown_seconds=30, language=code
    )

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await SCREENS[screen](pilot, clock)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
