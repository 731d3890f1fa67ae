"""How long saving one referral takes as history grows, beside the floor of one fsync'd append.

Prints p50 and p95 for a single durable save with 100, 10,000 and 100,000 referrals on
record, and each as a ratio to the floor measured in the same run. Target (issue 2): p50 at
100,000 within 1.5x of p50 at 100, and p95 <= 20 ms.

    .venv/bin/python benchmarks/storage.py [--saves N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub.models import Referral
from hub.storage import HubStore

HUB = str(uuid.uuid4())
METHODS = ["signposted", "warm_handover", "phoned_on_the_spot", "form_sent"]
BANDS = ["18_24", "25_44", "45_64", "65_79", "80_plus", "not_given"]


def referral(rng: random.Random, when: datetime) -> Referral:
    """Return a realistic referral recorded at `when`."""
    return Referral(
        id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        hub_id=HUB,
        recorded_at=when,
        updated_at=when,
        recorded_by="bench-staff",
        service_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        service_name="Church End Memory Café",
        needs=rng.sample(["memory", "carers", "money", "food", "housing"], 2),
        method=rng.choice(METHODS),
        age_band=rng.choice(BANDS),
        postcode_district=rng.choice(["NW10", "HA0", "NW2", None]),
        consent_to_follow_up=False,
        notes=rng.choice([None, "Will go with a friend next week."]),
    )


def percentile(samples: list[float], pct: float) -> float:
    """Return the pct-th percentile of samples (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def time_saves(history: int, saves: int, rng: random.Random) -> list[float]:
    """Return the seconds each of `saves` single saves took with `history` already stored."""
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:
        root = Path(folder)
        # History spread over the last year, as a hub keeps it (retention 365 days).
        now = datetime(2026, 11, 26, 12, tzinfo=UTC)
        with HubStore.open(root) as store:
            step = timedelta(days=365) / max(history, 1)
            batch = [referral(rng, now - timedelta(days=365) + step * i) for i in range(history)]
            store.save_referrals(batch)
        with HubStore.open(root) as store:
            store.referral("warm-up")  # load the shard index before timing, as the app does
            timings = []
            for i in range(saves):
                record = referral(rng, now + timedelta(seconds=i))
                started = time.perf_counter()
                store.save_referral(record)
                timings.append(time.perf_counter() - started)
        return timings


def time_floor(saves: int) -> list[float]:
    """Return the seconds each append of one fsync'd line to a file took."""
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:
        path = Path(folder) / "floor.log"
        timings = []
        with open(path, "ab") as log:
            for i in range(saves):
                line = f'{{"n": {i}, "service": "Church End Memory Café"}}\n'.encode()
                started = time.perf_counter()
                log.write(line)
                log.flush()
                os.fsync(log.fileno())
                timings.append(time.perf_counter() - started)
        return timings


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=300, help="single saves timed per size")
    args = parser.parse_args()
    rng = random.Random(1126)

    floor = time_floor(args.saves)
    floor_p50 = statistics.median(floor)
    rows = [("fsync'd append (floor)", floor)]
    for history in (100, 10_000, 100_000):
        rows.append((f"save with {history:,} on record", time_saves(history, args.saves, rng)))

    base_p50 = statistics.median(rows[1][1])
    print(f"{'':34} {'p50 ms':>8} {'p95 ms':>8} {'p50/floor':>10} {'p50/p50@100':>12}")
    for label, samples in rows:
        p50 = statistics.median(samples)
        print(
            f"{label:34} {p50 * 1e3:8.2f} {percentile(samples, 95) * 1e3:8.2f} "
            f"{p50 / floor_p50:10.1f} {p50 / base_p50:12.2f}"
        )
    worst = rows[-1][1]
    ratio = statistics.median(worst) / base_p50
    p95 = percentile(worst, 95) * 1e3
    print(
        f"\nat 100,000: p50 is {ratio:.2f}x p50 at 100 (target <= 1.5), "
        f"p95 {p95:.2f} ms (target <= 20)"
    )


if __name__ == "__main__":
    main()
