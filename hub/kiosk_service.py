"""The one door between the kiosk's screens and the hub's data: `Hub`.

Screens never open, read or write the store themselves; they ask a `Hub` for what a hub
does (search, browse, record a referral, leave a note about a service, mark a service
checked, ...). What comes back is the core's own typed models (`Service`, `Referral`,
`Suggestion`, ...), and what goes wrong comes back as two typed errors named for what
they mean to a screen:

* `NotSaved`: the data folder would not take the write (a full disk, a read-only folder,
  a file that is not ours). It wraps `StorageError` and `OSError`, so a screen never needs
  to know how the store is kept. Nothing was changed.
* `NotFound`: the service, referral or note asked about is not there (any more).

Mistakes in what staff typed keep their own core types (`ReferralError`,
`ServiceEditError`, `StaffError`): they carry a message per field for the form.

Every durable write takes one lock (`Hub.writing`), so a save from a worker thread and a
save from the UI thread never interleave in the store's files. Quick reads take the same
lock, so a read never sees a write half-applied. The search index is built outside it (it
has its own lock), so a long build never holds up a save.

Why one module of about 700 lines: it is the one door issue 11 asks for. Every screen's
call to the core comes here, and each method is a few lines that take the right lock and
turn core errors into the two typed ones above. Split into several facades, screens
would have several doors again, and the lock rules would be kept in more than one place.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from hub.config import HubSettings, load_settings
from hub.sample_directory import META_SEEDED, sample_is_loaded, seed_sample_if_new
from hub.search_types import NO_FILTERS, Filters, Result
from hub.storage import HubStore, StorageError

# Everything else is imported where it is used: the kiosk opens a Hub before Home is drawn,
# and the search index, referrals, staff and crisis code load later, in a worker (or when
# staff first need them), so the first paint waits for none of them.
if TYPE_CHECKING:
    from hub.index_file import SavedIndexCache
    from hub.models import (
        HubInfo,
        Need,
        Referral,
        Service,
        Suggestion,
        UrgentHelp,
        UrgentLine,
    )
    from hub.referrals import ReferralForm
    from hub.search import SearchIndex
    from hub.staff import StaffMember, UnlockResult

__all__ = ["RESULT_LIMIT", "Hub", "HubStore", "NotFound", "NotSaved", "system_clock"]
"""HubStore is named here only so the one factory (`screens.app.make_app`) can be handed a
store a test or the command line already opened; screens never call it."""

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

RESULT_LIMIT = 30
"""How many services a list shows at most: more is not calm, and the words narrow it."""


class NotSaved(Exception):
    """The data folder did not take a write; nothing was changed.

    Its words are the underlying error's (they name the file), and `__cause__` is the
    `StorageError` or `OSError` itself.
    """


class NotFound(LookupError):
    """The service, referral or note asked about is not in the hub's data."""


def _not_found_errors() -> tuple[type[Exception], ...]:
    """Return the core's "not there" errors (their modules are imported when first used)."""
    from hub.directory_edits import ServiceNotFound
    from hub.referrals import ReferralNotFound
    from hub.suggestions import SuggestionNotFound

    return (ServiceNotFound, ReferralNotFound, SuggestionNotFound)


T = TypeVar("T")


def system_clock() -> datetime:
    """Return the time now, in UTC."""
    return datetime.now(UTC)


_INDEX_WAIT_STEP = 0.05
"""Seconds a search waits on the index's lock before it looks again whether a whole build
is what holds it (then it answers from the index in hand)."""


