"""Arrow keys move the keyboard to the nearest choice in that direction, on any visitor screen.

Many visitors have never used Tab. Widgets that use the arrows themselves (a list, the
tiles, the cursor in a text box) keep them; everywhere else an arrow goes to the button,
box or list that sits that way on screen, as a finger would. Written here rather than
taken from a library: Textual has no spatial focus, and this is one small function.
"""

from __future__ import annotations

from typing import Any, Literal

from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget

Direction = Literal["up", "down", "left", "right"]

ARROW_BINDINGS: list[BindingType] = [
    Binding("up", "arrow_focus('up')", show=False),
    Binding("down", "arrow_focus('down')", show=False),
    Binding("left", "arrow_focus('left')", show=False),
    Binding("right", "arrow_focus('right')", show=False),
]
"""Bindings for a screen whose `action_arrow_focus` calls `move_focus`."""


def _distance(start: Region, goal: Region, direction: Direction) -> tuple[int, int] | None:
    """Return (how far that way, how far off to the side), or None if goal is not that way."""
    if direction == "down":
        ahead, side = goal.y - start.bottom, _gap(start.x, start.right, goal.x, goal.right)
    elif direction == "up":
        ahead, side = start.y - goal.bottom, _gap(start.x, start.right, goal.x, goal.right)
    elif direction == "right":
        ahead, side = goal.x - start.right, _gap(start.y, start.bottom, goal.y, goal.bottom)
    else:
        ahead, side = start.x - goal.right, _gap(start.y, start.bottom, goal.y, goal.bottom)
    if ahead < 0:
        return None
    # Side by side in the direction of travel counts first: Right along a row of buttons
    # stays on the row even when a wider box below is nearer.
    return (0 if side == 0 else 1, ahead + side)


def _gap(start: int, end: int, other_start: int, other_end: int) -> int:
    """Return how far apart two spans [start, end) are on one axis (0 when they overlap)."""
    if other_start < end and start < other_end:
        return 0
    return max(other_start - end, start - other_end) + 1


def nearest(screen: Screen[Any], direction: Direction) -> Widget | None:
    """Return the focusable widget nearest the focused one in that direction (None: none)."""
    focused = screen.focused
    if focused is None:
        return None
    start = focused.region
    best: tuple[tuple[int, int], Widget] | None = None
    for widget in screen.focus_chain:
        region = widget.region
        if widget is focused or not region.area:
            continue
        distance = _distance(start, region, direction)
        if distance is not None and (best is None or distance < best[0]):
            best = (distance, widget)
    return best[1] if best else None


def move_focus(screen: Screen[Any], direction: Direction) -> bool:
    """Move the keyboard the arrow's way; return False when nothing is that way."""
    target = nearest(screen, direction)
    if target is None:
        return False
    target.focus()
    target.scroll_visible(animate=False)
    return True
