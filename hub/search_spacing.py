"""Spacing out near-duplicates in a result list.

A directory often lists one group several times: the same café in four towns, the same
welcome scheme at six venues, one provider's sessions sharing its blurb. A visitor asking
"breastfeeding help" gains nothing from four copies of one scheme filling the first screen
while the support groups wait below. So each service that is a near-duplicate of services
already above it (same family: `_family_of` and `_same_name_of` in hub.search_parts)
counts FAMILY_SPACING of its score once more per copy above: the second copy usually moves
below the next distinct good answers. Nothing is dropped: the list holds the same
services, only their order changes, so every venue stays on the list a visitor can scroll.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

__all__ = ["spaced"]


def spaced(
    chosen: Sequence[tuple[int, float]], families: Sequence[int], factor: float
) -> list[tuple[int, float]]:
    """Return `chosen` (number, score) pairs, best first, with near-duplicates spaced.

    `families[number]` is each service's family; `factor` (0 < factor <= 1) is what a
    service's score is multiplied by for each member of its family placed above it. The
    scores returned are those spaced scores, so the list stays best first; equal scores
    keep their order in `chosen`. The same pairs come back, in a new order.
    """
    if factor >= 1.0 or len(chosen) < 2:
        return list(chosen)
    counts: dict[int, int] = {}
    # (-spaced score, place in `chosen`, number, copies above when last scored, raw score):
    # a copy placed since a row was scored makes it stale; it is scored again and waits.
    heap = [(-score, place, number, 0, score) for place, (number, score) in enumerate(chosen)]
    heapq.heapify(heap)
    out: list[tuple[int, float]] = []
    while heap:
        negative, place, number, above, raw = heapq.heappop(heap)
        now_above = counts.get(families[number], 0)
        if now_above != above:
            heapq.heappush(heap, (-raw * factor**now_above, place, number, now_above, raw))
            continue
        counts[families[number]] = now_above + 1
        out.append((number, -negative))
    return out
