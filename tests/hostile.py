"""Hostile strings: text that tries to act on a terminal, a rich console or a Textual app.

Shared by the unit, command-line and screen tests (tests/unit/test_safe_text.py,
tests/cli/test_hostile_text_cli.py, tests/ui/test_hostile_text_ui.py). Each string also
carries ordinary words, so a test can check the words survive and stay readable.
"""

from __future__ import annotations

import re

HOSTILE: dict[str, str] = {
    "clear_screen": "Yak \x1b[2J\x1b[H club",
    "osc_title_bel": "Yak \x1b]0;PWNED TITLE\x07 club",
    "osc_title_st": "Yak \x1b]2;PWNED TITLE\x1b\\ club",
    "osc8_link": "Yak \x1b]8;;http://evil.example/\x1b\\click me\x1b]8;;\x1b\\ club",
    "c1_csi": "Yak \x9b2J\x9b31m club",
    "c1_osc": "Yak \x9d0;PWNED TITLE\x9c club",
    "dcs": "Yak \x1bPq#0;2;0;0;0\x1b\\ club",
    "raw_controls": "Yak\x07 \x08\x08club\rback",
    "nul": "Yak\x00 club",
    "markup_close": "Yak [/] closer",
    "markup_close_visitor": "[/] xqxqxq",
    "markup_bold": "[bold red]Yak club",
    "markup_click": "[@click=app.quit]Yak club[/]",
    "markup_link": "[link=file:///etc/passwd]Yak club[/link]",
    "markup_emoji": "Yak :skull: club",
    "rlo": "Yak \u202ebulc\u202c club",
    "isolates": "Yak \u2066\u2067club\u2069\u2069 club",
    "zero_width_latin": "Y\u200ba\u200dk\u200c \ufeffclub\u2060",
    "combining_flood": "Yak c" + "\u0336\u0301\u0327" * 200 + "lub",
    "lone_surrogate": "Yak \ud800 club",
    "line_separators": "Yak\u2028club\u2029here",
    "csv_formula": '=HYPERLINK("http://evil.example/","Yak club")',
}
"""Short hostile strings: each fits a service name (200 characters) and holds "Yak"."""

LONG_WORD = "Yak" + "x" * 100_000
"""A 100,000-character word: too long for any field, and slow to fuzzy-match naively."""

# What must never reach a terminal or a screen: C0 controls other than line feed and
# tab, DEL, C1 controls, bidi embeddings/overrides/isolates, lone surrogates.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
FORBIDDEN_BYTES = re.compile(
    rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
)
"""The same, as UTF-8 bytes (C1 controls are C2 80-C2 9F in UTF-8)."""

INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff\u2060]")
"""Zero-width characters; none belongs in Latin text."""


def forbidden_in(text: str) -> list[str]:
    """Return a description of each forbidden character in `text` (empty when clean)."""
    return [f"U+{ord(m.group()):04X} at {m.start()}" for m in FORBIDDEN.finditer(text)]
