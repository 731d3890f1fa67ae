"""Export for the coordinator: save this hub's bundle to a USB drive (or the home folder).

The path is filled in with a file name made from the hub's name and today's date, in the
first USB drive plugged in, else the home folder. The export itself runs in a thread
(`hub.sync.export_bundle`: written whole or not at all, and the "new since" mark moves
only once the file is safely on disk); then the screen says in plain words what went into
the file, or what went wrong and what to do.

A file of the same name is never replaced without asking: the coordinator may not have
the earlier one yet, and after an export it is no longer "new".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, Static

from hub.coordinator_desk import CoordinatorDesk, NotSaved
from hub.i18n import N_, _, ngettext
from hub.models import HubInfo
from hub.referrals import london_today
from hub.safe_text import for_terminal
from hub.sync import ExportSummary, SyncError
from screens.coordinator import (
    CoordinatorScreen,
    TickBox,
    file_name_part,
    home_folder,
    removable_drives,
    typed_path,
)
from screens.words import long_date

NOT_SET_UP = N_(
    'Set up this hub first. At the terminal, run: hub setup --name "Your hub name". '
    "Then open the kiosk again."
)


def bundle_file_name(hub: HubInfo | None, now: datetime) -> str:
    """Return the suggested file name: "church-end-library-2026-11-26.json"."""
    name = file_name_part(hub.name) if hub is not None else "hub"
    return f"{name}-{london_today(now).isoformat()}.json"


def free_path(folder: Path, file_name: str) -> Path:
    """Return folder/file_name, or with "-2", "-3"… added when that file is already there."""
    path = folder / file_name
    stem, suffix = path.stem, path.suffix
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}{suffix}"
        number += 1
    return path


def suggested_path(hub: HubInfo | None, now: datetime, drives: list[Path] | None = None) -> Path:
    """Return where to save the bundle: a new file in the first USB drive, else home."""
    drives = removable_drives() if drives is None else drives
    folder = drives[0] if drives else home_folder()
    return free_path(folder, bundle_file_name(hub, now))


def summary_lines(summary: ExportSummary) -> list[str]:
    """Return what an export wrote, in plain words, one fact a line."""
    referrals = ngettext("{count} referral", "{count} referrals", summary.referrals).format(
        count=summary.referrals
    )
    if summary.redacted:
        referrals += _(" (contact details and notes left out)")
    elif summary.sealed_to and summary.referrals:
        referrals += _(" (contact details and notes locked: only the coordinator can read them)")
    if summary.everything:
        services = ngettext(
            "{count} service (the whole directory)",
            "{count} services (the whole directory)",
            summary.services,
        )
    else:
        services = ngettext(
            "{count} service changed at this hub",
            "{count} services changed at this hub",
            summary.services,
        )
    services = services.format(count=summary.services)
    if summary.retired_services:
        services += _(" ({count} retired)").format(count=summary.retired_services)
    if summary.since is None:
        scope = _("It holds everything on record.")
    else:
        scope = _("It holds what is new since the last export, on {day}.").format(
            day=long_date(london_today(summary.since))
        )
    return [
        _("Saved. The file for the coordinator is:"),
        str(summary.path),
        "",
        scope,
        referrals,
        services,
        ngettext(
            "{count} suggestion from visitors",
            "{count} suggestions from visitors",
            summary.suggestions,
        ).format(count=summary.suggestions),
        ngettext(
            "{count} search that found nothing",
            "{count} searches that found nothing",
            summary.unmet_searches,
        ).format(count=summary.unmet_searches),
        "",
        _("If it is on a USB drive, eject the drive before you pull it out."),
    ]


class ExportBundleScreen(CoordinatorScreen):
    """Export for the coordinator: a path, two choices, Export, then what was written."""

    TITLE_WORDS = N_("Export for the coordinator")
    FIRST_FOCUS = "#export-path"

    @dataclass
    class Finished(Message):
        """The export worker is done: a summary, or the words saying what went wrong."""

        summary: ExportSummary | None
        error: str | None = None

    def __init__(self, desk: CoordinatorDesk, staff_id: str) -> None:
        super().__init__(desk, staff_id)
        self.hub = desk.hub_info()
        self.drives = removable_drives()
        self._confirm_replace: Path | None = None
        """A file the next Export press may replace: it was already there and we asked."""

    def compose(self) -> ComposeResult:
        """Yield the bar, the path, the two choices, the Export button and the result."""
        yield from self.compose_bar()
        with VerticalScroll(classes="coordinator-body", can_focus=False):
            yield Static(
                Content(
                    _(
                        "Save this hub's referrals, directory changes and visitors' "
                        "suggestions to a file. Take the file to the coordinator."
                    )
                ),
                classes="coordinator-about",
            )
            yield Label(_("Save to this file:"), classes="field-label")
            yield Input(
                str(suggested_path(self.hub, self.clock(), self.drives)),
                id="export-path",
                classes="path-input",
            )
            yield Static(Content(self._where_words()), id="export-where", classes="field-hint")
            yield TickBox(_("Everything (not just what is new)"), id="export-all")
            yield TickBox(_("Leave out contact details and notes"), id="export-redact")
            with Horizontal(classes="coordinator-buttons"):
                yield Button(_("Export"), id="export", disabled=self.hub is None)
            yield Static(
                Content(_(NOT_SET_UP) if self.hub is None else self._last_export_words()),
                id="export-result",
                classes="coordinator-result -problem" if self.hub is None else "coordinator-result",
            )

    def _where_words(self) -> str:
        if self.drives:
            return _("A USB drive is plugged in: {path}").format(path=self.drives[0])
        return _("No USB drive found, so the file goes in your home folder.")

    def _last_export_words(self) -> str:
        mark = self.desk.export_mark()
        if mark is None:
            return _("This hub has not exported before: the file will hold everything.")
        return _("Last export: {day}. The file will hold what is new since then.").format(
            day=long_date(london_today(mark))
        )

    # --- doing the export ----------------------------------------------------------------

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._ask_again()

    @on(Checkbox.Changed)
    def _choice_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._ask_again()

    def _ask_again(self) -> None:
        """Forget a "replace it?" question: the path or the choices changed."""
        if self._confirm_replace is not None:
            self._confirm_replace = None
            self.query_one("#export", Button).label = _("Export")

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export")
    def _export_pressed(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        if self.hub is None:
            self._show(_(NOT_SET_UP), problem=True)
            return
        text = self.query_one("#export-path", Input).value
        if not text.strip():
            self._show(
                _("Type where to save the file, for example {path}").format(
                    path=suggested_path(self.hub, self.clock(), self.drives)
                ),
                problem=True,
            )
            return
        path = typed_path(text, home_folder())
        if path.is_dir():
            # A folder was given: save the suggested file name inside it.
            path = free_path(path, bundle_file_name(self.hub, self.clock()))
            self.query_one("#export-path", Input).value = str(path)
        if path.exists() and path != self._confirm_replace:
            self._confirm_replace = path
            self.query_one("#export", Button).label = _("Replace it")
            self._show(
                _(
                    "There is already a file called {name} there. The coordinator may not "
                    "have it yet. Change the name, or press Replace it."
                ).format(name=path.name),
                problem=True,
            )
            return
        self._confirm_replace = None
        everything = self.query_one("#export-all", Checkbox).value
        redact = self.query_one("#export-redact", Checkbox).value
        self.query_one("#export", Button).disabled = True
        self._show(_("Saving the file…"))
        # Only a file the person was asked about and chose to replace gets here existing.
        self.run_export(path, everything=everything, redact=redact, replace=path.exists())

    @work(thread=True, exclusive=True, group="coordinator-export")
    def run_export(self, path: Path, *, everything: bool, redact: bool, replace: bool) -> None:
        """Write the bundle in a thread, then post Finished with what happened."""
        try:
            summary = self.desk.export(
                path, everything=everything, redact=redact, replace=replace, staff_id=self.staff_id
            )
        except SyncError as exc:
            self.post_message(self.Finished(None, _problem_words(str(exc))))
            return
        except NotSaved as exc:  # the file or the export mark was not saved
            self.post_message(self.Finished(None, str(exc)))
            return
        self.post_message(self.Finished(summary))

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        message.stop()
        button = self.query_one("#export", Button)
        button.disabled = False
        button.label = _("Export")
        if message.summary is None:
            self._show(message.error or _("The file could not be saved."), problem=True)
            return
        self._show("\n".join(summary_lines(message.summary)))
        # Ready for another export later, without replacing the file just written.
        self.query_one("#export-path", Input).value = str(
            free_path(message.summary.path.parent, message.summary.path.name)
        )
        self._confirm_replace = None

    def _scroll_to_result(self) -> None:
        """Bring the buttons to the top of the view: the result is right under them."""
        buttons = self.query_one(".coordinator-buttons", Horizontal)
        self.query_one(".coordinator-body", VerticalScroll).scroll_to_widget(buttons, top=True)

    def _show(self, words: str, *, problem: bool = False) -> None:
        """Put words in the result area below the button; problems stand out."""
        result = self.query_one("#export-result", Static)
        result.update(Content(for_terminal(words)))
        result.set_class(problem, "-problem")
        self.call_after_refresh(self._scroll_to_result)


def _problem_words(message: str) -> str:
    """Return the core's reason as a sentence for the screen, with what to do."""
    return _("The file was not saved: {reason}. Nothing was changed.").format(reason=message)
