"""What every `hub` subcommand shares: the context it runs in and the error it raises."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

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
