"""`hub directory import|export|list`: load a council's Open Referral feed, share, look.

- `hub directory import FILE [--replace]` reads HSDS 3.0, ORUK v3 or ORUK v1 JSON (one
  service, an array, or a paginated list) and prints added / updated / unchanged /
  rejected counts, then each rejected record's id and why. `--replace` makes the
  directory exactly the file's services: how a hub drops the bundled sample.
- `hub directory import FOLDER` reads an HSDS 3.0 CSV package (a folder holding
  `services.csv` and the other tables) the same way: `hub.directory_csv`.
- `hub directory export FILE [--format hsds3|oruk1]` writes the whole directory;
  `export FOLDER --format hsds3-csv [--force]` writes it as a CSV package.
- `hub directory list [--json]` prints a table, or the services as HSDS 3.0 objects.

The file is checked in full before the data folder is even opened, so a bad file gives
one `error:` line and changes nothing. Every command seeds a brand-new data folder with
the bundled sample first, as the app does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from hub.cli_common import CliContext, UserError
from hub.directory import (
    EXPORT_FORMATS,
    apply_import,
    export_directory,
    sample_is_loaded,
    sample_service_ids,
    seed_sample_if_new,
)
from hub.directory_csv import export_csv_directory, is_csv_package, read_csv_directory
from hub.formats.common import DirectoryFileError
from hub.formats.hsds3 import to_hsds3
from hub.formats.to_model import read_directory_file
from hub.storage import HubStore

CSV_FORMAT = "hsds3-csv"
"""`export --format` for a folder of HSDS 3.0 CSV tables (see hub.directory_csv)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `hub directory` and its three actions to the command."""
    parser = subparsers.add_parser(
        "directory",
        help="import, export or list the directory of services",
        description="Import, export or list the hub's directory of services (Open Referral).",
    )
    actions = parser.add_subparsers(
        dest="directory_action", metavar="ACTION", required=True, parser_class=type(parser)
    )

    importer = actions.add_parser(
        "import",
        help="add or update services from an Open Referral JSON file or CSV folder",
        description=(
            "Add or update services from an Open Referral JSON file: HSDS 3.0, ORUK v3 or "
            "ORUK v1; one service, an array, or a paginated list; or a folder of HSDS 3.0 "
            "CSV tables (services.csv, organizations.csv, service_at_location.csv, "
            "locations.csv, phones.csv, schedules.csv, ...). Records that cannot be "
            "read are listed with the reason and left out."
        ),
    )
    importer.add_argument(
        "file",
        metavar="FILE",
        type=Path,
        help="the JSON file to import, or a folder of HSDS 3.0 CSV tables",
    )
    importer.add_argument(
        "--replace",
        action="store_true",
        help="make the directory exactly the file's services (drops the sample directory)",
    )
    importer.set_defaults(handler=run_import)

    exporter = actions.add_parser(
        "export",
        help="write the whole directory to an Open Referral JSON file or CSV folder",
        description=(
            "Write every service, retired ones included, to an Open Referral file, or with "
            "--format hsds3-csv to a new folder of HSDS 3.0 CSV tables."
        ),
    )
    exporter.add_argument(
        "file",
        metavar="FILE",
        type=Path,
        help="where to write the file (a folder for hsds3-csv)",
    )
    exporter.add_argument(
        "--format",
        choices=(*EXPORT_FORMATS, CSV_FORMAT),
        default="hsds3",
        help=(
            "hsds3 (HSDS 3.0 JSON, the default), oruk1 (Open Referral UK v1) or hsds3-csv "
            "(a folder of HSDS 3.0 CSV tables, one per table)"
        ),
    )
    exporter.add_argument(
        "--force",
        action="store_true",
        help="hsds3-csv: replace the CSV package already in the folder",
    )
    exporter.set_defaults(handler=run_export)

    lister = actions.add_parser(
        "list",
        help="show every service in the directory",
        description="Show every service: a table, or with --json the HSDS 3.0 objects.",
    )
    lister.add_argument(
        "--json", action="store_true", help="print a JSON array of HSDS 3.0 service objects"
    )
    lister.set_defaults(handler=run_list)


def _open(ctx: CliContext) -> HubStore:
    """Return the open store, after seeding a brand-new data folder with the sample."""
    store = ctx.store()
    seed_sample_if_new(store, now=ctx.clock())
    return store


def run_import(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run `hub directory import`; return the exit status."""
    path: Path = args.file
    now = ctx.clock()
    try:
        # Read and check the whole file before the data folder is opened at all.
        if is_csv_package(path):
            package = read_csv_directory(path, now=now)
            parsed = package.parsed
            _warn_csv_rows([str(warning) for warning in package.warnings], args)
        else:
            parsed = read_directory_file(path, now=now)
    except DirectoryFileError as exc:
        raise UserError(str(exc)) from None
    if not parsed.services and parsed.rejected:
        _print_rejected([r.reason for r in parsed.rejected])
        raise UserError(
            f"none of the {_services(len(parsed.rejected))} in {path} could be imported; "
            "fix the records listed above and try again"
        )
    store = _open(ctx)
    try:
        report = apply_import(store, parsed, source=str(path), replace=args.replace, now=now)
    except DirectoryFileError as exc:
        raise UserError(str(exc)) from None
    print(
        f"Imported {path} ({report.flavour}): {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.rejected)} rejected."
    )
    if report.removed:
        print(f"Removed {_services(report.removed)} that were not in the file (--replace).")
    for note in report.notes:
        print(f"Note: {note}")
    _print_rejected([r.reason for r in report.rejected])
    return 0


