"""HTML to plain text: council feeds often write descriptions as HTML with entities."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]+>")
_BLOCK_TAG = re.compile(r"<\s*(br|/p|/li|/div|/h[1-6])\b[^>]*>", re.IGNORECASE)


def plain_text(text: str) -> str:
    """Return text with HTML tags and entities removed; council feeds often carry HTML."""
    if not _TAG.search(text) and "&" not in text:
        return text
    text = _BLOCK_TAG.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()
