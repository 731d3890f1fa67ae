"""The `hub` command: the composition root, and the one place that starts the UI.

Each group of subcommands lives in its own `cli_*.py` module with a `register` function;
this module wires them together, finds the data folder, and turns a user's mistake into
one `error:` line and exit status 1 (usage errors exit 2, as argparse does; the rule,
bad dates included, is written in `hub.cli_common`). Plain `hub`, with no subcommand,
opens the kiosk.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

from hub.cli_common import (
    BROWSER_SESSIONS,
    CliContext,
    Handler,
    UserError,
    refuse_hidden_arguments,
    say,
)
from hub.i18n import _, language_code, offered_languages, use_language
from hub.locations import data_dir
from hub.safe_text import for_terminal
from hub.storage import StorageError

LANGUAGE_VARIABLE = "HUB_LANGUAGE"
"""The environment variable that picks the kiosk's language when --language is not given."""

# Modules that add subcommands. Each has `register(subparsers)` and sets `handler`. They
# are imported only when a command is given: the kiosk (plain `hub`) needs none of them,
# and they bring in the formats, sync, reports and Rich (about half of its start-up).
COMMAND_MODULES = [
    "hub.cli_directory",
    "hub.cli_staff",
    "hub.cli_search",
    "hub.cli_sync",
    "hub.cli_report",
    "hub.cli_serve",
]
COMMAND_MODULE_OF = {
    "directory": "hub.cli_directory",
    "setup": "hub.cli_staff",
    "staff": "hub.cli_staff",
    "referrals": "hub.cli_staff",
    "search": "hub.cli_search",
    "sync": "hub.cli_sync",
    "report": "hub.cli_report",
    "serve": "hub.cli_serve",
}
"""Which module registers each command: `hub search ...` imports only hub.cli_search, not
the formats, sync and reports the other commands need (a third of a second on a kiosk PC,
paid by every command a script runs). A test checks this against every module's own
commands."""
GLOBAL_OPTIONS = ("--data-dir", "--language", "--browser-session")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error says `error:` and what to do, then exits 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, for_terminal(f"error: {message} (see '{self.prog} --help')\n"))


class _CommandParser(_Parser):
    """A subcommand's parser: it refuses words it does not know itself.

    Plain argparse hands them up to `hub`, whose error shows the whole command's usage
    and points to `hub --help`; a mistyped `--sinse` after `hub report` is better
    answered with `hub report`'s usage and `hub report --help`, as every other usage
    error of that subcommand is.
    """

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


def build_parser(
    *, commands: bool = True, modules: Sequence[str] = COMMAND_MODULES
) -> argparse.ArgumentParser:
    """Return the parser for the whole `hub` command (without its subcommands, for
    opening the kiosk, when `commands` is False; with only the commands of `modules`, for
    running one command, when they are given)."""
    parser = _Parser(
        prog="hub",
        description="Community Hub Kiosk: find local support, record referrals, sync by file. "
        "Plain `hub`, with no command, opens the kiosk (visitor mode); no key closes it, so "
        "staff close it from staff mode (F9 or Ctrl+T, then a staff name and PIN: see `hub staff "
        "add`).",
        epilog="With no COMMAND, `hub` opens the kiosk. `hub COMMAND --help` says more about "
        "each command.",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="the hub's data folder (default: $HUB_DATA_DIR, else your user data folder)",
    )
    parser.add_argument(
        "--language",
        metavar="CODE",
        help="the kiosk's language for this run, e.g. pl (default: $HUB_LANGUAGE, else the "
        "hub's own, set by `hub setup --language`): " + ", ".join(offered_languages()),
    )
    # How `hub serve` starts the kiosk for one browser connection (see hub.cli_serve):
    # not for people, so not in --help.
    parser.add_argument("--browser-session", choices=BROWSER_SESSIONS, help=argparse.SUPPRESS)
    if not commands:
        return parser
    subparsers = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        parser_class=_CommandParser,
        help="one of these; with none, `hub` opens the kiosk",
    )
    for name in modules:
        importlib.import_module(name).register(subparsers)
    return parser


