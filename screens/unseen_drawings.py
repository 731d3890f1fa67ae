"""Let go of the drawings of widgets that have left the screen.

Textual caches a colour pair per widget drawing (`StylesCache.get_inner_outer`) in an
`lru_cache` keyed on the drawing itself, so the last 1,024 drawings stay alive after their
widgets are gone, each with the lines it drew (Textual issue #6665, open). The kiosk
replaces its result cards on every search: measured in a headless kiosk at 100x40,
150 searches left about 14 MB and 117,000 objects of cards nobody could see, and a kiosk
PC with little memory runs all day. Emptying the cache costs nothing that matters (what it
keeps is two colours added together), so the kiosk empties it every few seconds.

Only the cache's own `cache_clear` is used: if Textual changes or fixes the method, there
is nothing to clear and this does nothing.
"""

from __future__ import annotations

from textual._styles_cache import StylesCache

FREE_EVERY_SECONDS = 10.0
"""How often the kiosk lets go of unseen drawings: a few searches' worth at most are kept."""


def free_unseen_drawings() -> int:
    """Empty Textual's colour-pair cache, which keeps gone widgets' drawings alive.

    Returns how many entries were dropped (0 when Textual no longer has the cache).
    """
    cached = getattr(StylesCache.get_inner_outer, "cache_info", None)
    clear = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if cached is None or clear is None:
        return 0
    dropped = int(cached().currsize)
    clear()
    return dropped
