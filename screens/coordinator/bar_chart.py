"""A plain horizontal bar chart drawn with block characters: a label, a bar, a count.

One line per bar, so a chart of twelve weeks is twelve lines and fits beside other
charts on an 80x24 screen. Bars are drawn to an eighth of a character (▏ to █), the count
is printed after every bar (the chart never relies on colour or length alone), and a
count above zero always shows at least a sliver, so a small number is never invisible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from hub.i18n import _

_EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")
_FULL = "█"

LABEL_SHARE = 0.4
"""At most this share of the width goes to labels; long ones end in an ellipsis."""


@dataclass(frozen=True)
class Bar:
    """One bar: what it counts, and how many."""

    label: str
    count: int


def bar_blocks(count: int, largest: int, width: int) -> str:
    """Return the bar for `count` as block characters, `width` long for the `largest` count.

    Lengths are rounded to the nearest eighth of a character; a count above zero gets at
    least one eighth.
    """
    if count <= 0 or largest <= 0 or width <= 0:
        return ""
    eighths = max(1, round(count / largest * width * 8))
    full, part = divmod(min(eighths, width * 8), 8)
    return _FULL * full + _EIGHTHS[part]


def draw_bars(
    bars: Sequence[Bar],
    width: int,
    *,
    label_style: Style | None = None,
    bar_style: Style | None = None,
    count_style: Style | None = None,
) -> list[Text]:
    """Return one line per bar, each at most `width` cells: label, bar, count.

    Labels take the room the longest needs, up to LABEL_SHARE of the width; the bars
    share what is left, the largest count filling it.
    """
    if not bars:
        return []
    largest = max(bar.count for bar in bars)
    count_width = len(str(largest))
    longest = max(cell_len(bar.label) for bar in bars)
    label_width = max(1, min(longest, int(width * LABEL_SHARE)))
    bar_width = max(1, width - label_width - count_width - 2)
    lines = []
    for bar in bars:
        label = Text(bar.label, style=label_style or "")
        label.truncate(label_width, overflow="ellipsis", pad=True)
        blocks = bar_blocks(bar.count, largest, bar_width)
        line = Text.assemble(
            label,
            " ",
            (blocks, bar_style or ""),
            " " if blocks else "",
            (str(bar.count), count_style or ""),
            no_wrap=True,
        )
        line.truncate(width)
        lines.append(line)
    return lines


class BarChart(Widget):
    """Horizontal bars with their labels and counts; set `bars` to redraw.

    Colours come from the component classes, so a theme (or a .tcss file) picks them.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "bar-chart--label",
        "bar-chart--bar",
        "bar-chart--count",
        "bar-chart--empty",
    }
    DEFAULT_CSS = """
    BarChart {
        height: auto;
        width: 1fr;
    }
    BarChart > .bar-chart--bar {
        color: $primary;
    }
    BarChart > .bar-chart--count {
        text-style: bold;
    }
    BarChart > .bar-chart--empty {
        text-style: italic;
    }
    """

    bars: reactive[tuple[Bar, ...]] = reactive((), layout=True)
    """The bars, top to bottom."""

    def __init__(
        self,
        bars: Sequence[Bar] = (),
        *,
        empty_words: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.empty_words = empty_words if empty_words is not None else _("Nothing to show.")
        """Shown instead of bars when there are none, or every count is zero."""
        self.set_reactive(BarChart.bars, tuple(bars))

    @property
    def is_empty(self) -> bool:
        """Return True when there is nothing to draw (no bars, or all of them zero)."""
        return not any(bar.count > 0 for bar in self.bars)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Return one line per bar (one line for the empty words)."""
        return 1 if self.is_empty else len(self.bars)

    def lines(self, width: int) -> list[Text]:
        """Return the chart's lines for a width in cells, styled by the component classes."""
        if self.is_empty:
            style = self.get_component_rich_style("bar-chart--empty", partial=True)
            return [Text(self.empty_words, style=style, no_wrap=True, overflow="ellipsis")]
        return draw_bars(
            self.bars,
            width,
            label_style=self.get_component_rich_style("bar-chart--label", partial=True),
            bar_style=self.get_component_rich_style("bar-chart--bar", partial=True),
            count_style=self.get_component_rich_style("bar-chart--count", partial=True),
        )

    def render(self) -> RenderResult:
        """Return the chart as one Text, a line per bar."""
        return Text("\n", no_wrap=True).join(self.lines(self.content_size.width))
