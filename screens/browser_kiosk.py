"""The kiosk in a web browser: textual-serve's server with the hub's own page.

`hub serve` (hub.cli_serve) builds a `BrowserKiosk` and calls `serve`. textual-serve does
the real work: per browser connection (a websocket) it starts the kiosk command as its own
process and relays the screen and the keys. What this module changes, and why:

* **The page.** textual-serve's page links a web font from fonts.googleapis.com and shows
  Textual's logo. Ours (`web/templates/kiosk.html`) loads only from this server: the
  font file textual-serve ships, its xterm stylesheet and textual.js, and the hub's
  favicon; its title is "Find help — <hub name>", escaped (the name is data).
* **Addresses.** The page's websocket address is taken from the request's own Host, so a
  browser that came by "localhost" or by the PC's LAN address connects back the same way
  (textual-serve builds it from the listening address, which is no use for 0.0.0.0).
* **Large text.** `?fontsize=N` (textual-serve's own) sets the terminal's font size in
  pixels; we keep it between `MIN_FONT_SIZE` and `MAX_FONT_SIZE`.
* **Quiet.** No access log (a URL is not personal, but a kiosk logs no more than it
  needs), no banner; one line says where it is serving, with the real port when
  `--port 0` asked for any free one.
* **A limit.** At most `max_sessions` kiosk processes at once (`--max-sessions`): each is
  a whole process, so an unbounded number could exhaust the PC's memory.
* No download route and no static folder listing: the kiosk delivers no files.
"""

from __future__ import annotations

import asyncio
import shlex
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
import textual_serve
from aiohttp import web
from textual_serve.server import Server, to_int

from hub.i18n import _, current_language
from screens.preloaded_kiosk import WATCH_SECONDS, PreloadedKiosk

WEB = Path(__file__).parent / "web"
TEXTUAL_SERVE_STATIC = Path(textual_serve.__file__).parent / "static"

DEFAULT_FONT_SIZE = 16
MIN_FONT_SIZE = 10
MAX_FONT_SIZE = 64
SHUTDOWN_SECONDS = 5.0
"""On Ctrl+C or SIGTERM, how long open sessions get to close before they are cut off."""
RESTART_SECONDS = 5
"""After a session ends (its process stopped), the page starts a new one this soon."""
PRELOAD_SECONDS = 60.0
"""How long `hub serve` waits for the pre-loaded kiosk before serving without it."""


def font_size(asked: str | None) -> int:
    """Return the terminal's font size in pixels for `?fontsize=`, kept to a sane range."""
    if asked is None:
        return DEFAULT_FONT_SIZE
    return min(MAX_FONT_SIZE, max(MIN_FONT_SIZE, to_int(asked, DEFAULT_FONT_SIZE)))


