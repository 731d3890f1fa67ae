"""Reading contrast off what the terminal actually draws (WCAG 1.4.3, 1.4.6, 1.4.11, 2.4.13).

The screen's compositor gives the strips Textual sends to the terminal: every segment
with its final foreground and background colour, after themes, tints and opacity. These
helpers walk those cells. Relative luminance and the contrast ratio are WCAG's own
formulas (screens.themes.contrast_ratio, a few lines: no library needed).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.color import Color
from rich.segment import Segment
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ListView

from screens.themes import contrast_ratio

Rgb = tuple[int, int, int]

# Half and eighth blocks draw shapes (a border's edge, a QR module, a scrollbar): graphics,
# not letters. Box-drawing characters stay text: Digits draws numbers with them.
_SHAPES = {chr(code) for code in range(0x2580, 0x25A0)}
# The shapes that cover at least half the cell in the foreground colour; the rest (a
# thin edge such as "▔" or "▎") leave the cell mostly its background colour.
_MOSTLY_FOREGROUND = set("▀▄▅▆▇█▌▋▊▉▐▒▓▙▛▜▟▚▞")


@dataclass(frozen=True)
class Cell:
    """One character cell as the terminal shows it."""

    char: str
    fg: Rgb
    bg: Rgb

    @property
    def is_text(self) -> bool:
        """Return True for a letter, digit or sign (not a space or a drawn shape)."""
        return not self.char.isspace() and self.char not in _SHAPES

    @property
    def seen(self) -> Rgb:
        """Return the colour that covers most of the cell (a half block counts as its shape)."""
        return self.fg if self.char in _MOSTLY_FOREGROUND else self.bg


def _rgb(color: Color | None, fallback: Rgb) -> Rgb:
    if color is None or color.is_default:
        return fallback
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def hex_of(rgb: Rgb) -> str:
    """Return #rrggbb for an RGB triple."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def ratio(first: Rgb, second: Rgb) -> float:
    """Return the WCAG contrast ratio of two colours."""
    return contrast_ratio(hex_of(first), hex_of(second))


def cells(screen: Screen[object]) -> list[list[Cell]]:
    """Return the screen as rows of cells, exactly as the compositor renders them."""
    background = screen.styles.background.rgb
    foreground = screen.styles.color.rgb
    rows: list[list[Cell]] = []
    for strip in screen._compositor.render_strips():
        row: list[Cell] = []
        for segment in strip:
            assert isinstance(segment, Segment)
            if segment.control:
                continue
            style = segment.style
            fg = _rgb(style.color if style else None, foreground)
            bg = _rgb(style.bgcolor if style else None, background)
            if style is not None and style.reverse:
                fg, bg = bg, fg
            row.extend(Cell(char, fg, bg) for char in segment.text)
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Problem:
    """A place where the drawn contrast is too low."""

    what: str
    x: int
    y: int
    first: str
    second: str
    ratio: float

    def __str__(self) -> str:
        return (
            f"{self.what} at ({self.x},{self.y}): {self.first} on {self.second} "
            f"= {self.ratio:.2f}:1"
        )


def text_problems(grid: list[list[Cell]], minimum: float) -> list[Problem]:
    """Return every text cell whose letters and ground are below `minimum` (one per run)."""
    problems: list[Problem] = []
    seen: set[tuple[Rgb, Rgb, int]] = set()
    for y, row in enumerate(grid):
        for x, cell in enumerate(row):
            if not cell.is_text:
                continue
            found = ratio(cell.fg, cell.bg)
            if found < minimum and (cell.fg, cell.bg, y) not in seen:
                seen.add((cell.fg, cell.bg, y))
                problems.append(
                    Problem(f"text {cell.char!r}", x, y, hex_of(cell.fg), hex_of(cell.bg), found)
                )
    return problems


def indicator_region(screen: Screen[object]) -> tuple[Widget, Region] | None:
    """Return the widget that shows where the keyboard is, and its region on screen.

    A list shows focus on its highlighted item, so that item is the indicator.
    """
    focused = screen.focused
    if focused is None:
        return None
    shown: Widget = focused
    if isinstance(focused, ListView) and focused.highlighted_child is not None:
        shown = focused.highlighted_child
    return shown, shown.region


def perimeter(region: Region) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Return the region's edge cells, each with the steps (dx, dy) that lead outside it.

    A corner belongs to two edges, so it has two ways out.
    """
    x0, y0, width, height = region
    x1, y1 = x0 + width - 1, y0 + height - 1
    edge: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for x in range(x0, x1 + 1):
        edge.setdefault((x, y0), []).append((0, -1))
        edge.setdefault((x, y1), []).append((0, 1))
    for y in range(y0, y1 + 1):
        edge.setdefault((x0, y), []).append((-1, 0))
        edge.setdefault((x1, y), []).append((1, 0))
    return [(x, y, steps) for (x, y), steps in edge.items()]


def focus_problems(
    focused: list[list[Cell]], blurred: list[list[Cell]], region: Region, minimum: float = 3.0
) -> list[Problem]:
    """Return where the focus indicator is too faint (WCAG 2.4.13 and 1.4.11).

    Every edge cell of the focused widget must differ by `minimum` from the cell just
    outside it (the indicator stands out from what surrounds it), and from the same cell
    when the widget does not have the keyboard (the change of state is visible).
    A corner cell passes the first when it stands out on either of its two sides, and is
    left out of the second (a frame's corner takes one side's colour). Edges at the
    screen's border have nothing outside them and are checked for the change only.
    """
    height = len(focused)
    found: dict[tuple[str, Rgb, Rgb], tuple[int, int]] = {}
    for x, y, steps in perimeter(region):
        if not (0 <= y < height and 0 <= x < len(focused[y])):
            continue
        inside = focused[y][x].seen
        before = blurred[y][x].seen
        if len(steps) == 1 and ratio(inside, before) < minimum:
            found.setdefault(("against the same place unfocused", inside, before), (x, y))
        outside = [
            focused[y + dy][x + dx].seen
            for dx, dy in steps
            if 0 <= y + dy < height and 0 <= x + dx < len(focused[y + dy])
        ]
        if outside and all(ratio(inside, colour) < minimum for colour in outside):
            found.setdefault(("against what surrounds it", inside, outside[0]), (x, y))
    return [
        Problem(
            f"focus indicator {what}", x, y, hex_of(first), hex_of(second), ratio(first, second)
        )
        for (what, first, second), (x, y) in found.items()
    ]
