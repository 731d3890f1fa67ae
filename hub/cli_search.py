"""`hub search QUERY [--need ID] [--area NAME] [--open-now] [--free] [--limit N] [--json]`.

Searches the hub's directory as the kiosk does, from the command line. `--json` prints one
JSON object: {"query": ..., "urgent": [...], "results": [...]}. `urgent` holds the crisis
lines the words call for, each {"id", "name", "how", "when"}, most urgent first (empty for
an ordinary search); `results` is best first, each item with `id`, `name`, `score`,
`needs` and `next_open` (ISO 8601, or null), plus `matched_needs`, `open_now`, `when` (in
words), `not_running_now` (a seasonal service outside its dates: a summer club in December)
and `area`. "today", "now", "tonight" or "this week" in QUERY put what runs then, and needs
no referral, first. Without `--json`, the urgent lines (if any) and then a table. An empty
QUERY with `--need` lists that need's services, most useful first, as the need tiles do.

Searches typed here are staff's, not visitors', so nothing is logged: not as an unmet
search, and not as a crisis count (the kiosk does both for visitors).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from hub.cli_common import CliContext, UserError, cell
from hub.crisis import crisis_kinds, crisis_needs, urgent_lines_for
from hub.crisis_results import crisis_first
from hub.i18n import _, ngettext
from hub.kiosk_service import Hub
from hub.models import UrgentLine
from hub.needs import NeedsFileError, load_needs
from hub.safe_text import json_for_terminal
from hub.schedule import when_in_words
from hub.search import Filters, Result
from hub.urgent import load_urgent_help

MAX_LIMIT = 500


def _limit(text: str) -> int:
    """Return --limit as a whole number from 1 to MAX_LIMIT (argparse reports a bad one)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"give a number from 1 to {MAX_LIMIT}")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `hub search` to the command."""
    parser = subparsers.add_parser(
        "search",
        help="search the directory as a visitor would",
        description=(
            "Search the hub's directory: plain words, a visitor's own phrasing or a "
            "service's name. Spelling slips are forgiven. Give an empty QUERY with --need "
            "to list that need's services."
        ),
    )
    parser.add_argument("query", metavar="QUERY", help='what to look for, e.g. "cant pay rent"')
    parser.add_argument("--need", metavar="ID", help="only services for this need, e.g. money")
    parser.add_argument(
        "--area", metavar="NAME", help="only services in this area (or borough-wide)"
    )
    parser.add_argument("--open-now", action="store_true", help="only services open right now")
    parser.add_argument("--free", action="store_true", help="only services that are free")
    parser.add_argument(
        "--limit", type=_limit, default=20, metavar="N", help="at most N results (default 20)"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object: {"query", "urgent": [...], "results": [...best first]}',
    )
    parser.set_defaults(handler=run_search)


def run_search(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run `hub search`; return the exit status."""
    needs = load_needs()
    need_ids = [need.id for need in needs]
    if args.need is not None and args.need not in need_ids:
        raise UserError(
            _("there is no need {need!r}; use one of: {ids}").format(
                need=args.need, ids=", ".join(need_ids)
            )
        )
    store = ctx.store(read_only=True)
    ctx.seed_sample_if_new()
    # The kiosk's saved index when it is for the directory as it is (a London-wide
    # directory's index takes many seconds to build, and loads in a fraction of that);
    # else built here and not saved, since this command only reads the folder.
    index = Hub(store, clock=ctx.clock).search_index()
    if args.area is not None:
        known = index.areas()
        if not any(_same_area(args.area, area) for area in known):
            raise UserError(
                _("no service lists the area {area!r}; use one of: {areas}").format(
                    area=args.area, areas=", ".join(known)
                )
            )
    filters = Filters(need=args.need, area=args.area, open_now=args.open_now, free_only=args.free)
    now = ctx.clock()
    query: str = args.query
    if not query.strip() and args.need is not None:
        results = index.browse(args.need, filters=filters, now=now, limit=args.limit)
    else:
        serving = crisis_needs(crisis_kinds(query))
        results = crisis_first(index, query, serving, filters=filters, now=now, limit=args.limit)
    urgent = _urgent_lines(query, ctx)
    if args.json:
        document = {
            "query": query,
            "urgent": [_urgent_json(line) for line in urgent],
            "results": [_as_json(result, now) for result in results],
        }
        print(json_for_terminal(json.dumps(document, ensure_ascii=False)))
    else:
        _print_table(query, urgent, results, now)
    return 0


def _urgent_lines(query: str, ctx: CliContext) -> list[UrgentLine]:
    """Return the urgent lines the words call for (none for an ordinary search)."""
    kinds = crisis_kinds(query)
    if not kinds:
        return []
    try:
        return urgent_lines_for(kinds, load_urgent_help(ctx.data_dir))
    except NeedsFileError as exc:
        raise UserError(
            _("{problem}; fix the file, or move it aside to use the national lines").format(
                problem=exc
            )
        ) from None


def _urgent_json(line: UrgentLine) -> dict[str, str]:
    """Return one urgent line as the JSON object DESIGN.md promises scripts."""
    return {"id": line.id, "name": line.name, "how": line.how, "when": line.when}


def _same_area(given: str, area: str) -> bool:
    return " ".join(given.casefold().split()) == " ".join(area.casefold().split())


def _as_json(result: Result, now: datetime) -> dict[str, Any]:
    """Return one result as the JSON object DESIGN.md promises scripts."""
    service = result.service
    session = result.next_session(now)
    return {
        "id": service.id,
        "name": service.name,
        "score": result.score,
        "needs": list(service.needs),
        "matched_needs": list(result.matched_needs),
        "next_open": session.start.isoformat() if session else None,
        "open_now": result.timetable.is_open_now(now),
        "when": _("Not running now") if result.not_running_now else when_in_words(service, now),
        "not_running_now": result.not_running_now,
        "area": ", ".join(service.areas) or None,
    }


def _print_table(
    query: str, urgent: list[UrgentLine], results: list[Result], now: datetime
) -> None:
    """Print the urgent lines the words call for, then the results as a table."""
    # Piped into a file or another program, rich would wrap at 80 columns and split names
    # across lines; a wider table keeps one service per line there.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    if urgent:
        # The same calm words the kiosk shows: staff may read them out to the visitor.
        console.print(
            Text(
                _(
                    "You don't have to face this alone. "
                    "You can talk to someone now, free, day or night."
                )
            ),
            style="bold",
        )
        for line in urgent:
            console.print(Text(f"  {line.name}: {line.how}. {line.when}."))
        console.print()
    if not results:
        console.print(
            cell(
                _(
                    "Nothing found for {query!r}. Try other words, or list a need's services "
                    'with: hub search "" --need ID'
                ).format(query=query)
            )
        )
        return
    found = ngettext("{count} found for {query!r}", "{count} found for {query!r}", len(results))
    table = Table(
        title=cell(found.format(count=len(results), query=query)) if query.strip() else None
    )
    table.add_column("#", justify="right")
    table.add_column(_("Service"))
    table.add_column(_("When"))
    table.add_column(_("Area"))
    table.add_column(_("Needs"))
    table.add_column(_("Score"), justify="right")
    for place, result in enumerate(results, start=1):
        service = result.service
        table.add_row(
            str(place),
            cell(service.name),
            cell(_("Not running now") if result.not_running_now else when_in_words(service, now)),
            cell(", ".join(service.areas) or "-"),
            cell(", ".join(service.needs) or "-"),
            f"{result.score:.1f}",
        )
    console.print(table)
