"""Export for the coordinator, Import files and the coordinator dashboard, driven by Pilot
against real data folders in tmp_path."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, DirectoryTree, Input, Static, TextArea

from hub.audit import audit_entries
from hub.coordinator_desk import CoordinatorDesk
from hub.hub_identity import ensure_signing_key, require_hub, setup_hub
from hub.models import HubInfo, Referral
from hub.needs import need_by_id
from hub.staff import StaffMember, add_staff
from hub.storage import HubStore
from hub.sync import check_bundle_file, export_bundle, import_bundles, trust_key
from hub.unmet import log_unmet_search
from screens.app import HubApp, make_app
from screens.coordinator import import_files as import_module
from screens.coordinator import removable_drives
from screens.coordinator.bar_chart import Bar, BarChart, bar_blocks, draw_bars
from screens.coordinator.dashboard import DashboardScreen, period_start
from screens.coordinator.export_bundle import ExportBundleScreen
from screens.coordinator.import_files import ImportFilesScreen, files_to_import
from tests.factories import make_referral
from tests.ui.conftest import FIXED_NOW, FakeClock, click_again

NOW_UTC = FIXED_NOW.astimezone(UTC)
PIN = "246810"


# --- set-up -------------------------------------------------------------------------


@pytest.fixture
def usb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a folder standing in for a mounted USB drive; home is another tmp folder."""
    drive = tmp_path / "usb"
    drive.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr("screens.coordinator.export_bundle.removable_drives", lambda: [drive])
    monkeypatch.setattr(import_module, "start_folders", lambda: [drive, home])
    return drive


def _open(tmp_path: Path, name: str) -> HubStore:
    return HubStore.open(tmp_path / name)


def _enrol(at: HubStore, other: HubStore, *, coordinator: bool = False) -> None:
    """Enrol `other`'s public key at `at`, as `hub sync trust` would."""
    info = require_hub(other)
    key = bytes(ensure_signing_key(other).verify_key)
    trust_key(at, info.id, info.name, key, coordinator=coordinator, now=NOW_UTC, own_hub_id=None)


@pytest.fixture
def hub_store(tmp_path: Path) -> Iterator[HubStore]:
    """Return a set-up hub's store (Church End Library), with no referrals yet.

    The coordinator's data folder is set up beside it, and each has enrolled the other's
    key, as `hub sync trust` does once by phone.
    """
    store = _open(tmp_path, "church-end")
    setup_hub(store, "Church End Library")
    with _open(tmp_path, "coordinator") as coordinator:
        setup_hub(coordinator, "Brent Coordinator")
        _enrol(store, coordinator, coordinator=True)
        _enrol(coordinator, store)
    yield store
    store.close()


@pytest.fixture
def coordinator_store(tmp_path: Path) -> Iterator[HubStore]:
    """Return a second, set-up data folder: the coordinator's."""
    store = _open(tmp_path, "coordinator")
    setup_hub(store, "Brent Coordinator")
    yield store
    store.close()


@pytest.fixture
def member(hub_store: HubStore) -> StaffMember:
    """Return a staff member of the hub."""
    return add_staff(hub_store, "Ana Silva", PIN, NOW_UTC)


def _hub(store: HubStore) -> HubInfo:
    return require_hub(store)


def _referrals(
    store: HubStore, count: int, at: datetime = NOW_UTC - timedelta(hours=1), **fields: object
) -> list[Referral]:
    """Save `count` referrals at this hub, recorded an hour before the tests' time."""
    made = [make_referral(hub_id=_hub(store).id, now=at, **fields) for _ in range(count)]
    store.save_referrals(made)
    return made