class Hub:
    """What the kiosk's screens may ask of the hub's data, and the one writer to it."""

    def __init__(
        self,
        store: HubStore,
        *,
        needs: Sequence[Need] | None = None,
        clock: Clock = system_clock,
        owns_store: bool = False,
    ) -> None:
        """`needs` are what the search index knows (None: the bundled needs, the tiles'
        first, read when the index is first wanted: not on the way to Home)."""
        self.store = store
        """The store itself: for the coordinator screens until they move here, and tests."""
        self.clock = clock
        self._owns_store = owns_store
        self._lock = threading.RLock()
        self._needs = None if needs is None else list(needs)
        self._index_cache: SavedIndexCache | None = None
        """Made by the first search_index() (in the loading worker): it imports the index."""
        self._last_index: SearchIndex | None = None
        """The index a search was last given: searches answer from it while a new one builds."""
        self._index_lock = threading.Lock()
        self._tidy_lock = threading.Lock()
        self._tidied = False
        self._urgent_lock = threading.Lock()
        self._urgent: UrgentHelp | None = None
        self._sample_loaded: tuple[int, bool] | None = None
        self._directory_loaded = threading.Event()

    @classmethod
    def open(
        cls, data_dir: Path, *, needs: Sequence[Need] | None = None, clock: Clock = system_clock
    ) -> Hub:
        """Return a Hub over the data folder, which it opens now and closes in `close`.

        A folder that cannot be opened (in use, unsafe, unreadable) raises the store's own
        StorageError, for the command line to name: it is not a save that failed.
        """
        return cls(HubStore.open(data_dir), needs=needs, clock=clock, owns_store=True)

    def close(self) -> None:
        """Release the data folder, if this Hub opened it.

        A kiosk closed before its start-up tidy-up ran (it runs in a worker once Home is on
        screen) tidies up now: an older version's crisis searches must not outlive this run.
        """
        if self._owns_store:
            if not self._tidied and not self.store.read_only:
                self._tidied_for_staff()
            with self._lock:
                self.store.close()

    # --- the one writer ----------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the write lock; turn a failed save into NotSaved and a missing id into NotFound.

        The data folder's lock is held too, for the whole change: what it reads first (a
        count, a PIN's tries) is the latest saved anywhere, and no other kiosk or command
        saves in between. Another process keeping the folder busy past the lock's timeout
        is a NotSaved like a full disk.
        """
        with self._lock:
            try:
                with self.store.writing():
                    yield
            except (StorageError, OSError) as exc:
                raise NotSaved(str(exc)) from exc
            except Exception as exc:
                if isinstance(exc, _not_found_errors()):
                    raise NotFound(str(exc)) from exc
                raise

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the lock for a quick read, so it never sees a write half-applied.

        A read that fails is not a save that failed: the store's error goes on as it is.
        """
        with self._lock:
            yield

    def read_snapshot(self, read: Callable[[], T]) -> T:
        """Return `read()` as of one whole saved state of the data folder.

        For a read of several files that must agree (referral shards, staff and their
        tries, services and local changes): another process may be saving them meanwhile.
        See `HubStore.read_snapshot`; it may wait for another process's save to end (a few
        milliseconds), so screens call it from their worker threads.
        """
        with self.reading():
            return self.store.read_snapshot(read)

    # --- time ----------------------------------------------------------------------------

    def now(self) -> datetime:
        """Return the time now, by the hub's clock."""
        return self.clock()

    def today(self) -> date:
        """Return today's date in London, by the hub's clock."""
        from hub.schedule import LONDON

        return self.clock().astimezone(LONDON).date()

    # --- start-up and settings -----------------------------------------------------------

    def start_up(self) -> None:
        """Seed a brand-new folder with the sample, then tidy up (`tidy_up`).

        Raises NotSaved (each is tried again at the next start). The kiosk does the two
        apart: the seeding before Home is drawn, the tidying in a worker after.
        """
        self.seed_sample()
        self.tidy_up()

    def seed_sample(self) -> bool:
        """Return True if this filled a brand-new data folder with the bundled sample.

        Any other folder costs one read of its settings (the folder's lock is not taken).
        Raises NotSaved.
        """
        with self.reading():
            if self.store.meta(META_SEEDED) is not None:
                return False
        with self.writing():
            return seed_sample_if_new(self.store, now=self.clock())

    def tidy_up(self) -> None:
        """Purge referrals past the hub's retention and forget any crisis searches an older
        version logged as words: once per Hub, whoever asks first (a later call returns at
        once). Raises NotSaved; a failed tidy-up is tried again at the next call.

        The kiosk runs it in a worker once Home is on screen (it reads every referral), and
        everything that shows staff referrals asks for it first (`_tidied_for_staff`), so no
        referral past its time is ever shown.
        """
        with self._tidy_lock:
            if self._tidied:
                return
            from hub import unmet
            from hub.referrals import purge_on_start

            with self.writing():
                purge_on_start(self.store, self.clock())
                unmet.forget_crisis_searches(self.store)
            self._tidied = True

    def _tidied_for_staff(self) -> None:
        """Tidy up before staff see referrals; a folder that will not take the purge (a full
        disk) still lets them work, as it lets the kiosk open."""
        try:
            self.tidy_up()
        except NotSaved as exc:
            log.warning("expired referrals not purged: %s", type(exc.__cause__ or exc).__name__)

    def settings(self) -> HubSettings:
        """Return the hub's settings (area, idle limits, retention)."""
        with self.reading():
            return load_settings(self.store)

    def hub_info(self) -> HubInfo | None:
        """Return this hub's id and name, or None before `hub setup` has run."""
        from hub.hub_identity import hub_info

        with self.reading():
            return hub_info(self.store)

    def urgent_help(self) -> UrgentHelp:
        """Return the national urgent lines and the hub's own, or only the national ones.

        A broken urgent.local.json must never take urgent help off the kiosk: the national
        lines are shown, and `hub search` names the problem for staff. Read once per Hub
        (the kiosk's worker reads them after Home is drawn; later calls return the same).
        """
        with self._urgent_lock:
            if self._urgent is None:
                from hub.needs import NeedsFileError, load_urgent
                from hub.urgent import load_urgent_help

                try:
                    self._urgent = load_urgent_help(self.store.root)
                except NeedsFileError as exc:
                    log.warning("the hub's own urgent lines are not shown: %s", exc)
                    self._urgent = load_urgent()
            return self._urgent

    # --- the directory -------------------------------------------------------------------

    @property
    def sample_loaded(self) -> bool:
        """Return True while the bundled, fictional sample directory is loaded."""
        version = self.store.directory_version
        if self._sample_loaded is None or self._sample_loaded[0] != version:
            with self.reading():
                self._sample_loaded = (version, sample_is_loaded(self.store))
        return self._sample_loaded[1]

    def load_directory(self) -> None:
        """Read the directory and make its search index ready; return when both are done.

        Slow on a big directory, so the kiosk runs it in a worker thread while Home is
        already on screen; `directory_ready` turns True when it is done (or has failed: the
        next search then tries again and raises the error itself).
        """
        try:
            self.search_index()
            self.sample_loaded  # noqa: B018 -- worked out now, so no screen waits for it
            # The crisis check runs on every search; its phrases load here, after Home is
            # on screen, rather than in the first visitor's search.
            from hub.crisis import crisis_kinds

            crisis_kinds("somewhere to talk")
            # A first search of our own loads what every search uses the first time (the
            # word lists, the service model's validator), so a visitor's does not wait.
            # It is pure: nothing is logged, and no visitor's words are involved.
            self.search("somewhere to talk")
        finally:
            self._directory_loaded.set()

    def directory_changed(self) -> bool:
        """Return True when the directory was saved since the search index was made.

        Another process may save it at any time (a `hub sync import` or `hub directory
        import` beside the kiosk, a second kiosk's edit): the directory's revision (one
        SELECT of the mark SQLite commits with every save) differs from the one the search
        index was made for. The kiosk then runs `load_directory` again in a worker, so the
        next search answers from the new directory at once. False while the first load is
        running.
        """
        if not self._directory_loaded.is_set():
            return False
        with self.reading():
            revision = self.store.directory_revision
        return self._index_cache is None or self._index_cache.revision != revision

    @property
    def directory_ready(self) -> bool:
        """Return True once `load_directory` has finished: a search then answers at once."""
        return self._directory_loaded.is_set()

    def wait_until_ready(self, timeout: float) -> bool:
        """Wait at most `timeout` seconds for `load_directory` to finish; return True if it has."""
        return self._directory_loaded.wait(timeout)

    def service(self, service_id: str) -> Service | None:
        """Return a service by id, listed or not, or None."""
        with self.reading():
            return self.store.service(service_id)

    def listed_services(self, *, offset: int = 0, limit: int | None = None) -> list[Service]:
        """Return the services visitors can see, in name order: one page of them with
        `offset` and `limit` (a list on screen asks for a page, never the whole directory)."""
        with self.reading():
            return list(self.store.iter_services(listed_only=True, offset=offset, limit=limit))

    def listed_count(self) -> int:
        """Return how many services visitors can see (no service is read)."""
        with self.reading():
            return self.store.service_count(listed_only=True)

    def listed_page(self, *, offset: int = 0, limit: int) -> tuple[list[Service], int]:
        """Return one page of the services visitors can see, in name order, and how many
        there are in all: both from one saved directory (one SQLite read), so they agree."""

        def page_and_count() -> tuple[list[Service], int]:
            page = list(self.store.iter_services(listed_only=True, offset=offset, limit=limit))
            return page, self.store.service_count(listed_only=True)

        return self.read_snapshot(page_and_count)

    def search_index(self) -> SearchIndex:
        """Return the search index: loaded from the data folder's index file when that is
        for the directory as it is, else built (and the file replaced).

        Called from search workers, so the build is guarded by its own lock. While another
        thread holds it to build the whole index again (another process saved a big change:
        about 25 s at 50,000 services), a visitor's search does not wait: it answers from the
        index in hand, whose results read each service as it is now and leave out any gone
        or retired since. A load from the index file, or a change followed in place, is
        waited for (a second at most at 50,000): its answer has the new services in it.
        The very first index is always waited for.
        """
        while not self._index_lock.acquire(timeout=_INDEX_WAIT_STEP):
            cache, last = self._index_cache, self._last_index
            if last is not None and cache is not None and cache.building:
                return last
        try:
            self._last_index = self._current_index()
            return self._last_index
        finally:
            self._index_lock.release()

    def _current_index(self) -> SearchIndex:
        """Return the index of the directory as it is now (see `search_index`); the caller
        holds the index's lock."""
        if self._index_cache is None:
            from hub.index_file import SavedIndexCache
            from hub.needs import kiosk_needs

            needs = kiosk_needs() if self._needs is None else self._needs
            self._index_cache = SavedIndexCache(
                needs, self.store.root, save=not self.store.read_only
            )
        index = self._index_cache.current(self.store.directory_version)
        if index is not None:
            return index
        # In a snapshot, which waits for a save under way to end: a `hub directory
        # import` beside the kiosk changes the index file too before it lets go of the
        # folder (hub.index_follow), so the file found next is for this revision.
        version, revision = self.read_snapshot(
            lambda: (self.store.directory_version, self.store.directory_revision)
        )
        return self._index_cache.index_for(
            lambda: self.store.iter_services(listed_only=True),
            self._services_by_id,
            version=version,
            revision=revision,
        )

    def _services_by_id(self, service_ids: Sequence[str]) -> dict[str, Service]:
        """Return the stored services with these ids: what a result list shows."""
        with self.reading():
            return self.store.services_by_id(service_ids)

    def search(
        self, query: str, *, filters: Filters = NO_FILTERS, limit: int = RESULT_LIMIT
    ) -> list[Result]:
        """Return services for the words, best first.

        When the words speak of a crisis, the services that serve it come first (see
        hub.crisis_results): the urgent lines are shown above them by the screen.
        """
        from hub.crisis import crisis_kinds, crisis_needs
        from hub.crisis_results import crisis_first

        needs = crisis_needs(crisis_kinds(query)) if query.strip() else ()
        return crisis_first(
            self.search_index(), query, needs, filters=filters, now=self.clock(), limit=limit
        )

    def browse(
        self, need_id: str, *, filters: Filters = NO_FILTERS, limit: int = RESULT_LIMIT
    ) -> list[Result]:
        """Return the services for a need, best first."""
        return self.search_index().browse(need_id, filters=filters, now=self.clock(), limit=limit)

    def find_services(
        self, *, query: str = "", need_id: str | None = None, filters: Filters
    ) -> list[Result]:
        """Return services for the words, or else the need; none for neither."""
        if query.strip():
            return self.search(query, filters=filters)
        if need_id is not None:
            return self.browse(need_id, filters=filters)
        return []

    def crisis_lines(
        self, query: str, urgent: UrgentHelp | None = None
    ) -> tuple[frozenset[str], list[UrgentLine]]:
        """Return the crisis kinds the words touch and the urgent lines for them, in order:
        from `urgent`, else from the hub's own (`urgent_help`).

        An ordinary search gives no kinds and no lines.
        """
        from hub.crisis import crisis_kinds, urgent_lines_for

        if urgent is None:
            urgent = self.urgent_help()

        kinds = crisis_kinds(query) if query.strip() else frozenset()
        return kinds, urgent_lines_for(kinds, urgent)

    # --- what visitors leave -------------------------------------------------------------

    def log_unmet_search(self, text: str) -> None:
        """Record a search that found nothing: its words and the day, or, for words that
        speak of a crisis, only their kinds (never the words). Raises NotSaved."""
        from hub.crisis import crisis_kinds

        kinds = crisis_kinds(text)
        if kinds:
            self.count_urgent_search(kinds)
            return
        from hub import unmet

        with self.writing():
            unmet.log_unmet_search(self.store, text, self.today())

    def count_urgent_search(self, kinds: Iterable[str]) -> None:
        """Count a search that spoke of a crisis: its kinds and the day. Raises NotSaved."""
        from hub import unmet

        with self.writing():
            unmet.count_urgent_search(self.store, kinds, self.today())

    def log_empty_need(self, need_id: str) -> None:
        """Record that a need had nothing to offer: the need and the day. Raises NotSaved."""
        from hub import unmet

        with self.writing():
            unmet.log_empty_need(self.store, need_id, self.today())

    def record_nothing_suitable(self, need_id: str) -> None:
        """Record that staff found no suitable service for a need (the need and the day
        only; reports count it as unmet). Raises NotSaved."""
        from hub import unmet

        with self.writing():
            unmet.log_nothing_suitable(self.store, need_id, self.today())

    def leave_suggestion(self, service_id: str, text: str) -> Suggestion:
        """Return a visitor's note about a service once it is saved. Raises NotSaved."""
        from hub import suggestions  # not on the way to Home

        with self.writing():
            return suggestions.leave_suggestion(self.store, service_id, text, self.today())

    # --- staff -----------------------------------------------------------------------------

    def staff_members(self) -> list[StaffMember]:
        """Return the hub's staff, by name."""
        from hub.staff import list_staff

        with self.reading():
            return list_staff(self.store)

    def unlock(self, name: str, pin: str) -> UnlockResult:
        """Return whether the name and PIN open staff mode (tries are counted: NotSaved).

        The PIN is hashed before the writer is taken: the hash is slow on purpose, and a
        referral being saved at the same time must not wait for it.
        """
        from hub.staff import check_pin, stored_pin_hash
        from hub.staff import unlock as unlock_staff

        self._tidied_for_staff()  # staff mode shows referrals: none past their time
        with self.reading():
            stored_hash = stored_pin_hash(self.store, name)
        checked = check_pin(pin, stored_hash)  # outside the lock
        with self.writing():
            return unlock_staff(self.store, name, pin, self.clock(), checked)

    def record_lock(self, staff_id: str) -> None:
        """Note in the audit log that staff mode was locked. Raises NotSaved."""
        from hub.staff import record_lock

        with self.writing():
            record_lock(self.store, staff_id, self.clock())

    def locked_out_staff(self) -> list[tuple[StaffMember, datetime]]:
        """Return the members locked out by wrong PINs, and until when."""
        from hub.staff import locked_out_staff

        now = self.clock()
        # The staff list and their wrong tries are two files: read them as one state.
        return self.read_snapshot(lambda: locked_out_staff(self.store, now))

    def clear_lockout(self, name: str, *, actor: str) -> bool:
        """Let a locked-out member sign in again; True if they were locked out."""
        from hub.staff import clear_lockout

        with self.writing():
            return clear_lockout(self.store, name, self.clock(), actor=actor)

    # --- referrals -------------------------------------------------------------------------

    def record_referral(self, form: ReferralForm) -> Referral:
        """Return the referral once it is saved durably.

        Raises ReferralError (a message per field) for mistakes, NotSaved for a failed save.
        """
        from hub.referrals import record_referral

        with self.writing():
            return record_referral(self.store, form, now=self.clock())

    def set_outcome(self, referral_id: str, outcome: str, staff_id: str) -> Referral:
        """Return the referral with its follow-up outcome saved.

        Raises ReferralError for an unknown outcome, NotFound, NotSaved.
        """
        from hub.referrals import set_outcome

        self._tidied_for_staff()
        with self.writing():
            return set_outcome(self.store, referral_id, outcome, staff_id, self.clock())

    def todays_referrals(self, hub_id: str) -> list[Referral]:
        """Return this hub's referrals made today, newest first."""
        from hub.referrals import todays_referrals

        self._tidied_for_staff()
        now = self.clock()
        # Referrals live in many shard files: read them as one saved state.
        return self.read_snapshot(lambda: todays_referrals(self.store, hub_id, now))

    def follow_ups_due(self, hub_id: str) -> list[Referral]:
        """Return this hub's referrals due a follow-up this week or overdue, oldest due first.

        "This week" is today and the six days after it, so Friday shows Monday's too.
        """
        from hub.referrals import follow_ups_due

        self._tidied_for_staff()
        now = self.clock()
        return self.read_snapshot(lambda: follow_ups_due(self.store, hub_id, now, days_ahead=6))

    # --- the directory, as staff change it -----------------------------------------------

    def add_service(self, service: Service, staff_id: str) -> Service:
        """Return a new service once saved. Raises ServiceEditError, NotSaved."""
        from hub import directory_edits  # not on the way to Home

        return self._change_service(
            None, lambda: directory_edits.add_service(self.store, service, staff_id, self.clock())
        )

    def edit_service(self, service: Service, staff_id: str) -> Service:
        """Return the changed service once saved. Raises ServiceEditError, NotFound, NotSaved."""
        from hub import directory_edits  # not on the way to Home

        return self._change_service(
            service.id,
            lambda: directory_edits.edit_service(self.store, service, staff_id, self.clock()),
        )

    def retire_service(self, service_id: str, staff_id: str) -> Service:
        """Return the service once visitors no longer see it. Raises NotFound, NotSaved."""
        from hub import directory_edits  # not on the way to Home

        return self._change_service(
            service_id,
            lambda: directory_edits.retire_service(self.store, service_id, staff_id, self.clock()),
        )

    def mark_checked(self, service_id: str, staff_id: str) -> Service:
        """Return the service with today as its checked date. Raises NotFound, NotSaved."""
        from hub import directory_edits  # not on the way to Home

        return self._change_service(
            service_id,
            lambda: directory_edits.mark_checked(self.store, service_id, staff_id, self.clock()),
        )

    def _change_service(self, service_id: str | None, change: Callable[[], Service]) -> Service:
        """Return the service `change` saved, with the search index following that one
        change (not built again), and its file updated after the write lock is let go.

        The index is changed under the write lock (with the folder's lock, so no other
        process saves in between): the revision before and after are then exactly this
        change's. A build under way holds the index's lock; the change then leaves the
        index alone, and the next search builds it for the directory as it is.
        """
        save_index_change: Callable[[], bool] | None = None
        index_locked = False
        try:
            with self.writing():
                before = self.store.directory_revision
                previous = None if service_id is None else self.store.service(service_id)
                saved = change()
                index_locked = self._index_lock.acquire(blocking=False)
                if index_locked:
                    save_index_change = self._follow_in_index(previous, saved, before)
            if save_index_change is not None:
                save_index_change()
        finally:
            if index_locked:
                self._index_lock.release()
        return saved

    def _follow_in_index(
        self, previous: Service | None, saved: Service, before: str
    ) -> Callable[[], bool] | None:
        """Return what saves the index's file once the index follows a saved change, or None.

        The change is saved whatever happens here: the index is only kept to answer
        quickly, so a failure to follow it (a service unreadable now, a fault in this
        code) is logged and the index left as it was, stale: the next search builds it.
        """
        if self._index_cache is None:  # no index made yet: the first search builds it
            return None
        try:
            return self._index_cache.apply_change(
                previous,
                saved,
                before=before,
                version=self.store.directory_version,
                revision=self.store.directory_revision,
            )
        except Exception:  # the save stands; the next search builds the index again
            log.warning("the search index did not follow a staff change", exc_info=True)
            return None

    def needs_checking(self) -> list[Service]:
        """Return the listed services whose details are due a check, oldest first."""
        from hub import directory_edits  # not on the way to Home

        now = self.clock()
        # The services and the hub's own changes to them are two files.
        return self.read_snapshot(lambda: directory_edits.needs_checking(self.store, now))

    # --- visitors' notes, as staff handle them -----------------------------------------

    def open_suggestions(self) -> list[Suggestion]:
        """Return the visitors' notes staff have not handled yet."""
        from hub import suggestions  # not on the way to Home

        # The notes and the list of handled ones are two files.
        return self.read_snapshot(lambda: suggestions.open_suggestions(self.store))

    def accept_suggestion(self, suggestion_id: str, staff_id: str) -> Suggestion:
        """Return the note, marked handled. Raises NotFound, NotSaved."""
        from hub import suggestions  # not on the way to Home

        with self.writing():
            return suggestions.accept_suggestion(self.store, suggestion_id, staff_id, self.clock())

    def dismiss_suggestion(self, suggestion_id: str, staff_id: str) -> Suggestion:
        """Return the note, deleted. Raises NotFound, NotSaved."""
        from hub import suggestions  # not on the way to Home

        with self.writing():
            return suggestions.dismiss_suggestion(self.store, suggestion_id, staff_id, self.clock())
