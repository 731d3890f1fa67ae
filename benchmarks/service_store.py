"""Which store lets the kiosk read a service only when it is shown? Figures for each option.

    .venv/bin/python benchmarks/service_store.py            # 50,000 services
    .venv/bin/python benchmarks/service_store.py 5000

Issue 11 asks that memory grow with what is on screen, not with the directory. Each
option below is measured in a fresh process (so its peak resident memory is its own):
open the store, read the 30 services a results list shows, by id, and turn them into
models. Also measured: the search index's saved parts (hub.index_file) loaded alone,
which is what the index costs when no service is held in memory.

* tinydb-whole: today's services.json (TinyDB reads the whole file to read one record).
* tinydb-shards: the same records split over files of 128 by id (as referrals are), so a
  read parses one small file.
* sqlite: one table, id -> the record's JSON, read by primary key.

No assertions: this prints figures for people to read.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

REPO = Path(__file__).resolve().parents[1]
SHOWN = 30
SHARD_SIZE = 128

PROBE = r"""
import json, sqlite3, sys, time
from pathlib import Path
option, folder, ids = sys.argv[1], Path(sys.argv[2]), sys.argv[3].split(",")
began = time.perf_counter()
from hub.models import Service
imported = time.perf_counter()
if option == "nothing":
    from hub.index_file import INDEX_FILE
    from hub.storage import HubStore
    found = [True]
elif option == "tinydb-whole":
    from hub.storage import HubStore
    store = HubStore.open(folder)
    found = [store.service(i) for i in ids]
elif option == "tinydb-shards":
    from tinydb import TinyDB
    index = json.loads((folder / "shards" / "where.json").read_text())
    found = []
    for i in ids:
        db = TinyDB(folder / "shards" / f"{index[i]}.json")
        found.append(Service.model_validate(db.table("services")._read_table()[i]))
        db.close()
elif option == "sqlite":
    db = sqlite3.connect(folder / "services.sqlite3")
    found = [
        Service.model_validate_json(row[0])
        for i in ids
        for row in db.execute("SELECT doc FROM services WHERE id = ?", (i,))
    ]
elif option == "index-parts":
    from hub.index_file import INDEX_FILE, load_parts
    about = dict(sqlite3.connect(folder / INDEX_FILE).execute("SELECT key, value FROM about"))
    parts = load_parts(
        folder / INDEX_FILE, revision=about["revision"], fingerprint=about["fingerprint"]
    )
    found = parts.service_ids[:1]
done = time.perf_counter()
assert all(found), "a service was not found"
# VmHWM, not ru_maxrss: on Linux ru_maxrss keeps the parent's high-water mark across exec.
status = Path("/proc/self/status").read_text()
peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps({"seconds": done - imported, "peak_mb": peak}))
"""


def make_stores(folder: Path, size: int) -> list[str]:
    """Fill `folder` with the directory in every shape; return the ids of every service."""
    from search import synthetic_directory  # the sibling benchmark's directory

    from hub.kiosk_service import Hub
    from hub.needs import kiosk_needs
    from hub.sample_directory import remember_sample_flag, seed_sample_if_new
    from hub.storage import HubStore

    services = synthetic_directory(size)
    store = HubStore.open(folder)
    try:
        store.save_services(services)
        seed_sample_if_new(store)
        remember_sample_flag(store)
    finally:
        store.close()
    hub = Hub.open(folder, needs=kiosk_needs())
    try:
        hub.load_directory()  # builds and saves the index file
    finally:
        hub.close()
    docs = {service.id: service.model_dump(mode="json") for service in services}
    shards = folder / "shards"
    shards.mkdir()
    where: dict[str, int] = {}
    ordered = sorted(docs)
    for number in range(0, len(ordered), SHARD_SIZE):
        chunk = ordered[number : number + SHARD_SIZE]
        payload = {"services": {i: docs[i] for i in chunk}}
        (shards / f"{number // SHARD_SIZE}.json").write_text(json.dumps(payload))
        where.update(dict.fromkeys(chunk, number // SHARD_SIZE))
    (shards / "where.json").write_text(json.dumps(where))
    with sqlite3.connect(folder / "services.sqlite3") as db:
        db.execute("CREATE TABLE services (id TEXT PRIMARY KEY, doc TEXT NOT NULL)")
        db.executemany(
            "INSERT INTO services VALUES (?, ?)",
            ((i, json.dumps(doc, ensure_ascii=False)) for i, doc in docs.items()),
        )
    return ordered


def _size_mb(path: Path) -> float:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir()) / 1e6
    return path.stat().st_size / 1e6


def main(argv: list[str]) -> int:
    """Build each store, then read a screenful from each in a fresh process; print figures."""
    size = int(argv[0]) if argv else 50_000
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "hub"
        began = time.perf_counter()
        ids = make_stores(folder, size)
        print(f"made every store for {size:,} services in {time.perf_counter() - began:.0f} s")
        shown = ",".join(random.Random(11).sample(ids, SHOWN))
        files = {
            "nothing": folder / "meta.json",
            "tinydb-whole": folder / "services.json",
            "tinydb-shards": folder / "shards",
            "sqlite": folder / "services.sqlite3",
            "index-parts": folder / "search-index.sqlite3",
        }
        print(f"\nRead {SHOWN} services by id in a fresh process ({size:,} in the store):")
        print(f"{'option':<16}{'read s':>8}{'peak MB':>9}{'on disk MB':>12}")
        for option, path in files.items():
            env = {**os.environ, "PYTHONPATH": str(REPO)}
            answer = subprocess.run(
                [sys.executable, "-c", PROBE, option, str(folder), shown],
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
                env=env,
            )
            figures = json.loads(answer.stdout)
            print(
                f"{option:<16}{figures['seconds']:>8.3f}{figures['peak_mb']:>9.0f}"
                f"{_size_mb(path):>12.1f}"
            )
    print(
        "\n(nothing: the imports alone, the floor; index-parts: the saved search index"
        " alone, loaded without any service.)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
