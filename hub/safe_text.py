"""Text from outside is data, never control: the one sanitiser every way in goes through.

A service name, a visitor's search or a bundle's notes end up on a terminal, in a rich
table and on the kiosk's screen. A terminal obeys what it is sent, so text must not
carry anything a terminal (or a reader's eye) treats as an instruction:

* escape sequences are removed whole: CSI (`ESC [` or C1 `0x9B`, e.g. `ESC [2J`, which
  clears the screen), OSC/DCS/SOS/PM/APC strings up to BEL or ST (`ESC ] 0 ; title BEL`
  retitles the window, `ESC ] 8 ;;url ST` makes a hidden link) and two-byte ESC
  sequences; then every other C0 and C1 control character and DEL. Line breaks and tabs
  stay only in a multi-line field (`clean_block`: descriptions, notes); in a one-line
  field (`clean_line`: names, places, search words) they become a space, so "Food\\rBank"
  reads "Food Bank" rather than hiding "Food" behind a carriage return.
* bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are removed:
  they let text display in a different order from the one it is stored in ("Trojan
  Source"). The directional *marks* LRM, RLM and ALM (U+200E, U+200F, U+061C) cannot
  reorder anything beyond their neighbours and are what a writer of Arabic, Urdu or
  Hebrew uses to place a phone number or an English word correctly, so they are kept
  when the text holds right-to-left letters, and removed from text with none.
* zero-width and other invisible format characters (U+200B, U+FEFF, U+2060-U+2064,
  U+00AD, U+180E...) are removed. ZWJ and ZWNJ (U+200D, U+200C) are kept only where a
  script needs them: between letters of the scripts that join (Arabic, Persian and Urdu,
  Syriac, the Indic scripts, Sinhala, Tibetan, Myanmar, Khmer, Mongolian...) and inside an
  emoji sequence (ZWJ between two emoji). Tag characters survive only inside a
  subdivision flag (England's and Scotland's flags).
* lone surrogates (which `json.loads` lets through from `"\\ud800"`) are removed: they
  cannot be written out as UTF-8, so they would crash whatever prints them.
* a run of more than MAX_MARKS combining marks on one letter ("Zalgo" text) is cut to
  MAX_MARKS: no language stacks more, and a flood overprints the lines around it.

Why hand-written rather than a library: the packages that strip ANSI escapes handle
only ESC-based CSI, not C1 controls, OSC strings ended by ST, bidi controls or script-
aware ZWJ, and the whole job is two regular expressions and one loop over characters.

`clean_line` and `clean_block` are what the models' text fields use (hub.models), so
every record from a feed, a bundle, a form or storage is cleaned once on the way in.
`refuse_hidden` is for what a person typed at the command line (a hub or staff name, a
path): there it is better to say so than to quietly store something else.
`for_terminal` and `json_for_terminal` are the last guard on output, for text that has
not been through a model (an error naming a bad record, an old stored document).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

MAX_MARKS = 8
"""Combining marks kept on one letter. Vietnamese stacks two, Hebrew with cantillation
or Tibetan a few more; more than eight is never writing."""

# --- what to look for ------------------------------------------------------------------

# Escape sequences (ECMA-48). A control string (OSC, DCS, SOS, PM, APC) is removed up to
# its terminator, BEL or ST; its body may not hold another control character, so one
# scan never passes the next control and a hostile 100,000-character string stays linear.
# An unterminated one loses only its introducer below; what follows is then plain text.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"  # CSI: parameters, final byte
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])"  # OSC, DCS, SOS, PM, APC ...
    r"[^\x00-\x1f\x7f-\x9f]{0,4096}(?:\x07|\x1b\\|\x9c)"  # ... up to BEL or ST
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"  # any other ESC sequence (ESC c, ESC ( B, ESC 7)
)

# Every format character (Unicode category Cf) in Unicode 16, as ranges; a unit test
# checks the running Python's Unicode database against it. Those past U+FFFF are kept
# apart: a class holding only Basic Multilingual Plane characters is a fast lookup
# table, one reaching past U+FFFF a slow list of ranges.
_FORMAT = (
    "\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
_FORMAT_ASTRAL = (
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_SURROGATES = "\ud800-\udfff"
_LINE_SEPARATORS = "\u2028\u2029"

# Anything at all that cleaning could change. Most text has none of it, and then the
# text is returned as it is after one scan.
_HIDDEN = f"{_FORMAT}{_SURROGATES}{_LINE_SEPARATORS}"
_SUSPECT_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_HIDDEN}]")
_SUSPECT_BLOCK = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_HIDDEN}]")  # keeps \t and \n
_SUSPECT_ASTRAL = re.compile(f"[{_FORMAT_ASTRAL}]")

ZWNJ = "\u200c"
ZWJ = "\u200d"
_DIRECTION_MARKS = frozenset("\u200e\u200f\u061c")
"""LRM, RLM, ALM: kept only in text with right-to-left letters."""

# Letters of right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan,
# Mandaic, Arabic Extended, the presentation forms, and the historic RTL blocks.
_RTL_LETTER = re.compile(
    "[\u0590-\u061b\u061d-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)

# Scripts whose writers use ZWJ/ZWNJ to choose a joined or unjoined form: Arabic (and
# Persian, Urdu, Pashto), Syriac, N'Ko, the Indic scripts from Devanagari to Sinhala,
# Tibetan, Myanmar, Khmer, Mongolian, and the Brahmic scripts of the SMP.
_JOINING_RANGES = (
    (0x0600, 0x08FF),
    (0x0900, 0x0DFF),
    (0x0F00, 0x0FFF),
    (0x1000, 0x109F),
    (0x1780, 0x18AF),
    (0xA8E0, 0xA8FF),
    (0xA9E0, 0xA9FF),
    (0xAA60, 0xAA7F),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFC),
    (0x11000, 0x11FFF),
)
# Emoji that ZWJ sequences join (👩‍👩‍👧, 🏳️‍🌈): the pictographic blocks.
_EMOJI_RANGES = ((0x2190, 0x2BFF), (0x1F000, 0x1FAFF))
# What may sit between an emoji and its ZWJ: variation selectors and skin tones.
_EMOJI_MODIFIERS = frozenset("\ufe0e\ufe0f\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff")

# A subdivision flag: black flag, tag letters, cancel tag (🏴󠁧󠁢󠁥󠁮󠁧󠁿 is England).
_TAG_FLAG = re.compile("\U0001f3f4[\U000e0020-\U000e007e]{1,30}\U000e007f")

_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")


@cache
def _mark_flood() -> re.Pattern[str]:
    """Return a pattern for more than MAX_MARKS combining marks in a row (built once).

    Only the Basic Multilingual Plane's marks: a class of those is a fast lookup table,
    while one reaching past U+FFFF is a slow list of ranges. Text that needs cleaning for
    any other reason is still capped for every mark, in `_clean`'s loop.
    """
    marks = [cp for cp in range(0x300, 0x10000) if unicodedata.category(chr(cp)) in ("Mn", "Me")]
    return re.compile(f"[{''.join(map(chr, marks))}]{{{MAX_MARKS + 1},}}")


def _in(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= cp <= high for low, high in ranges)


def _base_before(out: list[str]) -> str | None:
    """Return the last kept character that is not a combining mark or emoji modifier."""
    for ch in reversed(out):
        if ch in _EMOJI_MODIFIERS or unicodedata.category(ch) in ("Mn", "Me", "Mc"):
            continue
        return ch
    return None


def _joiner_needed(out: list[str], after: str | None, joiner: str) -> bool:
    """True when a ZWJ/ZWNJ sits between two letters of a joining script (or two emoji)."""
    before = _base_before(out)
    if before is None or after is None:
        return False
    b, a = ord(before), ord(after)
    if _in(b, _JOINING_RANGES) and _in(a, _JOINING_RANGES):
        return unicodedata.category(after)[0] in "LM"
    return joiner == ZWJ and _in(b, _EMOJI_RANGES) and _in(a, _EMOJI_RANGES)


def _is_clean(text: str, suspect: re.Pattern[str]) -> bool:
    """True when cleaning cannot change the text: the quick answer for almost all text."""
    # isprintable() is False for every control, format, surrogate and separator
    # character (and for line breaks and no-break spaces, which the pattern then allows),
    # and it runs in C: a directory or a merge of 100,000 referrals hardly notices it.
    if not text.isprintable() and (
        suspect.search(text) is not None
        or (max(text) > "\uffff" and _SUSPECT_ASTRAL.search(text) is not None)
    ):
        return False
    return text.isascii() or _mark_flood().search(text) is None


def _clean(text: str, *, multiline: bool) -> str:
    """Return text with every control, escape and hidden character dealt with (no strip)."""
    suspect = _SUSPECT_BLOCK if multiline else _SUSPECT_LINE
    if _is_clean(text, suspect):
        return text
    # The usual dirt in council feeds is a zero-width space pasted from a web page, or a
    # Windows line end: dropping those may be all the text needs, without the slow walk.
    # Line ends first, as the walk does: "\r", a zero-width space, then "\n" is two
    # breaks there, and dropping the space first would make it one here.
    quick = text.replace("\r\n", "\n") if multiline else text
    quick = quick.replace("\u200b", "")
    if quick and max(quick) <= "\uffff" and _is_clean(quick, suspect):
        return quick
    return _clean_each_character(text, multiline=multiline)


def _clean_each_character(text: str, *, multiline: bool) -> str:
    """Return text cleaned character by character: what `_clean` does when the quick way fails."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    if multiline:
        text = text.replace("\r\n", "\n")
    has_rtl = _RTL_LETTER.search(text) is not None
    flag_tags = {i for m in _TAG_FLAG.finditer(text) for i in range(m.start() + 1, m.end())}
    out: list[str] = []
    marks = 0
    for index, ch in enumerate(text):
        if ch in _LINE_BREAKS:
            out.append("\n" if multiline else " ")
            marks = 0
            continue
        if ch == "\t":
            out.append(ch if multiline else " ")
            marks = 0
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs"):
            continue
        if category == "Cf":
            after = text[index + 1] if index + 1 < len(text) else None
            keep = (
                (ch in (ZWJ, ZWNJ) and _joiner_needed(out, after, ch))
                or (ch in _DIRECTION_MARKS and has_rtl)
                or index in flag_tags
            )
            if keep:
                out.append(ch)
            continue
        if category in ("Mn", "Me"):
            marks += 1
            if marks > MAX_MARKS:
                continue
        else:
            marks = 0
        out.append(ch)
    return "".join(out)


