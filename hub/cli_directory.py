"""`hub directory import|export|list`: load a council's Open Referral feed, share, look.

- `hub directory import FILE... [--replace] [--strict] [--partial]` reads HSDS 3.0, ORUK v3 or
  ORUK v1 JSON (one service, an array, a paginated list, or the pages of one feed as several
  files). Import is per record: each record skipped and each field left out is one
  `warning: FILE: service ID (NAME): what; what we did` line on stderr, and a last line sums
  up, with how the services found their needs (the feed's taxonomy, their words, or none:
  "Other help"). `--strict` refuses on any warning; `--replace` makes the directory exactly
  the feed's services (how a hub drops the bundled sample) and is refused when a paged
  envelope says pages are missing, unless `--partial`.
- `hub directory import FOLDER` reads an HSDS 3.0 CSV package (a folder holding
  `services.csv` and the other tables) the same way: `hub.directory_csv`.
- `hub directory export FILE [--format hsds3|oruk1]` writes the whole directory;
  `export FOLDER --format hsds3-csv [--force]` writes it as a CSV package.
- `hub directory list [--json]` prints a table, or the services as HSDS 3.0 objects.

Every file is checked in full before the data folder is even opened, so a bad file gives
one `error:` line and changes nothing. Every command seeds a brand-new data folder with
the bundled sample first, as the app does.

A file of any size is taken: a big one (over 32 MB) is read a service at a time, with a
progress bar on stderr when that is a terminal (hub.formats.feed_files); its checked
services wait in a temporary spool file, not in memory (`PackedServices`), until the one
write. The import compares them with the stored ones a batch at a time, and an export
streams the store a page at a time into the file (`hub.directory`): neither holds the
directory whole.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from hub.cli_common import CliContext, UserError, cell, say
from hub.directory import (
    EXPORT_FORMATS,
    apply_import,
    export_directory,
)
from hub.directory_csv import export_csv_directory, is_csv_package, read_csv_directory
from hub.directory_fetch import FetchSettings, fetch_feed, fetch_folder, forget_fetch
from hub.formats.common import DirectoryFileError, ParsedDirectory
from hub.formats.detect import missing_pages
from hub.formats.hsds3 import to_hsds3
from hub.formats.to_model import feed_work, parse_documents, read_directory_files
from hub.i18n import _, ngettext
from hub.safe_text import json_for_terminal
from hub.sample_directory import sample_is_loaded, sample_service_ids
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
        "files",
        metavar="FILE",
        type=Path,
        nargs="+",
        help=(
            "the JSON file to import (or several: the pages of one feed), or a folder of "
            "HSDS 3.0 CSV tables"
        ),
    )
    importer.add_argument(
        "--replace",
        action="store_true",
        help="make the directory exactly the file's services (drops the sample directory)",
    )
    importer.add_argument(
        "--strict",
        action="store_true",
        help="refuse the import, changing nothing, if there is any warning",
    )
    importer.add_argument(
        "--partial",
        action="store_true",
        help="with --replace, accept a paged feed even when some of its pages are not given",
    )
    importer.set_defaults(handler=run_import)

    fetcher = actions.add_parser(
        "fetch",
        help="pull a council's Open Referral API (every page) into the directory",
        description=(
            "Pull an ORUK v1, ORUK v3 or HSDS 3.0 API: every page of its services list, and "
            "each full record when the list gives summaries. Pages are kept in the data "
            "folder as they come, so a fetch cut short carries on where it stopped when run "
            "again; the directory changes only once every page has come and been read."
        ),
    )
    fetcher.add_argument(
        "url", metavar="URL", help="the API's services list, e.g. https://example.org/api/services"
    )
    fetcher.add_argument(
        "--replace",
        action="store_true",
        help="make the directory exactly the feed's services (drops the sample directory)",
    )
    fetcher.add_argument(
        "--strict",
        action="store_true",
        help="refuse the import, changing nothing, if there is any warning",
    )
    fetcher.add_argument(
        "--partial",
        action="store_true",
        help="with --replace, accept a feed whose pages do not all say they are there",
    )
    fetcher.add_argument(
        "--timeout",
        type=float,
        default=FetchSettings.timeout,
        metavar="SECONDS",
        help=f"how long to wait for each page (default {FetchSettings.timeout:g})",
    )
    fetcher.set_defaults(handler=run_fetch)

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


def _open(ctx: CliContext, *, read_only: bool = False) -> HubStore:
    """Return the open store, after seeding a brand-new data folder with the sample.

    A command that only reads passes `read_only`: its store then refuses every write.
    """
    store = ctx.store(read_only=read_only)
    ctx.seed_sample_if_new()
    return store


def run_import(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run `hub directory import`; return the exit status.

    Every file is read and checked before the data folder is opened. Each problem with one
    record is a `warning:` line on stderr naming the file, the service and what was done;
    `--strict` turns any of them into a refusal that changes nothing.
    """
    paths: list[Path] = args.files
    now = ctx.clock()
    shown = str(paths[0]) if len(paths) == 1 else f"{len(paths)} files"
    try:
        # Read and check every file before the data folder is opened at all.
        if len(paths) == 1 and is_csv_package(paths[0]):
            package = read_csv_directory(paths[0], now=now)
            parsed = package.parsed
            _warn_csv_rows([str(warning) for warning in package.warnings], args)
        elif any(is_csv_package(path) for path in paths):
            raise UserError(
                _("a folder of CSV tables is imported on its own; give just the folder")
            )
        else:
            parsed = _read_with_progress(paths, now=now)
    except DirectoryFileError as exc:
        raise UserError(str(exc)) from None
    return _import_parsed(parsed, str(shown), args, ctx)


