"""The crisis check is safe from two threads at once.

A kiosk checks the words for crisis on the UI thread while a search worker checks them
too; under load (ten browser sessions of `hub serve` on two cores) the shared Snowball
stemmer, which keeps state while it works, was caught mid-word by the other thread and a
kiosk stopped with IndexError (found by benchmarks/serve_load.py).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest

from hub.crisis import word_key
from hub.text import word_tokens

WORDS = sorted(
    set(
        word_tokens(
            "hopelessness overdosing strangulation frightening threatening beatings "
            "generational relationships accommodations counselling organisational "
            "harassment abusiveness controlling nationalisation rationalisations "
            "hospitalisation conditional sensational emotional traditionally"
        )
    )
)


@pytest.fixture
def quick_switching() -> Iterator[None]:
    """Make Python switch threads as often as it can, so a race shows within the test."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_word_keys_from_many_threads_at_once(quick_switching: None) -> None:
    word_key.cache_clear()
    expected = {word: word_key(word) for word in WORDS}
    failures: list[BaseException] = []
    results: list[dict[str, str]] = []

    def check_all() -> None:
        try:
            for _ in range(200):
                word_key.cache_clear()  # every call stems again: no answer from the cache
                results.append({word: word_key(word) for word in WORDS})
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=check_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(results) == 800 and all(result == expected for result in results)