def _command_modules(argv: Sequence[str]) -> Sequence[str]:
    """Return the modules the parser needs for these words: the one that registers the
    command when the first word after the global options names one, else all of them.

    Anything unusual (--help, an unknown command, a global option without its value) gets
    every command, so argparse answers it exactly as it does with the whole tree.
    """
    words = list(argv)
    while words:
        word = words.pop(0)
        name, equals, _value = word.partition("=")
        if name in GLOBAL_OPTIONS:
            if not equals:
                if not words or words[0].startswith("-"):
                    return COMMAND_MODULES
                words.pop(0)
            continue
        module = COMMAND_MODULE_OF.get(word)
        return COMMAND_MODULES if module is None else [module]
    return COMMAND_MODULES


def _opens_kiosk(argv: Sequence[str]) -> bool:
    """Return True when the words are only global options with their values: plain `hub`.

    Anything else (a command, --help, an abbreviated or unknown option, a missing value)
    goes to the whole parser, which answers it as it always has.
    """
    words = list(argv)
    while words:
        word = words.pop(0)
        name, equals, value = word.partition("=")
        if name not in GLOBAL_OPTIONS:
            return False
        if not equals:
            if not words:
                return False
            value = words.pop(0)
        if not value or value.startswith("-"):
            return False
    return True


def _chosen_language(args: argparse.Namespace) -> str | None:
    """Return the language asked for by --language or $HUB_LANGUAGE, or None for the hub's.

    Raises UserError for a language the kiosk does not offer.
    """
    asked = args.language or os.environ.get(LANGUAGE_VARIABLE) or None
    if asked is None:
        return None
    try:
        return language_code(asked)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _open_kiosk(context: CliContext, language: str | None, browser_session: str | None) -> int:
    """Open the Textual app and return its exit status; the only place the core reaches
    for the UI.

    The status is the app's own: 1 when it stopped on an error, 128+N when signal N
    stopped it. When the data folder cannot be used, a kiosk on a terminal (or in a
    browser) shows a calm page until it is stopped, then the `error:` line is printed as
    for any command.

    A `browser_session` (one browser connection of `hub serve`) opens the folder like any
    kiosk: each of its saves takes the folder's lock only while it writes, so any number
    of sessions share it. Only a "staff" session has the staff key.
    """
    # Start-up makes tens of thousands of objects that live as long as the kiosk (Textual,
    # the hub's modules, the stylesheet, Home), and the cyclic collector went over them
    # again and again before Home was drawn, finding next to nothing to free (issue 11).
    # So it is off until Home is on screen (`HubApp.collector_held`), and what the imports
    # made is kept out of its later passes (gc.freeze).
    gc.disable()
    from screens.app import make_app  # imported here so `hub search` etc. never load Textual

    gc.freeze()
    try:
        store = context.store()
    except StorageError as exc:
        gc.enable()
        if browser_session is not None or (sys.stdin.isatty() and sys.stdout.isatty()):
            from screens.cannot_start import CannotStartApp

            CannotStartApp(str(exc)).run()
        raise
    app = make_app(
        store=store,
        clock=context.clock,
        language=language,
        staff=browser_session in (None, "staff"),
    )
    app.collector_held = True
    app.run()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `hub` command and return its exit status."""
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(commands=not _opens_kiosk(words), modules=_command_modules(words))
    args = parser.parse_args(words)
    try:
        refuse_hidden_arguments(args)
    except UserError as exc:
        say(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        language = _chosen_language(args)
    except UserError as exc:
        say(f"error: {exc}", file=sys.stderr)
        return 1
    if language is not None:
        use_language([language])
    # From here on the words are in the language asked for (`hub --language pl report`;
    # English without one), except the `error:` and `warning:` prefixes, which scripts
    # look for in every language. Output for programs (--json, CSV) is never translated.
    context = CliContext(data_dir=data_dir(args.data_dir))
    handler: Handler | None = getattr(args, "handler", None)
    try:
        if handler is None:
            return _open_kiosk(context, language, args.browser_session)
        return handler(args, context)
    except (UserError, StorageError) as exc:
        say(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `hub directory list --json | head` closed our output early: not an error to report.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        say("error: " + _("stopped before finishing; nothing was half-saved"), file=sys.stderr)
        return 1
    finally:
        context.close()


if __name__ == "__main__":
    sys.exit(main())
