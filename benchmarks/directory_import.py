"""Speed and memory of `hub directory import`: a council-shaped feed at 1,500 and 15,000 services.

    .venv/bin/python benchmarks/directory_import.py              # 1,500 and 15,000, both shapes
    .venv/bin/python benchmarks/directory_import.py 5000         # other sizes
    .venv/bin/python benchmarks/directory_import.py 1500 --profile   # where the time goes
    .venv/bin/python benchmarks/directory_import.py 15000 --full     # the HSDS 3.0 one too
    .venv/bin/python benchmarks/directory_import.py --big 200        # a 200 MB HSDS 3.0 feed

Three feeds, built the same every run:

* `council`: the real North Lincolnshire ORUK v1 feed (`../shared/real-feeds/`, 738 services)
  repeated with new ids until it has the size asked for: real words, real HTML, real quirks.
  Skipped when that folder is absent (a fresh clone); nothing of it is copied into the repo.

* `oruk1`: shaped like a real ORUK v1 list feed (North Lincolnshire's): HTML descriptions
  with `&nbsp;`, one in fifty over 16,000 characters, empty strings for "not given",
  `attending_type` / `attending_access` on one in ten, an organisation with its own
  description, `pc_metadata` and `pc_targetAudience` extension fields;
* `hsds3`: the official HSDS 3.0 full example (`data/openreferral/hsds-3.0/`) repeated with
  new ids and names: every nested object (locations, phones, schedules, contacts, cost
  options, languages, funding, attributes, metadata).

For each it prints:

* the whole command, `python -m hub.cli --data-dir TMP directory import FILE --replace`, in
  a fresh process: wall time and that process's peak RSS (what a hub worker waits for);
* in this process, the steps: JSON read (`open_feed_file`), records to models
  (`parse_documents`), and the store's write (`apply_import`).

No assertions: figures for people to read. Issue 12's targets: 1,500 services <= 3 s;
15,000 <= 20 s with peak RSS <= 300 MB; a 200 MB file (`--big 200`) with peak RSS <= 500 MB.
"""

from __future__ import annotations

import copy
import cProfile
import json
import pstats
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hub_process import measure_hub  # noqa: E402  (beside this script)

from hub.directory import apply_import  # noqa: E402
from hub.formats.feed_files import open_feed_file  # noqa: E402
from hub.formats.to_model import parse_documents  # noqa: E402
from hub.storage import HubStore  # noqa: E402

REAL_FEED = ROOT.parent / "shared" / "real-feeds" / "northlincs-oruk1" / "services.json"
FULL_EXAMPLE = ROOT / "data" / "openreferral" / "hsds-3.0" / "example_service_full.json"
AUDIENCES = ["Carers", "Bereaved ", "Parents>Grandparents", "Dementia", "Men", "Autism"]
ATTENDING = [("Venue", "Drop-in"), ("Phone", "Self referral"), ("Venue", "Appointment")]


