"""Write transactions per second on one data folder, with 1 writer and with N at once.

Each writer is its own process with its own `HubStore` (as kiosks, browser sessions and
commands are); each transaction is one durable referral save, which takes the folder's
lock, re-reads what another process changed, writes and renames. Also prints the floor:
one fsync'd file replaced by rename, alone, in the same run. Target (issue 16): nothing
lost; 4 writers together about as fast as 1 (the lock serialises them; the disk's fsync is
the cost either way).

    .venv/bin/python benchmarks/concurrent_writes.py [--saves N] [--writers N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub.durable_files import write_file_atomically
from hub.models import Referral
from hub.storage import HubStore


def _referral(number: int, writer: int) -> Referral:
    moment = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=number, seconds=writer)
    return Referral.model_validate(
        {
            "id": f"00000000-0000-4000-8000-{writer:04d}{number:08d}",
            "hub_id": "5b0f3c1e-7d1a-4e38-9a53-8f1f6f7d2a11",
            "recorded_at": moment,
            "updated_at": moment,
            "recorded_by": "bench-staff",
            "service_id": "00000000-0000-4000-8000-000000000001",
            "service_name": "Church End Memory Café",
            "needs": ["memory"],
            "method": "signposted",
            "age_band": "65_79",
            "postcode_district": "NW10",
            "consent_to_follow_up": False,
        }
    )


def _writer(root: Path, writer: int, saves: int, go: multiprocessing.synchronize.Event) -> None:
    referrals = [_referral(number, writer) for number in range(saves)]
    with HubStore.open(root) as store:
        go.wait()
        for referral in referrals:
            store.save_referral(referral)


def run(writers: int, saves: int) -> float:
    """Return transactions per second for `writers` processes making `saves` saves each."""
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        HubStore.open(root).close()
        go = context.Event()
        processes = [
            context.Process(target=_writer, args=(root, number, saves, go))
            for number in range(writers)
        ]
        for process in processes:
            process.start()
        time.sleep(0.5)  # every writer has opened the folder
        started = time.perf_counter()
        go.set()
        for process in processes:
            process.join()
            assert process.exitcode == 0
        elapsed = time.perf_counter() - started
        with HubStore.open(root) as store:
            assert len(store.referrals()) == writers * saves, "a save was lost"
    return writers * saves / elapsed


def floor(saves: int) -> float:
    """Return replacements per second of one small file by fsync'd rename, one process."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "floor.json"
        started = time.perf_counter()
        for number in range(saves):
            write_file_atomically(path, b'{"n":%d}' % number, keep_backup=True)
        return saves / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=100, help="saves per writer")
    parser.add_argument("--writers", type=int, default=4)
    args = parser.parse_args()
    base = floor(args.saves)
    one = run(1, args.saves)
    many = run(args.writers, args.saves)
    print(f"cores: {os.cpu_count()}")
    print(f"floor (fsync'd rename, one process): {base:7.1f} writes/s")
    print(f"1 writer:                            {one:7.1f} writes/s  ({one / base:.2f}x floor)")
    print(
        f"{args.writers} writers at once:                   {many:7.1f} writes/s  "
        f"({many / one:.2f}x one writer)"
    )


if __name__ == "__main__":
    main()
