"""Every `hub` subcommand keeps the command-line contract (DESIGN.md, "The command line").

The walk is built from `hub.cli.build_parser()`, so a subcommand added later is walked
too. Each one gets:

- an unknown option: a usage error, exit 2, the usage and then one `error:` line;
- each option whose `type` is the shared date parser, given dates that are not dates:
  the same usage error everywhere (`hub.cli_common` says why a bad date is exit 2);
- the bad inputs in `BAD_INPUTS` for it (missing files, a folder for a file, ids the hub
  does not know...): exit 1 with exactly one stderr line, starting `error:`.

Every case: no traceback, and the data folder (and the folder the files live in) is
byte-for-byte as it was. A subcommand missing from `BAD_INPUTS` still gets the first two
(its positionals filled with placeholder words).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from hub.cli import build_parser
from hub.cli_common import iso_date
from tests.cli.runner import hub as run_hub_text
from tests.folder_files import holds_data

Command = tuple[str, ...]

ROOT = Path(__file__).resolve().parents[2]
"""The project folder, so the command run from elsewhere imports this code."""

BAD_DATES = ("2026-13-01", "yesterday-ish")
STAFF_NAME = "Ana Silva"
PIN_TWICE = "246810\n246810\n"


@dataclass(frozen=True)
class BadInput:
    """One refused call: the words after the subcommand, and text fed to standard input.

    In `args`, `{missing}` is a file that does not exist, `{folder}` an existing empty
    folder, `{not_bundle}` a JSON file that is not a hub's bundle, `{nowhere}` a file in
    a folder that does not exist.
    """

    args: tuple[str, ...]
    why: str
    stdin: str | None = None


BAD_INPUTS: dict[Command, list[BadInput]] = {
    ("directory", "import"): [
        BadInput(("{missing}",), "a missing file"),
        BadInput(("{folder}",), "a folder that is not an HSDS CSV package"),
    ],
    ("directory", "export"): [
        BadInput(("{folder}",), "a folder given for a JSON file"),
        BadInput(("{nowhere}",), "a file in a folder that does not exist"),
    ],
    ("search",): [
        BadInput(("food", "--need", "no-such-need"), "an unknown need id"),
        BadInput(("food", "--area", "Atlantis"), "an unknown area"),
    ],
    ("setup",): [
        BadInput(("--retention-days", "0"), "a retention period out of range"),
    ],
    ("staff", "add"): [
        BadInput((STAFF_NAME,), "a name already on the staff list", stdin=PIN_TWICE),
        BadInput(("Bea Khan",), "two different PINs", stdin="246810\n135791\n"),
    ],
    ("staff", "remove"): [BadInput(("Nobody Here",), "an unknown staff name")],
    ("staff", "unlock"): [BadInput(("Nobody Here",), "an unknown staff name")],
    ("sync", "export"): [
        BadInput(("{folder}",), "a folder given for the bundle file"),
        BadInput(("{nowhere}",), "a file in a folder that does not exist"),
    ],
    ("sync", "import"): [
        BadInput(("{missing}",), "a missing file"),
        BadInput(("{folder}",), "a folder given for a bundle file"),
        BadInput(("{not_bundle}",), "a JSON file that is not a bundle"),
    ],
    ("report",): [
        BadInput(("--since", "2026-11-30", "--until", "2026-11-01"), "dates the wrong way round"),
    ],
    ("serve",): [
        BadInput(("--host", "0.0.0.0"), "a network address without --lan"),
        BadInput(("--host", "192.168.1.20", "--lan", "--staff"), "staff mode over a network"),
    ],
    ("directory", "list"): [],
    ("referrals", "list"): [],
    ("referrals", "purge"): [],
    ("staff", "list"): [],
}
"""Bad inputs per subcommand; one with no entry is walked with the defaults only."""

VALID_POSITIONALS: dict[Command, tuple[str, ...]] = {
    ("search",): ("food",),
    ("staff", "add"): ("Bea Khan",),
    ("staff", "remove"): (STAFF_NAME,),
    ("staff", "unlock"): (STAFF_NAME,),
}
"""Positionals that parse, for calls meant to fail on something else (default: `x` for
each positional and each required option)."""

DATA_FOLDER_CALLS: list[tuple[str, ...]] = [
    (),  # plain `hub`: the kiosk
    ("directory", "list"),
    ("directory", "export", "{files}/directory.json"),
    ("search", "food"),
    ("setup", "--name", "Church End Library"),
    ("staff", "list"),
    ("staff", "remove", STAFF_NAME),
    ("referrals", "list"),
    ("referrals", "purge"),
    ("sync", "export", "{files}/bundle.json"),
    ("report",),
    ("serve", "--port", "0"),
]
"""Calls that need the data folder: given a file for it, each is refused with one line."""


def leaf_commands(
    parser: argparse.ArgumentParser, prefix: Command = ()
) -> dict[Command, argparse.ArgumentParser]:
    """Return every runnable subcommand (`("sync", "import")`, ...) with its parser."""
    found: dict[Command, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen: set[int] = set()
            for name, sub in action.choices.items():
                if id(sub) in seen:  # an alias of one already walked
                    continue
                seen.add(id(sub))
                found.update(leaf_commands(sub, (*prefix, name)))
    if not found and prefix:
        found[prefix] = parser
    return found


COMMANDS = leaf_commands(build_parser())


def positionals(command: Command) -> list[str]:
    """Return words that fill the command's positional arguments."""
    if command in VALID_POSITIONALS:
        return list(VALID_POSITIONALS[command])
    words: list[str] = []
    required: list[str] = []
    for action in COMMANDS[command]._actions:
        if not action.option_strings and not isinstance(action, argparse._SubParsersAction):
            words.append("x")
        elif action.required and action.nargs != 0:
            # A required option left out would be the usage error reported instead.
            required += [action.option_strings[-1], "x"]
    return words + required  # positionals first, so their places are as declared


