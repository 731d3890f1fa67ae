"""Kill a writing process at random moments: every save that returned must still be there.

Stock TinyDB JSONStorage truncates the file and rewrites it in place, so a kill in the
middle leaves it unreadable about one time in ten. Ours writes a temporary file and
renames it; this test proves no kill ever leaves a file that does not load. Each writer is
a process of its own, forked from one that has imported already (tests/forked_writers.py).
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from hub.storage import HubStore
from tests.forked_writers import ForkedWriters

KILLS = 50

PREPARE = """
import tempfile, uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from hub.storage import HubStore
from tests.forked_writers import ForkedWriters
from tests.factories import make_referral, make_service

# One save of each kind in a folder of its own, so what a first save imports is imported
# here, once, not in every writer.
with tempfile.TemporaryDirectory() as warm_up, HubStore.open(Path(warm_up)) as store:
    store.save_referral(make_referral())
    store.save_services([make_service()])
    store.set_meta("counter", 0)
"""

WRITER = """
root, offset = Path(args[0]), int(args[1])
store = HubStore.open(root)
start = datetime(2026, 1, 1, tzinfo=UTC)
i = 0
while True:
    i += 1
    # Spread referrals over months so new shards and new month folders get created too.
    referral = make_referral(now=start + timedelta(hours=7 * i + offset))
    store.save_referral(referral)
    print("referral", referral.id, flush=True)
    if i % 4 == 0:
        service = make_service(name=f"Service {uuid.uuid4().hex[:8]}")
        store.save_services([service])
        print("service", service.id, flush=True)
    if i % 5 == 0:
        store.set_meta("counter", i)
"""


def test_kill_at_random_moments_never_loses_a_returned_save(tmp_path: Path) -> None:
    root = tmp_path / "data"
    repo = Path(__file__).resolve().parents[2]
    rng = random.Random(20261126)
    saved_referrals: set[str] = set()
    saved_services: set[str] = set()
    writers = ForkedWriters(PREPARE, WRITER, cwd=repo)
    try:
        for run in range(KILLS):
            writers.start(str(root), str(run * 100_000))
            # The window opens once one save has returned (the first opens the folder).
            first = writers.readline()
            time.sleep(rng.uniform(0.0, 0.05))
            output = writers.kill()
            for line in [first, *output.splitlines()]:
                parts = line.split()
                # A line cut by the kill has no id yet: that save may not have returned.
                if len(parts) == 2 and len(parts[1]) == 36:
                    (saved_referrals if parts[0] == "referral" else saved_services).add(parts[1])
    finally:
        writers.close()

    # Every data file parses as JSON: none was left half-written.
    for path in root.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    with HubStore.open(root) as store:
        stored_referrals = {r.id for r in store.referrals()}
        stored_services = {s.id for s in store.services()}
    assert len(saved_referrals) > KILLS, "too few saves happened between kills to mean much"
    assert saved_referrals <= stored_referrals, "a referral whose save returned was lost"
    assert saved_services <= stored_services, "a service whose save returned was lost"
