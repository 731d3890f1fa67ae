"""Does start-up slow down with the translation catalogues present, or in another language?

    .venv/bin/python benchmarks/start_languages.py            # 5 runs of each
    .venv/bin/python benchmarks/start_languages.py --runs 9

Black-box, like benchmarks/start.py: the real `hub` command is started in an 80×24
pseudo-terminal and the clock stops when Home's title shows (in the language asked for).
Four ways of starting, in turn (each round starting with the next), so a busy moment on
the machine hits all alike:

- "no catalogues": a copy of this checkout with hub/locale's catalogues taken out, plain
  `hub` (English);
- "catalogues, en": this checkout, plain `hub` (the catalogues are there but not loaded);
- "catalogues, pl" and "catalogues, ta": this checkout, `--language pl` / `ta` (a catalogue
  loaded, Babel's language data read for dates and times).

Target (issue 14): start-up grows by no more than 5% with catalogues present. No
assertions: this prints medians for people to read, and each figure against the first.
"""

from __future__ import annotations

import argparse
import gettext
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pseudo_terminal import Terminal  # noqa: E402  (beside this script)

TITLE = "Find help near you"


def _title_in(code: str) -> str:
    """Return Home's title in a language (the first word is enough to spot it)."""
    if code == "en":
        return TITLE
    catalogue = gettext.translation("hub", REPO / "hub" / "locale", languages=[code])
    return catalogue.gettext(TITLE).split()[0]


def time_to_home(command: Sequence[str], cwd: Path, wait_for: str) -> float:
    """Return the seconds `command` took to show `wait_for` in an 80×24 pseudo-terminal."""
    terminal = Terminal(command, cwd=cwd, unset=["HUB_LANGUAGE"], keep=8000)
    try:
        shown_at = terminal.wait_for(wait_for)
    finally:
        terminal.stop()
    if shown_at is None:
        raise RuntimeError(f"{wait_for!r} never showed for {' '.join(command)}")
    return shown_at - terminal.started


def _copy_without_catalogues(root: Path) -> Path:
    """Return a copy of the code and data with no compiled or source catalogues."""
    copy = root / "no-catalogues"
    for folder in ("hub", "screens", "data"):
        shutil.copytree(REPO / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for catalogue in (copy / "hub" / "locale").glob("*/LC_MESSAGES/hub.*"):
        catalogue.unlink()
    return copy


def main(argv: Sequence[str]) -> int:
    """Run each way of starting in turn and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="start-languages-") as folder:
        root = Path(folder)
        bare = _copy_without_catalogues(root)
        ways = {
            "no catalogues": (bare, "en"),
            "catalogues, en": (REPO, "en"),
            "catalogues, pl": (REPO, "pl"),
            "catalogues, ta": (REPO, "ta"),
        }
        times: dict[str, list[float]] = {name: [] for name in ways}
        names = list(ways)
        for run in range(args.runs + 1):  # the first round only seeds the data folders
            # Each round starts with the next way: none of them is always first after the
            # previous round's last, so a machine busy in a rhythm hits them all alike.
            shift = run % len(names)
            for name in names[shift:] + names[:shift]:
                cwd, code = ways[name]
                data = root / f"data-{code}-{cwd.name}"
                command = [sys.executable, "-m", "hub.cli", "--data-dir", str(data)]
                if code != "en":
                    # English is plain `hub`, as a kiosk starts by default.
                    command += ["--language", code]
                seconds = time_to_home(command, cwd, _title_in(code))
                if run:
                    times[name].append(seconds)
    base = statistics.median(times["no catalogues"])
    base_min = min(times["no catalogues"])
    print(
        f"{'start':16} {'median s':>9} {'vs none':>8} {'min s':>7} {'vs none':>8}"
        f"   ({args.runs} runs each)"
    )
    for name, found in times.items():
        median, fastest = statistics.median(found), min(found)
        print(
            f"{name:16} {median:9.3f} {median / base - 1:+8.1%} {fastest:7.3f} "
            f"{fastest / base_min - 1:+8.1%}"
        )
    print()
    print("In this process, the work a language adds to start-up (first time each):")
    for line in _in_process():
        print("  ", line)
    return 0


def _in_process() -> list[str]:
    """Return the time each language-related step takes at start-up, in this process."""
    sys.path.insert(0, str(REPO))
    from hub import i18n
    from screens.script_widths import count_spacing_marks

    lines = []
    for code in ("pl", "gu", "ta"):
        # The first load only: gettext keeps a catalogue once read, as a kiosk start does.
        first = _timed(lambda code=code: i18n.use_language([code]))
        lines.append(f"loading the {code} catalogue: {first * 1000:.2f} ms")
    i18n.use_language(["en"])
    first = _timed(count_spacing_marks)
    lines.append(f"widening Rich's width table for spacing marks: {first * 1000:.2f} ms")
    return lines


def _timed(step: object) -> float:
    assert callable(step)
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
