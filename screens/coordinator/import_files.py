"""Import files: bring in bundles from hubs, or a directory update from the coordinator.

Files are typed one a line (a folder means every .json file in it) or picked from a tree
of the USB drive or home folder. Everything happens in a thread: `hub.sync.import_bundles`
checks every file completely before it changes anything, so one bad file means one line
naming it, the record and what is wrong, and nothing imported at all. Otherwise the screen
shows, for each file, how many records were added, updated or already here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, DirectoryTree, Label, Select, Static, TextArea

from hub.coordinator_desk import CoordinatorDesk, NotSaved
from hub.i18n import N_, _, ngettext
from hub.referrals import london_today
from hub.safe_text import clean_line, for_terminal
from hub.sync import BundleBatchError, BundleError, FileSummary
from screens.coordinator import CoordinatorScreen, home_folder, start_folders, typed_path
from screens.words import long_date


@dataclass
class ChosenFiles:
    """The files a list of typed paths stands for, and the paths that stand for none."""

    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """One line per path that cannot be imported, before any file is read."""


def files_to_import(lines: Iterable[str], base: Path) -> ChosenFiles:
    """Return the files named one a line; a folder stands for every .json file in it.

    Blank lines are skipped and a file named twice is imported once. A missing file is
    left in the list: the import's own check names it.
    """
    chosen = ChosenFiles()
    seen: set[Path] = set()

    def take(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            chosen.files.append(path)

    for line in lines:
        if not line.strip():
            continue
        path = typed_path(line, base)
        if path.is_dir():
            try:
                found = sorted(
                    p for p in path.glob("*.json") if p.is_file() and not p.name.startswith(".")
                )
            except OSError as exc:
                chosen.problems.append(
                    _("{path}: the folder cannot be read ({reason})").format(
                        path=path, reason=exc.strerror or exc
                    )
                )
                continue
            if not found:
                chosen.problems.append(
                    _("{path}: there are no .json files in this folder").format(path=path)
                )
            for file in found:
                take(file)
        else:
            take(path)
    return chosen


def summary_lines(summary: FileSummary) -> list[str]:
    """Return what importing one file did, in plain words: the file, then counts."""
    lines = [
        _("{file}, from {hub} (exported {day}):").format(
            file=summary.path.name,
            hub=summary.hub.name,
            day=long_date(london_today(summary.exported_at)),
        ),
        _("  Referrals: {counts}").format(counts=summary.referrals.words()),
        _("  Services: {counts}").format(counts=summary.services.words()),
        _(
            "  Suggestions: {added} added. Searches that found nothing: {unmet} added or updated."
        ).format(added=summary.suggestions_added, unmet=summary.unmet_searches_changed),
    ]
    if summary.expired:
        lines.append(
            ngettext(
                "  {count} referral left out: older than this hub keeps referrals.",
                "  {count} referrals left out: older than this hub keeps referrals.",
                summary.expired,
            ).format(count=summary.expired)
        )
    # Said in the core's words (the file, then what happened): for example contact
    # details sealed for another coordinator, which were not read and nothing erased.
    lines += [f"  {warning}" for warning in summary.warnings]
    return lines


def refusal_lines(problems: Sequence[str], files_given: int) -> list[str]:
    """Return the lines shown when some files are unusable: one per file, then what to do."""
    bad = len(problems)
    return [
        *problems,
        "",
        ngettext(
            "Nothing was imported: {bad} of {given} is not usable.",
            "Nothing was imported: {bad} of {given} are not usable.",
            bad,
        ).format(bad=bad, given=files_given),
        ngettext(
            "Fix or leave out that file, then try again.",
            "Fix or leave out those files, then try again.",
            bad,
        ),
    ]


class BundleFileTree(DirectoryTree):
    """Folders and .json files only, hidden ones left out: what a bundle could be."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        """Return the folders and .json files among `paths`."""
        shown = []
        for path in paths:
            if path.name.startswith(".") or clean_line(path.name) != path.name:
                continue  # hidden, or a name holding control characters: never a bundle
            try:
                if path.is_dir() or path.suffix.casefold() == ".json":
                    shown.append(path)
            except OSError:
                continue
        return shown


class ImportFilesScreen(CoordinatorScreen):
    """Import files: a list of paths, a file tree to add to it, Check and import, results."""

    TITLE_WORDS = N_("Import files")
    FIRST_FOCUS = "#import-paths"

    @dataclass
    class Finished(Message):
        """The import worker is done: what each file did, or why nothing was imported."""

        lines: list[str]
        refused: bool

    def __init__(self, desk: CoordinatorDesk, staff_id: str) -> None:
        super().__init__(desk, staff_id)
        self.folders = start_folders()

    def compose(self) -> ComposeResult:
        """Yield the bar, the list of files, the buttons, the result and the file tree."""
        yield from self.compose_bar()
        with VerticalScroll(classes="coordinator-body", can_focus=False):
            yield Static(
                Content(
                    _(
                        "Bring in files from hubs, or a directory update from the "
                        "coordinator. Every file is checked first. If any file has a "
                        "problem, nothing is changed."
                    )
                ),
                classes="coordinator-about",
            )
            yield Label(
                _("Files to import, one on each line (or a folder):"), classes="field-label"
            )
            yield TextArea(
                "",
                id="import-paths",
                soft_wrap=False,
                tab_behavior="focus",
                highlight_cursor_line=False,
                placeholder=_("Pick files below, or type where they are"),
            )
            with Horizontal(classes="coordinator-buttons"):
                yield Button(_("Check and import"), id="import")
                yield Button(_("Clear the list"), id="clear-paths")
            result = Static("", id="import-result", classes="coordinator-result")
            result.display = False
            yield result
            yield Label(_("Pick files from:"), classes="field-label")
            yield Select(
                [(str(folder), folder) for folder in self.folders],
                value=self.folders[0],
                allow_blank=False,
                id="import-folder",
            )
            yield BundleFileTree(self.folders[0], id="import-tree")

    @property
    def paths_box(self) -> TextArea:
        """Return the box listing the files to import."""
        return self.query_one("#import-paths", TextArea)

    # --- choosing files ---------------------------------------------------------------

    @on(Select.Changed, "#import-folder")
    def _folder_chosen(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, Path):
            self.query_one("#import-tree", BundleFileTree).path = event.value

    @on(DirectoryTree.FileSelected, "#import-tree")
    def _file_picked(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.add_file(event.path)

    def add_file(self, path: Path) -> None:
        """Add a file to the list to import, unless it is there already."""
        lines = [line for line in self.paths_box.text.splitlines() if line.strip()]
        if str(path) not in (line.strip() for line in lines):
            lines.append(str(path))
            self.paths_box.text = "\n".join(lines)
        count = len(lines)
        self._show(
            ngettext(
                "{count} file in the list. Press Check and import when you are ready.",
                "{count} files in the list. Press Check and import when you are ready.",
                count,
            ).format(count=count),
            scroll=False,  # whoever is picking files is looking at the tree
        )

    @on(Button.Pressed, "#clear-paths")
    def _clear_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.paths_box.text = ""
        self._show("")

    # --- importing ----------------------------------------------------------------------

    @on(Button.Pressed, "#import")
    def _import_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        lines = self.paths_box.text.splitlines()
        if not any(line.strip() for line in lines):
            self._show(_("Pick a file below, or type where it is, first."), problem=True)
            return
        self.query_one("#import", Button).disabled = True
        self._show(_("Checking the files…"))
        self.run_import(lines)

    @work(thread=True, exclusive=True, group="coordinator-import")
    def run_import(self, lines: list[str]) -> None:
        """Check every file, then import them all or none; post Finished with the lines."""
        chosen = files_to_import(lines, home_folder())
        if chosen.problems:
            # Some paths name no file at all; check the rest too, so every problem shows
            # at once. Nothing is imported.
            problems = list(chosen.problems)
            for path in chosen.files:
                try:
                    self.desk.check_bundle(path)
                except BundleError as exc:
                    problems.append(str(exc))
            given = len(chosen.problems) + len(chosen.files)
            self.post_message(self.Finished(refusal_lines(problems, given), refused=True))
            return
        try:
            summaries = self.desk.import_bundles(chosen.files, staff_id=self.staff_id)
        except BundleBatchError as exc:
            problems = [str(error) for error in exc.errors]
            self.post_message(
                self.Finished(refusal_lines(problems, len(chosen.files)), refused=True)
            )
            return
        except NotSaved as exc:
            self.post_message(
                self.Finished(
                    [_("The import could not be saved: {reason}").format(reason=exc)],
                    refused=True,
                )
            )
            return
        self.post_message(self.Finished(self._result_lines(summaries), refused=False))

    @staticmethod
    def _result_lines(summaries: Sequence[FileSummary]) -> list[str]:
        lines = [
            ngettext("Imported {count} file.", "Imported {count} files.", len(summaries)).format(
                count=len(summaries)
            ),
            "",
        ]
        for summary in summaries:
            lines += summary_lines(summary)
        if not any(summary.changed for summary in summaries):
            lines += ["", _("Nothing new: everything in these files was already here.")]
        return lines

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        message.stop()
        self.query_one("#import", Button).disabled = False
        self._show("\n".join(message.lines), problem=message.refused)

    def _scroll_to_result(self) -> None:
        """Bring the buttons to the top of the view: the result is right under them."""
        buttons = self.query_one(".coordinator-buttons", Horizontal)
        self.query_one(".coordinator-body", VerticalScroll).scroll_to_widget(buttons, top=True)

    def _show(self, words: str, *, problem: bool = False, scroll: bool = True) -> None:
        """Put words in the result area under the buttons; problems stand out."""
        result = self.query_one("#import-result", Static)
        result.update(Content(for_terminal(words)))
        result.set_class(problem, "-problem")
        result.display = bool(words)
        if words and scroll:
            self.call_after_refresh(self._scroll_to_result)
