"""`hub report`: what the hubs' referrals and unmet needs add up to, for a coordinator.

    hub report [--since DATE] [--until DATE | --month YYYY-MM | --last-month] [--need ID]
               [--by need|service|hub|week|outcome|ROWS,COLUMNS] [--format table|csv|json]

`--month 2026-11` is that calendar month; `--last-month` the month before today's (London).
`--by need,hub` counts two ways at once: a table with a row per need and a column per hub.
`--need food` keeps to referrals and unmet needs for that need; an unknown id is an error
that lists the ids there are.
Unmet needs come once, at the end: visitors' searches that found nothing (under the need
their words map to, where they map to one), needs opened with nothing listed, and needs
staff found nothing suitable for. CSV is plain UTF-8 without a byte-order mark, with a
header row and ISO dates.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from rich.console import Console
from rich.table import Table
from rich.text import Text

from hub.cli_common import CliContext, UserError, cell, iso_date
from hub.i18n import N_, _
from hub.models import Service
from hub.needs import load_needs
from hub.report_output import cross_csv, report_document, report_json, rows_csv
from hub.reports import (
    GROUPINGS,
    CrossTable,
    GroupBy,
    Period,
    Row,
    UnmetNeedRow,
    cross_report,
    report,
    services_to_check,
    total_referrals,
    unmet_needs,
    urgent_lines_due,
    urgent_search_counts,
)
from hub.safe_text import for_terminal
from hub.schedule import LONDON
from hub.storage import HubStore

# A report's words are for people, so they go through gettext (`hub --language pl report`);
# CSV headers and JSON keys are for programs, so they stay as they are.
_TITLES = {
    "need": N_("Need"),
    "service": N_("Service"),
    "hub": N_("Hub"),
    "week": N_("Week starting"),
    "outcome": N_("Outcome"),
}
"""A table's first column heading, for each grouping."""
_GROUPING_WORDS = {
    "need": N_("need"),
    "service": N_("service"),
    "hub": N_("hub"),
    "week": N_("week"),
    "outcome": N_("outcome"),
}
"""A grouping named inside a heading ("Referrals by need, ...")."""


# --- what was asked for ----------------------------------------------------------------


