"""`hub setup`, `hub staff add|list|remove` and `hub referrals list|purge`.

`hub staff add NAME` asks for the PIN twice without showing it. When standard input is
not a terminal (a script, a test), it reads the PIN from the first two lines instead:

    printf '246810\\n246810\\n' | hub staff add "Ana Silva"
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import datetime
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from hub import audit
from hub.cli_common import CliContext, UserError, cell, iso_date, print_json, say
from hub.config import ConfigError, load_settings, update_settings
from hub.hub_identity import HubNameError, clean_hub_name, hub_info, setup_hub
from hub.i18n import LANGUAGES, _, ngettext, offered_languages
from hub.models import AGE_BAND_LABELS, METHOD_LABELS, OUTCOME_LABELS
from hub.read_aloud import program_path as read_aloud_program
from hub.referrals import purge_expired, referrals_since, start_of_day
from hub.schedule import LONDON, format_date
from hub.staff import (
    StaffError,
    add_staff,
    check_pin_format,
    clear_lockout,
    find_staff,
    list_staff,
    remove_staff,
)

# --- hub setup -----------------------------------------------------------------------


def _run_setup(args: argparse.Namespace, ctx: CliContext) -> int:
    store = ctx.store()
    before = hub_info(store)
    if args.name is None and before is None:
        raise UserError(_('give this hub a name: hub setup --name "Church End Library"'))
    try:
        # Check the name before saving anything, so a bad value changes nothing.
        if args.name is not None:
            clean_hub_name(args.name)
        read_aloud = None if args.read_aloud is None else args.read_aloud == "on"
        changing = (
            args.retention_days,
            args.area,
            args.hub_language,
            read_aloud,
            args.region,
            args.country,
        )
        if any(value is not None for value in changing):
            settings = update_settings(
                store,
                retention_days=args.retention_days,
                area=args.area,
                language=args.hub_language,
                read_aloud=read_aloud,
                region=args.region,
                country=args.country,
            )
        else:
            settings = load_settings(store)
        info = setup_hub(store, args.name) if args.name is not None else before
    except (ConfigError, HubNameError) as exc:
        raise UserError(str(exc)) from None
    assert info is not None  # one of the two branches above gave it
    if before is None:
        say(_("This hub is now {name!r}, id {id}.").format(name=info.name, id=info.id))
    elif before.name != info.name:
        say(
            _("Renamed this hub from {old!r} to {new!r}; its id stays {id}.").format(
                old=before.name, new=info.name, id=info.id
            )
        )
    else:
        say(_("This hub is {name!r}, id {id}.").format(name=info.name, id=info.id))
    days = settings.retention_days
    if settings.area:
        kept = ngettext(
            "Area: {area}. Referrals are kept for {days} day.",
            "Area: {area}. Referrals are kept for {days} days.",
            days,
        )
    else:
        kept = ngettext(
            "Area: not set. Referrals are kept for {days} day.",
            "Area: not set. Referrals are kept for {days} days.",
            days,
        )
    say(kept.format(area=settings.area, days=days))
    say(
        _("The kiosk starts in {language} ({code}).").format(
            language=LANGUAGES[settings.language], code=settings.language
        )
    )
    say(_("Read aloud (Listen): on.") if settings.read_aloud else _("Read aloud (Listen): off."))
    if settings.region or settings.country:
        where = ", ".join(part for part in (settings.region, settings.country) if part)
        say(_("Exported addresses that do not say otherwise are in: {where}.").format(where=where))
    if settings.read_aloud and read_aloud_program() is None:
        say(_("espeak-ng is not installed, so Listen stays hidden: sudo apt install espeak-ng"))
    return 0


# --- hub staff -----------------------------------------------------------------------


def _read_pin_twice() -> tuple[str, str]:
    """Return the PIN and its repeat: asked without echo, or two lines of piped input."""
    if sys.stdin.isatty():
        first = getpass.getpass(_("PIN (6 to 12 digits): "))
        second = getpass.getpass(_("The same PIN again: "))
        return first, second
    lines = sys.stdin.read().splitlines()
    if len(lines) < 2:
        raise UserError(_("give the PIN twice, on two lines of input; nothing was saved"))
    return lines[0].strip(), lines[1].strip()


def _run_staff_add(args: argparse.Namespace, ctx: CliContext) -> int:
    store = ctx.store()
    first, second = _read_pin_twice()
    try:
        check_pin_format(first)
    except StaffError as exc:
        raise UserError(_("{problem}; nothing was saved").format(problem=exc)) from None
    if first != second:
        raise UserError(_("the two PINs were not the same; nothing was saved"))
    try:
        member = add_staff(store, args.name, first, ctx.clock(), actor=audit.COMMAND_LINE)
    except StaffError as exc:
        raise UserError(str(exc)) from None
    say(_("Added {name}. They unlock staff mode with their name and PIN.").format(name=member.name))
    return 0


def _run_staff_list(args: argparse.Namespace, ctx: CliContext) -> int:
    members = list_staff(ctx.store(read_only=True))
    if not members:
        say(_('No staff yet. Add one with: hub staff add "NAME"'))
        return 0
    for member in members:
        added = format_date(member.created_at.astimezone(LONDON), year=True)
        say(_("{name}\tadded {date}").format(name=member.name, date=added))
    return 0


def _run_staff_remove(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        member = remove_staff(ctx.store(), args.name, ctx.clock(), actor=audit.COMMAND_LINE)
    except StaffError as exc:
        raise UserError(_("{problem}; see 'hub staff list'").format(problem=exc)) from None
    say(_("Removed {name}. Referrals they recorded are kept.").format(name=member.name))
    return 0


def _run_staff_unlock(args: argparse.Namespace, ctx: CliContext) -> int:
    store = ctx.store()
    member = find_staff(store, args.name)
    try:
        was_locked = clear_lockout(store, args.name, ctx.clock(), actor=audit.COMMAND_LINE)
    except StaffError as exc:
        raise UserError(_("{problem}; see 'hub staff list'").format(problem=exc)) from None
    name = member.name if member else args.name.strip()
    if was_locked:
        say(_("{name} can sign in again now.").format(name=name))
    else:
        say(_("{name} was not locked out; they can sign in.").format(name=name))
    return 0


# --- hub referrals -------------------------------------------------------------------


def _when(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


def _run_referrals_list(args: argparse.Namespace, ctx: CliContext) -> int:
    since = None if args.since is None else start_of_day(args.since)
    store = ctx.store(read_only=True)
    # The referrals (many shard files) and the staff who recorded them, as one saved state.
    found, names = store.read_snapshot(
        lambda: (
            referrals_since(store, since),
            {member.id: member.name for member in list_staff(store)},
        )
    )
    if args.json:
        items: list[dict[str, Any]] = [r.model_dump(mode="json") for r in found]
        print_json(items, indent=2)
        return 0
    if not found:
        if since is None:
            say(_("No referrals."))
        else:
            say(_("No referrals since {date}.").format(date=args.since))
        return 0
    # On a terminal the table fits the window (COLUMNS, when set, says how wide it is);
    # piped into a file or `less` it is not squeezed to rich's default 80 columns.
    wide = sys.stdout.isatty() or "COLUMNS" in os.environ
    console = Console(width=None if wide else 160)
    # Contact and notes stay out of the table: it is on an open screen, and --json has them.
    table = Table(
        title=ngettext("{count} referral", "{count} referrals", len(found)).format(
            count=len(found)
        ),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    if console.width >= _ONE_LINE_WIDTH:
        _referral_columns_wide(table)
    else:
        _referral_columns_narrow(table)
    for r in found:
        age = AGE_BAND_LABELS[r.age_band] if r.age_band != "not_given" else ""
        follow = r.follow_up_on.isoformat() if r.follow_up_on else ""
        by = cell(names.get(r.recorded_by, _("(removed)")))
        service, needs = cell(r.service_name), cell(", ".join(r.needs))
        how = METHOD_LABELS[r.method]
        if console.width >= _ONE_LINE_WIDTH:
            area = cell(r.postcode_district or "")
            outcome = OUTCOME_LABELS[r.outcome]
            table.add_row(_when(r.recorded_at), service, how, needs, age, area, follow, outcome, by)
        else:
            # Two facts a cell, one above the other, so Service and Needs keep their room
            # at 80 columns instead of being dropped (rich drops what cannot fit).
            recorded = _when(r.recorded_at).replace(" ", "\n")
            who = cell("\n".join(x for x in (age, r.postcode_district or "") if x))
            follow_up = "\n".join(x for x in (follow, OUTCOME_LABELS[r.outcome]) if x)
            table.add_row(recorded, service, how, needs, who, follow_up, by)
    console.print(table)
    return 0


_ONE_LINE_WIDTH = 130
"""From this many columns each referral fits on one line, every fact in its own column."""


def _referral_columns_wide(table: Table) -> None:
    table.add_column(_("Recorded"), no_wrap=True)
    table.add_column(_("Service"), ratio=1, min_width=16)
    table.add_column(_("How"), no_wrap=True)
    table.add_column(_("Needs"))
    table.add_column(_("Age"), no_wrap=True)
    table.add_column(_("Area"), no_wrap=True)
    table.add_column(_("Follow up"), no_wrap=True)
    table.add_column(_("Outcome"), no_wrap=True)
    table.add_column(_("By"))


def _referral_columns_narrow(table: Table) -> None:
    # Fixed widths for the short facts; Service and Needs share what is left, wrapped.
    table.add_column(_("Recorded"), width=10)
    table.add_column(_("Service"), ratio=3, overflow="fold")
    table.add_column(_("How"), width=10)
    table.add_column(_("Needs"), ratio=2, overflow="fold")
    table.add_column(_("Age, area"), width=8)
    table.add_column(_("Follow up"), width=10)
    table.add_column(_("By"), width=9)


def _run_referrals_purge(args: argparse.Namespace, ctx: CliContext) -> int:
    store = ctx.store()
    days = load_settings(store).retention_days
    removed = purge_expired(store, ctx.clock(), days, actor=audit.COMMAND_LINE)
    say(
        ngettext(
            "Removed {count} referral recorded more than {days} days ago.",
            "Removed {count} referrals recorded more than {days} days ago.",
            removed,
        ).format(count=removed, days=days)
    )
    return 0


# --- wiring --------------------------------------------------------------------------


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def register(subparsers: Any) -> None:
    """Add `setup`, `staff` and `referrals` to the `hub` command."""
    setup = subparsers.add_parser(
        "setup",
        help="give this hub its id and name (once; again only renames)",
        description="Give this hub its id and name. Run again to rename it or change settings; "
        "the id never changes.",
    )
    setup.add_argument("--name", metavar="NAME", help='the hub\'s name, e.g. "Church End Library"')
    setup.add_argument("--area", metavar="NAME", help='the hub\'s neighbourhood, e.g. "Church End"')
    setup.add_argument(
        "--language",
        # Its own name: the global --language is the language of this command's words.
        dest="hub_language",
        metavar="CODE",
        help="the language the kiosk starts in and returns to after each visit: "
        + ", ".join(offered_languages())
        + " (default en)",
    )
    setup.add_argument(
        "--retention-days",
        metavar="N",
        type=_whole_number,
        help="delete referrals after N days (default 365)",
    )
    setup.add_argument(
        "--region",
        metavar="NAME",
        help='what exported addresses say for region when the source did not, e.g. "London"',
    )
    setup.add_argument(
        "--country",
        metavar="CODE",
        help='exported addresses\' country when the source did not say, e.g. "GB"',
    )
    setup.add_argument(
        "--read-aloud",
        choices=("on", "off"),
        help="offer Listen on visitor screens: espeak-ng reads them aloud (default off)",
    )
    setup.set_defaults(handler=_run_setup)

    staff = subparsers.add_parser(
        "staff", help="add, list, remove or unlock staff who can sign in to staff mode"
    )
    staff_sub = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = staff_sub.add_parser(
        "add",
        help="add a staff member; asks for their PIN twice",
        description="Add a staff member. Asks for a PIN of at least 6 digits twice, without "
        "showing it. From a script, pipe the PIN twice on two lines of standard input.",
    )
    add.add_argument("name", metavar="NAME")
    add.set_defaults(handler=_run_staff_add)
    listing = staff_sub.add_parser("list", help="list staff names and when they were added")
    listing.set_defaults(handler=_run_staff_list)
    remove = staff_sub.add_parser("remove", help="remove a staff member (their referrals stay)")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=_run_staff_remove)
    unlocker = staff_sub.add_parser(
        "unlock",
        help="let a staff member locked out by wrong PINs sign in again now",
        description="Clear a staff member's lockout after five wrong PINs (someone may have "
        "typed their name on purpose), and the kiosk-wide wait after many wrong tries.",
    )
    unlocker.add_argument("name", metavar="NAME")
    unlocker.set_defaults(handler=_run_staff_unlock)

    referrals = subparsers.add_parser("referrals", help="list referrals, or purge old ones")
    ref_sub = referrals.add_subparsers(dest="referrals_command", metavar="ACTION", required=True)
    ref_list = ref_sub.add_parser("list", help="list referrals, oldest first")
    ref_list.add_argument(
        "--since",
        type=iso_date,
        metavar="DATE",
        help="only those recorded on or after DATE (YYYY-MM-DD)",
    )
    ref_list.add_argument(
        "--json", action="store_true", help="print a JSON array of referrals (every field)"
    )
    ref_list.set_defaults(handler=_run_referrals_list)
    purge = ref_sub.add_parser(
        "purge", help="delete referrals older than the retention period (default 365 days)"
    )
    purge.set_defaults(handler=_run_referrals_purge)
