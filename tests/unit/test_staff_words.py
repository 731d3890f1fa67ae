"""Staff sign-in answers are translated before the number goes in (it used to be after)."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub import i18n
from hub.staff import (
    KIOSK_FREE_FAILURES,
    LOCKED_OUT,
    UNLOCK_FAILED,
    UnlockResult,
    add_staff,
    unlock,
)
from hub.storage import HubStore

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)


class _Marking(gettext.NullTranslations):
    """A catalogue that marks every message it is asked for, as the English msgid."""

    def gettext(self, message: str) -> str:
        return f"<{message}>"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"<{singular if n == 1 else plural}>"


@pytest.fixture
def marking() -> Iterator[None]:
    before = i18n.current_catalogue()
    i18n.use_catalogue(_Marking())
    yield
    i18n.use_catalogue(before)


def test_each_sign_in_answer_is_looked_up_whole(tmp_path: Path, marking: None) -> None:
    with HubStore.open(tmp_path / "data") as store:
        add_staff(store, "Ana", "246810", NOW)
        first = unlock(store, "Ana", "000000", NOW)
        assert first.words() == f"<{UNLOCK_FAILED}>"
        for i in range(1, KIOSK_FREE_FAILURES + 1):
            answer = unlock(store, f"Guess {i}", "000000", NOW + timedelta(seconds=i))
        seconds = answer.wait_seconds
        assert seconds is not None and seconds > 1
        # The message with {seconds} is what the catalogue is asked for; the number after.
        assert answer.words() == (
            f"<Too many wrong tries on this kiosk. Please wait {seconds} seconds, then try again.>"
        )
    assert UnlockResult(member=None, message=LOCKED_OUT).words() == f"<{LOCKED_OUT}>"