def _app(store: HubStore, clock: FakeClock) -> HubApp:
    return make_app(store=store, clock=clock, idle_seconds=600, idle_countdown_seconds=30)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the screens' own workers have reported back.

    Not every worker: the file tree's loader waits for folders to load for as long as the
    tree lives.
    """
    await pilot.pause(0.1)
    ours = [w for w in pilot.app.workers if (w.group or "").startswith("coordinator-")]
    if ours:  # an empty list would mean every worker
        await pilot.app.workers.wait_for_complete(ours)
    await pilot.pause()
    await pilot.pause()


async def _push(pilot: Pilot[None], screen: Screen[None]) -> None:
    pilot.app.push_screen(screen)
    await settle(pilot)


async def _start_up_done(pilot: Pilot[None]) -> None:
    """Wait until the kiosk's start-up (the purge, the directory's load) has made its writes.

    Only that worker: the file tree's loader lives as long as the tree does.
    """
    app = pilot.app
    assert isinstance(app, HubApp)
    assert await asyncio.to_thread(app.hub.wait_until_ready, 60), "the directory never loaded"
    loads = [worker for worker in app.workers if worker.name == "load-directory"]
    if loads:
        await app.workers.wait_for_complete(loads)
    await pilot.pause()


def _text(screen: Screen[None], selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _import_result(pilot: Pilot[None], screen: Screen[None]) -> str:
    """Return the import's result words once the import's worker has shown them.

    Waits on the screen itself rather than a fixed pause: on a busy machine the worker
    can take longer than any pause a test would want to sit through every time.
    """
    await settle(pilot)
    for _ in range(400):
        try:
            words = _text(screen, "#import-result")
        except NoMatches:
            words = ""
        if words and not words.startswith("Checking"):
            return words
        await pilot.pause(0.05)
    app = pilot.app
    raise AssertionError(
        f"no import result: stack={app.screen_stack} attached={screen.is_attached} "
        f"children={[w.id for w in screen.query('*') if w.id]} "
        f"exception={getattr(app, '_exception', None)!r} return_code={app.return_code}"
    )


async def _import_paths(pilot: Pilot[None], paths: str) -> tuple[ImportFilesScreen, str]:
    """Open the import screen, put `paths` in its box and press Import.

    Returns the screen and the import's result words once they are shown.
    """
    app = pilot.app
    assert isinstance(app, HubApp)
    screen = ImportFilesScreen(CoordinatorDesk(app.hub), "coordinator-1")
    await _push(pilot, screen)
    screen.query_one("#import-paths", TextArea).text = paths
    await pilot.click("#import")
    return screen, await _import_result(pilot, screen)


def _folder_bytes(root: Path) -> dict[str, bytes]:
    """Return every file under root, by relative path, with its bytes."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _fits_width(screen: Screen[None], width: int) -> None:
    """Assert nothing on the screen needs scrolling sideways at this width."""
    body = screen.query_one(".coordinator-body", VerticalScroll)
    assert body.max_scroll_x == 0
    assert body.region.right <= width


# --- export ---------------------------------------------------------------------------