def date_options(command: Command) -> list[str]:
    """Return the command's options that take a date through the shared parser."""
    return [
        action.option_strings[-1]
        for action in COMMANDS[command]._actions
        if action.option_strings and action.type is iso_date
    ]


# --- running the command -----------------------------------------------------------------


def hub(
    data: Path, *args: str, cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `hub --data-dir DATA ARGS...` in `cwd` and return what happened."""
    return run_hub_text(
        data,
        *args,
        stdin=stdin if stdin is not None else "",
        cwd=cwd,
        wide=True,
        env={
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        },
    )


def fingerprint(*roots: Path) -> dict[str, str]:
    """Return {path: sha256} for every file under the roots (folders as `<folder>`).

    SQLite's working files count only when they hold data (`tests.folder_files`).
    """
    found: dict[str, str] = {}
    for root in roots:
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if path.is_file() and not holds_data(path):
                continue
            key = str(path)
            found[key] = (
                hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "<folder>"
            )
    return found


@pytest.fixture(scope="module")
def seeded_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a data folder with a hub name, the sample directory and one staff member."""
    data = tmp_path_factory.mktemp("seed") / "data"
    cwd = data.parent
    for args, stdin in (
        (("setup", "--name", "Church End Library"), None),
        (("directory", "list"), None),
        (("staff", "add", STAFF_NAME), PIN_TWICE),
    ):
        done = hub(data, *args, cwd=cwd, stdin=stdin)
        assert done.returncode == 0, done.stderr
    return data


@dataclass
class Workspace:
    """A fresh copy of the seeded data folder, and a folder of files to hand the command."""

    data: Path
    files: Path

    def fill(self, args: tuple[str, ...]) -> list[str]:
        """Return the args with their `{placeholders}` made real paths."""
        places = {
            "{missing}": self.files / "no-such-file.json",
            "{folder}": self.files / "a-folder",
            "{not_bundle}": self.files / "not-a-bundle.json",
            "{nowhere}": self.files / "no-such-folder" / "out.json",
        }
        return [str(places.get(arg, arg)).replace("{files}", str(self.files)) for arg in args]


@pytest.fixture
def workspace(seeded_folder: Path, tmp_path: Path) -> Workspace:
    """Return a copy of the seeded data folder beside a few files to give commands."""
    data = tmp_path / "data"
    shutil.copytree(seeded_folder, data)
    files = tmp_path / "files"
    (files / "a-folder").mkdir(parents=True)
    (files / "not-a-bundle.json").write_text('["not", "a", "bundle"]', encoding="utf-8")
    return Workspace(data=data, files=files)


def refused(
    ws: Workspace, args: list[str], *, status: int, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a call that must be refused with `status`; check the contract; return the result."""
    before = fingerprint(ws.data, ws.files)
    result = hub(ws.data, *args, cwd=ws.files, stdin=stdin)
    shown = (
        f"hub {' '.join(args)}\nexit {result.returncode}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    assert result.returncode == status, shown
    assert "Traceback" not in result.stdout + result.stderr, shown
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    if status == 1:
        assert len(lines) == 1 and len(errors) == 1, shown
    else:
        # A usage error: the usage first, then one `error:` line, last.
        assert result.stderr.startswith("usage: hub"), shown
        assert len(errors) == 1 and lines[-1] == errors[0], shown
    assert fingerprint(ws.data, ws.files) == before, f"{shown}\nthe files changed"
    return result


# --- the walk ------------------------------------------------------------------------------


def test_the_walk_finds_the_subcommands() -> None:
    # A sanity check on the walk itself, not a list to keep in step: the table may lag.
    assert {("sync", "import"), ("report",), ("staff", "remove")} <= set(COMMANDS)
    assert not any(len(command) == 0 for command in COMMANDS)


def test_the_table_names_only_subcommands_that_exist() -> None:
    # A renamed subcommand would silently lose its bad inputs.
    assert set(BAD_INPUTS) <= set(COMMANDS)
    assert set(VALID_POSITIONALS) <= set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=" ".join)
def test_every_date_option_uses_the_shared_date_parser(command: Command) -> None:
    for action in COMMANDS[command]._actions:
        takes_a_date = action.metavar == "DATE" or action.dest in {"since", "until", "day", "date"}
        if takes_a_date:
            assert action.type is iso_date, f"{' '.join(command)} {action.option_strings}"


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=" ".join)
def test_an_unknown_option_is_a_usage_error(command: Command, workspace: Workspace) -> None:
    result = refused(workspace, [*command, *positionals(command), "--no-such-option"], status=2)
    # Answered by the subcommand itself, as its other usage errors are: its own usage,
    # and its own --help.
    words = " ".join(command)
    assert result.stderr.startswith(f"usage: hub {words} "), result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"error: unrecognized arguments: --no-such-option (see 'hub {words} --help')"
    )


@pytest.mark.parametrize(
    ("command", "option", "bad"),
    [
        (command, option, bad)
        for command in sorted(COMMANDS)
        for option in date_options(command)
        for bad in BAD_DATES
    ],
    ids=lambda part: " ".join(part) if isinstance(part, tuple) else str(part),
)
def test_a_bad_date_is_the_same_usage_error_everywhere(
    command: Command, option: str, bad: str, workspace: Workspace
) -> None:
    result = refused(workspace, [*command, *positionals(command), option, bad], status=2)
    assert result.stderr.splitlines()[-1] == (
        f"error: argument {option}: {bad!r} is not a date: use YYYY-MM-DD, like 2026-11-26 "
        f"(see 'hub {' '.join(command)} --help')"
    )


@pytest.mark.parametrize(
    ("command", "bad"),
    [(command, bad) for command in sorted(COMMANDS) for bad in BAD_INPUTS.get(command, [])],
    ids=lambda part: " ".join(part) if isinstance(part, tuple) else part.why,
)
def test_bad_input_is_one_error_line_and_changes_nothing(
    command: Command, bad: BadInput, workspace: Workspace
) -> None:
    refused(workspace, [*command, *workspace.fill(bad.args)], status=1, stdin=bad.stdin)


def free_text_positional(command: Command) -> int | None:
    """Return the place of the command's first positional that takes any words, if any."""
    place = 0
    for action in COMMANDS[command]._actions:
        if action.option_strings or isinstance(action, argparse._SubParsersAction):
            continue
        if action.choices is None and action.type in (None, str, Path):
            return place
        place += 1
    return None


@pytest.mark.parametrize(
    "command",
    [command for command in sorted(COMMANDS) if free_text_positional(command) is not None],
    ids=" ".join,
)
def test_a_typed_word_holding_control_characters_is_refused(
    command: Command, workspace: Workspace
) -> None:
    words = positionals(command)
    place = free_text_positional(command)
    assert place is not None
    words[place] = "Ana\x1b[2J\u202eSilva"  # clears the screen, then reverses the text
    result = refused(workspace, [*command, *words], status=1, stdin=PIN_TWICE)
    assert "control characters" in result.stderr


@pytest.mark.parametrize("call", DATA_FOLDER_CALLS, ids=lambda call: " ".join(call) or "kiosk")
def test_a_file_given_for_the_data_folder_is_one_error_line(
    call: tuple[str, ...], workspace: Workspace
) -> None:
    not_a_folder = workspace.files / "hub-data.txt"
    not_a_folder.write_text("not a data folder", encoding="utf-8")
    workspace.data = not_a_folder  # hashed as one of the files, so it must stay as it was
    result = refused(workspace, workspace.fill(call), status=1)
    assert result.stderr == (
        f"error: the data folder {not_a_folder} is a file, not a folder: give a folder you "
        "can write to with --data-dir DIR (or $HUB_DATA_DIR)\n"
    )


def test_an_unknown_subcommand_is_a_usage_error(workspace: Workspace) -> None:
    refused(workspace, ["no-such-command"], status=2)
    for command in {command[:1] for command in COMMANDS if len(command) > 1}:
        refused(workspace, [*command, "no-such-action"], status=2)


def test_help_says_plain_hub_opens_the_kiosk(tmp_path: Path) -> None:
    result = hub(tmp_path / "data", "--help", cwd=tmp_path)
    assert result.returncode == 0
    words = " ".join(result.stdout.split())
    assert "Plain `hub`, with no command, opens the kiosk (visitor mode)" in words
    assert "With no COMMAND, `hub` opens the kiosk." in words
