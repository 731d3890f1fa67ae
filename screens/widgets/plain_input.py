"""A text box that takes words, never control: what the kiosk's visitors type into.

A visitor can paste as well as type, and a paste can carry anything: an escape sequence
that clears or retitles the terminal, a bidi override, zero-width characters. Whatever
goes into the box, by key, paste or code, is cleaned first (hub.safe_text), so what the
box shows, what is searched for and what is saved are the same plain words.
"""

from __future__ import annotations

from textual.widgets import Input

from hub.safe_text import clean_typing


class PlainInput(Input):
    """An Input whose value never holds control, escape, bidi or stray invisible characters."""

    def replace(self, text: str, start: int, end: int) -> None:
        """Replace the text between start and end with `text`, cleaned (typing and paste)."""
        super().replace(clean_typing(text), start, end)

    def validate_value(self, value: str) -> str:
        """Return the value cleaned, however it was set (Textual calls this on every set)."""
        return clean_typing(value)
