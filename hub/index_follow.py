"""An import or a sync that changed a few services: the saved search index follows them.

`hub directory import` and `hub sync import` save the directory in their own process,
beside a kiosk that may be running. Before this module, the kiosk then found the index
file keyed to the old revision and built the whole index again: about 21 s at 50,000
services, with every visitor's search waiting behind it. Now the process that saved the
change also changes the file, service by service (`SearchIndex.with_change`, as for a
staff edit), and writes only the rows that differ (`index_file.save_change`), keyed to
the new revision. The kiosk then loads the file, as at a start.

It is done under the folder's write lock, before the lock is let go: a kiosk reads the
directory's new revision in a snapshot (`HubStore.read_snapshot`), which waits for a
writer, so it never finds the file still keyed to the old revision and builds meanwhile.

Following costs about 1/300 of a build per service changed, at any directory size (70 ms
a service at 50,000; a build is 21 s), so it is only done for up to `FOLLOW_LIMIT`
services, and up to `FOLLOW_WORK` service-times-directory-size so the lock is held a
few seconds at most. A bigger change, a file that was not for the directory as it was
before the save, or anything going wrong here leaves the file as it is: the kiosk builds
the index then, as it always did. The save itself stands whatever happens here.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from hub.index_file import INDEX_FILE, IndexFileUnusable, index_fingerprint, load_parts, save_change
from hub.models import Need, Service
from hub.needs import kiosk_needs
from hub.search import IndexChange, IndexOutOfStep, SearchIndex, ServiceFetcher
from hub.storage import HubStore

log = logging.getLogger(__name__)

FOLLOW_LIMIT = 100
"""At most this many services followed in place: a third of what a build costs."""

FOLLOW_WORK = 2_500_000
"""At most this many services changed times services in the directory (about 3.5 s of
following at 1.4 µs each, measured at 5,000 and 50,000 services): 50 at 50,000."""


@contextmanager
def index_following(store: HubStore, service_ids: Collection[str]) -> Iterator[None]:
    """Around one save of these services, under the folder's write lock: once the body has
    saved them, the data folder's index file follows, if it was for the directory as it
    was before and the change is small enough (see the module's docstring).

    The services are read before and after (one read each), only when they will be followed.
    An error in the body goes on as it is, and nothing is followed.
    """
    path = store.root / INDEX_FILE
    size = store.service_count()
    if (
        store.read_only
        or not service_ids
        or len(service_ids) > FOLLOW_LIMIT
        or len(service_ids) * size > FOLLOW_WORK
        or not path.is_file()
    ):
        yield
        return
    before = store.directory_revision
    previous = store.services_by_id(service_ids)
    yield
    after = store.directory_revision
    if after == before:
        return  # nothing was saved
    current = store.services_by_id(service_ids)
    changes = [(previous.get(key), current.get(key)) for key in sorted(service_ids)]
    try:
        follow_changes(
            path,
            kiosk_needs(),
            changes,
            before=before,
            after=after,
            fetch=store.services_by_id,
        )
    except Exception:  # the save stands: the kiosk builds the index as it always did
        log.warning("the search index file did not follow the saved services", exc_info=True)


def follow_changes(
    path: Path,
    need_list: Sequence[Need],
    changes: Sequence[tuple[Service | None, Service | None]],
    *,
    before: str,
    after: str,
    fetch: ServiceFetcher,
) -> bool:
    """Change the index file at `path` from revision `before` to `after`; True if saved.

    `changes` are (service before, service after) pairs, None for one not there; `fetch`
    reads stored services as they are now, by id. False (and the file left alone) when the
    file is not for `before` with these needs, or does not hold what the pairs say was
    there before.
    """
    fingerprint = index_fingerprint(need_list)
    try:
        parts = load_parts(path, revision=before, fingerprint=fingerprint)
    except IndexFileUnusable as exc:
        log.info("the search index file is not followed: %s", exc)
        return False
    # A service taken out of the list leaves its number to the last one, which the index
    # reads to renumber it: as it was indexed, so as it was before for one not followed yet.
    waiting = {
        either.id: before_copy
        for before_copy, after_copy in changes
        if (either := after_copy or before_copy) is not None
    }

    def as_indexed(service_ids: Sequence[str]) -> dict[str, Service]:
        found = dict(fetch([key for key in service_ids if key not in waiting]))
        found.update(
            (key, service)
            for key in service_ids
            if key in waiting and (service := waiting[key]) is not None
        )
        return found

    index = SearchIndex.from_saved_parts(parts, need_list, fetch=as_indexed)
    total = IndexChange()
    for before_copy, after_copy in changes:
        either = after_copy or before_copy
        if either is None:
            continue
        listed_before = before_copy is not None and before_copy.is_listed
        listed_after = after_copy is not None and after_copy.is_listed
        if listed_before or listed_after:  # a service never listed is not in the index
            try:
                index, change = index.with_change(before_copy, after_copy, version=None)
            except IndexOutOfStep as exc:
                log.info("the search index file is not followed: %s", exc)
                return False
            total.words |= change.words
            total.topics |= change.topics
            total.numbers |= change.numbers
        del waiting[either.id]
    return save_change(path, index, total, before=before, revision=after, fingerprint=fingerprint)
