"""How long a coordinator takes to merge 20 hubs' bundles, and to import them all again.

Generates 20 signed bundles of 5,000 referrals each, their contact details and notes
sealed to the coordinator's key (deterministic keys; the seal is random each run), enrols
the 20 hubs' keys at an empty coordinator data folder, merges the bundles in, then imports
all 20 again (which must change nothing). Each import runs in a fresh process, as
`hub sync import` would, and reports its wall time and peak memory (the process's
maximum resident set size).
Targets (issue 6): first merge <= 10 s, repeat <= 5 s, peak <= 400 MB.

    .venv/bin/python benchmarks/sync.py [--hubs 20] [--referrals 5000] [--tracemalloc]

`--tracemalloc` also reports the peak of Python allocations (it slows the run down, so
the times printed with it are not the ones to compare with the targets).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

# This checkout's code, not an installed copy.
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from nacl.encoding import HexEncoder
from nacl.signing import SigningKey

from hub.formats.hsds3 import to_hsds3
from hub.models import Referral, Service
from hub.storage import HubStore
from hub.sync import BUNDLE_FORMAT, BUNDLE_VERSION, import_bundles, signed_bytes, trust_key
from hub.sync.signing import encode_key, key_fingerprint, seal_details, sign

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
METHODS = ["signposted", "warm_handover", "phoned_on_the_spot", "form_sent"]
BANDS = ["under_18", "18_24", "25_44", "45_64", "65_79", "80_plus", "not_given"]
OUTCOMES = ["unknown", "unknown", "attended", "did_not_attend", "declined"]
NEEDS = ["memory", "carers", "money", "food", "housing", "loneliness", "health"]
TARGETS = {"first": 10.0, "repeat": 5.0, "peak_mb": 400.0}
COORDINATOR_KEY = SigningKey(b"coordinator-benchmark-key-32byte")


def hub_key(index: int) -> SigningKey:
    """Return hub number `index`'s signing key (deterministic)."""
    return SigningKey(f"benchmark-hub-{index:04d}".encode().ljust(32, b"."))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def make_bundle(index: int, referrals: int) -> dict[str, Any]:
    """Return hub number `index`'s bundle: referrals over the last 300 days, and extras."""
    rng = random.Random(index)
    hub_id = _uuid(rng)
    services = [
        Service(
            id=_uuid(rng),
            name=f"Hub {index} group {n}",
            description="A weekly group.",
            needs=rng.sample(NEEDS, 2),
            last_modified=NOW - timedelta(days=rng.randint(1, 90)),
        )
        for n in range(10)
    ]
    docs = []
    for _ in range(referrals):
        when = NOW - timedelta(minutes=rng.randint(60, 300 * 24 * 60))
        consent = rng.random() < 0.3
        service = rng.choice(services)
        referral = Referral(
            id=_uuid(rng),
            hub_id=hub_id,
            recorded_at=when,
            updated_at=min(when + timedelta(days=rng.choice([0, 0, 3])), NOW),
            recorded_by=f"staff-{rng.randint(1, 6)}",
            service_id=service.id,
            service_name=service.name,
            needs=rng.sample(NEEDS, rng.randint(1, 3)),
            method=rng.choice(METHODS),
            age_band=rng.choice(BANDS),
            postcode_district=rng.choice(["NW10", "HA0", "NW2", "HA9", None]),
            consent_to_follow_up=consent,
            contact="07700 900123" if consent else None,
            notes=rng.choice([None, None, "Will go with a friend next week."]),
            outcome=rng.choice(OUTCOMES),
        )
        docs.append(referral.model_dump(mode="json"))
    document: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "hub": {"id": hub_id, "name": f"Benchmark hub {index}"},
        "exported_at": NOW.isoformat().replace("+00:00", "Z"),
        "referrals": docs,
        "services": [to_hsds3(service) for service in services],
        "suggestions": [
            {
                "id": _uuid(rng),
                "service_id": services[0].id,
                "text": "The phone number has changed",
                "day": (NOW.date() - timedelta(days=n)).isoformat(),
            }
            for n in range(5)
        ],
        "unmet_searches": [
            {"text": f"search {n}", "day": date(2026, 11, 20).isoformat(), "count": n + 1}
            for n in range(20)
        ],
    }
    # As `hub sync export` writes it: details sealed to the coordinator, then signed.
    details = {}
    for doc in docs:
        if doc["contact"] or doc["notes"]:
            details[doc["id"]] = (doc["contact"], doc["notes"])
        doc["contact"] = doc["notes"] = None
    coordinator = bytes(COORDINATOR_KEY.verify_key)
    key = hub_key(index)
    document["personal_details"] = "sealed"
    document["sealed_to"] = key_fingerprint(coordinator)
    document["sealed_details"] = seal_details(details, coordinator)
    document["public_key"] = encode_key(bytes(key.verify_key))
    digest = hashlib.sha256(signed_bytes(document)).digest()
    document["signature"] = sign(digest, key)
    document["sha256"] = digest.hex()
    return document


