"""The need tiles: big, focusable choices ("Food", "Someone to talk to"), three across."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from hub.i18n import _
from hub.models import Need
from screens.arrow_focus import Direction, move_focus

COLUMNS = 3
_EDGE_DIRECTIONS: dict[int, Direction] = {-1: "left", 1: "right", -COLUMNS: "up", COLUMNS: "down"}


class NeedTile(Static, can_focus=True):
    """One need: its label in bold and a short line. Enter, Space or a click chooses it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "choose", "Choose", show=False),
    ]

    @dataclass
    class Chosen(Message):
        """A visitor chose this need."""

        need: Need

    def __init__(self, need: Need) -> None:
        label = Content.styled(_(need.label), "bold")
        super().__init__(
            Content.assemble(label, "\n", _(need.description)),
            classes="need-tile",
            id=f"need-{need.id}",
        )
        self.need = need

    def action_choose(self) -> None:
        """Tell the screen this need was chosen."""
        self.post_message(self.Chosen(self.need))

    def on_click(self) -> None:
        """A click or a tap chooses the tile."""
        self.action_choose()


class NeedGrid(Grid):
    """Need tiles three across; the arrow keys move between them as well as Tab."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("up", "move(-3)", show=False),
        Binding("down", "move(3)", show=False),
    ]

    def __init__(self, needs: Sequence[Need], *, id: str | None = None) -> None:
        super().__init__(id=id, classes="need-grid")
        self._needs = list(needs)

    def compose(self) -> ComposeResult:
        """Yield one tile per need."""
        for need in self._needs:
            yield NeedTile(need)

    @property
    def tiles(self) -> list[NeedTile]:
        """Return the tiles in order."""
        return list(self.query(NeedTile))

    def focus_first(self) -> None:
        """Put the keyboard on the first tile."""
        tiles = self.tiles
        if tiles:
            tiles[0].focus()

    def action_move(self, step: int) -> None:
        """Move the keyboard to the tile `step` places away, if there is one."""
        tiles = self.tiles
        focused = self.screen.focused
        if focused not in tiles:
            self.focus_first()
            return
        assert isinstance(focused, NeedTile)
        target = tiles.index(focused) + step
        if 0 <= target < len(tiles):
            tiles[target].focus()
            return
        # Off the edge of the tiles: on to whatever sits that way (the search box above,
        # More help below), as on the rest of the screen.
        move_focus(self.screen, _EDGE_DIRECTIONS[step])
