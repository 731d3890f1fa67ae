"""A hub's directory to and from an HSDS 3.0 CSV package (a folder of CSV tables).

The tables are joined into HSDS 3.0 service objects by `hub.formats.hsds3_csv`, and those
go through the very reader a JSON file goes through (`hub.formats.to_model.parse_directory`),
so a CSV package is checked, reported on and applied exactly as the same services in JSON
would be: the same per-record reasons, the same single change to the data folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hub.directory import address_defaults
from hub.formats.common import DirectoryFileError, ParsedDirectory
from hub.formats.hsds3 import to_hsds3
from hub.formats.hsds3_csv import (
    CsvPackageError,
    CsvWarning,
    load_csv_package,
    looks_like_csv_package,
    write_csv_package,
)
from hub.formats.to_model import parse_directory
from hub.sample_directory import sample_service_ids
from hub.storage import HubStore

__all__ = ["CsvDirectory", "export_csv_directory", "is_csv_package", "read_csv_directory"]


@dataclass
class CsvDirectory:
    """A CSV package read for import: the services as the JSON reader saw them, and the
    rows of the tables that could not be placed under any service."""

    parsed: ParsedDirectory
    warnings: list[CsvWarning] = field(default_factory=list)


def is_csv_package(path: Path) -> bool:
    """True when `path` is a folder holding HSDS 3.0 tables (or a `datapackage.json`), or
    one CSV file (which `read_csv_directory` refuses, pointing at its folder)."""
    if path.suffix.lower() == ".csv" and path.is_file():
        return True
    return path.is_dir() and looks_like_csv_package(path)


def read_csv_directory(folder: Path, *, now: datetime | None = None) -> CsvDirectory:
    """Return the services of a CSV package, read as HSDS 3.0; raise DirectoryFileError.

    Nothing in the data folder is touched: the caller applies `parsed` with
    `hub.directory.apply_import`, as for a JSON file.
    """
    if folder.is_file():
        raise DirectoryFileError(
            f"{folder} is one table of a CSV package; give the folder that holds it "
            f"({folder.parent}) to import the package"
        )
    try:
        package = load_csv_package(folder)
    except CsvPackageError as exc:
        raise DirectoryFileError(str(exc)) from None
    # The "contents" wrapper tells the reader these are HSDS 3.0 records: a package's
    # services may carry none of the keys it would otherwise sniff the flavour from.
    parsed = parse_directory({"contents": package.services}, source=str(folder), now=now)
    return CsvDirectory(parsed=parsed, warnings=package.warnings)


def export_csv_directory(store: HubStore, folder: Path, *, replace: bool) -> tuple[int, list[str]]:
    """Write every service (retired ones too) as a CSV package; return (count, notes).

    Each service is exported as HSDS 3.0 JSON would have it (`to_hsds3`, with the sample
    marker on the bundled sample's services) and then split into tables. Raises
    DirectoryFileError, leaving `folder` as it was, when it cannot be written.
    """
    services = store.services()
    marked = sample_service_ids(store)
    address = address_defaults(store)
    records = [
        to_hsds3(service, sample=service.id in marked, address=address) for service in services
    ]
    try:
        notes = write_csv_package(records, folder, replace=replace)
    except CsvPackageError as exc:
        raise DirectoryFileError(str(exc)) from None
    return len(services), notes
