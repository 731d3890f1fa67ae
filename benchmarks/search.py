"""Search speed on big synthetic directories, beside two reference lines.

    .venv/bin/python benchmarks/search.py            # 5,000 and 50,000 services
    .venv/bin/python benchmarks/search.py 2000       # other sizes
    .venv/bin/python benchmarks/search.py --baseline f974ac7   # and the code at that commit

It measures the code beside this script (not whichever copy of `hub` the virtualenv points
at). With --baseline REF it first runs the same benchmark, in a subprocess, on the `hub`
and `data` of that git commit, so the previous figures are measured in the same run, on the
same machine at the same load, and printed above ours.

For each size it builds a deterministic synthetic directory (random.Random(seed), real
words from community-services writing plus made-up place and organisation names, so the
vocabulary grows with the directory as a real one does), then prints:

* index build time and peak memory of the build (tracemalloc);
* p50 and p95 per query over a fixed mix of lay, typo and short queries, and over
  "typing": every prefix of some queries from three letters, as the search box sees them;
  the first round is reported apart, because spelling corrections are cached afterwards;
* reference lines measured in the same run over the same texts: thefuzz's
  `process.extract` with its defaults (WRatio, full processing) and a bare SQLite FTS5
  query ranked by bm25.

Targets (issue 3): p95 <= 10 ms at 5,000 services and <= 60 ms at 50,000. No assertions:
this prints figures for people to read.
"""

from __future__ import annotations

import argparse
import gc
import io
import random
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# The code to measure: this checkout, or (--code DIR) a baseline's copy. Set before `hub`
# is imported, because the shared virtualenv's editable install points at another checkout.
_CODE = Path(sys.argv[sys.argv.index("--code") + 1]) if "--code" in sys.argv else REPO
sys.path.insert(0, str(_CODE))

from thefuzz import process as thefuzz_process  # noqa: E402

from hub.models import Service  # noqa: E402
from hub.needs import load_needs  # noqa: E402
from hub.schedule import LONDON  # noqa: E402
from hub.search import Result, SearchIndex, words  # noqa: E402

SEED = 20251202
NOW = datetime(2025, 12, 2, 11, 0, tzinfo=LONDON)
THEFUZZ_QUERIES = {5_000: 6, 50_000: 3}
"""thefuzz takes seconds a query at 50,000, so only this many queries are timed per size."""

# --- a synthetic directory -----------------------------------------------------------

