"""Kill a writing process at random moments: every save that returned must still be there.

Stock TinyDB JSONStorage truncates the file and rewrites it in place, so a kill in the
middle leaves it unreadable about one time in ten. Ours writes a temporary file and
renames it; this test proves no kill ever leaves a file that does not load.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from hub.storage import HubStore

KILLS = 50

WRITER = """
import sys, uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from hub.storage import HubStore
from tests.factories import make_referral, make_service

store = HubStore.open(Path(sys.argv[1]))
print("ready", flush=True)
start = datetime(2026, 1, 1, tzinfo=UTC)
i = 0
while True:
    i += 1
    # Spread referrals over months so new shards and new month folders get created too.
    referral = make_referral(now=start + timedelta(hours=7 * i + int(sys.argv[2])))
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
    for run in range(KILLS):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(root), str(run * 100_000)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=repo,
        )
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        # The first save waits for the first write's imports; on a busy machine that takes
        # longer than the whole window, so the window opens once one save has returned.
        first = writer.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.05))
        writer.send_signal(signal.SIGKILL)
        output, _ = writer.communicate(timeout=30)
        for line in [first, *output.splitlines()]:
            parts = line.split()
            # A line cut by the kill has no id yet: that save may not have returned.
            if len(parts) == 2 and len(parts[1]) == 36:
                (saved_referrals if parts[0] == "referral" else saved_services).add(parts[1])

    # Every data file parses as JSON: none was left half-written.
    for path in root.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    with HubStore.open(root) as store:
        stored_referrals = {r.id for r in store.referrals()}
        stored_services = {s.id for s in store.services()}
    assert len(saved_referrals) > KILLS, "too few saves happened between kills to mean much"
    assert saved_referrals <= stored_referrals, "a referral whose save returned was lost"
    assert saved_services <= stored_services, "a service whose save returned was lost"
