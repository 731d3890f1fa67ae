"""Words, looks and pictures: translation, contrast, the QR code, the card's facts."""

from __future__ import annotations

import gettext
import os
import re
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import segno
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from hub import i18n
from hub.referrals import format_day_with_year
from hub.schedule import format_date
from hub.storage import HubStore
from screens.app import HubApp
from screens.coordinator.dashboard import _week_label
from screens.service_card import ServiceCardScreen
from screens.take_away import QR_BYTES, TakeAwayScreen, print_card, qr_payload
from screens.themes import HIGH_CONTRAST, KIOSK_THEMES, TEXT_PAIRS, contrast_ratio
from screens.widgets.qr import qr_modules, qr_text
from screens.words import details_checked, last_checked, long_date, may_be_out_of_date
from tests.factories import make_service
from tests.ui.conftest import FIXED_NOW, settle

ROOT = Path(__file__).resolve().parents[2]


class _Shouting(gettext.NullTranslations):
    """A stand-in catalogue that translates one message, to prove the screens use `_`."""

    def gettext(self, message: str) -> str:
        return "TROUVER DE L'AIDE" if message == "Find help near you" else message


@pytest.fixture
def shouting_catalogue() -> Iterator[None]:
    before = i18n.current_catalogue()
    i18n.use_catalogue(_Shouting())
    yield
    i18n.use_catalogue(before)


async def _first_memory_take_away(pilot: Pilot[None]) -> None:
    """Open the Memory tile, its first service's card, and that card's "Take it with you"."""
    await pilot.click("#need-memory")
    await settle(pilot)
    await pilot.click(pilot.app.screen.query("ResultItem").first())
    await pilot.pause()
    await pilot.click("#take-away")
    await pilot.pause()


async def test_home_words_come_from_the_catalogue(app: HubApp, shouting_catalogue: None) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        title = app.screen.query_one("#bar-title", Static)
        assert str(title.render()) == "TROUVER DE L'AIDE"


def test_an_unknown_language_falls_back_to_english() -> None:
    before = i18n.current_catalogue()
    try:
        assert i18n.use_language(["xx"]) == "en"
        assert i18n._("Find help near you") == "Find help near you"
        assert i18n.ngettext("{count} place found", "{count} places found", 2).endswith("found")
    finally:
        i18n.use_catalogue(before)


def test_the_template_lists_every_message() -> None:
    shipped = (ROOT / "hub" / "locale" / "hub.pot").read_text(encoding="utf-8")
    catalogue_ids = set(re.findall(r'^msgid "(.*)"$', shipped, flags=re.MULTILINE))
    needed = {key.split("\x00")[0] for key in i18n.template_messages(ROOT)}
    escaped = {
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") for text in needed
    }
    missing = escaped - catalogue_ids
    assert not missing, f"run: .venv/bin/python -m hub.i18n (missing {sorted(missing)[:5]})"
    assert "Are you still there?" in catalogue_ids
    assert "Memory and dementia" in catalogue_ids


@pytest.mark.parametrize("name", list(KIOSK_THEMES))
def test_theme_contrast(name: str) -> None:
    theme = KIOSK_THEMES[name]
    floor = 7.0 if name == HIGH_CONTRAST else 4.5
    for text, ground in TEXT_PAIRS:
        ratio = contrast_ratio(theme.variables[text], theme.variables[ground])
        assert ratio >= floor, f"{name}: {text} on {ground} is {ratio:.1f}:1"


def test_high_contrast_is_white_on_black() -> None:
    theme = KIOSK_THEMES[HIGH_CONTRAST]
    assert (theme.foreground, theme.background) == ("#ffffff", "#000000")
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)


def test_the_qr_drawing_holds_exactly_the_codes_modules() -> None:
    text = "Church End Memory Café\nPhone 020 7946 0101\nNW10 9NP"
    modules = qr_modules(text)
    drawing = qr_text(modules)
    lines = drawing.plain.split("\n")
    assert len(lines) == (len(modules) + 1) // 2
    assert all(set(line) == {"▀"} and len(line) == len(modules[0]) for line in lines)
    # Read the modules back from the colours: the top half is the foreground colour
    # and the bottom half the background; dark must be black and light white.
    console = Console()
    rebuilt: list[list[bool]] = [[] for _ in range(len(lines) * 2)]
    for span_line, line_start in enumerate(range(0, len(drawing.plain), len(lines[0]) + 1)):
        for column in range(len(lines[0])):
            style = drawing.get_style_at_offset(console, line_start + column)
            assert style.color is not None and style.color.triplet is not None
            assert style.bgcolor is not None and style.bgcolor.triplet is not None
            rebuilt[2 * span_line].append(style.color.triplet.hex == "#000000")
            rebuilt[2 * span_line + 1].append(style.bgcolor.triplet.hex == "#000000")
    assert rebuilt[: len(modules)] == modules
    # An odd number of rows is padded with a light row: more quiet zone, never less.
    assert all(not any(row) for row in rebuilt[len(modules) :])
    # The quiet zone is light all round.
    assert not any(modules[0]) and not any(row[0] for row in modules)
    expected = segno.make(text, error="l", boost_error=True, micro=False)
    assert [list(map(bool, row)) for row in expected.matrix_iter(border=2)] == modules


def test_qr_payload_fits_a_24_line_screen(store: HubStore) -> None:
    long_address = make_service(
        name="A very long service name for a group that meets in a hall",
        contact={"phones": [{"number": "020 7946 0999"}]},
        locations=[
            {
                "id": "0f9b5e5c-0c3e-4d8e-9a43-1e2f0b3c4d5e",
                "name": "St Somebody's Parish Hall and Community Rooms",
                "address_lines": ["The Old Vicarage Annexe", "123 Very Long Road Name"],
                "town": "London",
                "postcode": "NW10 9NP",
            }
        ],
    )
    text = qr_payload(long_address, FIXED_NOW)
    assert len(text.encode("utf-8")) <= QR_BYTES
    assert "020 7946 0999" in text and "NW10 9NP" in text
    assert len(qr_modules(text)) <= 45  # version 6 plus the quiet zone: 23 lines


