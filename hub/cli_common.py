"""What every `hub` subcommand shares: its context, its error, and how it prints data.

Text from a directory, a bundle or the data folder is data, never control. So every
subcommand prints it through these helpers: `say` for a line of words, `cell` for a
rich table's cell or title (a `Text`, so `[bold]` or `[/]` in a name is shown, never
obeyed, and never a MarkupError), `print_json` for JSON. Each passes the text through
`hub.safe_text.for_terminal`, so no escape sequence, control character or bidi override
reaches the terminal even from a record stored before cleaning existed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import Any, TextIO

from rich.text import Text

from hub.safe_text import HiddenCharactersError, for_terminal, json_for_terminal, refuse_hidden
from hub.storage import HubStore

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


class UserError(Exception):
    """A problem the person at the keyboard can fix; printed as one `error:` line, exit 1."""


@dataclass
class CliContext:
    """What every subcommand handler gets: the data folder, the store, and the time."""

    data_dir: Path
    clock: Clock = field(default=utc_now)
    _store: HubStore | None = None

    def store(self) -> HubStore:
        """Return the open store for the data folder, opening (and locking) it once."""
        if self._store is None:
            self._store = HubStore.open(self.data_dir)
        return self._store

    def close(self) -> None:
        """Release the data folder's lock."""
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
