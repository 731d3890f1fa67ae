"""Tick boxes drawn as ☑ and ☐, so ticked and unticked differ in shape, not only colour.

Textual's Checkbox and SelectionList draw an X in a coloured block either way and tell
ticked from unticked by colour alone, which a high-contrast or monochrome theme (or a
colour-blind member of staff) loses.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

TICKED = "☑"
UNTICKED = "☐"


class TickCheckbox(Checkbox):
    """A checkbox drawn as "☑ words" when ticked and "☐ words" when not."""

    BUTTON_LEFT = ""
    BUTTON_RIGHT = ""
    BUTTON_INNER = UNTICKED

    def on_mount(self) -> None:
        """Draw the box for the value it starts with."""
        self.BUTTON_INNER = TICKED if self.value else UNTICKED

    def watch_value(self) -> None:
        """Draw the box (ticked or not), then let Checkbox post Changed."""
        self.BUTTON_INNER = TICKED if self.value else UNTICKED
        super().watch_value()
        self.refresh()


class TickList(SelectionList[str]):
    """A selection list whose lines start "☑ " when chosen and "☐ " when not."""

    def _get_left_gutter_width(self) -> int:
        """Return the width of the box and its space, which clicks and wrapping allow for."""
        return 2

    def render_line(self, y: int) -> Strip:
        """Return the option's line (from OptionList) with its box in front."""
        line = super(SelectionList, self).render_line(y)
        _, scroll_y = self.scroll_offset
        index = scroll_y + y
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:  # a line below the last option
            return line
        segments = list(line)
        base = segments[0].style if segments and segments[0].style else self.rich_style
        box = TICKED if selection.value in self._selected else UNTICKED
        # The option's index in the style lets a click on the box tick it, as on the words.
        style = (base or Style()) + Style(meta={"option": index})
        return Strip([Segment(f"{box} ", style=style), *segments])
