"""What tmux draws against what Rich reckons, for every translated message, then the kiosk.

    .venv/bin/python benchmarks/tmux_borders.py            # every catalogue
    .venv/bin/python benchmarks/tmux_borders.py gu ta

Part 1 prints each translation inside a tmux pane and asks the terminal where the cursor
ended (a cursor position report), so the width is tmux's own, not a guess. It counts the
messages whose width Rich reckons differently, before and after screens/script_widths.py.

Part 2 opens the kiosk in each language in tmux at 80x24 and walks Home → a topic → a card
→ take away with keys, capturing the pane at each step. A step fails when the search box's
right border is not in the last-but-one column, a box's right border (│ under ╮) is not
in the column where the box began, or marks pile up (tmux stacks the marks of text pushed
past a cell onto it).

Needs tmux. Exit status 1 when anything was found, so it can run in CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from babel.messages.pofile import read_po  # noqa: E402

LANGUAGES = ["pl", "ro", "pt", "so", "gu", "ta"]


def _messages(code: str) -> list[str]:
    """Return every translated line in the language's catalogue (placeholders left in)."""
    path = ROOT / "hub" / "locale" / code / "LC_MESSAGES" / "hub.po"
    with path.open("rb") as file:
        catalogue = read_po(file)
    found: list[str] = []
    for message in catalogue:
        if not message.id:
            continue
        string_or_forms = message.string
        strings: list[str] = (
            [string_or_forms] if isinstance(string_or_forms, str) else list(string_or_forms or [])
        )
        for string in strings:
            found += [line for line in (string or "").split("\n") if line.strip()]
    return found


def _inner(words_file: str, out_file: str) -> None:
    """Run inside tmux: print each line, read back where the cursor is (raw mode)."""
    import termios
    import tty

    words = json.loads(Path(words_file).read_text(encoding="utf-8"))
    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd)
    tty.setraw(fd)
    widths: list[int] = []
    try:
        for word in words:
            os.write(1, b"\r\x1b[2K" + word.encode() + b"\x1b[6n")
            answer = b""
            while not answer.endswith(b"R"):
                answer += os.read(fd, 1)
            match = re.search(rb"\[(\d+);(\d+)R", answer)
            assert match is not None
            widths.append(int(match.group(2)) - 1)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
    Path(out_file).write_text(json.dumps(widths), encoding="utf-8")


def _tmux_widths(words: list[str]) -> list[int]:
    """Return how many cells tmux gives each line (lines over 200 cells are skipped)."""
    with tempfile.TemporaryDirectory() as folder:
        words_file, out_file = Path(folder, "words.json"), Path(folder, "widths.json")
        words_file.write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
        session = f"widths-{os.getpid()}"
        command = f"{sys.executable} {__file__} --inner {words_file} {out_file}"
        subprocess.run(["tmux", "new", "-d", "-s", session, "-x", "300", "-y", "5", command])
        for _wait in range(600):
            if out_file.exists():
                break
            time.sleep(0.1)
        subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL)
        return list(json.loads(out_file.read_text(encoding="utf-8")))


def measure(codes: list[str]) -> bool:
    """Print, per language, how many messages Rich measures unlike tmux; True when none."""
    from rich.cells import cell_len

    from screens.script_widths import count_spacing_marks

    words = {code: [w for w in _messages(code) if len(w) < 200] for code in codes}
    tmux = {code: _tmux_widths(words[code]) for code in codes}
    before = {code: [cell_len(w) for w in words[code]] for code in codes}
    count_spacing_marks()
    after = {code: [cell_len(w) for w in words[code]] for code in codes}
    clean = True
    print("language  lines  Rich≠tmux before  worst  Rich≠tmux after  worst")
    for code in codes:
        pairs_before = [t - r for t, r in zip(tmux[code], before[code], strict=True) if t != r]
        pairs_after = [t - r for t, r in zip(tmux[code], after[code], strict=True) if t != r]
        print(
            f"{code:8}  {len(words[code]):5}  {len(pairs_before):16}  "
            f"{max(pairs_before, default=0):+5}  {len(pairs_after):15}  "
            f"{max(pairs_after, default=0, key=abs):+5}"
        )
        clean = clean and not pairs_after
    return clean


# --- part 2: the kiosk itself ------------------------------------------------------------


def _capture(session: str) -> list[str]:
    done = subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
    )
    return done.stdout.splitlines()


def _problems(lines: list[str]) -> list[str]:
    from rich.cells import cell_len

    found = []
    box_right: int | None = None  # the column of the open box's right edge (╮)
    for number, line in enumerate(lines):
        drawn = line.rstrip()
        if drawn.endswith("╮"):
            box_right = cell_len(drawn)
        elif drawn.endswith(("│", "╯")) and box_right is not None:
            if cell_len(drawn) != box_right:
                found.append(f"line {number}: a box's right border moved: {line!r}")
            if drawn.endswith("╯"):
                box_right = None
        if cell_len(line) > 80:
            found.append(f"line {number} is {cell_len(line)} cells: {line!r}")
        kinds = "".join(
            "n"
            if unicodedata.category(ch) == "Mn"
            else "c"
            if unicodedata.category(ch) == "Mc"
            else "."
            for ch in line
        )
        # Three marks in a row, or a vowel sign after a nasal mark: tmux has stacked marks
        # that were pushed past a cell onto it. Written text has neither.
        if re.search("[nc]{3}|nc", kinds):
            found.append(f"line {number} has piled marks: {line!r}")
        if line.startswith(" ▊") and not line.rstrip().endswith("▎"):
            found.append(f"line {number}: the search box has lost its right border")
        if line.startswith(" ▊") and cell_len(line.rstrip()) != 79:
            found.append(f"line {number}: the search box border is at {cell_len(line)}")
    return found


def walk(codes: list[str]) -> bool:
    """Walk the visitor journey in tmux in each language; print what broke. True if nothing."""
    from screens.script_widths import count_spacing_marks

    count_spacing_marks()
    steps = [
        ("home", []),
        ("results", ["Down", "Enter"]),
        ("card", ["Down", "Enter"]),
        ("take away", ["Enter"]),
    ]
    clean = True
    for code in codes:
        folder = tempfile.mkdtemp(prefix="borders-")
        session = f"borders-{code}-{os.getpid()}"
        command = f"cd {ROOT} && {sys.executable} -m hub.cli --data-dir {folder} --language {code}"
        subprocess.run(["tmux", "new", "-d", "-s", session, "-x", "80", "-y", "24", command])
        try:
            time.sleep(6)
            for name, keys in steps:
                for key in keys:
                    subprocess.run(["tmux", "send-keys", "-t", session, key])
                    time.sleep(0.8)
                time.sleep(1.5)
                problems = _problems(_capture(session))
                print(f"{code} {name:8} {'ok' if not problems else 'BROKEN'}")
                for problem in problems:
                    print("   ", problem)
                clean = clean and not problems
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL)
            shutil.rmtree(folder, ignore_errors=True)
    return clean


def main(argv: list[str]) -> int:
    """Measure, then walk; return 1 if any width still differs or any border broke."""
    if argv[:1] == ["--inner"]:
        _inner(argv[1], argv[2])
        return 0
    if shutil.which("tmux") is None:
        print("tmux is not installed")
        return 1
    codes = argv or LANGUAGES
    measured = measure(codes)
    walked = walk(codes)
    return 0 if measured and walked else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
