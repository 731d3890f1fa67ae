"""How long one staff PIN check takes at each scrypt cost, and at the cost the hub uses.

Prints the median and worst of N hashes for n = 2**14 (the first release), 2**15, 2**16
(the hub's SCRYPT_N today) and 2**17, with r=8, p=1, and the time `unlock` takes for a
right PIN at the hub's cost. Target (issue 10): the hub's cost stays under 0.5 s here.

    .venv/bin/python benchmarks/pin_hash.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from hub.staff import SCRYPT_MAXMEM, SCRYPT_N, SCRYPT_P, SCRYPT_R, _scrypt, add_staff, unlock
from hub.storage import HubStore

TARGET_SECONDS = 0.5
PIN = "246810"


def time_hashes(n: int, rounds: int) -> list[float]:
    """Return the seconds each of `rounds` scrypt hashes of a PIN took at cost n."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        _scrypt(PIN, b"\0" * 16, n, SCRYPT_R, SCRYPT_P)
        times.append(time.perf_counter() - start)
    return times


def time_unlocks(rounds: int) -> list[float]:
    """Return the seconds each right-PIN `unlock` took on a real store (hash + saves)."""
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder, HubStore.open(Path(folder)) as store:
        add_staff(store, "Ana", PIN, now)
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            assert unlock(store, "Ana", PIN, now).ok
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    print(
        f"scrypt r={SCRYPT_R} p={SCRYPT_P}, {rounds} rounds each (maxmem {SCRYPT_MAXMEM >> 20} MiB)"
    )
    for n in (2**14, 2**15, 2**16, 2**17):
        times = time_hashes(n, rounds)
        mark = "  <- the hub's cost" if n == SCRYPT_N else ""
        memory = 128 * SCRYPT_R * n >> 20
        print(
            f"n=2**{n.bit_length() - 1:<2} {memory:>4} MiB  median {statistics.median(times):.3f} s"
            f"  worst {max(times):.3f} s{mark}"
        )
    unlocks = time_unlocks(rounds)
    worst = max(unlocks)
    verdict = "met" if worst < TARGET_SECONDS else "NOT met"
    print(
        f"unlock (right PIN, real store): median {statistics.median(unlocks):.3f} s, "
        f"worst {worst:.3f} s; target < {TARGET_SECONDS} s: {verdict}"
    )


if __name__ == "__main__":
    main()