TOPICS: dict[str, list[str]] = {
    "money": [
        "debt",
        "benefits",
        "universal credit",
        "money advice",
        "budgeting",
        "bills",
        "council tax",
        "pension credit",
        "grants",
        "energy bills",
        "arrears",
    ],
    "housing": [
        "housing advice",
        "homeless",
        "eviction",
        "tenancy",
        "landlord",
        "repairs",
        "damp",
        "rent",
        "temporary accommodation",
        "hostel",
    ],
    "food": [
        "food bank",
        "food parcels",
        "community fridge",
        "hot meal",
        "lunch club",
        "breakfast",
        "community kitchen",
        "groceries",
        "vouchers",
    ],
    "memory": [
        "dementia",
        "memory café",
        "memory loss",
        "alzheimer's",
        "singing for the brain",
        "carers of people with dementia",
    ],
    "carers": [
        "carers",
        "unpaid carers",
        "respite",
        "carer's assessment",
        "young carers",
        "sitting service",
    ],
    "feeling-low": [
        "counselling",
        "talking therapy",
        "low mood",
        "anxiety",
        "depression",
        "bereavement",
        "grief",
        "wellbeing",
        "stress",
    ],
    "loneliness": [
        "befriending",
        "coffee morning",
        "friendship",
        "social group",
        "company",
        "chat",
        "isolation",
    ],
    "learning": [
        "english classes",
        "esol",
        "computer skills",
        "job club",
        "cv help",
        "volunteering",
        "training",
        "courses",
    ],
    "families": [
        "stay and play",
        "toddler group",
        "parenting",
        "youth club",
        "baby bank",
        "holiday club",
        "children",
    ],
    "health": [
        "health checks",
        "blood pressure",
        "diabetes",
        "hearing aids",
        "stop smoking",
        "wheelchair",
        "disability",
    ],
    "activities": [
        "knitting",
        "gardening",
        "walking group",
        "yoga",
        "chair exercise",
        "choir",
        "art class",
        "dance",
        "bingo",
        "crafts",
    ],
    "older-people": ["over 60s", "older people", "falls prevention", "seniors", "pensioners"],
    "safety": ["domestic abuse", "scams", "hate crime", "safety planning", "refuge"],
    "language": ["interpreting", "polish", "somali", "tamil", "gujarati", "urdu", "arabic"],
    "faith-community": ["church", "mosque", "temple", "gurdwara", "community centre"],
    "urgent": ["crisis", "emergency", "helpline", "safe haven"],
}
KINDS = [
    "Group",
    "Club",
    "Drop-in",
    "Service",
    "Project",
    "Café",
    "Centre",
    "Advice Point",
    "Circle",
    "Network",
    "Hub",
    "Sessions",
    "Line",
    "Partnership",
    "Trust",
]
AREAS = [
    "Church End",
    "Alperton",
    "Harlesden",
    "Wembley",
    "Kilburn",
    "Willesden",
    "Kingsbury",
    "Neasden",
    "Stonebridge",
    "Kensal Green",
    "Queens Park",
    "Borough-wide",
]
_FILLER_TEXT = (
    "a friendly welcoming free weekly monthly session for anyone local people adults families "
    "volunteers trained advisers confidential support help advice come along meet chat tea "
    "coffee cake quiet room step-free access hearing loop near the station bus stop library "
    "hall church centre school park open to all no need to book drop in or phone first"
)
FILLER = _FILLER_TEXT.split()
ORGANISATION_KINDS = ["Trust", "Association", "Friends", "Network", "Partnership"]
SYLLABLES = [
    "ash",
    "bel",
    "cor",
    "dan",
    "el",
    "fen",
    "gar",
    "hol",
    "ing",
    "jas",
    "kel",
    "lan",
    "mor",
    "nor",
    "ost",
    "pen",
    "quin",
    "ros",
    "sel",
    "tor",
    "ul",
    "ven",
    "wil",
    "yar",
]
BYDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU", "MO,WE", "TU,TH", "2TU", "-1FR", "1MO"]


