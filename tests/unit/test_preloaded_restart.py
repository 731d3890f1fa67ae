"""How `hub serve` starts its pre-loaded kiosk again when it stops (the waits, not the fork:
tests/cli/test_preloaded_kiosk_cli.py kills a real one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from screens.preloaded_kiosk import (
    MAX_RESTART_SECONDS,
    SHORT_LIFE_SECONDS,
    WATCH_SECONDS,
    PreloadedKiosk,
)


class _Process:
    """Stands in for the kiosk's process: running until `stopped` is set."""

    def __init__(self) -> None:
        self.stopped = False

    def poll(self) -> int | None:
        return 1 if self.stopped else None


class _Counted(PreloadedKiosk):
    """A pre-loaded kiosk whose starts are counted instead of run."""

    def __init__(self) -> None:
        super().__init__(["--data-dir", "unused"], Path("."))
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        self.process = _Process()  # type: ignore[assignment]


@pytest.fixture
def kiosk() -> Iterator[_Counted]:
    counted = _Counted()
    yield counted
    counted.private.rmdir()


def _stop(kiosk: _Counted) -> None:
    assert isinstance(kiosk.process, _Process)
    kiosk.process.stopped = True


def test_a_running_kiosk_is_left_alone(kiosk: _Counted) -> None:
    kiosk.start()
    kiosk.started_at = 0.0
    assert not kiosk.keep_running(now=1000.0)
    assert kiosk.starts == 1


def test_one_that_ran_a_while_is_started_again_within_seconds(kiosk: _Counted) -> None:
    kiosk.start()
    kiosk.started_at = 0.0
    _stop(kiosk)
    noticed = SHORT_LIFE_SECONDS + 100.0
    assert not kiosk.keep_running(now=noticed)  # noticed: the wait starts
    assert kiosk.keep_running(now=noticed + WATCH_SECONDS)
    assert kiosk.starts == 2 and kiosk.started_at == noticed + WATCH_SECONDS


def test_one_that_keeps_stopping_is_started_less_and_less_often(kiosk: _Counted) -> None:
    kiosk.start()
    kiosk.started_at = now = 0.0
    waits = []
    for _ in range(12):
        _stop(kiosk)  # stops at once, every time (a broken install)
        assert not kiosk.keep_running(now=now)
        before = kiosk.starts
        noticed = now
        while kiosk.starts == before:
            now += 1.0
            kiosk.keep_running(now=now)
        waits.append(now - noticed)
    assert waits[0] == 2 * WATCH_SECONDS
    assert waits == sorted(waits)
    assert waits[-1] == MAX_RESTART_SECONDS  # never longer than five minutes
    # Once a new one runs for a while, the next stop is followed quickly again.
    now += SHORT_LIFE_SECONDS + 1
    _stop(kiosk)
    assert not kiosk.keep_running(now=now)
    assert kiosk.keep_running(now=now + WATCH_SECONDS)
