"""Measure Gujarati, Tamil and other Indic text the way terminals draw it.

A vowel sign such as Tamil "ா" or Gujarati "ા" is a *spacing* combining mark (Unicode
category Mc). Rich counts it as 0 cells; tmux, xterm and the Linux console (glibc's
wcwidth) draw it in a cell of its own. Measured in tmux 3 at 80x24 (benchmarks/
tmux_borders.py): "உங்கள் அருகில் உதவியைக் கண்டறியுங்கள்" is 24 cells to Rich and 30 to
tmux, so every line with Tamil in it ran past its box and pushed the borders off screen.

Counting each spacing mark as one cell makes Rich agree with those terminals. A terminal
that shapes the script (joining a consonant and its vowel sign into one glyph) draws the
text narrower than that: the line then ends with blank cells, and no border moves.
Rich has no setting for this, so its width table is widened here, once, at start-up.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import cache

import rich.cells
from rich._unicode_data import load as load_cell_table

SHAPED_SCRIPT_LANGUAGES = frozenset({"gu", "ta"})
"""Languages whose script a shaping terminal may draw unlike any width table: their text
is kept a cell away from box edges and from the screen's edge (class WIDE_SCRIPT_CLASS)."""
WIDE_SCRIPT_CLASS = "-shaped-script"


def _widened(widths: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Return the width table with every spacing mark (Mc) taken out of the 0-width ranges.

    Rich's table lists only ranges whose width is not 1, so a mark left out of them is
    one cell wide. Only the 0-width ranges are looked through: a few thousand code points.
    """
    table: list[tuple[int, int, int]] = []
    for start, end, width in widths:
        if width != 0:
            table.append((start, end, width))
            continue
        run_start: int | None = None
        for point in range(start, end + 1):
            if unicodedata.category(chr(point)) == "Mc":
                if run_start is not None:
                    table.append((run_start, point - 1, 0))
                    run_start = None
            elif run_start is None:
                run_start = point
        if run_start is not None:
            table.append((run_start, end, 0))
    return table


@cache
def count_spacing_marks() -> None:
    """Make Rich (and so Textual) count a spacing combining mark as one cell, as
    terminals draw it. Safe to call more than once; only the first call does anything."""
    done: list[object] = []
    for version in ("auto", "latest"):
        widths = load_cell_table(version).widths
        # The same list serves both when "auto" is the latest version.
        if isinstance(widths, list) and not any(widths is seen for seen in done):
            widths[:] = _widened(widths)
            done.append(widths)
    rich.cells.get_character_cell_size.cache_clear()
    rich.cells.cached_cell_len.cache_clear()
    textual_cells = sys.modules.get("textual._cells")
    cached = getattr(textual_cells, "cell_len", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()
