"""Speed and memory of HSDS 3.0 CSV packages: write, read, and read into Service models.

    .venv/bin/python benchmarks/csv_package.py            # 1,500 and 15,000 services
    .venv/bin/python benchmarks/csv_package.py 5000       # other sizes

For each size it builds a deterministic synthetic directory (ten services per
organisation; each service with a phone, a weekly schedule and one place with an
address), writes it as a CSV package in a temporary folder, then prints:

* write: `write_csv_package` of the nested services, and the package's size on disk;
* read: `load_csv_package`, the tables joined back into nested services;
* models: `read_csv_directory`, the same plus the JSON reader's HSDS 3.0 path into
  `Service` models (what `hub directory import FOLDER` does before touching the store);
* the process's peak RSS after each step (it only grows, so run one size at a time for a
  clean figure; tracemalloc is not used because it slows these steps five-fold).

No assertions: this prints figures for people to read. Issue 12's import targets are
1,500 services <= 3 s and 15,000 <= 20 s with peak RSS <= 300 MB for a whole import.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from hub.directory_csv import read_csv_directory
from hub.formats.hsds3_csv import load_csv_package, write_csv_package

T = TypeVar("T")


def uid(*parts: object) -> str:
    """Return a stable UUID for a synthetic record."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(map(str, parts))))


def directory(size: int) -> list[dict[str, Any]]:
    """Return `size` nested HSDS 3.0 services, the same every run."""
    organisations = [
        {"id": uid("org", n), "name": f"Organisation {n}", "description": "A local charity"}
        for n in range(size // 10 + 1)
    ]
    services = []
    for n in range(size):
        location = {
            "id": uid("location", n),
            "location_type": "physical",
            "name": f"Community hall {n}",
            "latitude": 51.55,
            "longitude": -0.25,
            "addresses": [
                {
                    "id": uid("address", n),
                    "address_1": f"{n} High Road",
                    "city": "London",
                    "state_province": "London",
                    "postal_code": "NW10 2SF",
                    "country": "GB",
                    "address_type": "physical",
                }
            ],
        }
        services.append(
            {
                "id": uid("service", n),
                "name": f"Advice session {n}",
                "status": "active",
                "description": "Free help with benefits, debts and housing. " * 8,
                "organization": organisations[n // 10],
                "phones": [{"id": uid("phone", n), "number": "020 8937 1234"}],
                "schedules": [
                    {
                        "id": uid("schedule", n),
                        "freq": "WEEKLY",
                        "byday": "TU",
                        "opens_at": "10:00",
                        "closes_at": "12:00",
                    }
                ],
                "service_at_locations": [{"id": uid("sal", n), "location": location}],
            }
        )
    return services


def measure(step: Callable[[], T]) -> tuple[T, float, float]:
    """Return (result, seconds, the process's peak RSS in MB so far) of one step."""
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    return result, seconds, peak


def run(size: int) -> None:
    """Print the figures for one directory size."""
    services = directory(size)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "package"
        _, write_s, write_mb = measure(lambda: write_csv_package(services, folder))
        disk = sum(path.stat().st_size for path in folder.iterdir()) / 1_048_576
        package, read_s, read_mb = measure(lambda: load_csv_package(folder))
        parsed, models_s, models_mb = measure(lambda: read_csv_directory(folder))
    assert len(package.services) == size and len(parsed.parsed.services) == size
    print(
        f"{size:>7,} services ({disk:.1f} MB of CSV): write {write_s:.2f} s, "
        f"read {read_s:.2f} s, read into models {models_s:.2f} s; peak RSS after each "
        f"{write_mb:.0f} / {read_mb:.0f} / {models_mb:.0f} MB"
    )


def main(argv: list[str]) -> None:
    """Run the benchmark for the sizes given, or 1,500 and 15,000."""
    sizes = [int(arg) for arg in argv] or [1500, 15000]
    for size in sizes:
        run(size)


if __name__ == "__main__":
    main(sys.argv[1:])
