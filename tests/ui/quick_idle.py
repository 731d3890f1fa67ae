"""Let Pilot notice an idle kiosk in 4 ms steps instead of 20 ms (a test-process setting).

Every Pilot key press and pause ends in Textual's `wait_for_idle`, which sleeps in steps
of `SLEEP_GRANULARITY` (1/50 s) until a step passes with under a millisecond of the
process's CPU used. A kiosk test spends most of its wall time in those sleeps: a press
costs at least two steps, 40 ms, when the kiosk handled the key in a few. With 4 ms steps
the same waits end as soon as the kiosk is idle, to within 4 ms. The idle rule itself
(`SLEEP_IDLE`, under 1 ms of CPU in a step) is kept, so "idle" means what it meant.

Tests do not lean on the poll to be slow: each one waits for what it needs (the search
worker, the save, the button letting go; see conftest.py), so a finer poll only takes out
the waiting. Measured on the 2-core build machine (whole suite, `make test`'s four
processes): 268 s with Textual's step against 204 s and 229 s with this one.

If a Textual release renames the constant, nothing changes and the tests wait as
Textual's own poll does.
"""

from __future__ import annotations

import textual._wait as textual_wait

STEP_SECONDS = 0.004
"""How long Pilot's idle check sleeps between looks at the process's CPU."""


def install() -> bool:
    """Make Textual's idle poll step STEP_SECONDS in this process.

    Returns True when the finer step is in place.
    """
    if not hasattr(textual_wait, "SLEEP_GRANULARITY"):
        return False
    textual_wait.SLEEP_GRANULARITY = STEP_SECONDS
    return True