def run_fetch(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run `hub directory fetch`; return the exit status.

    The pages are fetched (or taken from an earlier fetch cut short), read as one feed, and
    imported as `hub directory import` imports files: the same warnings, `--strict`,
    `--replace` and `--partial`. The kept pages are removed once the import is done.
    """
    url: str = args.url
    if not args.timeout > 0:
        raise UserError(_("--timeout must be a number of seconds above 0"))
    folder = fetch_folder(ctx.data_dir, url)
    try:
        documents = _fetch_with_progress(url, folder, FetchSettings(timeout=args.timeout))
        parsed = parse_documents(documents, now=ctx.clock())
    except DirectoryFileError as exc:
        raise UserError(str(exc)) from None
    status = _import_parsed(parsed, url, args, ctx)
    forget_fetch(folder)
    return status


def _fetch_with_progress(url: str, folder: Path, settings: FetchSettings) -> list[tuple[str, Any]]:
    """Return the feed's pages, with a progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return fetch_feed(url, folder, settings=settings)
    console = Console(file=sys.stderr, highlight=False)
    columns = (TextColumn("Fetching pages"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("fetch", total=None)

        def told(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        return fetch_feed(url, folder, settings=settings, progress=told)


def _import_parsed(
    parsed: ParsedDirectory, shown: str, args: argparse.Namespace, ctx: CliContext
) -> int:
    """Report the feed's problems, refuse it or import it; return the exit status."""
    now = ctx.clock()
    warnings = parsed.warnings
    gap = missing_pages(parsed.pages)
    if gap and args.replace and not args.partial:
        raise UserError(
            _(
                "{gap}; --replace would drop every service on the missing pages. Give every "
                "page's file, or add --partial to import only these; nothing was changed"
            ).format(gap=gap)
        )
    if gap and not args.partial:
        warnings = [*warnings, f"{shown}: {gap}; imported the pages given"]
    for warning in warnings:
        say(f"warning: {warning}", file=sys.stderr)
    if not parsed.services and parsed.rejected:
        raise UserError(
            ngettext(
                "none of the {count} service in {source} could be imported; "
                "fix the records named above and try again",
                "none of the {count} services in {source} could be imported; "
                "fix the records named above and try again",
                len(parsed.rejected),
            ).format(count=len(parsed.rejected), source=shown)
        )
    if warnings and args.strict:
        raise UserError(_strict_refusal(len(warnings)))
    store = _open(ctx)
    try:
        report = apply_import(store, parsed, source=shown, replace=args.replace, now=now)
    except DirectoryFileError as exc:
        raise UserError(str(exc)) from None
    say(
        _(
            "Imported {source} ({flavour}): {added} added, {updated} updated, "
            "{unchanged} unchanged, {rejected} rejected."
        ).format(
            source=shown,
            flavour=report.flavour,
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=len(report.rejected),
        )
    )
    if report.removed:
        say(
            ngettext(
                "Removed {count} service that was not in the file (--replace).",
                "Removed {count} services that were not in the file (--replace).",
                report.removed,
            ).format(count=report.removed)
        )
    for note in parsed.fixed:
        say(_("Note: {note}").format(note=note))
    say(_summary(parsed))
    return 0


def _read_with_progress(paths: list[Path], *, now: datetime) -> ParsedDirectory:
    """Return the feed's services, with a progress bar on stderr when it is a terminal.

    The bar is left out when stderr is a file or a pipe (scripts, tests): it would only be
    noise there. It disappears once the reading is done.
    """
    if not sys.stderr.isatty():
        return read_directory_files(paths, now=now)
    columns = (
        TextColumn("Reading the feed"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    console = Console(file=sys.stderr, highlight=False)
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("read", total=feed_work(paths) or None)
        return read_directory_files(paths, now=now, progress=lambda done: bar.advance(task, done))


def _summary(parsed: ParsedDirectory) -> str:
    """Return the last line of an import: how many came in, what was left out, how placed.

    e.g. "imported 818 services; 1 skipped, 3 fields dropped — see above. Needs: 700 by the
    feed's taxonomy, 100 by their words, 18 not placed (under Other help, and in needs
    checking)."
    """
    problems = [
        f"{len(parsed.rejected)} skipped",
        _count(len(parsed.dropped), "field") + " dropped",
    ]
    see = " — see above" if parsed.warnings else ""
    placed = parsed.placed
    needs = [
        f"{placed.get('ours', 0)} by our own needs" if placed.get("ours") else "",
        f"{placed.get('taxonomy', 0)} by the feed's taxonomy",
        f"{placed.get('text', 0)} by their words",
        f"{placed.get('none', 0)} not placed (under Other help, and in needs checking)",
    ]
    return (
        f"imported {_services(len(parsed.services))}; {', '.join(problems)}{see}. "
        f"Needs: {', '.join(part for part in needs if part)}."
    )


def _warn_csv_rows(warnings: list[str], args: argparse.Namespace) -> None:
    """Print one `warning:` line per table row of a CSV package that was left out or kept
    with a link that leads nowhere; under `--strict` (when the command has it) refuse."""
    for warning in warnings:
        say(f"warning: {warning}", file=sys.stderr)
    if warnings and getattr(args, "strict", False):
        raise UserError(_strict_refusal(len(warnings)))


def _strict_refusal(count: int) -> str:
    """Return why --strict refused: "3 warnings above and --strict given; ..."."""
    return ngettext(
        "{count} warning above and --strict given; nothing was changed",
        "{count} warnings above and --strict given; nothing was changed",
        count,
    ).format(count=count)


def _count(count: int, noun: str) -> str:
    """Return "1 warning" or "3 warnings"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _services(count: int) -> str:
    """Return "1 service" or "3 services"."""
    return f"{count} service" if count == 1 else f"{count} services"


def run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run `hub directory export`; return the exit status."""
    store = _open(ctx, read_only=True)
    try:
        if args.format == CSV_FORMAT:
            count, notes = export_csv_directory(store, args.file, replace=args.force)
            for note in notes:
                say(f"warning: {note}", file=sys.stderr)
        else:
            count = export_directory(store, args.file, args.format)
    except DirectoryFileError as exc:
        raise UserError(str(exc)) from None
    label = {"hsds3": "HSDS 3.0", "oruk1": "ORUK v1", CSV_FORMAT: "HSDS 3.0 CSV tables"}.get(
        args.format, args.format
    )
    say(
        ngettext(
            "Exported {count} service to {file} ({format}).",
            "Exported {count} services to {file} ({format}).",
            count,
        ).format(count=count, file=args.file, format=label)
    )
    return 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run `hub directory list`; return the exit status."""
    store = _open(ctx, read_only=True)
    if args.json:
        _print_json_list(store)
        return 0
    services = store.iter_services()  # a page at a time: the directory is never all in memory
    count = store.service_count()
    title = ngettext("Directory: {count} service", "Directory: {count} services", count)
    table = Table(title=cell(title.format(count=count)), title_justify="left")
    table.add_column(_("Name"), overflow="fold")
    table.add_column(_("Area"), overflow="fold")
    table.add_column(_("Needs"), overflow="fold")
    table.add_column(_("Status"))
    for service in services:
        table.add_row(
            cell(service.name),
            cell(", ".join(service.areas) or "-"),
            cell(", ".join(service.needs) or "-"),
            cell(service.status.value),
        )
    console = Console(highlight=False)
    console.print(table)
    if sample_is_loaded(store):
        console.print(
            _(
                "This is the bundled sample directory: every service in it is made up. "
                "Load your own with 'hub directory import FILE --replace'."
            ),
            markup=False,
        )
    return 0


def _print_json_list(store: HubStore) -> None:
    """Print every service as an HSDS 3.0 object, in one JSON array, one service at a time.

    The same text as `print_json([...], indent=2)` gives for the whole list, without
    holding the directory in memory.
    """
    sample_ids = sample_service_ids(store)
    first = True
    for service in store.iter_services():
        item = json.dumps(
            to_hsds3(service, sample=service.id in sample_ids), ensure_ascii=False, indent=2
        )
        sys.stdout.write(
            ("[\n" if first else ",\n") + json_for_terminal(textwrap.indent(item, "  "))
        )
        first = False
    sys.stdout.write("[]\n" if first else "\n]\n")
