"""Urgent help first: a search that speaks of a crisis, typed in the kiosk at 80x24.

The calm panel must come before any service, hold the right numbers for the kind (999
first when there is danger now), take the keyboard, fit on the screen without scrolling,
and go when the kiosk resets. The visitor's words must never be stored anywhere: a test
greps every file in the data folder, and a sync bundle made afterwards, for them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from hub.index_file import INDEX_FILE
from hub.needs import load_urgent
from hub.storage import HubStore
from hub.unmet import count_urgent_search, unmet_searches, urgent_counts
from screens.app import HubApp, make_app
from screens.home import HomeScreen
from screens.idle import IdleScreen
from screens.staff.needs_checking import NeedsCheckingScreen
from screens.urgent import UrgentScreen
from screens.widgets.crisis_panel import CrisisPanel
from screens.widgets.result_rows import ResultItem
from tests.cli.runner import hub as hub_command
from tests.ui.conftest import FIXED_NOW, FakeClock, directory_loaded, idle_for, settle
from tests.ui.test_staff_mode import hub as hub  # the staff fixture, used by name
from tests.ui.test_staff_mode import unlock

SIZE = (80, 24)


def _text(widget: Static) -> str:
    return str(widget.render())


def _panel(app: HubApp) -> CrisisPanel:
    home = app.screen
    assert isinstance(home, HomeScreen)
    return home.results.crisis_panel


def _panel_text(app: HubApp) -> str:
    return "\n".join(_text(s) for s in _panel(app).query(Static))


async def _search(pilot: Pilot[None], words: str, *, enter: bool = True) -> None:
    await pilot.click("#search")
    await pilot.press(*words)
    if enter:
        await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize(
    ("words", "numbers"),
    [
        ("i want to kill myself", ["116 123", "85258"]),
        ("life isnt worth living", ["116 123"]),
        ("my partner hits me", ["0808 2000 247", "116 123"]),
        ("he checks my phone and takes my wages", ["0808 2000 247"]),
        ("concerned about a child next door", ["0800 1111", "0808 800 5000"]),
        ("my son is self harming", ["0800 1111", "0808 800 5000"]),
        ("my friend took too many pills", ["999"]),
        ("i was raped", ["0808 500 2222"]),
        ("my carer takes my pension", ["0808 808 8141"]),
        ("my boss keeps my passport and i cant leave", ["999", "0800 012 1700"]),
    ],
)
async def test_a_crisis_search_shows_the_right_numbers_first_with_the_keyboard(
    app: HubApp, words: str, numbers: list[str]
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _search(pilot, words)
        panel = _panel(app)
        assert panel.display
        assert app.focused is panel, "urgent help takes the keyboard first"
        shown = _panel_text(app)
        assert shown.startswith("You don't have to face this alone.")
        for number in numbers:
            assert number in shown, (words, number)
        # Fits on the screen: nothing of it is below the bottom or needs scrolling.
        assert panel.region.height > 0
        assert panel.region.bottom <= SIZE[1]
        assert panel.region.height >= panel.virtual_size.height
        # Before any service.
        for item in app.screen.query(ResultItem):
            if item.region.height:
                assert item.region.y >= panel.region.bottom
        # Nothing that echoes the visitor's own words back at them.
        assert words not in shown


async def test_danger_now_puts_999_at_the_top_of_the_panel(app: HubApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _search(pilot, "my friend took too many pills")
        lines = _panel(app).lines
        assert lines[0].id == "emergency-999"
        first_line = _text(_panel(app).query_one(".crisis-lines", Static)).splitlines()[0]
        assert first_line.startswith("Emergency: Call 999")


async def test_forced_work_puts_999_then_the_modern_slavery_helpline(app: HubApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _search(pilot, "they make me work for no money")
        assert [line.id for line in _panel(app).lines][:2] == [
            "emergency-999",
            "modern-slavery-helpline",
        ]
        assert "0808 808 8141" not in _panel_text(app)  # Hourglass is for older people


async def test_an_ordinary_search_shows_no_panel(app: HubApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _search(pilot, "lunch club")
        assert not _panel(app).display
        assert list(app.screen.query(ResultItem))
        assert not isinstance(app.focused, CrisisPanel)


async def test_typing_without_enter_shows_the_panel_but_leaves_the_box_alone(
    app: HubApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _search(pilot, "self harm", enter=False)
        assert _panel(app).display
        assert app.focused is app.screen.query_one("#search")
        await pilot.press("down")  # Down from the box goes to urgent help first
        assert app.focused is _panel(app)


async def test_enter_on_the_panel_opens_every_number_and_down_goes_to_services(
    app: HubApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _search(pilot, "i want to kill myself")
        await pilot.press("down")
        assert isinstance(app.focused, type(app.screen.query_one(".result-list")))
        await pilot.press("up", "up")  # back to the box, then down to the panel again
        await pilot.press("escape")
        await _search(pilot, "i want to kill myself")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, UrgentScreen)


async def test_a_crisis_search_that_matches_no_service_still_shows_the_panel(
    app: HubApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _search(pilot, "my partner hits me")
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert _panel(app).display and home.results.display
        hint = _text(home.query_one("#home-hint", Static))
        assert "my partner hits me" not in hint


async def test_the_idle_reset_clears_the_panel(app: HubApp, clock: FakeClock) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _search(pilot, "my partner hits me")
        assert _panel(app).display
        await idle_for(pilot, clock, 121)
        assert isinstance(app.screen, IdleScreen)
        await idle_for(pilot, clock, 31)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.search_box.value == ""
        assert not _panel(app).display and _panel(app).lines == []
        assert home.grid.display


def _hub(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return hub_command(data, *args)


CRISIS_SEARCHES = [
    "my partner hits me xylophonequartz",
    "i feel suicidal zanzibarwombat",
    "my son is self harming quillfeather",
    "my friend took too many pills marmalexicon",
]
MARKERS = ["xylophonequartz", "zanzibarwombat", "quillfeather", "marmalexicon"]


async def test_crisis_searches_are_counted_by_kind_and_never_stored_as_words(
    tmp_path: Path, clock: FakeClock
) -> None:
    data = tmp_path / "hub-data"
    app = make_app(data_dir=data, clock=clock, idle_seconds=120)
    index_file = data / INDEX_FILE
    async with app.run_test(size=SIZE) as pilot:
        await directory_loaded(pilot)
        assert index_file.is_file()
        # The saved search index holds the directory's and the vocabulary's own words
        # ("suicidal" is a word services use): it is checked for being untouched by the
        # searches below, rather than for the words.
        index_before = index_file.read_bytes()
        for words in CRISIS_SEARCHES:
            await _search(pilot, words)  # Enter: a search the visitor stopped at
            await pilot.press("escape", "escape")  # back to the box, then clear it
            await pilot.pause()
        # Typed and left for the idle reset, without Enter.
        await _search(pilot, "everyone would be better off without me", enter=False)
        await idle_for(pilot, clock, 121)
        await idle_for(pilot, clock, 31)
        # An ordinary search that found nothing is still logged as words.
        await _search(pilot, "ukulele wobblefrump")
    # And the command line, which logs nothing at all.
    for words in CRISIS_SEARCHES:
        assert _hub(data, "search", words, "--json").returncode == 0
    assert _hub(data, "setup", "--name", "Church End Library").returncode == 0
    bundle = tmp_path / "bundle.json"
    done = _hub(data, "sync", "export", str(bundle), "--all")
    assert done.returncode == 0, done.stderr

    assert index_file.read_bytes() == index_before, "a search changed the saved index"
    everything = [p for p in data.rglob("*") if p.is_file() and p != index_file] + [bundle]
    for path in everything:
        content = path.read_bytes().decode("utf-8", errors="replace").casefold()
        for marker in [*MARKERS, "better off without", "partner hits", "self harming"]:
            assert marker not in content, f"{marker!r} found in {path}"
        assert "suicidal" not in content, path
    with HubStore.open(data) as store:
        counts = {(c.kind, c.count) for c in urgent_counts(store)}
        assert [u.text for u in unmet_searches(store)] == ["ukulele wobblefrump"]
    day = FIXED_NOW.date()
    assert counts == {
        ("domestic-abuse", 1),
        # suicidal, self harming, better off without me, and the friend's overdose (an
        # overdose is self-harm as well as danger now)
        ("suicide-self-harm", 4),
        ("child-at-risk", 1),
        ("danger-now", 1),
    }
    report = _hub(data, "report", "--since", day.isoformat())
    assert report.returncode == 0, report.stderr
    assert "urgent: domestic-abuse, 1" in report.stdout
    assert "urgent: suicide-self-harm, 4" in report.stdout
    assert "xylophonequartz" not in report.stdout


async def test_needs_checking_lists_urgent_lines_nobody_has_confirmed(
    app: HubApp,
    hub: object,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.click("#needs-checking")
        await pilot.pause()
        assert isinstance(app.screen, NeedsCheckingScreen)
        rows = [_text(s) for s in app.screen.query(".urgent-check-row").results(Static)]
        never = [line for line in app.urgent.lines if line.checked is None]
        assert never, "data/urgent.json has lines not yet confirmed at their source"
        for line in never:
            assert any(line.name in row and line.source in row for row in rows), line.id
        assert not any("Samaritans" in row for row in rows)


async def test_the_dashboard_shows_crisis_searches_as_counts_by_kind(
    app: HubApp,
    store: HubStore,
    clock: FakeClock,
    hub: object,
) -> None:
    from hub.coordinator_desk import CoordinatorDesk
    from screens.coordinator.dashboard import DashboardScreen

    count_urgent_search(store, {"domestic-abuse"}, FIXED_NOW.date())
    count_urgent_search(store, {"domestic-abuse", "suicide-self-harm"}, FIXED_NOW.date())
    async with app.run_test(size=SIZE) as pilot:
        screen = DashboardScreen(CoordinatorDesk(app.hub))
        app.push_screen(screen)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = _text(screen.query_one("#dashboard-unmet", Static))
        assert "None in this period." in shown
        assert "Domestic abuse: 2 times" in shown
        assert "Suicide and self-harm: 1 time" in shown


async def test_a_broken_local_urgent_file_never_takes_urgent_help_off_the_kiosk(
    tmp_path: Path, clock: FakeClock
) -> None:
    data = tmp_path / "hub-data"
    data.mkdir()
    (data / "urgent.local.json").write_text('{"lines": [{"id": "x"}]}', encoding="utf-8")
    app = make_app(data_dir=data, clock=clock, idle_seconds=120)
    async with app.run_test(size=SIZE) as pilot:
        assert app.urgent == load_urgent()  # the national lines, all of them
        await _search(pilot, "my partner hits me")
        assert "0808 2000 247" in _panel_text(app)


async def test_crisis_words_an_older_version_logged_are_deleted_when_the_kiosk_starts(
    tmp_path: Path, clock: FakeClock
) -> None:
    data = tmp_path / "hub-data"
    with HubStore.open(data) as store:
        unmet = store.collection("unmet_searches")
        unmet.put(
            "2026-11-20|i want to kill myself",
            {"text": "i want to kill myself", "day": "2026-11-20", "count": 1},
        )
        unmet.put("2026-11-20|ukulele", {"text": "ukulele", "day": "2026-11-20", "count": 1})
    app = make_app(data_dir=data, clock=clock, idle_seconds=120)
    async with app.run_test(size=SIZE):
        pass
    for path in data.rglob("*"):
        if path.is_file():
            assert b"kill myself" not in path.read_bytes(), path
    with HubStore.open(data) as store:
        assert [u.text for u in unmet_searches(store)] == ["ukulele"]


@pytest.mark.parametrize("wait", [True, False], ids=["after-results", "at-once"])
async def test_keys_typed_at_once_after_escape_from_crisis_results_reach_the_box(
    app: HubApp, wait: bool
) -> None:
    # Once, after Escape from a crisis search's results, what was typed next seemed lost.
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#search")
        await pilot.press(*"i want to kill myself", "enter")
        if wait:
            await settle(pilot)
            assert app.focused is _panel(app)
        await pilot.press("escape")
        await pilot.press(*"lunch club", "enter")
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        box = home.query_one("#search")
        assert getattr(box, "value", None) == "lunch club"
        assert not _panel(app).display
        names = [item.service_name for item in home.query(ResultItem)]
        assert any("Lunch" in name for name in names), names


async def test_keys_typed_at_once_after_escape_from_the_urgent_screen_start_a_new_search(
    app: HubApp,
) -> None:
    # Enter on the calm panel opens every number; Escape comes back to Home. What is typed
    # next is a new search, not words added to the end of the crisis search.
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#search")
        await pilot.press(*"i want to kill myself", "enter")
        await settle(pilot)
        await pilot.press("enter")  # the panel has the keyboard: every number, large
        await pilot.pause()
        assert isinstance(app.screen, UrgentScreen)
        await pilot.press("escape")
        await pilot.press(*"lunch club", "enter")
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert getattr(home.query_one("#search"), "value", None) == "lunch club"
        names = [item.service_name for item in home.query(ResultItem)]
        assert any("Lunch" in name for name in names), names