def test_dates_and_staleness_in_words() -> None:
    assert long_date(date(2026, 3, 3)) == "3 March 2026"
    checked = make_service(assured_date=date(2026, 3, 3))
    assert last_checked(checked) == "Last checked 3 March 2026"
    today = date(2026, 11, 26)
    assert may_be_out_of_date(checked, today)
    assert not may_be_out_of_date(make_service(assured_date=date(2026, 6, 1)), today)
    assert may_be_out_of_date(make_service(assured_date=None), today)


@pytest.mark.parametrize(
    ("code", "day", "month", "weekday_and_year"),
    [
        ("en", "3 March 2026", "March 2026", "Tuesday 3 March 2026"),
        ("pl", "3 marca 2026", "marzec 2026", "wtorek 3 marca 2026"),
        ("pt", "3 de março de 2026", "março de 2026", "terça-feira 3 de março de 2026"),
        ("ta", "3 மார்ச் 2026", "மார்ச் 2026", "செவ்வாய் 3 மார்ச் 2026"),
    ],
)
def test_dates_are_written_in_the_kiosks_language(
    code: str, day: str, month: str, weekday_and_year: str
) -> None:
    """Dates come from CLDR in the kiosk's language: its month names, order and grammar
    ("3 marca" but "marzec 2026"), never English month names glued into a sentence."""
    before = i18n.current_catalogue()
    i18n.use_language([code])
    try:
        checked = make_service(assured_date=date(2026, 3, 3))
        assert long_date(date(2026, 3, 3)) == day
        assert details_checked(checked) == i18n._("Details checked: {month_and_year}").format(
            month_and_year=month
        )
        assert format_day_with_year(date(2026, 3, 3)) == i18n._("{weekday} {date}").format(
            weekday=weekday_and_year.split(" ")[0], date=day
        )
        assert format_day_with_year(date(2026, 3, 3)).endswith(day)
        assert _week_label(date(2026, 11, 23)) == format_date(date(2026, 11, 23))
        assert "23" in _week_label(date(2026, 11, 23))
        if code == "en":
            assert format_day_with_year(date(2026, 3, 3)) == weekday_and_year
            assert _week_label(date(2026, 11, 23)) == "23 November"
    finally:
        i18n.use_catalogue(before)


async def test_card_warns_when_details_are_old(app: HubApp, store: HubStore) -> None:
    old = make_service(name="Old Details Club", assured_date=date(2025, 1, 10), needs=["food"])
    fresh = make_service(name="Fresh Details Club", assured_date=date(2026, 11, 1), needs=["food"])
    store.save_services([old, fresh])
    async with app.run_test(size=(80, 24)) as pilot:
        for service, stale in ((old, True), (fresh, False)):
            app.open_service(service.id)
            await pilot.pause()
            card = app.screen
            assert isinstance(card, ServiceCardScreen)
            warnings = card.query(".card-stale")
            assert bool(warnings) is stale
            if stale:
                assert "This may be out of date — phone first" in str(warnings.first().render())
            checked = str(card.query_one(".card-checked", Static).render())
            assert checked == details_checked(service)
            await pilot.press("escape")
            await pilot.pause()


async def test_card_shows_every_part(app: HubApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#need-memory")
        await settle(pilot)
        service = app.screen.query("ResultItem").first()
        await pilot.click(service)
        await pilot.pause()
        text = " ".join(str(s.render()) for s in app.screen.query(".card-section"))
        for heading in ("What it is", "Who it is for", "When", "Where", "How to get in"):
            assert heading in text
        for heading in ("Contact", "Cost", "Help in", "Step-free access", "Hearing loop"):
            assert heading in text


async def test_print_button_only_with_a_printer(
    app: HubApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed = tmp_path / "printed.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_lp = bin_dir / "lp"
    fake_lp.write_text(f'#!/bin/sh\necho "$@" > "{printed}.args"\ncat > "{printed}"\n')
    fake_lp.chmod(fake_lp.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    async with app.run_test(size=(80, 24)) as pilot:
        await _first_memory_take_away(pilot)
        screen = app.screen
        assert isinstance(screen, TakeAwayScreen)
        await pilot.click("#print")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert printed.read_text(encoding="utf-8") == print_card(screen.service, FIXED_NOW)
        assert "cpi=6" in printed.with_suffix(".txt.args").read_text()


async def test_no_printer_means_a_card_to_copy_down(
    app: HubApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nowhere with an `lp`
    async with app.run_test(size=(80, 24)) as pilot:
        await _first_memory_take_away(pilot)
        assert not app.screen.query("#print")
        lines = [str(s.render()) for s in app.screen.query(".copy-card Static")]
        service = app.screen.service  # type: ignore[attr-defined]
        assert lines[0] == service.name
        assert any(service.contact.phones[0].number in line for line in lines)


def test_who_for_says_the_ages_once() -> None:
    from screens.words import who_for
    from tests.factories import make_service

    described = make_service(
        eligibility={"description": "Women aged 18 and over", "minimum_age": 18}
    )
    assert who_for(described) == "Women aged 18 and over."
    bare = make_service(eligibility={"description": "Carers", "minimum_age": 18})
    assert who_for(bare) == "Carers.\nAges 18 and over."
    assert who_for(make_service()) == "Anyone can come."