def _proper_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def synthetic_directory(size: int, seed: int = SEED) -> list[Service]:
    """Return `size` services made deterministically from the seed."""
    rng = random.Random(seed)
    need_ids = list(TOPICS)
    streets = [_proper_name(rng) for _ in range(max(50, size // 20))]
    organisations = [
        f"{_proper_name(rng)} {rng.choice(ORGANISATION_KINDS)}" for _ in range(max(50, size // 10))
    ]
    services: list[Service] = []
    for number in range(size):
        needs = rng.sample(need_ids, rng.choice([1, 1, 2, 2, 3]))
        topic_words = [rng.choice(TOPICS[need]) for need in needs]
        area = rng.choice(AREAS)
        street = rng.choice(streets)
        name = f"{rng.choice([area, street])} {topic_words[0].title()} {rng.choice(KINDS)}"
        sentences = [
            f"{rng.choice(['We offer', 'A place for', 'Help with', 'Free'])} "
            f"{', '.join(topic_words)} for people in {area}.",
            " ".join(rng.choice(FILLER) for _ in range(rng.randint(12, 30))) + ".",
            f"Meet at {street} {rng.choice(['Road', 'Hall', 'Library', 'Centre'])}.",
        ]
        opens = rng.choice([9, 10, 11, 13, 14, 18])
        schedule: dict[str, Any] = {
            "freq": "MONTHLY" if rng.random() < 0.15 else "WEEKLY",
            "opens_at": f"{opens:02d}:00",
            "closes_at": f"{opens + rng.choice([1, 2, 3]):02d}:00",
        }
        monthly = schedule["freq"] == "MONTHLY"
        schedule["byday"] = rng.choice(["2TU", "-1FR", "1MO"] if monthly else BYDAYS[:9])
        services.append(
            Service.model_validate(
                {
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "name": name,
                    "organisation": rng.choice(organisations),
                    "description": " ".join(sentences),
                    "needs": needs,
                    "keywords": sorted(
                        {word for need in needs for word in rng.sample(TOPICS[need], 2)}
                    ),
                    "areas": [area],
                    "schedules": [schedule] if rng.random() < 0.85 else [],
                    "cost": {"free": rng.random() < 0.7},
                    "attendance": {"drop_in": rng.random() < 0.4},
                    "last_modified": datetime(2025, 1, 1, tzinfo=UTC),
                }
            )
        )
        if number % 10_000 == 9_999:
            print(f"  ...{number + 1:,} services made", file=sys.stderr)
    return services


# --- the query mix -------------------------------------------------------------------

LAY = ["cant pay my rent", "mum keeps forgetting things", "i feel lonely",
       "need food for my kids", "no one to talk to", "looking after my dad",
       "scared at home", "struggling with money", "my sight is getting worse",
       "my nan had a fall and cant manage at home", "my son is self harming",
       "cant afford the bus to hospital"]  # fmt: skip
TYPO = ["councelling", "benifits", "dimentia", "lonley", "foodbnak", "bereavment",
        "excercise", "homless"]  # fmt: skip
SHORT = ["food", "debt", "yoga", "carers", "rent", "art", "choir", "esol"]
NAMES = ["wembley counsel", "church end food", "harlesden advice"]
# A moment ("today", "tonight", "this week") puts the best matches in order of when they run.
MOMENT = ["i need food today", "somewhere warm tonight", "lunch club this week"]
MIX = LAY + TYPO + SHORT + NAMES + MOMENT
TYPING = [query[:end] for query in ["councelling", "cant pay my rent", "dementia cafe"]
          for end in range(3, len(query) + 1)]  # fmt: skip


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _time(run: Callable[[str], object], queries: Sequence[str], rounds: int) -> list[float]:
    """Return milliseconds per query, every query `rounds` times."""
    found: list[float] = []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            run(query)
            found.append((time.perf_counter() - start) * 1000)
    return found


def service_text(service: Service) -> str:
    return " ".join(
        [service.name, *service.keywords, service.description, service.organisation or ""]
    )


def run_size(size: int) -> dict[str, Any]:
    """Measure one directory size; return the figures."""
    print(f"\n== {size:,} services ==")
    start = time.perf_counter()
    services = synthetic_directory(size)
    print(f"  generated in {time.perf_counter() - start:.1f} s")
    needs = load_needs()

    gc.collect()
    start = time.perf_counter()
    index = SearchIndex.build(services, needs)
    build_s = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()
    SearchIndex.build(services, needs)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    gc.collect()

    def ours(query: str) -> list[Result]:
        return index.search(query, now=NOW, limit=20)

    first_round = _time(ours, MIX, 1)  # spelling corrections not yet cached
    warm = _time(ours, MIX, 5)
    typing = _time(ours, TYPING, 3)
    # Timings of empty answers would flatter us: say so if any lay or typo query found nothing.
    empty = [query for query in LAY + TYPO if not ours(query)]
    if empty:
        print(f"  warning: found nothing for {empty}")

    texts = [service_text(service) for service in services]
    fuzz_queries = MIX[: THEFUZZ_QUERIES.get(size, 4)]
    thefuzz_ms = _time(lambda q: thefuzz_process.extract(q, texts, limit=20), fuzz_queries, 1)

    start = time.perf_counter()
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(name, keywords, description, organisation)")
    db.executemany(
        "INSERT INTO fts(rowid, name, keywords, description, organisation) VALUES (?,?,?,?,?)",
        [
            (n, s.name, " ".join(s.keywords), s.description, s.organisation or "")
            for n, s in enumerate(services)
        ],
    )
    fts_build_s = time.perf_counter() - start

    def fts(query: str) -> object:
        terms = " OR ".join(f'"{word}"' for word in words(query))
        if not terms:
            return []
        return db.execute(
            "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 10.0, 6.0, 2.0, 1.5) "
            "LIMIT 20",
            (terms,),
        ).fetchall()

    fts_ms = _time(fts, MIX, 5)
    db.close()
    return {
        "size": size,
        "build_s": build_s,
        "peak_mb": peak / 1_048_576,
        "first_p50": statistics.median(first_round),
        "first_p95": _percentile(first_round, 0.95),
        "p50": statistics.median(warm),
        "p95": _percentile(warm, 0.95),
        "max": max(warm),
        "typing_p95": _percentile(typing, 0.95),
        "thefuzz_p50": statistics.median(thefuzz_ms),
        "thefuzz_n": len(fuzz_queries),
        "fts_p50": statistics.median(fts_ms),
        "fts_p95": _percentile(fts_ms, 0.95),
        "fts_build_s": fts_build_s,
        "vocabulary": index.vocabulary_size,
    }


def run_baseline(ref: str, sizes: Sequence[int]) -> None:
    """Run this benchmark on the `hub` and `data` of git commit `ref`; print its table."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref, "hub", "data"],
        capture_output=True,
        check=True,
    ).stdout
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        print(f"== previous: the code at {ref}, measured first ==", flush=True)
        subprocess.run(
            [sys.executable, __file__, *map(str, sizes), "--code", folder],
            check=True,
        )
    print(f"\n== now: the code in {REPO} ==", flush=True)


def main(argv: Sequence[str]) -> int:
    """Run the benchmark for the sizes given (default 5,000 and 50,000) and print a table."""
    parser = argparse.ArgumentParser(description="Search speed on big synthetic directories.")
    parser.add_argument("sizes", nargs="*", default=["5000", "50000"])
    parser.add_argument("--baseline", metavar="REF", help="also measure the code at git REF")
    parser.add_argument("--code", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [int(arg.replace(",", "").replace("_", "")) for arg in args.sizes]
    if args.baseline:
        run_baseline(args.baseline, sizes)
    print(f"SQLite {sqlite3.sqlite_version}; FTS5 is checked by creating a table below.")
    print(f"Query mix: {len(LAY)} lay, {len(TYPO)} typo, {len(SHORT)} short, {len(NAMES)} name, "
          f"{len(MOMENT)} moment queries; typing: {len(TYPING)} prefixes.")  # fmt: skip
    started = time.perf_counter()
    rows = [run_size(size) for size in sizes]
    targets = {5_000: 10.0, 50_000: 60.0}
    print("\n" + "-" * 100)
    print(
        f"{'services':>9} {'build s':>8} {'peak MB':>8} {'words':>7} | {'p50 ms':>7} {'p95 ms':>7} "
        f"{'1st p95':>8} {'typing p95':>10} {'target':>7} | {'FTS5 p50':>9} {'FTS5 p95':>9} "
        f"{'thefuzz p50':>12}"
    )
    for row in rows:
        target = targets.get(row["size"])
        verdict = "" if target is None else ("ok" if row["p95"] <= target else "MISSED")
        print(
            f"{row['size']:>9,} {row['build_s']:>8.2f} {row['peak_mb']:>8.1f} "
            f"{row['vocabulary']:>7,} | {row['p50']:>7.2f} {row['p95']:>7.2f} "
            f"{row['first_p95']:>8.2f} {row['typing_p95']:>10.2f} "
            f"{(f'<={target:.0f} ' + verdict) if target else '-':>7} | "
            f"{row['fts_p50']:>9.2f} {row['fts_p95']:>9.2f} "
            f"{row['thefuzz_p50']:>8.0f} ({row['thefuzz_n']}q)"
        )
    print("\nRatios (reference p50 / our p50; above 1 means ours is faster):")
    for row in rows:
        print(
            f"  {row['size']:>6,}: thefuzz process.extract "
            f"{row['thefuzz_p50'] / row['p50']:,.0f}x; "
            f"SQLite FTS5 bm25 {row['fts_p50'] / row['p50']:.2f}x "
            f"(FTS5 build {row['fts_build_s']:.2f} s vs ours {row['build_s']:.2f} s). "
            "FTS5 does no typo, synonym or prefix handling."
        )  # fmt: skip
    print(f"\nTotal run time {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
