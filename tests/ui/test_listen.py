"""Listen (issue 15, item 5): espeak-ng reads a card, urgent help or Home aloud.

The WAV test speaks a real card with the real espeak-ng, exactly as the kiosk calls it,
and checks the sound is as long as the words need at the kiosk's slower rate. It is
skipped, saying why, where espeak-ng is not installed (`sudo apt install espeak-ng`).
"""

from __future__ import annotations

import shutil
import subprocess
import time
import wave
from pathlib import Path

import pytest

from hub.config import update_settings
from hub.read_aloud import PROGRAM, WORDS_PER_MINUTE, write_wav
from hub.storage import HubStore
from screens.app import HubApp, make_app
from screens.service_card import ServiceCardScreen, card_words
from screens.urgent import UrgentScreen
from tests.cli.runner import hub
from tests.ui.conftest import FIXED_NOW, FakeClock, click_again
from tests.ui.test_staff_mode import open_cafe_card

needs_espeak = pytest.mark.skipif(
    shutil.which(PROGRAM) is None,
    reason="espeak-ng is not installed (sudo apt install espeak-ng); Listen stays hidden",
)


def _seconds(wav: Path) -> float:
    with wave.open(str(wav)) as sound:
        frames: int = sound.getnframes()
        rate: int = sound.getframerate()
    return frames / rate


@needs_espeak
def test_a_card_read_aloud_lasts_as_long_as_its_words_need(app: HubApp, tmp_path: Path) -> None:
    cafe = next(s for s in app.hub.listed_services() if "Memory Café" in s.name)
    words = card_words(cafe, FIXED_NOW)
    assert cafe.name in words and "Cost." in words
    slow = tmp_path / "card.wav"
    write_wav(words, "en", slow)
    count = len(words.split())
    expected = count / WORDS_PER_MINUTE * 60
    took = _seconds(slow)
    # Numbers, addresses and pauses at each line make speech uneven; a broken call makes
    # a file of a second or none, a runaway one many times longer.
    assert 0.6 * expected < took < 1.8 * expected, (count, expected, took)
    # Slower than espeak-ng's own rate: the same words at its default take less time.
    usual = tmp_path / "usual.wav"
    subprocess.run(
        [PROGRAM, "-v", "en-gb", "-w", str(usual), "--stdin"],
        input=words.encode(),
        check=True,
        capture_output=True,
    )
    assert took > _seconds(usual) * 1.1


@needs_espeak
def test_polish_is_read_with_the_polish_voice(tmp_path: Path) -> None:
    wav = tmp_path / "pl.wav"
    write_wav("Pomoc w nagłych wypadkach. Zadzwoń pod numer sto jedenaście.", "pl", wav)
    assert _seconds(wav) > 2.0


def test_words_are_data_never_options_or_markup(tmp_path: Path) -> None:
    """Text that looks like an option or SSML reaches espeak-ng as words on stdin."""
    if shutil.which(PROGRAM) is None:
        pytest.skip("espeak-ng is not installed (sudo apt install espeak-ng)")
    wav = tmp_path / "odd.wav"
    write_wav('-w /tmp/elsewhere.wav <speak><break time="60s"/></speak>', "en", wav)
    assert 0.5 < _seconds(wav) < 20  # spoken as words: no minute of silence, no other file


async def test_listen_is_hidden_unless_turned_on(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.read_aloud
        assert not app.screen.query_one("#listen").display
        await open_cafe_card(pilot)
        assert not app.screen.query_one("#listen").display
        await pilot.press("f2")  # the key does nothing either
        await pilot.pause()
        assert not app.speaker.speaking


def test_setup_turns_read_aloud_on_and_off(tmp_path: Path) -> None:
    on = hub(tmp_path, "setup", "--name", "Church End Library", "--read-aloud", "on")
    assert on.returncode == 0, on.stderr
    assert "Read aloud (Listen): on." in on.stdout
    off = hub(tmp_path, "setup", "--read-aloud", "off")
    assert "Read aloud (Listen): off." in off.stdout
    wrong = hub(tmp_path, "setup", "--read-aloud", "loud")
    assert wrong.returncode != 0 and "invalid choice" in wrong.stderr


@pytest.fixture
def long_speech(tmp_path: Path) -> Path:
    """Return a stand-in for espeak-ng that keeps "speaking" for a minute.

    Without a sound card espeak-ng ends at once, so stopping it could not be seen; this
    script takes the same arguments and standard input, writes them down, and waits.
    """
    script = tmp_path / "slow-espeak"
    script.write_text(
        f'#!/bin/sh\necho "$@" > {tmp_path}/args\ncat > {tmp_path}/words\nexec sleep 60\n'
    )
    script.chmod(0o755)
    return script


async def _speaking_kiosk(store: HubStore, clock: FakeClock, program: Path) -> HubApp:
    update_settings(store, read_aloud=True)
    app = make_app(store=store, clock=clock, idle_seconds=120)
    app.speaker.program = str(program)
    return app


@needs_espeak
async def test_listen_reads_the_card_and_any_key_stops_it(
    store: HubStore, clock: FakeClock, long_speech: Path, tmp_path: Path
) -> None:
    app = await _speaking_kiosk(store, clock, long_speech)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#listen").display  # on Home too
        await open_cafe_card(pilot)
        assert isinstance(app.screen, ServiceCardScreen)
        assert app.screen.query_one("#listen").display
        await pilot.press("f2")
        await pilot.pause()
        assert app.speaker.speaking
        for _ in range(50):
            if (tmp_path / "words").exists() and (tmp_path / "words").read_text():
                break
            time.sleep(0.05)
        said = (tmp_path / "words").read_text()
        assert said.startswith(app.screen.service.name)
        assert (tmp_path / "args").read_text().split()[:5] == ["-v", "en-gb", "-s", "140", "-g"]
        process = app.speaker._speaking
        assert process is not None
        await pilot.press("down")  # any key
        assert process.poll() is not None  # stopped at once, before the key was handled
        assert not app.speaker.speaking
        # F2 while speaking stops it too, and is not taken as Listen again.
        await pilot.press("f2")
        await pilot.pause()
        assert app.speaker.speaking
        await pilot.press("f2")
        await pilot.pause()
        assert not app.speaker.speaking


@needs_espeak
async def test_listen_on_urgent_help_and_a_click_stops_it(
    store: HubStore, clock: FakeClock, long_speech: Path, tmp_path: Path
) -> None:
    app = await _speaking_kiosk(store, clock, long_speech)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, UrgentScreen)
        await pilot.click("#listen")
        await pilot.pause()
        assert app.speaker.speaking
        await click_again(pilot, "#listen")  # a second click stops, and does not start again
        await pilot.pause()
        assert not app.speaker.speaking
