"""What every `hub` subcommand shares: its context, its error, and how it prints data.

Text from a directory, a bundle or the data folder is data, never control. So every
subcommand prints it through these helpers: `say` for a line of words, `cell` for a
rich table's cell or title (a `Text`, so `[bold]` or `[/]` in a name is shown, never
obeyed, and never a MarkupError), `print_json` for JSON. Each passes the text through
`hub.safe_text.for_terminal`, so no escape sequence, control character or bidi override
reaches the terminal even from a record stored before cleaning existed.

How a mistake is reported (DESIGN.md, "The command line"), one rule for every subcommand:

- **Exit 2, a usage error:** what was typed cannot be a `hub` command, and the command
  line alone shows it: an unknown subcommand or option, a missing argument, or a value
  that is malformed for its option's type (not a date, not a whole number, not one of the
  choices). argparse finds these before anything is opened; it prints the usage, then
  one `error:` line. Dates are always parsed by `iso_date` below, so a bad date is the
  same usage error everywhere: `error: argument --since: '2026-13-01' is not a date:
  use YYYY-MM-DD, like 2026-11-26`.
- **Exit 1, bad input or a refused operation:** the command is well formed, but the
  hub cannot act on it: a file that is missing, is a folder, or is not what it should be;
  an id or name the hub does not know; dates the wrong way round; a data folder kept busy.
  A handler raises `UserError`; `hub.cli.main` prints exactly one `error:` line that says
  what to do, and nothing in the data folder has changed.
- Never a traceback for a user's mistake.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePath
from typing import Any, TextIO

from rich.text import Text

from hub.safe_text import HiddenCharactersError, for_terminal, json_for_terminal, refuse_hidden
from hub.storage import HubStore

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


BROWSER_SESSIONS = ("visitor", "staff")
"""The kinds of kiosk process `hub serve` starts per browser connection (the hidden
`--browser-session` option of plain `hub`, which the kiosk's start-up parses without
importing hub.cli_serve)."""


class UserError(Exception):
    """A problem the person at the keyboard can fix; printed as one `error:` line, exit 1."""


@dataclass
class CliContext:
    """What every subcommand handler gets: the data folder, the store, and the time."""

    data_dir: Path
    clock: Clock = field(default=utc_now)
    _store: HubStore | None = None

    def store(self, *, read_only: bool = False) -> HubStore:
        """Return the open store for the data folder, opening it once.

        Any number of processes may have the folder open; each save takes its lock only
        while it writes. A command that only reads passes `read_only`: every write it
        tries is then refused, and it never tidies the folder.
        """
        if self._store is None:
            self._store = HubStore.open(self.data_dir, read_only=read_only)
        return self._store

    def seed_sample_if_new(self) -> None:
        """Load the bundled sample into a brand-new data folder, so a first look finds something.

        A command that only reads has a read-only store: the seeding is then one short save
        by a store of its own, which the reading store sees on its next read.
        """
        from hub.sample_directory import META_SEEDED, seed_sample_if_new

        store = self.store(read_only=True)
        if not store.read_only:
            seed_sample_if_new(store, now=self.clock())
        elif store.meta(META_SEEDED) is None:
            with HubStore.open(self.data_dir) as writer:
                seed_sample_if_new(writer, now=self.clock())

    def close(self) -> None:
        """Close the data folder's files."""
        if self._store is not None:
            self._store.close()
            self._store = None


Handler = Callable[[argparse.Namespace, CliContext], int]
"""A subcommand: gets its parsed arguments and the context, returns the exit status."""


# --- printing data safely -------------------------------------------------------------


def say(message: str, *, file: TextIO | None = None) -> None:
    """Print one message (it may name services, files, hubs) with nothing a terminal obeys."""
    print(for_terminal(message), file=file or sys.stdout)


def cell(value: object, *, style: str = "") -> Text:
    """Return a rich table cell or title that shows `value` as it is: never markup."""
    return Text(for_terminal(str(value)), style=style)


def print_json(document: Any, *, indent: int | None = None) -> None:
    """Print a JSON document with every character a terminal might obey escaped."""
    print(json_for_terminal(json.dumps(document, ensure_ascii=False, indent=indent)))


# --- what was typed --------------------------------------------------------------------

DATE_FORMAT_HINT = "use YYYY-MM-DD, like 2026-11-26"
"""What a bad date's error says to do; the same words for every option that takes a date."""


def iso_date(text: str) -> date:
    """Return the day written YYYY-MM-DD: the argparse `type` for every option taking a date.

    A malformed date is a usage error (exit 2, see the module docstring); argparse prints
    `error: argument --since: '2026-13-01' is not a date: use YYYY-MM-DD, like 2026-11-26`.
    """
    # fromisoformat alone would also take "20261126" and week dates; say one form, take one.
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass  # the right shape, but no such day: 2026-13-01, 2026-02-30
    raise argparse.ArgumentTypeError(f"{text!r} is not a date: {DATE_FORMAT_HINT}")


# --- hidden characters -----------------------------------------------------------------

_ARGUMENT_WORDS = {
    "name": "the name",
    "file": "the file name",
    "files": "a file name",
    "data_dir": "the data folder's name",
    "query": "the search",
    "area": "the area name",
}


def refuse_hidden_arguments(args: argparse.Namespace) -> None:
    """Raise UserError if any typed argument holds control or invisible characters.

    Names, paths and words typed at the command line are shown back and stored; one
    holding an escape sequence or a bidi override is refused with what to do, rather
    than quietly changed into something the person did not type.
    """
    for dest, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str | PurePath):
                words = _ARGUMENT_WORDS.get(dest, f"--{dest.replace('_', '-')}")
                try:
                    refuse_hidden(str(item), words)
                except HiddenCharactersError as exc:
                    raise UserError(str(exc)) from None