async def test_export_suggests_the_usb_drive_and_writes_a_valid_bundle(
    hub_store: HubStore, member: StaffMember, usb: Path, clock: FakeClock
) -> None:
    made = _referrals(hub_store, 3)
    app = _app(hub_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = ExportBundleScreen(CoordinatorDesk(app.hub), member.id)
        await _push(pilot, screen)
        path_box = screen.query_one("#export-path", Input)
        expected = usb / "church-end-library-2026-11-26.json"
        assert path_box.value == str(expected)
        assert app.focused is path_box
        assert "Staff: Ana Silva" in _text(screen, "#bar-staff")
        _fits_width(screen, 80)

        await pilot.click("#export")
        await settle(pilot)

        checked = check_bundle_file(expected, store=hub_store, now=NOW_UTC)
        assert sorted(r.id for r in checked.bundle.referrals) == sorted(r.id for r in made)
        assert checked.bundle.hub.name == "Church End Library"
        result = _text(screen, "#export-result")
        assert "Saved" in result
        assert str(expected) in result
        assert "3 referrals" in result
        assert "only the coordinator can read them" in result
        assert "0 services changed at this hub" in result
        assert "0 searches that found nothing" in result
        # The next suggestion never replaces the file just written.
        assert path_box.value == str(usb / "church-end-library-2026-11-26-2.json")
    exports = [e for e in audit_entries(hub_store) if e.action == "sync.export"]
    assert [(e.staff_id, e.count) for e in exports] == [(member.id, 3)]


async def test_export_by_keyboard_alone_can_leave_out_contact_details(
    hub_store: HubStore, member: StaffMember, usb: Path, clock: FakeClock
) -> None:
    _referrals(
        hub_store, 2, consent_to_follow_up=True, contact="07700 900123", notes="Prefers mornings"
    )
    app = _app(hub_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = ExportBundleScreen(CoordinatorDesk(app.hub), member.id)
        await _push(pilot, screen)
        await pilot.press("tab", "tab", "space")  # past "Everything", tick "Leave out…"
        await pilot.press("tab", "enter")  # Export
        await settle(pilot)
        assert "contact details and notes left out" in _text(screen, "#export-result")
    text = (usb / "church-end-library-2026-11-26.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["personal_details"] == "redacted"
    assert len(document["referrals"]) == 2
    assert all(r["contact"] is None and r["notes"] is None for r in document["referrals"])
    assert "07700 900123" not in text and "Prefers mornings" not in text


async def test_export_says_set_up_first_when_the_hub_has_no_name(
    tmp_path: Path, usb: Path, clock: FakeClock
) -> None:
    store = _open(tmp_path, "not-set-up")
    try:
        app = _app(store, clock)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = ExportBundleScreen(CoordinatorDesk(app.hub), "staff-1")
            await _push(pilot, screen)
            assert "Set up this hub first" in _text(screen, "#export-result")
            assert "hub setup --name" in _text(screen, "#export-result")
            assert screen.query_one("#export", Button).disabled
            await pilot.press("enter")  # Enter in the path box tries too, and is told the same
            await settle(pilot)
            assert "Set up this hub first" in _text(screen, "#export-result")
        assert list(usb.iterdir()) == []
    finally:
        store.close()


async def test_export_asks_before_replacing_a_file(
    hub_store: HubStore, member: StaffMember, usb: Path, clock: FakeClock
) -> None:
    _referrals(hub_store, 1)
    earlier = usb / "church-end-library-2026-11-26.json"
    earlier.write_text("an earlier export", encoding="utf-8")
    app = _app(hub_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = ExportBundleScreen(CoordinatorDesk(app.hub), member.id)
        await _push(pilot, screen)
        path_box = screen.query_one("#export-path", Input)
        assert path_box.value == str(usb / "church-end-library-2026-11-26-2.json")
        path_box.value = str(earlier)
        await pilot.click("#export")
        await settle(pilot)
        assert "already a file called" in _text(screen, "#export-result")
        assert earlier.read_text(encoding="utf-8") == "an earlier export"
        assert str(screen.query_one("#export", Button).label) == "Replace it"
        await click_again(pilot, "#export")
        await settle(pilot)
        assert "Saved" in _text(screen, "#export-result")
    assert len(check_bundle_file(earlier, store=hub_store, now=NOW_UTC).bundle.referrals) == 1


async def test_export_to_a_missing_folder_says_so_and_changes_nothing(
    hub_store: HubStore, member: StaffMember, usb: Path, clock: FakeClock
) -> None:
    _referrals(hub_store, 1)
    app = _app(hub_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = ExportBundleScreen(CoordinatorDesk(app.hub), member.id)
        await _push(pilot, screen)
        screen.query_one("#export-path", Input).value = str(usb / "unplugged" / "hub.json")
        await pilot.click("#export")
        await settle(pilot)
        result = _text(screen, "#export-result")
        assert "not saved" in result
        assert "does not exist" in result
    assert hub_store.meta("sync_last_export_at") is None


# --- import ---------------------------------------------------------------------------


async def test_import_of_an_exported_file_adds_its_referrals(
    hub_store: HubStore,
    coordinator_store: HubStore,
    member: StaffMember,
    usb: Path,
    clock: FakeClock,
) -> None:
    made = _referrals(hub_store, 4)
    file = usb / "church-end.json"
    export_bundle(hub_store, file, now=NOW_UTC)
    app = _app(coordinator_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = ImportFilesScreen(CoordinatorDesk(app.hub), "coordinator-1")
        await _push(pilot, screen)
        assert app.focused is screen.query_one("#import-paths", TextArea)
        _fits_width(screen, 80)
        # Pick the file in the tree with the keyboard: the tree shows the USB drive.
        tree = screen.query_one("#import-tree", DirectoryTree)
        tree.focus()
        await settle(pilot)
        # The tree lists the drive in its own worker: wait for that, not for a fixed time
        # (on a busy machine a fixed pause is not enough).
        for _ in range(400):
            if tree.root.children:
                break
            await pilot.pause(0.05)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.query_one("#import-paths", TextArea).text == str(file)
        # Press the button itself: a click goes to screen coordinates, and the body may
        # still be scrolling after the pick on a busy machine (the click then lands on Back).
        screen.query_one("#import", Button).press()
        result = await _import_result(pilot, screen)
        assert "Imported 1 file" in result
        assert "from Church End Library" in result
        assert "Referrals: 4 added, 0 updated, 0 unchanged" in result
        assert sorted(r.id for r in coordinator_store.referrals()) == sorted(r.id for r in made)

        # The same file again changes nothing, and says so.
        await click_again(pilot, "#import")
        result = await _import_result(pilot, screen)
        assert "Referrals: 0 added, 0 updated, 4 unchanged" in result
        assert "Nothing new" in result
    imports = [e for e in audit_entries(coordinator_store) if e.action == "sync.import"]
    assert [(e.staff_id, e.count) for e in imports] == [("coordinator-1", 4)]


async def test_a_folder_typed_in_imports_every_bundle_in_it(
    hub_store: HubStore, coordinator_store: HubStore, usb: Path, clock: FakeClock
) -> None:
    _referrals(hub_store, 2)
    export_bundle(hub_store, usb / "monday.json", now=NOW_UTC)
    _referrals(hub_store, 1, at=NOW_UTC + timedelta(seconds=30))
    export_bundle(hub_store, usb / "tuesday.json", now=NOW_UTC + timedelta(minutes=1))
    app = _app(coordinator_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = ImportFilesScreen(CoordinatorDesk(app.hub), "coordinator-1")
        await _push(pilot, screen)
        await pilot.press(*str(usb))
        await pilot.click("#import")
        result = await _import_result(pilot, screen)
        assert "Imported 2 files" in result
        assert "monday.json" in result and "tuesday.json" in result
    assert len(coordinator_store.referrals()) == 3


async def test_a_bad_file_is_named_and_nothing_changes(
    hub_store: HubStore, coordinator_store: HubStore, usb: Path, clock: FakeClock
) -> None:
    _referrals(hub_store, 3)
    good = usb / "good.json"
    export_bundle(hub_store, good, now=NOW_UTC)
    cut = usb / "cut-short.json"
    cut.write_bytes(good.read_bytes()[:500])
    edited = usb / "edited.json"
    document = json.loads(good.read_text(encoding="utf-8"))
    document["referrals"][1]["age_band"] = "about 70"
    edited.write_text(json.dumps(document), encoding="utf-8")
    folder = coordinator_store.root
    before = _folder_bytes(folder)
    app = _app(coordinator_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = ImportFilesScreen(CoordinatorDesk(app.hub), "coordinator-1")
        await _push(pilot, screen)
        await _start_up_done(pilot)
        before = _folder_bytes(folder)
        screen.query_one("#import-paths", TextArea).text = "\n".join(
            [str(good), str(cut), str(edited)]
        )
        await pilot.click("#import")
        lines = (await _import_result(pilot, screen)).splitlines()
        assert any(line.startswith(str(cut)) and "cut short" in line for line in lines)
        assert any(line.startswith(str(edited)) and "checksum" in line for line in lines)
        assert not any(line.startswith(str(good)) for line in lines)
        assert "Nothing was imported: 2 of 3 are not usable." in lines
        assert screen.query_one("#import-result", Static).has_class("-problem")
    assert coordinator_store.referrals() == []
    assert _folder_bytes(folder) == before


async def test_a_missing_file_and_an_empty_folder_are_named_before_anything_is_read(
    coordinator_store: HubStore, usb: Path, clock: FakeClock
) -> None:
    empty = usb / "empty"
    empty.mkdir()
    app = _app(coordinator_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        _, result = await _import_paths(pilot, f"{usb / 'gone.json'}\n\n{empty}")
        assert f"{empty}: there are no .json files in this folder" in result
        assert f"{usb / 'gone.json'}: no such file" in result
        assert "Nothing was imported: 2 of 2 are not usable." in result


def test_files_to_import_expands_folders_and_skips_repeats(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text("{}", encoding="utf-8")
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    (tmp_path / ".hidden.json").write_text("{}", encoding="utf-8")
    chosen = files_to_import([str(tmp_path), "", "  a.json  "], base=tmp_path)
    assert chosen.files == [tmp_path / "a.json", tmp_path / "b.json"]
    assert chosen.problems == []


# --- dashboard ------------------------------------------------------------------------


def _bars(screen: Screen[None], selector: str) -> dict[str, int]:
    return {bar.label: bar.count for bar in screen.query_one(selector, BarChart).bars}


def _screen_text(screen: Screen[None]) -> str:
    return "\n".join(str(widget.render()) for widget in screen.query(Static)) + "\n".join(
        line.plain for chart in screen.query(BarChart) for line in chart.lines(70)
    )


async def test_dashboard_charts_referrals_by_need_and_week_with_counts_only(
    hub_store: HubStore, clock: FakeClock
) -> None:
    hub_id = _hub(hub_store).id
    recent = NOW_UTC - timedelta(days=2)
    old = NOW_UTC - timedelta(days=100)
    hub_store.save_referrals(
        [
            *(make_referral(hub_id=hub_id, now=recent, needs=["food"]) for _ in range(3)),
            *(make_referral(hub_id=hub_id, now=recent, needs=["food", "money"]) for _ in range(2)),
            make_referral(
                hub_id=hub_id,
                now=recent - timedelta(days=7),
                needs=["memory"],
                consent_to_follow_up=True,
                contact="07700 900123",
                notes="Prefers mornings",
            ),
            make_referral(hub_id=hub_id, now=old, needs=["housing"]),
        ]
    )
    log_unmet_search(hub_store, "sign language class", FIXED_NOW.date())
    food, money, memory, housing = (
        need.label if (need := need_by_id(key)) else key
        for key in ("food", "money", "memory", "housing")
    )
    app = _app(hub_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = DashboardScreen(CoordinatorDesk(app.hub))
        await _push(pilot, screen)
        assert _bars(screen, "#chart-needs") == {food: 5, money: 2, memory: 1}
        weeks = screen.query_one("#chart-weeks", BarChart).bars
        assert [bar.count for bar in weeks] == [0, 0, 1, 5]  # four weeks, this one last
        assert weeks[-1].label == "23 November"
        assert "6 referrals from 1 hub" in _text(screen, "#dashboard-total")
        assert "sign language class: 1 time, 1 hub" in _text(screen, "#dashboard-unmet")
        # The bars are drawn with their counts, longest for the biggest.
        lines = {
            line.plain.split()[0]: line.plain
            for line in screen.query_one("#chart-needs", BarChart).lines(70)
        }
        assert lines[food.split()[0]].rstrip().endswith("█ 5")
        assert lines[memory.split()[0]].rstrip().endswith(" 1")
        shown = _screen_text(screen)
        assert "07700 900123" not in shown and "Prefers mornings" not in shown
        _fits_width(screen, 80)

        await pilot.click("#period-all")  # by mouse
        await settle(pilot)
        assert _bars(screen, "#chart-needs") == {food: 5, money: 2, memory: 1, housing: 1}
        assert "✓" in str(screen.query_one("#period-all", Button).label)
        # All time: the week chart stops at the latest 12 weeks.
        weeks = screen.query_one("#chart-weeks", BarChart).bars
        assert len(weeks) == 12
        assert weeks[-1].count == 5

        await pilot.press("shift+tab", "enter")  # by keyboard: Last 12 weeks
        await settle(pilot)
        assert screen.choice == "12"
        assert _bars(screen, "#chart-needs") == {food: 5, money: 2, memory: 1}


async def test_dashboard_with_no_referrals_says_so(hub_store: HubStore, clock: FakeClock) -> None:
    app = _app(hub_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = DashboardScreen(CoordinatorDesk(app.hub))
        await _push(pilot, screen)
        chart = screen.query_one("#chart-needs", BarChart)
        assert chart.is_empty
        assert [line.plain for line in chart.lines(60)] == ["No referrals in this period."]
        assert "0 referrals" in _text(screen, "#dashboard-total")
        assert "None in this period." in _text(screen, "#dashboard-unmet")
        _fits_width(screen, 120)


async def test_every_screen_closes_with_escape(
    hub_store: HubStore, member: StaffMember, usb: Path, clock: FakeClock
) -> None:
    app = _app(hub_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for screen in (
            ExportBundleScreen(CoordinatorDesk(app.hub), member.id),
            ImportFilesScreen(CoordinatorDesk(app.hub), member.id),
            DashboardScreen(CoordinatorDesk(app.hub)),
        ):
            await _push(pilot, screen)
            assert app.screen is screen
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is not screen
        await _push(pilot, DashboardScreen(CoordinatorDesk(app.hub)))
        await pilot.click("#back")  # and with the mouse
        await pilot.pause()
        assert not isinstance(app.screen, DashboardScreen)


# --- the pieces -----------------------------------------------------------------------


def test_bars_are_drawn_to_an_eighth_and_never_hide_a_small_count() -> None:
    assert bar_blocks(0, 10, 20) == ""
    assert bar_blocks(10, 10, 20) == "█" * 20
    assert bar_blocks(5, 10, 3) == "█▌"
    assert bar_blocks(1, 1000, 10) == "▏"


def test_period_start_counts_this_week_as_one() -> None:
    today = FIXED_NOW.date()  # a Thursday
    assert period_start("4", today) == today - timedelta(days=3 + 21)
    assert period_start("12", today).weekday() == 0  # type: ignore[union-attr]
    assert period_start("all", today) is None


def test_removable_drives_are_mount_points_under_media(tmp_path: Path) -> None:
    media, run_media = tmp_path / "media", tmp_path / "run-media"
    for folder in (
        media / "ana" / "STICK",
        media / "ana" / "left-behind",
        media / "BACKUP",
        run_media / "ana" / "KINGSTON",
    ):
        folder.mkdir(parents=True)
    mounts = {"STICK", "BACKUP", "KINGSTON"}
    drives = removable_drives(
        user="ana", roots=(media, run_media), is_mount=lambda path: path.name in mounts
    )
    assert drives == [media / "ana" / "STICK", media / "BACKUP", run_media / "ana" / "KINGSTON"]


def test_bar_chart_fits_its_width() -> None:
    lines = [
        line.plain
        for line in draw_bars(
            [Bar("A very long need name that will not fit", 3), Bar("Food", 12)], 40
        )
    ]
    # 16 cells of label (40%), a space, the bar, a space, the count.
    assert lines == ["A very long nee… █████ 3", "Food             ████████████████████ 12"]


async def test_a_file_from_a_hub_not_enrolled_is_refused_calmly_with_what_to_do(
    tmp_path: Path, coordinator_store: HubStore, usb: Path, clock: FakeClock
) -> None:
    with _open(tmp_path, "new-hub") as newcomer:
        setup_hub(newcomer, "Wembley Library")
        _referrals(newcomer, 1)
        export_bundle(newcomer, usb / "wembley.json", redact=True, now=NOW_UTC)
    app = _app(coordinator_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, result = await _import_paths(pilot, str(usb / "wembley.json"))
        assert "whose key is not enrolled here (fingerprint" in result
        assert f"hub sync trust {usb / 'wembley.json'}" in result
        assert screen.query_one("#import-result", Static).has_class("-problem")
    assert coordinator_store.referrals() == []


async def test_details_sealed_for_another_coordinator_are_kept_and_the_screen_says_so(
    tmp_path: Path,
    hub_store: HubStore,
    coordinator_store: HubStore,
    usb: Path,
    clock: FakeClock,
) -> None:
    made = _referrals(hub_store, 1, consent_to_follow_up=True, contact="07700 900123")
    export_bundle(hub_store, usb / "first.json", now=NOW_UTC)
    with _open(tmp_path, "another-coordinator") as other:
        setup_hub(other, "Somewhere else")
        _enrol(hub_store, other, coordinator=True)  # the hub now seals to another key
    export_bundle(hub_store, usb / "second.json", everything=True, now=NOW_UTC)
    import_bundles(coordinator_store, [usb / "first.json"], now=NOW_UTC)
    app = _app(coordinator_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        _, result = await _import_paths(pilot, str(usb / "second.json"))
        assert "sealed for another coordinator" in result
        assert "Referrals: 0 added, 0 updated, 1 unchanged" in result
    held = coordinator_store.referral(made[0].id)
    assert held is not None and held.contact == "07700 900123"
