"""Which shape a directory file has (one service, an array, a paged envelope) and its flavour."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hub.formats.common import UNKNOWN_SHAPE, DirectoryFileError, Flavour, PageInfo, dicts_in

_PAGE_KEYS: dict[Flavour, tuple[str, str, str]] = {
    # (this page's number, how many pages, how many items) in each flavour's envelope
    "hsds3": ("page_number", "total_pages", "total_items"),
    "oruk1": ("number", "totalPages", "totalElements"),
}


def page_info(data: Any, source: str) -> PageInfo | None:
    """Return what a paged envelope says of its page and the feed's size; None for no envelope.

    ORUK v1 (Spring) numbers pages from 0 or from 1 depending on the publisher; the number is
    kept as given and `hub.formats.to_model` works out which from all the pages it is given.
    """
    if not isinstance(data, dict):
        return None
    for flavour, key in (("hsds3", "contents"), ("oruk1", "content")):
        if isinstance(data.get(key), list):
            number, pages, items = _PAGE_KEYS[flavour]  # type: ignore[index]
            return PageInfo(
                source, _count(data.get(number)), _count(data.get(pages)), _count(data.get(items))
            )
    return None


def _count(value: Any) -> int | None:
    """Return a whole number from an envelope field, None when it is absent or not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


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


FLAVOUR_SAMPLE = 200
"""How many of a feed's first records `detect_flavour` looks at."""


def detect_flavour(records: Sequence[Any], hint: Flavour | None) -> Flavour:
    """Return "oruk1" or "hsds3": the wrapper decides, else the keys the first records use."""
    if hint is not None:
        return hint
    v1 = v3 = 0
    for record in records[:FLAVOUR_SAMPLE]:
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


def missing_pages(pages: Sequence[PageInfo]) -> str | None:
    """Return which pages of a paged feed were not given, in words; None when none are missing.

    Page numbers count from 0 when any given page is page 0 (Spring's habit in ORUK v1), else
    from 1. When the envelopes do not number themselves, only the count can be compared.
    """
    totals = [page.total_pages for page in pages if page.total_pages is not None]
    if not totals:
        return None
    total = max(totals)
    numbers = {page.page for page in pages if page.page is not None}
    given = ", ".join(f"{page.source} (page {page.page})" for page in pages)
    if len(numbers) == len(pages) and numbers:
        base = 0 if 0 in numbers else 1
        missing = [n for n in range(base, base + total) if n not in numbers]
        if not missing:
            return None
        shown = ", ".join(str(n) for n in missing[:10]) + (" …" if len(missing) > 10 else "")
        return (
            f"the feed has {total} pages and page{'s' if len(missing) > 1 else ''} {shown} "
            f"{'were' if len(missing) > 1 else 'was'} not given (given: {given})"
        )
    if len(pages) < total:
        return f"the feed has {total} pages and only {len(pages)} were given ({given})"
    return None
