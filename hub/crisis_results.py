"""The services listed under the urgent lines when a search speaks of a crisis.

The urgent lines come first on screen whatever the services are. Below them, a person who
typed "i want to end it all" should not be shown a food bank because "end" is a place name
(Church End) and "all" is in its description: the words of a crisis phrase say little about
which local service helps. So when a search touches a crisis kind, the services tagged with
the needs that serve that kind (`"needs"` per kind in data/crisis_phrases.json: suicide and
self-harm -> feeling low; abuse -> feeling safe) come first, best match to the words first,
then the rest of those needs' services, then everything else the words found.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from hub.search import SearchIndex
from hub.search_types import NO_FILTERS, Filters, Result

__all__ = ["CANDIDATES", "crisis_first"]

CANDIDATES = 60
"""How many of the words' own results are looked through for services that serve the
crisis: a kiosk page shows a few, so a serving service further down than this is reached
through its need instead."""


def crisis_first(
    index: SearchIndex,
    query: str,
    needs: Sequence[str],
    *,
    now: datetime,
    filters: Filters = NO_FILTERS,
    limit: int = 20,
) -> list[Result]:
    """Return the results for a crisis search: the services that serve it first.

    `needs` are the need ids that serve the crisis kinds the query touched (see
    `hub.crisis.crisis_needs`); with none, this is the plain search. The order is: services
    the words found that are tagged with one of `needs` (best match first), then those needs'
    other services in `needs` order (soonest open first, as
    browsing a need lists them), then the rest of what the words found. At most `limit`
    results, no service twice.
    """
    if not needs:
        # The plain search, asked for just what is shown: near-duplicates are spaced within
        # the `limit` best (hub.search_spacing), so none drops off a list it was on.
        return index.search(query, filters=filters, now=now, limit=limit)
    found = index.search(query, filters=filters, now=now, limit=max(limit, CANDIDATES))
    wanted = set(needs)
    serving = [result for result in found if wanted & set(result.service.needs)]
    chosen: dict[str, Result] = {result.service.id: result for result in serving}
    known = index.need_ids()
    for need in needs:
        if len(chosen) >= limit:
            break
        if need not in known:
            continue
        for result in index.browse(need, filters=filters, now=now, limit=limit):
            chosen.setdefault(result.service.id, result)
    for result in found:
        chosen.setdefault(result.service.id, result)
    return list(chosen.values())[:limit]
