"""The bundled sample directory: seeding a brand-new data folder with it, and the stored
flag that says whether it is loaded (the kiosk shows a "fictional" banner while it is).

Apart from hub.directory (imports and exports, with the formats' parsers) because the
kiosk asks both questions before Home is drawn: here they cost one read of the folder's
settings, and the sample's parser is imported only for a brand-new folder.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from hub.locations import SAMPLE_DIRECTORY, bundled_file
from hub.storage import HubStore, StorageError

log = logging.getLogger(__name__)

META_SEEDED = "seeded"
"""Set (to the time, ISO 8601) once a data folder has had its first directory."""
META_SAMPLE_IDS = "sample_service_ids"
"""Ids of services that came from the bundled sample, so the app can say they are fictional."""
META_SAMPLE_FLAG = "sample_loaded"
"""Whether the sample is loaded, with the directory revision that answer is for."""


def remember_sample_ids(store: HubStore, ids: Iterable[str]) -> None:
    """Record which services came from the sample (kept across app upgrades)."""
    with store.writing():  # read and extended in one step: no other process's ids lost
        known = set(store.meta(META_SAMPLE_IDS, []) or [])
        merged = sorted(known | set(ids))
        if merged != sorted(known):
            store.set_meta(META_SAMPLE_IDS, merged)


def seed_sample_if_new(store: HubStore, *, now: datetime | None = None) -> bool:
    """Return True if this call filled a brand-new data folder with the bundled sample.

    Only a folder that has never had a directory (no services, and not marked as seeded)
    is seeded. A folder that already has services is just marked, so a hub that dropped
    the sample or imported its own feed never gets the sample back.
    """
    if store.meta(META_SEEDED) is not None:
        return False
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    # Checked again and seeded under one lock: two processes opening a new folder at once
    # seed it once, and never over a directory another process imported meanwhile.
    with store.writing():
        if store.meta(META_SEEDED) is not None:
            return False
        if store.has_services():
            store.set_meta(META_SEEDED, moment.isoformat())
            return False
        from hub.formats.to_model import read_directory_file  # only for a brand-new folder

        parsed = read_directory_file(bundled_file(SAMPLE_DIRECTORY), now=moment)
        store.replace_services(parsed.services)
        remember_sample_ids(store, (service.id for service in parsed.services))
        store.set_meta(META_SEEDED, moment.isoformat())
        remember_sample_flag(store)
    return True


def sample_service_ids(store: HubStore) -> set[str]:
    """Return the ids of services known to come from the bundled (fictional) sample."""
    return set(store.meta(META_SAMPLE_IDS, []) or []) | _bundled_sample_ids()


def sample_is_loaded(store: HubStore) -> bool:
    """Return True while any listed service in the directory comes from the fictional sample.

    Read from a stored flag kept with the directory revision it describes, so the kiosk
    knows at once, without reading the directory. A flag for another revision (the
    directory changed since, perhaps in another process) is worked out again and stored.
    """
    flag = store.meta(META_SAMPLE_FLAG)
    if (
        isinstance(flag, dict)
        and flag.get("revision") == store.directory_revision
        and isinstance(flag.get("loaded"), bool)
    ):
        return bool(flag["loaded"])
    return remember_sample_flag(store)


def remember_sample_flag(store: HubStore) -> bool:
    """Return whether the sample is loaded, and store that as the flag for this revision.

    Looks up only the sample's own ids (a few dozen), not every service. A folder that will
    not take the write still gets the answer: the flag is worked out again next time.
    """
    revision = store.directory_revision
    loaded = False
    for service_id in sorted(sample_service_ids(store)):
        service = store.service(service_id)
        if service is not None and service.is_listed:
            loaded = True
            break
    if store.read_only:  # the process that holds the folder keeps the flag
        return loaded
    try:
        store.set_meta(META_SAMPLE_FLAG, {"revision": revision, "loaded": loaded})
    except StorageError as exc:
        log.warning("the sample flag was not stored: %s", exc)
    return loaded


def _bundled_sample_ids() -> frozenset[str]:
    """Return the ids in the bundled sample file (read once per run)."""
    path = bundled_file(SAMPLE_DIRECTORY)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return frozenset()
    return _sample_ids_at(path, stamp)


@lru_cache(maxsize=2)
def _sample_ids_at(path: Path, stamp: int) -> frozenset[str]:
    """Return the service ids in the sample file as it was at `stamp` (its mtime)."""
    del stamp  # part of the cache key only: an edited sample is read again
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    contents = data.get("contents", []) if isinstance(data, dict) else []
    ids = (item.get("id") for item in contents if isinstance(item, dict))
    return frozenset(rid for rid in ids if isinstance(rid, str))
