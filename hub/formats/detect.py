"""Which shape a directory file has (one service, an array, a paged envelope) and its flavour."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from hub.formats.common import UNKNOWN_SHAPE, DirectoryFileError, Flavour, dicts_in, feed_uuid


def records_of(data: Any, source: str) -> tuple[list[Any], Flavour | None]:
    """Return the file's service records and the flavour its wrapper implies, if any."""
    if isinstance(data, dict):
        if isinstance(data.get("contents"), list):
            return list(data["contents"]), "hsds3"
        if isinstance(data.get("content"), list):
            return list(data["content"]), "oruk1"
        if looks_like_service(data):
            return [data], None
    elif isinstance(data, list) and (not data or any(map(looks_like_service, data))):
        return data, None
    raise DirectoryFileError(f"{source} is {UNKNOWN_SHAPE}")


def looks_like_service(item: Any) -> bool:
    """True for a JSON object with a service's id or name."""
    return isinstance(item, dict) and ("id" in item or "name" in item)


# Keys that only one flavour uses; the flavour with more of them across the file wins.
_V1_KEYS = ("regular_schedules", "service_taxonomys", "eligibilitys", "fees", "attending_type")
_V3_KEYS = ("schedules", "attributes", "phones", "fees_description", "application_process")


def detect_flavour(records: Sequence[Any], hint: Flavour | None) -> Flavour:
    """Return "oruk1" or "hsds3": the wrapper decides, else the keys the records use."""
    if hint is not None:
        return hint
    v1 = v3 = 0
    for record in records[:200]:
        if not isinstance(record, dict):
            continue
        v1 += sum(key in record for key in _V1_KEYS)
        v3 += sum(key in record for key in _V3_KEYS)
        for sal in dicts_in(record.get("service_at_locations")):
            location = sal.get("location")
            if isinstance(location, dict):
                v1 += "physical_addresses" in location
                v3 += "addresses" in location
        for language in dicts_in(record.get("languages")):
            v1 += "language" in language
            v3 += "name" in language
        for contact in dicts_in(record.get("contacts")):
            v1 += "phones" in contact
    return "oruk1" if v1 > v3 else "hsds3"


def refuse_duplicate_ids(records: Sequence[Any], source: str) -> None:
    """Raise DirectoryFileError if two records share an id: which one is right is unknowable."""
    ids = Counter(
        feed_uuid(record["id"])
        for record in records
        if isinstance(record, dict) and isinstance(record.get("id"), str | int)
    )
    repeated = [(rid, count) for rid, count in ids.items() if count > 1]
    if repeated:
        rid, count = repeated[0]
        more = f" (and {len(repeated) - 1} more ids)" if len(repeated) > 1 else ""
        raise DirectoryFileError(
            f"{source}: the id {rid} appears {count} times{more}; each service needs its own id"
        )


# --- one record to a Service --------------------------------------------------------
