"""What a search is asked with (`Filters`) and what it gives back (`Result`).

Kept apart from the search index (hub.search and its parts) so the kiosk's Home and its
results panel can name them without importing the index, its word lists and its stemmer:
those load in a worker after Home is on screen. This module imports nothing of the hub's
at import time; hub.search re-exports both names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hub.models import Service
    from hub.timetable import Session, Timetable


@dataclass(frozen=True)
class Filters:
    """What a visitor or worker has narrowed the list to. Every field is optional.

    `area` keeps services in that neighbourhood or borough-wide ones (which serve it too),
    and in browse puts the local ones first. `language` keeps services that say they work
    in it (English is assumed when a service names no language). `age` keeps services
    whose age limits allow it.
    """

    need: str | None = None
    area: str | None = None
    open_now: bool = False
    open_today: bool = False
    free_only: bool = False
    drop_in_only: bool = False
    language: str | None = None
    age: int | None = None


NO_FILTERS = Filters()


def _no_timetable() -> Timetable:
    """Return an empty timetable (imported when first needed: a result exists only once
    the directory has loaded, so the timetable code is never on the way to Home)."""
    from hub.timetable import Timetable

    return Timetable(())


@dataclass(frozen=True)
class Result:
    """One service found, with its score and the needs the query matched it through."""

    service: Service
    score: float
    matched_needs: tuple[str, ...] = ()
    timetable: Timetable = field(repr=False, compare=False, default_factory=_no_timetable)
    not_running_now: bool = False
    """True for a seasonal service outside its dates today (a summer club in December)."""

    def next_session(self, now: datetime) -> Session | None:
        """Return the service's session running now or the next one (None when unknown)."""
        return self.timetable.next_session(now)
