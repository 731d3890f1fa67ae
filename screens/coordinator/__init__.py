"""Staff screens for carrying a hub's log to the coordinator, and the coordinator's figures.

Staff home opens them by pushing one of:

* `export_bundle.ExportBundleScreen(desk, staff_id)`: "Export for the coordinator";
* `import_files.ImportFilesScreen(desk, staff_id)`: "Import files";
* `dashboard.DashboardScreen(desk)`: "Coordinator dashboard".

They take a `CoordinatorDesk` (the coordinator's questions, over the kiosk's one door to the
data, the `Hub`) as an argument rather than asking the kiosk app, so they work on any App
whose theme defines the kiosk's colour variables. This module holds what the
three share: the screen base with its bar and Escape key, and where to look for a USB drive.

The screens are imported from their own modules (not re-exported here) so that importing
one does not import the others.
"""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path, PurePath
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from hub.coordinator_desk import CoordinatorDesk
from hub.i18n import _
from screens.staff.staff_session import STAFF_STYLES
from screens.widgets.ticks import TickCheckbox

Clock = Callable[[], datetime]
"""Returns the time now (aware); the app's injected clock."""

STYLES = Path(__file__).resolve().parent.parent / "styles" / "coordinator.tcss"


def _user_name() -> str:
    """Return the login name, which desktop Linux uses for its USB mount folders."""
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return ""


def removable_drives(
    *,
    user: str | None = None,
    roots: Iterable[Path] = (Path("/media"), Path("/run/media")),
    is_mount: Callable[[Path], bool] = os.path.ismount,
) -> list[Path]:
    """Return the mounted, writable USB drives (or other removable disks), in name order.

    Desktop Linux mounts a USB stick at /media/USER/LABEL (Debian, Ubuntu) or
    /run/media/USER/LABEL (Fedora); a hand-written fstab often uses /media/LABEL. Only
    mount points count: the empty /media/USER folder, or a folder left behind by a stick
    pulled out without unmounting, is not a drive.
    """
    user = _user_name() if user is None else user
    candidates: list[Path] = []
    for root in roots:
        folders = [root / user] if user else []
        folders.append(root)
        for folder in folders:
            try:
                candidates += sorted(p for p in folder.iterdir() if p.is_dir())
            except OSError:  # missing, or not ours to list
                continue
    drives: list[Path] = []
    for path in candidates:
        if path in drives or not is_mount(path):
            continue
        if os.access(path, os.W_OK | os.X_OK):
            drives.append(path)
    return drives


def home_folder() -> Path:
    """Return the user's home folder (where files go when no USB drive is plugged in)."""
    return Path.home()


def start_folders() -> list[Path]:
    """Return the places to offer for files: every USB drive, then the home folder."""
    return [*removable_drives(), home_folder()]


def file_name_part(text: str, fallback: str = "hub") -> str:
    """Return `text` as a safe piece of a file name ("Church End" -> "church-end")."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60].strip("-")
    return slug or fallback


def typed_path(text: str, base: Path) -> Path:
    """Return the path someone typed, with ~ expanded; a relative one is taken from `base`."""
    path = Path(text.strip()).expanduser()
    return path if path.is_absolute() else base / path


class TickBox(TickCheckbox):
    """A checkbox drawn ☑ when ticked and ☐ when not (Textual's tells them apart by colour
    alone); the same box the staff forms use."""


class CoordinatorScreen(Screen[None]):
    """A staff screen with a bar (Back, its title, who is signed in); Escape closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", show=False, id="coordinator-back"),
    ]
    CSS_PATH: ClassVar[list[str | PurePath]] = [STAFF_STYLES, STYLES]
    TITLE_WORDS = ""
    """The words in the bar: what this screen is for."""
    AUTO_FOCUS = ""  # Textual's auto focus centres the widget, hiding the words above it
    FIRST_FOCUS = ""
    """The widget (a selector) that has the keyboard when the screen opens."""

    def __init__(self, desk: CoordinatorDesk, staff_id: str | None = None) -> None:
        super().__init__(classes="coordinator-screen")
        self.desk = desk
        self.clock: Clock = desk.now
        self.staff_id = staff_id
        # The kiosk's idle check uses a screen's IDLE_SECONDS when it has one: staff
        # screens wait as long as staff mode does before anything is closed.
        self.IDLE_SECONDS = desk.staff_idle_seconds()

    def on_mount(self) -> None:
        """Give the keyboard to the first field, leaving the screen scrolled to the top."""
        if self.FIRST_FOCUS:
            self.set_focus(self.query_one(self.FIRST_FOCUS), scroll_visible=False)

    def compose_bar(self) -> ComposeResult:
        """Yield the bar: Back, the title, and the name of the staff member signed in."""
        with Horizontal(classes="top-bar coordinator-bar"):
            yield Button(_("◀ Back"), id="back", classes="bar-button")
            # Marked with N_ where each screen names itself, translated here when shown.
            yield Static(Content(_(self.TITLE_WORDS)), id="bar-title")
            name = self._staff_name()
            if name:
                yield Static(Content(_("Staff: {name}").format(name=name)), id="bar-staff")

    def _staff_name(self) -> str | None:
        return self.desk.staff_name(self.staff_id)

    def action_close(self) -> None:
        """Close this screen, back to the one that opened it."""
        if self.is_current and len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    @on(Button.Pressed, "#back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()
