"""Saves off the UI thread: the one writer a screen hands its durable writes to.

Every save the core makes is durable (written, fsynced and renamed into place), and on a
kiosk PC's slow disk or SD card an fsync can take long enough to freeze the screen under
a visitor's or a volunteer's finger. So a screen never saves on the UI thread: it hands
the save to `save_off_screen`, and the app's one writer thread makes the saves one at a
time, in the order they were asked for (the Hub's writer lock, `Hub.writing`, keeps
them apart from other processes' writes and the kiosk's other threads).

The answer comes back on the UI thread: `then` with what the save returned, or `failed`
with the error a person should see (by default NotSaved: a full disk, a read-only folder).
Anything else a save raises ends its worker in error without closing the kiosk
(`exit_on_error=False`), and Textual logs it.

A save asked for is made even when the screen that asked has gone meanwhile (a volunteer
pressing Lock, the idle reset) or the kiosk is closing: the worker waiting for it is the
app's, and `saves_finished` (awaited as the kiosk closes) lets the writer finish every
save it was given before the kiosk stops.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from textual.app import App
from textual.dom import DOMNode
from textual.worker import Worker

from hub.kiosk_service import NotSaved

T = TypeVar("T")

SAVE_GROUP = "durable-save"
"""The worker group of every save a screen hands over (tests wait on it)."""

_writers: WeakKeyDictionary[App[Any], ThreadPoolExecutor] = WeakKeyDictionary()
"""Each running app's one writer thread (made at its first save)."""


def save_off_screen(
    node: DOMNode,
    save: Callable[[], T],
    *,
    then: Callable[[T], object] | None = None,
    failed: Callable[[Exception], object] | None = None,
    expected: tuple[type[Exception], ...] = (NotSaved,),
) -> Worker[None]:
    """Give `save` to the app's writer thread; return the worker that waits for it.

    On the UI thread afterwards: `then(result)` when it saved, `failed(error)` when it
    raised one of `expected`. Neither is called if the kiosk closes first (the save is
    still made).
    """
    app = node.app
    writer = _writers.get(app)
    if writer is None:
        writer = _writers[app] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hub-save")
    # The save sees the context it was asked in (Textual's active app, for one).
    done = writer.submit(contextvars.copy_context().run, save)

    async def wait() -> None:
        try:
            # Shielded: the worker may be cancelled as the kiosk closes; the save is not.
            result = await asyncio.shield(asyncio.wrap_future(done))
        except expected as exc:
            if failed is not None:
                failed(exc)
            return
        if then is not None:
            then(result)

    return app.run_worker(wait(), group=SAVE_GROUP, exit_on_error=False)


async def saves_finished(app: App[Any]) -> None:
    """Return once the app's writer has made every save it was given (and has stopped)."""
    writer = _writers.pop(app, None)
    if writer is not None:
        await asyncio.to_thread(writer.shutdown, wait=True)