def uid(*parts: object) -> str:
    """Return a stable UUID for a synthetic record."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(map(str, parts))))


def oruk1_feed(size: int) -> list[dict[str, Any]]:
    """Return `size` ORUK v1 list records shaped like a real council's feed."""
    para = (
        "<p>Friendly support for local people&nbsp;with benefits, housing and everyday "
        "worries. Come along &amp; meet our volunteers.</p>"
    )
    records = []
    for n in range(size):
        attending = ATTENDING[n % 3] if n % 10 == 0 else ("", "")
        records.append(
            {
                "id": uid("service", n),
                "name": f"Community support group {n}",
                "description": para * (130 if n % 50 == 0 else 4),
                "url": "HTTPS://example.org/group" if n % 100 == 0 else "https://example.org/",
                "email": f"group{n}@example.org",
                "status": "active",
                "fees": "",
                "accreditations": "",
                "deliverable_type": "",
                "attending_type": attending[0],
                "attending_access": attending[1],
                "pc_attendingAccess_additionalInfo": "",
                "assured_date": "2026-03-12",
                "organization": {
                    "id": uid("org", n // 5),
                    "name": f"Organisation {n // 5}",
                    "description": "A local charity that runs groups across the area. " * 3,
                    "url": "www.example.org",
                    "logo": "",
                    "uri": "",
                },
                "pc_metadata": {
                    "date_created": "2026-01-05",
                    "date_modified": "2026-03-12",
                    "date_assured": "2026-03-12",
                    "assured_by": "checker@example.org",
                },
                "pc_targetAudience": [
                    {"id": str(40000 + n), "audienceType": AUDIENCES[n % len(AUDIENCES)]}
                ]
                if n % 4 == 0
                else [],
            }
        )
    return records


def council_feed(size: int) -> list[dict[str, Any]]:
    """Return the real council feed's records repeated, with new ids, up to `size`."""
    real = json.loads(REAL_FEED.read_text(encoding="utf-8"))
    records = []
    for n in range(size):
        record = copy.deepcopy(real[n % len(real)])
        copy_number = n // len(real)
        if copy_number:
            record["id"] = uid("council", record.get("id"), copy_number)
            record["name"] = f"{record.get('name')} ({copy_number + 1})"
        records.append(record)
    return records


def hsds3_feed(size: int) -> dict[str, Any]:
    """Return `size` copies of the HSDS 3.0 full example, new ids and names, as one page."""
    example = json.loads(FULL_EXAMPLE.read_text(encoding="utf-8"))
    contents = []
    for n in range(size):
        record = copy.deepcopy(example)
        record["id"] = uid("hsds3", n)
        record["name"] = f"Community Counselling {n}"
        contents.append(record)
    return {"total_items": size, "total_pages": 1, "page_number": 1, "contents": contents}


def print_whole_import(label: str, path: Path, folder: Path) -> None:
    """Print the wall time, CPU time and peak RSS of the real command importing `path`.

    It runs in a fresh process (benchmarks/hub_process.py), `--replace` into `folder`.
    """
    run = measure_hub(
        ["--data-dir", str(folder), "directory", "import", str(path), "--replace"], timeout=600
    )
    print(
        f"{label}: whole import "
        f"{run.seconds:.2f} s ({run.cpu:.2f} s CPU), peak RSS {run.rss_mb:.0f} MB"
    )
    print(f"    {run.last}")


def steps(path: Path, folder: Path, *, profile: bool) -> None:
    """Print how long each step of an import takes in this process."""
    now = datetime.now(UTC)
    start = time.perf_counter()
    document = open_feed_file(path)  # a small file is read whole here; a big one streams
    read = time.perf_counter()
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    parsed = parse_documents([document], now=now)
    if profiler:
        profiler.disable()
    parse = time.perf_counter()
    with HubStore.open(folder) as store:
        apply_import(store, parsed, source=str(path), replace=True, now=now)
    write = time.perf_counter()
    print(
        f"    steps: JSON read {read - start:.2f} s, to models {parse - read:.2f} s, "
        f"store write {write - parse:.2f} s"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)


def big_feed(megabytes: int) -> None:
    """Build an HSDS 3.0 feed of about `megabytes` MB (the full example, repeated) and import it.

    Issue 12 item 7: a 200 MB file imports with peak RSS <= 500 MB. The file is written
    record by record in a temporary folder and deleted afterwards.
    """
    example = json.loads(FULL_EXAMPLE.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"hsds3-{megabytes}mb.json"
        count = 0
        with path.open("w", encoding="utf-8") as handle:
            handle.write('{"contents": [')
            while handle.tell() < megabytes * 1_048_576:
                record = copy.deepcopy(example)
                record["id"] = uid("hsds3", count)
                record["name"] = f"Community Counselling {count}"
                handle.write(("," if count else "") + json.dumps(record))
                count += 1
            handle.write(f'], "total_items": {count}, "total_pages": 1, "page_number": 1}}')
        size = path.stat().st_size / 1_048_576
        label = f"hsds3 {count:>6,} services ({size:.0f} MB)"
        print_whole_import(label, path, Path(tmp) / "cli")


def main(argv: list[str]) -> None:
    """Run the benchmark for the sizes given (default 1,500 and 15,000)."""
    profile = "--profile" in argv
    full = "--full" in argv
    if "--big" in argv:
        big_feed(int(argv[argv.index("--big") + 1]))
        return
    sizes = [int(arg) for arg in argv if arg.isdigit()] or [1500, 15000]
    for size in sizes:
        shapes: list[tuple[str, Any]] = [("oruk1", oruk1_feed), ("hsds3", hsds3_feed)]
        if REAL_FEED.is_file():
            shapes.insert(0, ("council", council_feed))
        else:
            print(f"(no {REAL_FEED}: the council shape is skipped)")
        for shape, build in shapes:
            if shape == "hsds3" and size > 5000 and not full:
                # 17 KB a service: 15,000 of them is a 250 MB file, issue 12 item 7's case.
                print(f"hsds3 {size:>6,}: skipped (a {size * 17 // 1000} MB file; --full runs it)")
                continue
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"{shape}-{size}.json"
                path.write_text(json.dumps(build(size)), encoding="utf-8")
                megabytes = path.stat().st_size / 1_048_576
                label = f"{shape} {size:>6,} services ({megabytes:.1f} MB)"
                print_whole_import(label, path, Path(tmp) / "cli")
                if size <= 5000 or profile:
                    steps(path, Path(tmp) / "steps", profile=profile)
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
