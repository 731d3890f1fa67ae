"""A QR code drawn with half-block characters, two rows of modules per line of text.

The code is always dark modules on a light ground, whatever the theme: phone cameras
expect that, and many do not read an inverted code. Each character cell shows the module
above in its foreground colour and the module below in its background colour ("▀").
"""

from __future__ import annotations

import segno
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

DARK = "#000000"
LIGHT = "#ffffff"
QUIET_ZONE = 2
"""Light modules around the code. The standard asks for 4, but phones read 2 easily and
the code must fit a 24-line screen; the widget's padding adds more light space."""

_STYLES = {
    (top, bottom): Style(color=DARK if top else LIGHT, bgcolor=DARK if bottom else LIGHT)
    for top in (False, True)
    for bottom in (False, True)
}


def qr_modules(text: str, border: int = QUIET_ZONE) -> list[list[bool]]:
    """Return the QR code's modules for `text` (True is dark), quiet zone included.

    Error correction L is the floor, raised for free when the text still fits the same
    size (boost_error), so the code stays as small as a terminal needs.
    """
    code = segno.make(text, error="l", boost_error=True, micro=False)
    return [[bool(module) for module in row] for row in code.matrix_iter(border=border)]


def qr_text(modules: list[list[bool]]) -> Text:
    """Return the modules drawn as lines of "▀", two module rows per line."""
    width = len(modules[0]) if modules else 0
    rows = list(modules)
    if len(rows) % 2:
        rows.append([False] * width)  # an extra light row: more quiet zone, never less
    drawing = Text(no_wrap=True, overflow="crop", end="")
    for line, (top_row, bottom_row) in enumerate(zip(rows[::2], rows[1::2], strict=True)):
        if line:
            drawing.append("\n")
        for top, bottom in zip(top_row, bottom_row, strict=True):
            drawing.append("▀", _STYLES[(top, bottom)])
    return drawing


class QrCode(Static):
    """A QR code holding plain text, readable by a phone camera without internet."""

    def __init__(self, text: str, *, id: str | None = None) -> None:
        self.modules = qr_modules(text)
        super().__init__(qr_text(self.modules), id=id, classes="qr-code")
        self.text = text
