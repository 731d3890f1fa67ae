"""Kill `hub sync import` with SIGKILL at random moments: every round must end all or nothing.

Prepares a coordinator data folder (its key, three hubs' keys enrolled) and three signed
bundles, times one uninterrupted import, then for each round copies the folder afresh,
starts `python -m hub.cli sync import` on the three bundles, kills it with SIGKILL after a
random delay, opens the folder as the next process would (which finishes or drops a
half-done save) and sorts the round into "all" (every referral, service, suggestion,
search and hub of the three files), "nothing" (none of them) or "partial".

    .venv/bin/python benchmarks/sync_kill.py [--rounds 200] [--referrals 400]

Prints the three counts; "partial" must be 0. Exits 1 when it is not.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

# This checkout's code, not an installed copy (the script's own folder is already first).
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from sync import enrol_hubs, make_bundle

from hub.storage import JOURNAL_FILE, HubStore
from hub.sync import HUBS, IMPORTED_UNMET

ROOT = Path(__file__).resolve().parent.parent


class Scenario:
    """The template data folder, the bundles, and what a whole import brings."""

    def __init__(self, folder: Path, hubs: int, referrals: int) -> None:
        self.template = folder / "template"
        self.files: list[Path] = []
        documents: list[dict[str, Any]] = []
        for index in range(hubs):
            document = make_bundle(index, referrals)
            path = folder / f"hub-{index}.json"
            path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            self.files.append(path)
            documents.append(document)
        enrol_hubs(self.template, documents)
        self.referral_ids = {r["id"] for d in documents for r in d["referrals"]}
        self.service_ids = {s["id"] for d in documents for s in d["services"]}
        self.suggestion_ids = {s["id"] for d in documents for s in d["suggestions"]}
        self.hub_ids = {d["hub"]["id"] for d in documents}
        self.unmet = sum(len(d["unmet_searches"]) for d in documents)
        self.journals = 0
        """Rounds killed after the commit point, before every file was in place."""

    def command(self, data: Path) -> list[str]:
        """Return the import command for the data folder `data`."""
        return [sys.executable, "-m", "hub.cli", "--data-dir", str(data), "sync", "import"] + [
            str(path) for path in self.files
        ]

    def outcome(self, data: Path) -> str:
        """Return "all", "nothing" or "partial" for the data folder after a killed import."""
        self.journals += (data / JOURNAL_FILE).exists()  # killed while putting files in place
        with HubStore.open(data) as store:  # opening finishes or drops a half-done save
            referrals = {str(doc["id"]) for doc in store.referral_documents()}
            found = [
                len(referrals & self.referral_ids),
                len({s.id for s in store.services()} & self.service_ids),
                len(set(store.collection("suggestions").raw()) & self.suggestion_ids),
                len(set(store.collection(HUBS).raw()) & self.hub_ids),
                len(store.collection(IMPORTED_UNMET).raw()),
            ]
        whole = [
            len(self.referral_ids),
            len(self.service_ids),
            len(self.suggestion_ids),
            len(self.hub_ids),
            self.unmet,
        ]
        if found == whole:
            return "all"
        if not any(found):
            return "nothing"
        return "partial " + ", ".join(f"{a}/{b}" for a, b in zip(found, whole, strict=True))


def run_rounds(folder: Path, rounds: int, referrals: int, seed: int = 1) -> Counter[str]:
    """Return how many rounds ended all, nothing or partial (with details)."""
    scenario = Scenario(folder, 3, referrals)
    data = folder / "data"
    shutil.copytree(scenario.template, data)
    started = time.perf_counter()
    whole = subprocess.run(scenario.command(data), cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if whole.returncode != 0 or scenario.outcome(data) != "all":
        raise SystemExit(f"an uninterrupted import failed:\n{whole.stderr}")
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    for _ in range(rounds):
        shutil.rmtree(data)
        shutil.copytree(scenario.template, data)
        process = subprocess.Popen(
            scenario.command(data),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Most of the run is Python starting and the files being checked, and the saving
        # comes last: every other kill is aimed at the last fifth (a little past the end
        # too, when the round must be "all"), the rest anywhere after start-up.
        late = rng.random() < 0.5
        time.sleep((rng.uniform(0.8, 1.05) if late else rng.uniform(0.2, 1.05)) * seconds)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        counts[scenario.outcome(data)] += 1
    counts["seconds per import (x100)"] = round(seconds * 100)
    counts["finished by the next open"] = scenario.journals
    return counts


def main() -> int:
    """Run the rounds and print the counts; return 1 if any round was partial."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--referrals", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        counts = run_rounds(Path(temp), args.rounds, args.referrals, args.seed)
    seconds = counts.pop("seconds per import (x100)") / 100
    finished = counts.pop("finished by the next open")
    partial = sum(n for key, n in counts.items() if key.startswith("partial"))
    print(f"one uninterrupted import: {seconds:.2f} s; {args.rounds} rounds killed at random:")
    print(f"  all: {counts['all']}, nothing: {counts['nothing']}, partial: {partial}")
    print(f"  ({finished} of the 'all' rounds were killed mid-save and finished on opening)")
    for key, n in sorted(counts.items()):
        if key.startswith("partial"):
            print(f"  {key}: {n}")
    return 1 if partial else 0


if __name__ == "__main__":
    sys.exit(main())