def _warn_csv_rows(warnings: list[str], args: argparse.Namespace) -> None:
    """Print one `warning:` line per table row of a CSV package that was left out or kept
    with a link that leads nowhere; under `--strict` (when the command has it) refuse."""
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if warnings and getattr(args, "strict", False):
        raise UserError(
            f"{_count(len(warnings), 'warning')} above and --strict given; nothing was changed"
        )


def _count(count: int, noun: str) -> str:
    """Return "1 warning" or "3 warnings"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _services(count: int) -> str:
    """Return "1 service" or "3 services"."""
    return f"{count} service" if count == 1 else f"{count} services"


def _print_rejected(reasons: list[str]) -> None:
    """Print each rejected record's id and why, one line each."""
    if reasons:
        print("Rejected (left out):")
        for reason in reasons:
            print(f"  {reason}")


def run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run `hub directory export`; return the exit status."""
    store = _open(ctx)
    try:
        if args.format == CSV_FORMAT:
            count, notes = export_csv_directory(store, args.file, replace=args.force)
            for note in notes:
                print(f"warning: {note}", file=sys.stderr)
        else:
            count = export_directory(store, args.file, args.format)
    except DirectoryFileError as exc:
        raise UserError(str(exc)) from None
    label = {"hsds3": "HSDS 3.0", "oruk1": "ORUK v1", CSV_FORMAT: "HSDS 3.0 CSV tables"}.get(
        args.format, args.format
    )
    print(f"Exported {_services(count)} to {args.file} ({label}).")
    return 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run `hub directory list`; return the exit status."""
    store = _open(ctx)
    services = store.services()
    if args.json:
        sample_ids = sample_service_ids(store)
        items = [to_hsds3(service, sample=service.id in sample_ids) for service in services]
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    table = Table(title=f"Directory: {_services(len(services))}", title_justify="left")
    table.add_column("Name", overflow="fold")
    table.add_column("Area", overflow="fold")
    table.add_column("Needs", overflow="fold")
    table.add_column("Status")
    for service in services:
        table.add_row(
            service.name,
            ", ".join(service.areas) or "-",
            ", ".join(service.needs) or "-",
            service.status.value,
        )
    console = Console(highlight=False)
    console.print(table)
    if sample_is_loaded(store):
        console.print(
            "This is the bundled sample directory: every service in it is made up. "
            "Load your own with 'hub directory import FILE --replace'."
        )
    return 0