def enrol_hubs(folder: Path, documents: list[dict[str, Any]]) -> None:
    """Give the coordinator its key and enrol every hub's, as `hub sync trust` would."""
    with HubStore.open(folder) as store:
        path = folder / "signing.key"
        path.write_bytes(COORDINATOR_KEY.encode(HexEncoder))
        path.chmod(0o600)
        for document in documents:
            hub = document["hub"]
            key = base64.b64decode(document["public_key"])
            trust_key(
                store, hub["id"], hub["name"], key, coordinator=False, now=NOW, own_hub_id=None
            )


def run_import(folder: Path, files: list[Path], trace: bool) -> dict[str, Any]:
    """Import `files` into `folder` in this process; return the time, counts and peak memory."""
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with HubStore.open(folder) as store:
        summaries = import_bundles(store, files, now=NOW)
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {
        "seconds": seconds,
        "added": sum(s.referrals.added for s in summaries),
        "updated": sum(s.referrals.updated for s in summaries),
        "unchanged": sum(s.referrals.unchanged for s in summaries),
        # ru_maxrss is in kilobytes on Linux.
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # CPU time (the whole process, start-up included): steadier than wall time on a
        # machine shared with other work.
        "cpu": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
    }
    if trace:
        result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1_048_576
    return result


def child(folder: Path, files: list[Path], trace: bool) -> dict[str, Any]:
    """Run one import in a fresh Python process, as `hub sync import` would."""
    command = [sys.executable, __file__, "--child", str(folder), *map(str, files)]
    if trace:
        command.append("--tracemalloc")
    output = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if output.returncode != 0:
        raise SystemExit(f"the import failed:\n{output.stderr}")
    result: dict[str, Any] = json.loads(output.stdout)
    return result


def main() -> int:
    """Generate the bundles, run both imports, print the figures; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=20)
    parser.add_argument("--referrals", type=int, default=5000)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--child", nargs="+", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        folder, *files = map(Path, args.child)
        print(json.dumps(run_import(folder, files, args.tracemalloc)))
        return 0

    with tempfile.TemporaryDirectory(dir=Path.cwd()) as temp:
        root = Path(temp)
        started = time.perf_counter()
        files = []
        heads = []
        for index in range(args.hubs):
            path = root / f"hub-{index:02d}.json"
            document = make_bundle(index, args.referrals)
            payload = json.dumps(document, ensure_ascii=False, indent=1)
            path.write_text(payload, encoding="utf-8")
            files.append(path)
            heads.append({"hub": document["hub"], "public_key": document["public_key"]})
        size = sum(path.stat().st_size for path in files) / 1_048_576
        print(
            f"generated {args.hubs} bundles x {args.referrals:,} referrals "
            f"({size:.0f} MB) in {time.perf_counter() - started:.1f} s"
        )
        coordinator = root / "coordinator"
        enrol_hubs(coordinator, heads)
        first = child(coordinator, files, args.tracemalloc)
        repeat = child(coordinator, files, args.tracemalloc)

    total = args.hubs * args.referrals
    assert first["added"] == total, first
    assert repeat["added"] == repeat["updated"] == 0 and repeat["unchanged"] == total, repeat
    peak = max(first["maxrss_mb"], repeat["maxrss_mb"])
    for name, result, target in (
        ("first merge ", first, TARGETS["first"]),
        ("repeat      ", repeat, TARGETS["repeat"]),
    ):
        traced = (
            f", python heap peak {result['traced_peak_mb']:.0f} MB"
            if "traced_peak_mb" in result
            else ""
        )
        print(
            f"{name}: {result['seconds']:5.2f} s (target <= {target:.0f} s; "
            f"CPU {result['cpu']:5.2f} s), "
            f"peak RSS {result['maxrss_mb']:.0f} MB{traced}; "
            f"{result['added']:,} added, {result['unchanged']:,} unchanged"
        )
    print(f"peak memory : {peak:.0f} MB (target <= {TARGETS['peak_mb']:.0f} MB)")
    met = (
        first["seconds"] <= TARGETS["first"]
        and repeat["seconds"] <= TARGETS["repeat"]
        and peak <= TARGETS["peak_mb"]
    )
    if args.tracemalloc:
        print("(tracemalloc was on: it slows the run and adds to RSS; compare a plain run)")
    else:
        print("targets met" if met else "TARGETS MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