def groupings(text: str) -> tuple[GroupBy, ...]:
    """Return `--by` as one grouping or two ("need,hub"): the argparse type."""
    parts = tuple(part.strip() for part in text.split(","))
    bad = [part for part in parts if part not in GROUPINGS]
    if bad or not 1 <= len(parts) <= 2:
        raise argparse.ArgumentTypeError(
            f"{text!r}: choose one of {', '.join(GROUPINGS)}, or two joined by a comma "
            "(like need,hub)"
        )
    if len(parts) == 2 and parts[0] == parts[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: give two different groupings, like need,hub")
    return cast(tuple[GroupBy, ...], parts)


def month(text: str) -> tuple[date, date]:
    """Return the first and last day of a month written YYYY-MM: the argparse type."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month: use YYYY-MM, like 2026-11")
    first = date(int(found.group(1)), int(found.group(2)), 1)
    return first, _month_end(first)


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def last_month(today: date) -> tuple[date, date]:
    """Return the first and last day of the month before `today`'s."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _need(args: argparse.Namespace) -> str | None:
    """Return --need, checked against the needs there are (an error lists them)."""
    if args.need is None:
        return None
    ids = [need.id for need in load_needs()]
    if args.need not in ids:
        raise UserError(
            _("there is no need {need!r}; use one of: {ids}").format(
                need=args.need, ids=", ".join(ids)
            )
        )
    return str(args.need)


def _period(args: argparse.Namespace, ctx: CliContext) -> Period:
    """Return the days asked for, whichever way they were given."""
    if args.month is not None or args.last_month:
        if args.since is not None or args.until is not None:
            raise UserError(_("give --month or --last-month, or --since/--until, not both"))
        if args.last_month:
            since, until = last_month(ctx.clock().astimezone(LONDON).date())
        else:
            since, until = args.month
        return Period(since, until)
    if args.since and args.until and args.until < args.since:
        raise UserError(_("--until is before --since: give the earlier date to --since"))
    return Period(args.since, args.until)


# --- tables ------------------------------------------------------------------------------


def _print_rows(
    console: Console, rows: list[Row], total: int, period: Period, by: GroupBy, need: str | None
) -> None:
    grouping = _(_GROUPING_WORDS[by])
    if need is not None and by == "need":
        title = _(
            "Referrals for {need} by need, {period}: {total} in all "
            "(a referral for two needs counts under each)"
        ).format(need=need, period=period.words(), total=total)
    elif need is not None:
        title = _("Referrals for {need} by {grouping}, {period}: {total} in all").format(
            need=need, grouping=grouping, period=period.words(), total=total
        )
    elif by == "need":
        title = _(
            "Referrals by need, {period}: {total} in all "
            "(a referral for two needs counts under each)"
        ).format(period=period.words(), total=total)
    else:
        title = _("Referrals by {grouping}, {period}: {total} in all").format(
            grouping=grouping, period=period.words(), total=total
        )
    # Headings are printed on their own line: as a table title, rich would wrap them
    # to the table's width.
    console.print(cell(title, style="bold"))
    table = Table()
    if by == "week":
        table.add_column(_("Week"))
    table.add_column(_(_TITLES[by]))
    for name in (_("Referrals"), _("Outcome known"), _("Attended")):
        table.add_column(name, justify="right")
    for row in rows:
        cells = [cell(row.label), cell(row.referrals), cell(row.outcome_known), cell(row.attended)]
        table.add_row(*([cell(row.key), *cells] if by == "week" else cells))
    if not rows:
        table.add_row(*(["-"] * len(table.columns)))
    console.print(table)


def _print_cross(console: Console, cross: CrossTable, period: Period) -> None:
    rows_by, columns_by = cross.rows_by, cross.columns_by
    heading = _("Referrals by {rows} and {columns}, {period}").format(
        rows=_(_GROUPING_WORDS[rows_by]),
        columns=_(_GROUPING_WORDS[columns_by]),
        period=period.words(),
    )
    console.print(cell(heading, style="bold"))
    table = Table()
    table.add_column(_(_TITLES[rows_by]))
    for _key, label in cross.columns:
        table.add_column(cell(label), justify="right")
    table.add_column(_("Total"), justify="right")
    for key, label in cross.rows:
        counts = [cross.count(key, column) for column, _label in cross.columns]
        table.add_row(cell(label), *(str(n) if n else "-" for n in counts), str(sum(counts)))
    if not cross.rows:
        table.add_row(*(["-"] * len(table.columns)))
    console.print(table)


def _print_unmet(console: Console, unmet: list[UnmetNeedRow]) -> None:
    console.print(
        "\n"
        + _(
            "Unmet needs: searches that found nothing, needs with nothing listed, "
            "and nothing suitable found by staff"
        ),
        style="bold",
    )
    table = Table()
    for name, justify in (
        (_("Need (or the words searched)"), "left"),
        (_("Times"), "right"),
        (_("Searches"), "right"),
        (_("Nothing listed"), "right"),
        (_("Nothing suitable"), "right"),
    ):
        table.add_column(name, justify=cast(Any, justify))
    for row in unmet:
        if row.need_id is None:
            label = cell(f"“{row.label}”")
        else:
            # The need, then what visitors typed for it, so the words are not lost.
            label = cell(row.label)
            if row.words:
                label.append(for_terminal("\n" + ", ".join(f"“{w}”" for w in row.words)))
        table.add_row(
            label,
            str(row.count),
            str(row.searches),
            str(row.empty_lists),
            str(row.nothing_suitable),
        )
    if not unmet:
        table.add_row(_("(none)"), "", "", "", "")
    console.print(table)


def _cross(store: Any, period: Period, by: tuple[GroupBy, ...], need: str | None) -> CrossTable:
    return cross_report(
        store,
        since=period.since,
        until=period.until,
        rows_by=by[0],
        columns_by=by[1],
        need=need,
    )


@dataclass(frozen=True)
class _Figures:
    """Everything the tables show, read from one whole saved state of the folder."""

    cross: CrossTable | None
    rows: list[Row]
    total: int
    unmet: list[UnmetNeedRow]
    urgent: dict[str, int]
    due: list[Service]


def _gather(
    store: HubStore, period: Period, by: tuple[GroupBy, ...], need: str | None, now: datetime
) -> _Figures:
    """Return the report's figures; run inside `read_snapshot`, so they all agree."""
    cross = _cross(store, period, by, need) if len(by) == 2 else None
    return _Figures(
        cross=cross,
        rows=[]
        if cross
        else report(store, since=period.since, until=period.until, by=by[0], need=need),
        total=0
        if cross
        else total_referrals(store, since=period.since, until=period.until, need=need),
        unmet=unmet_needs(store, period.since, period.until, need),
        urgent=urgent_search_counts(store, period.since, period.until),
        due=services_to_check(store, now),
    )


def _print_tables(
    args: argparse.Namespace, ctx: CliContext, period: Period, need: str | None
) -> None:
    store = ctx.store(read_only=True)
    console = Console()
    by: tuple[GroupBy, ...] = args.by
    figures = store.read_snapshot(lambda: _gather(store, period, by, need, ctx.clock()))
    if figures.cross is not None:
        _print_cross(console, figures.cross, period)
    else:
        _print_rows(console, figures.rows, figures.total, period, by[0], need)
    # Printed once, after the referrals, however they were grouped.
    _print_unmet(console, figures.unmet)

    urgent = figures.urgent
    # Searches that spoke of a crisis are never kept as words: only how many, by kind.
    console.print(
        "\n" + _("Searches that called for urgent help (the words are never kept)"), style="bold"
    )
    for kind, count in urgent.items():
        console.print(_("  urgent: {kind}, {count}").format(kind=kind, count=count))
    if not urgent:
        console.print("  " + _("(none)"))

    due = figures.due
    console.print(
        "\n"
        + _("Services that need checking: {count} not checked in the last 180 days").format(
            count=len(due)
        ),
        style="bold",
    )
    checking = Table()
    checking.add_column(_("Service"))
    checking.add_column(_("Last checked"))
    for service in due[:20]:
        checked = service.assured_date.isoformat() if service.assured_date else _("never")
        checking.add_row(cell(service.name), checked)
    if len(due) > 20:
        checking.add_row(_("… and {count} more").format(count=len(due) - 20), "")
    if not due:
        checking.add_row(_("(none)"), "")
    console.print(checking)
    lines = urgent_lines_due(store, ctx.clock())
    if lines:
        console.print(
            "\n"
            + _("Urgent lines to confirm against their source: {count}").format(count=len(lines)),
            style="bold",
        )
        for line in lines:
            when = line.checked.isoformat() if line.checked else _("never")
            console.print(
                Text(
                    _("  {name} (last checked {date}): {source}").format(
                        name=line.name, date=when, source=line.source
                    )
                )
            )


def _run_report(args: argparse.Namespace, ctx: CliContext) -> int:
    period = _period(args, ctx)
    need = _need(args)
    by: tuple[GroupBy, ...] = args.by
    store = ctx.store(read_only=True)
    if args.format == "csv":
        if len(by) == 2:
            sys.stdout.write(for_terminal(cross_csv(_cross(store, period, by, need))))
        else:
            rows = report(store, since=period.since, until=period.until, by=by[0], need=need)
            sys.stdout.write(for_terminal(rows_csv(rows, by[0])))
    elif args.format == "json":
        # The document and the cross table from one whole saved state (snapshots nest).
        document, cross = store.read_snapshot(
            lambda: (
                report_document(
                    store,
                    since=period.since,
                    until=period.until,
                    by=by[0],
                    now=ctx.clock(),
                    need=need,
                ),
                _cross(store, period, by, need) if len(by) == 2 else None,
            )
        )
        if cross is not None:
            document["by"] = ",".join(by)
            document["columns"] = [{"key": k, "label": label} for k, label in cross.columns]
            document["cross"] = [
                {
                    "key": key,
                    "label": label,
                    "counts": {
                        column: cross.count(key, column) for column, _label in cross.columns
                    },
                }
                for key, label in cross.rows
            ]
        sys.stdout.write(report_json(document))
    else:
        _print_tables(args, ctx, period, need)
    return 0


# --- wiring ------------------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `hub report` to the command."""
    reporter = subparsers.add_parser(
        "report",
        help="referrals by need, service, hub, week or outcome (or two at once); unmet needs",
        description="Count referrals by need, service, hub, week or outcome, or two of "
        "them at once (--by need,hub), then the unmet needs and the services that need "
        "checking. CSV is plain UTF-8 (no byte-order mark) with a header row and ISO dates "
        "(YYYY-MM-DD).",
    )
    reporter.add_argument(
        "--since", type=iso_date, metavar="DATE", help="from this day (YYYY-MM-DD), London time"
    )
    reporter.add_argument(
        "--until", type=iso_date, metavar="DATE", help="up to and including this day (YYYY-MM-DD)"
    )
    months = reporter.add_mutually_exclusive_group()
    months.add_argument(
        "--month", type=month, metavar="YYYY-MM", help="one calendar month, like 2026-11"
    )
    months.add_argument(
        "--last-month", action="store_true", help="the calendar month before this one"
    )
    reporter.add_argument(
        "--need",
        metavar="ID",
        help="only referrals and unmet needs for this need, e.g. food (a wrong id lists them)",
    )
    reporter.add_argument(
        "--by",
        type=groupings,
        default=("need",),
        metavar="GROUPING",
        help=f"how to group referrals: one of {', '.join(GROUPINGS)} (default: need), "
        "or two joined by a comma for a cross table, like need,hub",
    )
    reporter.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table (default), csv (UTF-8, no BOM, header row) or json",
    )
    reporter.set_defaults(handler=_run_report)