# --- the way in ------------------------------------------------------------------------


def clean_line(text: str) -> str:
    """Return one-line text (a name, a place, search words) safe to store and show.

    Controls, escape sequences, bidi overrides and invisible characters are removed; line
    breaks and tabs become spaces; the ends are trimmed.
    """
    if text.isprintable() and text.isascii():
        return text.strip()  # the quick way for most names and words: nothing to clean
    return _clean(text, multiline=False).strip()


def clean_block(text: str) -> str:
    """Return multi-line text (a description, notes) safe to store and show.

    As clean_line, but line breaks (any kind, written as "\\n") and tabs are kept.
    """
    if text.isprintable() and text.isascii():
        return text.strip()
    return _clean(text, multiline=True).strip()


def clean_verbatim(text: str) -> str:
    """Return text with controls, escapes and hidden characters removed, nothing else changed.

    No trimming and no other change: for a feed's own record, which an export gives back
    word for word (line breaks are kept; a Windows line end becomes "\\n").
    """
    return _clean(text, multiline=True)


def clean_typing(text: str) -> str:
    """Return what was typed or pasted into a one-line box, cleaned as clean_line is.

    The ends are *not* trimmed: a box being typed in must keep the space just typed.
    """
    if text.isprintable() and text.isascii():
        return text
    return _clean(text, multiline=False)