class BrowserKiosk(Server):
    """textual-serve's Server with the hub's page, local assets only and no extra routes.

    `words` are the kiosk's own `hub` words for one session, run from `folder`. With
    `preload` (the default of `hub serve`), sessions are forked from a kiosk loaded once
    (`screens.preloaded_kiosk`); without it, each starts from scratch.
    """

    def __init__(
        self,
        words: list[str],
        *,
        folder: Path,
        preload: bool = True,
        host: str,
        port: int,
        title: str,
        max_sessions: int,
    ) -> None:
        self.preloaded = PreloadedKiosk(words, folder) if preload else None
        """The pre-loaded kiosk sessions are forked from, or None to start each afresh."""
        if self.preloaded is not None:
            command = f"exec {shlex.join(self.preloaded.session_command())}"
        else:
            direct = [sys.executable, "-m", "hub.cli", *words]
            command = f"cd {shlex.quote(str(folder))} && exec {shlex.join(direct)}"
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            statics_path=TEXTUAL_SERVE_STATIC,
            templates_path=WEB / "templates",
        )
        self.bound_port: int | None = None
        """The port actually listened on, once serving (it differs from `port` for 0)."""
        self.max_sessions = max_sessions
        """How many kiosk processes may run at once; a connection past it is turned away."""
        self.sessions = 0
        """How many browser sessions (kiosk processes) are running now."""

    async def _make_app(self) -> web.Application:
        """Return the web application: the page, the websocket, and two static folders."""
        app = web.Application()
        aiohttp_jinja2.setup(
            app,
            loader=jinja2.FileSystemLoader(self.templates_path),
            autoescape=jinja2.select_autoescape(["html"]),
        )
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.static("/static", self.statics_path, name="static"),
                web.static("/hub-static", WEB / "static", name="hub-static"),
            ]
        )
        return app

    async def handle_index(self, request: web.Request) -> web.Response:
        """Return the kiosk's page, its addresses taken from the request's own Host."""
        websocket_scheme = "wss" if request.scheme == "https" else "ws"
        context: dict[str, Any] = {
            "title": self.title,
            "language": current_language(),
            "static": "/static/",
            "hub_static": "/hub-static/",
            "websocket_url": f"{websocket_scheme}://{request.host}/ws",
            "font_size": font_size(request.query.get("fontsize")),
            "restart_seconds": RESTART_SECONDS,
            "start_words": _("Start again"),
            "closed_words": _("This screen has closed. It will start again in a moment."),
        }
        response = aiohttp_jinja2.render_template("kiosk.html", request, context)
        # The page is the same for everyone and holds nothing personal, but a kiosk's
        # browser should never show a stale copy after an update.
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Run one browser session's kiosk process, or turn the connection away when full.

        Each session is a whole kiosk process (tens of MB, a second or more of CPU to
        start): without a limit, a page reloaded in a loop, or anyone on a --lan network,
        could start processes until the PC ran out of memory. A connection turned away
        sees the page's "closed" words, and the page tries again a few seconds later.
        """
        if self.sessions >= self.max_sessions:
            refused = web.WebSocketResponse()
            await refused.prepare(request)
            # 1013 "try again later": the page shows its closed words and starts again.
            await refused.close(code=1013, message=b"the kiosk is busy")
            return refused
        if self.preloaded is not None:
            self.preloaded.keep_running()
        self.sessions += 1
        try:
            socket: web.WebSocketResponse = await super().handle_websocket(request)
            return socket
        finally:
            self.sessions -= 1

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C or SIGTERM, saying where on one line first."""
        self.debug = debug
        if self.preloaded is not None:
            self.preloaded.start()
            if not self.preloaded.wait_until_ready(PRELOAD_SECONDS):
                print(
                    "note: the pre-loaded kiosk is not ready; browser sessions start the "
                    "slow way until it is",
                    file=sys.stderr,
                    flush=True,
                )
        try:
            asyncio.run(self._serve_until_stopped())
        finally:
            if self.preloaded is not None:
                self.preloaded.stop()

    async def _watch_preloaded(self) -> None:
        """Look every WATCH_SECONDS whether the pre-loaded kiosk is still there, and start
        it again if not (`PreloadedKiosk.keep_running` spaces out repeated failures)."""
        if self.preloaded is None:
            return
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            self.preloaded.keep_running()

    async def _serve_until_stopped(self) -> None:
        runner = web.AppRunner(await self._make_app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, shutdown_timeout=SHUTDOWN_SECONDS)
        await site.start()
        server = site._server  # aiohttp keeps the listening sockets only here
        sockets = getattr(server, "sockets", None) or []
        self.bound_port = sockets[0].getsockname()[1] if sockets else self.port
        # The handlers go in before the line that says it serves: a SIGTERM sent as soon
        # as that line is read must stop it cleanly, not kill it.
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signal_number, stop.set)
        watcher = asyncio.create_task(self._watch_preloaded())
        host = f"[{self.host}]" if ":" in self.host else self.host
        print(
            f"Serving the kiosk at http://{host}:{self.bound_port}/ (Ctrl+C stops it)",
            flush=True,
        )
        try:
            await stop.wait()
        finally:
            watcher.cancel()
            # Closing the runner closes each websocket, and textual-serve then asks each
            # kiosk process to quit and waits for it.
            await runner.cleanup()
            print("Stopped serving the kiosk.", file=sys.stderr, flush=True)
