"""`hub serve [--host H] [--port P] [--lan] [--staff] [--max-sessions N] [--no-preload]`:
the kiosk in a browser.

textual-serve starts one kiosk process per browser connection (so one visitor's search
never shows on another screen) and closing the tab ends it. Each such process is a fork
of a kiosk loaded once (`screens.preloaded_kiosk`), so sessions share what they would
each load the same; `--no-preload` starts each from scratch instead. This module only
checks what was asked for and prepares the data folder; the web server itself lives in
`screens.browser_kiosk`, imported here lazily so no other command loads aiohttp.

Who can reach it is the point of the checks: loopback (127.0.0.1, ::1, localhost) by
default, so only a browser on this PC (a Chromium in kiosk mode) sees it. Anything else
needs `--lan`, and the command then says what that exposes. `--staff` puts the staff key
in browser sessions, and is refused unless the server is on loopback: a PIN typed over a
network would cross it in plain HTTP.

The data folder: `hub serve` opens it once at the start (a folder that cannot be used is
one `error:` line, and a new folder gets its sample directory before any session reads
it), then every browser session opens it as a kiosk does. No process holds the folder's
lock for its life: each save takes it only while it writes (`hub.folder_lock`), so the
sessions, a terminal kiosk and the coordinator's commands all share one folder, and an
import shows up in every open session.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from pathlib import Path

import hub
from hub.cli_common import CliContext, UserError, say
from hub.hub_identity import hub_info
from hub.kiosk_service import Hub, NotSaved
from hub.needs import load_needs

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 10
"""Browser sessions at once: each costs about 40 MB (PSS) forked from the pre-loaded
kiosk, 60 MB started from scratch (benchmarks/serve_load.py)."""
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def _port(text: str) -> int:
    """Return --port as a whole number from 0 to 65535 (0: any free port, said at start)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("give a port from 1 to 65535 (or 0 for any free one)")
    return value


def _session_count(text: str) -> int:
    """Return --max-sessions as a whole number from 1 to 200."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 200:
        raise argparse.ArgumentTypeError("give a number from 1 to 200")
    return value


def is_loopback(host: str) -> bool:
    """Return True when `host` names this PC only (127.0.0.0/8, ::1 or localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything, so it counts as the network


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `hub serve` to the command."""
    parser = subparsers.add_parser(
        "serve",
        help="show the visitor kiosk in a web browser (textual-serve)",
        description=(
            "Serve the visitor kiosk to a web browser on this PC: open "
            f"http://{DEFAULT_HOST}:{DEFAULT_PORT}/ (add ?fontsize=24 for large text), or "
            f"start Chromium in kiosk mode: chromium --kiosk http://{DEFAULT_HOST}:"
            f"{DEFAULT_PORT}/. Each browser tab is its own visitor session; closing the tab "
            "ends it. Stop the server with Ctrl+C."
        ),
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"the address to listen on (default {DEFAULT_HOST}, this PC only); any other "
        "address also needs --lan",
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"the port to listen on (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--lan",
        action="store_true",
        help="allow an address other computers can reach: anyone on the network can then "
        "use the visitor kiosk",
    )
    parser.add_argument(
        "--staff",
        action="store_true",
        help="let the staff key (F9; a browser keeps Ctrl+T) open staff sign-in in the browser; "
        "only with a "
        "loopback --host",
    )
    parser.add_argument(
        "--max-sessions",
        type=_session_count,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=f"at most N browser sessions at once (default {DEFAULT_MAX_SESSIONS}); each is "
        "a kiosk process of about 40 MB, and one more is asked to try again shortly",
    )
    parser.add_argument(
        "--no-preload",
        action="store_true",
        help="start each browser session's kiosk from scratch instead of copying one "
        "loaded in advance: slower to open and more memory per session; for finding "
        "a fault",
    )
    parser.set_defaults(handler=serve)


def _check_reach(args: argparse.Namespace) -> None:
    """Raise UserError when the address is not loopback and --lan (or --staff) says no."""
    if is_loopback(args.host):
        return
    if args.staff:
        raise UserError(
            f"--staff works only on this PC (--host {DEFAULT_HOST}): a staff PIN must not "
            f"cross the network; leave out --staff to serve {args.host}"
        )
    if not args.lan:
        raise UserError(
            f"{args.host} can be reached from other computers: add --lan if anyone on "
            f"the network may use the visitor kiosk, or leave out --host to serve this PC "
            f"only ({DEFAULT_HOST})"
        )


def _lan_warning(host: str, port: int) -> str:
    """Return what serving on a network address lets others do, said before it starts."""
    return (
        f"note: serving on {host}:{port}, not this PC only. Anyone who can reach it can use "
        "the visitor kiosk: search the directory, read its services, leave a note about one. "
        "Nothing staff recorded is shown, there is no staff sign-in, and the page is plain "
        "HTTP (not encrypted)."
    )


def session_words(data_dir: Path, *, language: str | None, staff: bool) -> list[str]:
    """Return the `hub` words of one browser session's kiosk (after `python -m hub.cli`)."""
    words = ["--data-dir", str(data_dir.resolve()), "--browser-session"]
    words.append("staff" if staff else "visitor")
    if language is not None:
        words += ["--language", language]
    return words


def code_folder() -> Path:
    """Return the folder holding the `hub` package, where sessions run (a checkout and an
    installed copy both work)."""
    return Path(hub.__file__).resolve().parent.parent


def page_title(context: CliContext) -> str:
    """Return the browser tab's title: "Find help — <hub name>" once the hub is named."""
    from hub.i18n import _

    info = hub_info(context.store())
    return _("Find help — {hub}").format(hub=info.name) if info else _("Find help")


def serve(args: argparse.Namespace, context: CliContext) -> int:
    """Serve the kiosk until Ctrl+C or SIGTERM; return 0.

    The data folder is opened here first, so a folder that cannot be used is
    one `error:` line now rather than a broken page per visitor, and a new folder gets the
    sample directory once, before any session reads it.
    """
    _check_reach(args)
    store = context.store()
    starting = Hub(store, needs=load_needs())
    try:
        starting.start_up()
    except NotSaved as exc:
        raise UserError(f"the data folder would not take a write: {exc}") from None
    if not is_loopback(args.host):
        say(_lan_warning(args.host, args.port), file=sys.stderr)
    from screens.browser_kiosk import BrowserKiosk  # aiohttp and textual-serve: only here

    language = getattr(args, "language", None)
    server = BrowserKiosk(
        session_words(context.data_dir, language=language, staff=args.staff),
        folder=code_folder(),
        preload=not args.no_preload,
        host=args.host,
        port=args.port,
        title=page_title(context),
        max_sessions=args.max_sessions,
    )
    server.serve()
    return 0
