"""Time of one staff edit: the search index followed in place, against a whole build.

    .venv/bin/python benchmarks/index_edit.py            # 5,000 and 50,000 services
    .venv/bin/python benchmarks/index_edit.py 2000       # other sizes

For each size, a data folder with a synthetic directory (benchmarks/search.py's) is made
and its index built and saved once. Then, in the same run and process:

* `followed`: `Hub.edit_service` / `add_service` / `retire_service` as the staff screens
  call them, wall time of the whole call: the save, the index following the change
  (`SearchIndex.with_change`) and the index file's rows rewritten (`save_change`);
* `save only`: the same kind of change saved by `hub.directory_edits` straight to the store,
  with no index (what the edit costs before any index work);
* `build`: what a change cost before: the whole index built from the directory
  (`SearchIndex.build`, streaming the store) and the whole file written (`save_index`);
* `import`: a council's update of 10 services, and of as many as an import follows in the
  index file at that size (`hub.index_follow`), imported beside the kiosk as `hub directory
  import` does it; then the time a kiosk takes to have its index ready (it loads the file).

Three changes of each kind (the median is printed); one build. No assertions: figures to read.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import synthetic_directory  # the sibling benchmark's directory; sets sys.path

from hub import directory_edits, index_follow
from hub.directory import apply_import
from hub.formats.common import ParsedDirectory
from hub.index_file import INDEX_FILE, index_fingerprint, save_index
from hub.kiosk_service import Hub
from hub.models import Service
from hub.needs import kiosk_needs
from hub.search import SearchIndex
from hub.storage import HubStore

NEEDS = kiosk_needs()
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
ROUNDS = 3


def _median_ms(run: Callable[[int], object], rounds: int = ROUNDS) -> float:
    """Return the median milliseconds of `run(round)` over `rounds` rounds."""
    times: list[float] = []
    for round_number in range(rounds):
        start = time.perf_counter()
        run(round_number)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(size: int, root: Path) -> None:
    """Print the figures for one directory size."""
    folder = root / f"hub-{size}"
    started = time.perf_counter()
    with HubStore.open(folder) as store:
        store.save_services(synthetic_directory(size))
    print(f"{size:,} services: folder made in {time.perf_counter() - started:.1f} s")
    hub = Hub.open(folder, needs=NEEDS, clock=lambda: NOW)
    try:
        started = time.perf_counter()
        hub.load_directory()
        print(f"  first build and save: {time.perf_counter() - started:.1f} s")
        services = list(hub.store.iter_services(listed_only=True, limit=40))
        size_mb = (folder / INDEX_FILE).stat().st_size / 1e6
        print(f"  index file: {size_mb:.1f} MB")

        def edit(round_number: int) -> None:
            service = services[round_number]
            hub.edit_service(
                service.model_copy(update={"description": service.description + " zebra"}),
                "staff-1",
            )

        def add(round_number: int) -> None:
            donor = services[10 + round_number]
            hub.add_service(donor.model_copy(update={"id": str(uuid.uuid4())}), "staff-1")

        def retire(round_number: int) -> None:
            hub.retire_service(services[20 + round_number].id, "staff-1")

        followed = {"edit": _median_ms(edit), "add": _median_ms(add), "retire": _median_ms(retire)}
        cache = hub._index_cache
        assert cache is not None and cache.current(hub.store.directory_version) is not None
        # Before the saves below, which leave the index file behind the directory.
        imports = _import_figures(hub, folder)

        def save_only(round_number: int) -> None:
            service: Service = services[30 + round_number]
            directory_edits.edit_service(
                hub.store,
                service.model_copy(update={"description": service.description + " zebra"}),
                "staff-1",
                NOW,
            )

        saving = _median_ms(save_only)
        fingerprint = index_fingerprint(NEEDS)

        def build(_round_number: int) -> None:
            index = SearchIndex.build(
                hub.store.iter_services(listed_only=True),
                NEEDS,
                version=hub.store.directory_version,
                fetch=hub.store.services_by_id,
            )
            save_index(
                root / "rebuilt.sqlite3",
                index,
                revision=hub.store.directory_revision,
                fingerprint=fingerprint,
            )

        rebuilt = _median_ms(build, rounds=1)  # a whole build is slow: once is enough
    finally:
        hub.close()
    print(f"  save only (no index work): {saving:8.0f} ms")
    for kind, ms in followed.items():
        print(
            f"  {kind:6} followed in place: {ms:8.0f} ms   "
            f"whole build + save: {rebuilt:8.0f} ms   ({rebuilt / ms:.0f}x)"
        )
    for count, imported, ready in imports:
        print(
            f"  import of {count:3} changed services, index file followed: {imported:6.0f} ms; "
            f"a kiosk's index then ready in {ready:6.0f} ms (loaded), "
            f"against {rebuilt:6.0f} ms to build it"
        )


def _import_figures(hub: Hub, folder: Path) -> list[tuple[int, float, float]]:
    """Return (services changed, import ms, next kiosk's index ready ms) for a council
    update of a few services imported beside the kiosk (`apply_import`, as `hub directory
    import` runs it): the import follows the index file, and the kiosk loads it."""
    figures: list[tuple[int, float, float]] = []
    size = hub.store.service_count()
    limit = min(index_follow.FOLLOW_LIMIT, index_follow.FOLLOW_WORK // size)
    for count in sorted({min(10, limit), limit}):
        edited = [
            service.model_copy(update={"description": f"{service.description} {count} zebras"})
            for service in hub.store.iter_services(listed_only=True, offset=40, limit=count)
        ]
        started = time.perf_counter()
        apply_import(
            hub.store,
            ParsedDirectory(flavour="hsds3", services=edited),
            source="update.json",
            replace=False,
            now=NOW,
        )
        imported = (time.perf_counter() - started) * 1000
        kiosk = Hub.open(folder, needs=NEEDS, clock=lambda: NOW)
        try:
            started = time.perf_counter()
            kiosk.search_index()
            ready = (time.perf_counter() - started) * 1000
            assert kiosk._index_cache is not None and kiosk._index_cache.loaded_from_file
        finally:
            kiosk.close()
        figures.append((count, imported, ready))
    return figures


def main(argv: list[str]) -> None:
    sizes = [int(arg) for arg in argv] or [5_000, 50_000]
    with tempfile.TemporaryDirectory() as temp:
        for size in sizes:
            measure(size, Path(temp))


if __name__ == "__main__":
    main(sys.argv[1:])