class HiddenCharactersError(ValueError):
    """Typed text holds control or invisible characters; the message says where."""


def refuse_hidden(text: str, what: str) -> str:
    """Return the text if cleaning would not change it (ends aside); else raise.

    For what a person typed at the command line: a hub name, a staff name, a path. The
    message is one line, e.g. "the name contains control characters (U+001B at
    character 5); type it without them". Text for a right-to-left or Indic name keeps
    the marks and joiners that script needs, so such a name is accepted.
    """
    stripped = text.strip()
    cleaned = clean_line(stripped)
    if cleaned == stripped:
        return text
    position = next(
        (i for i, (a, b) in enumerate(zip(stripped, cleaned, strict=False)) if a != b),
        len(cleaned),
    )
    code = f"U+{ord(stripped[position]):04X}"
    raise HiddenCharactersError(
        f"{what} contains control characters ({code} at character {position + 1}); "
        "type it without them"
    )


# --- the way out -----------------------------------------------------------------------


def for_terminal(text: str) -> str:
    """Return text safe to write to a terminal, keeping its line breaks and tabs.

    The last guard for output that did not come through a model: an error message that
    quotes a bad record, a document stored before cleaning existed.
    """
    return _clean(text, multiline=True)


_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_HIDDEN}{_FORMAT_ASTRAL}]")


def _json_escape(match: re.Match[str]) -> str:
    cp = ord(match.group())
    if cp <= 0xFFFF:
        return f"\\u{cp:04x}"
    cp -= 0x10000
    return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"


def json_for_terminal(json_text: str) -> str:
    """Return JSON text (from json.dumps) with every character a terminal might obey escaped.

    `json.dumps(..., ensure_ascii=False)` escapes C0 controls but writes C1 controls,
    bidi controls and invisible characters as they are. Here they become `\\uXXXX`
    escapes: the JSON means exactly the same, and nothing reaches the terminal raw. They
    can only be inside strings, where such an escape is valid.
    """
    return _JSON_UNSAFE.sub(_json_escape, json_text)
