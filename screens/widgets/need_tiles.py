"""The need tiles: big, focusable choices ("Food", "Someone to talk to"), three across, and
"More topics", the tile that opens the next page of topics (a page, never a scroll)."""

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
from hub.topics import Topic
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

        need: Topic

    def __init__(self, need: Topic) -> None:
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


class MoreTopicsTile(Static, can_focus=True):
    """ "More topics ▶" and the names of the first topics it leads to; two tiles wide.

    Chosen like a need tile (Enter, Space, a click); the screen opens the page of topics
    that starts at `start`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "choose", "Choose", show=False),
    ]

    @dataclass
    class Chosen(Message):
        """A visitor asked for the topics from `start` on."""

        start: int

    def __init__(self, start: int, coming: Sequence[Topic]) -> None:
        # The names of what comes next say more than any sentence about "other topics",
        # and they are already translated.
        names = ", ".join(_(need.label) for need in coming[:2])
        label = Content.styled(_("More topics") + " ▶", "bold")
        super().__init__(
            Content.assemble(label, "\n", names + "…"),
            classes="need-tile more-topics-tile",
            id="more-topics",
        )
        self.start = start

    def action_choose(self) -> None:
        """Tell the screen the next page of topics is wanted."""
        self.post_message(self.Chosen(self.start))

    def on_click(self) -> None:
        """A click or a tap chooses the tile."""
        self.action_choose()


TILES_A_PAGE = 6
"""Tiles on a page of topics: two rows of three (with the bar's Back, Start again and
Urgent help that is nine choices)."""


def topic_page(
    needs: Sequence[Topic], start: int, room: int = TILES_A_PAGE
) -> tuple[list[Topic], int | None]:
    """Return the needs for the page starting at `start`, and where the next page starts
    (None on the last page): a page that cannot hold all the rest keeps its last place for
    "More topics"."""
    rest = list(needs[start:])
    if len(rest) <= room:
        return rest, None
    return rest[: room - 1], start + room - 1


class NeedGrid(Grid):
    """Need tiles three across; the arrow keys move between them as well as Tab."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("up", "move(-3)", show=False),
        Binding("down", "move(3)", show=False),
    ]

    def __init__(
        self,
        needs: Sequence[Topic],
        *,
        more: MoreTopicsTile | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="need-grid")
        self._needs = list(needs)
        self._more = more

    def compose(self) -> ComposeResult:
        """Yield one tile per need, then "More topics" if there is more."""
        for need in self._needs:
            yield NeedTile(need)
        if self._more is not None:
            yield self._more

    @property
    def tiles(self) -> list[NeedTile | MoreTopicsTile]:
        """Return the tiles in order ("More topics" last)."""
        return [
            tile for tile in self.query(".need-tile") if isinstance(tile, NeedTile | MoreTopicsTile)
        ]

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
        here = tiles.index(focused)
        target = here + step
        if 0 <= target < len(tiles):
            tiles[target].focus()
            return
        if step == COLUMNS and here // COLUMNS < (len(tiles) - 1) // COLUMNS:
            # Down from above a short last row ("More topics" spans two places).
            tiles[-1].focus()
            return
        # Off the edge of the tiles: on to whatever sits that way (the search box above,
        # More help below), as on the rest of the screen.
        move_focus(self.screen, _EDGE_DIRECTIONS[step])
