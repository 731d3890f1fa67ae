"""Read aloud: the kiosk speaks a screen's words offline with espeak-ng (issue 15, item 5).

espeak-ng is a Debian package (`sudo apt install espeak-ng`), not a Python one; the kiosk
calls it directly, with a list of arguments and the words on its standard input, never
through a shell, so the words are data and nothing in them can run. When the program is
missing, or has no voice for the visitor's language, `can_read` says so and the Listen
button stays hidden. Off unless staff turn it on (`hub setup --read-aloud on`).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PROGRAM = "espeak-ng"
WORDS_PER_MINUTE = 140
"""Slower than espeak-ng's 175, for people who are new to English or hear less well."""
GAP_BETWEEN_WORDS = 2
"""espeak-ng's -g: a little silence between words (units of 10 ms at normal speed)."""
MAX_CHARACTERS = 4000
"""A card or the urgent lines are well under this; more would be minutes of speech."""
WAV_TIMEOUT = 60

VOICES: dict[str, str] = {
    "en": "en-gb",
    "ar": "ar",
    "gu": "gu",
    "pl": "pl",
    "pt": "pt",
    "pt_BR": "pt-br",
    "ro": "ro",
    "ta": "ta",
}
"""Our language codes (gettext's) to espeak-ng voices. espeak-ng has no Somali voice, so
"so" is left out: reading Somali words with another language's sounds would not help."""


def program_path() -> str | None:
    """Return where espeak-ng is installed, or None when it is not."""
    return shutil.which(PROGRAM)


def voice_for(language: str) -> str | None:
    """Return the espeak-ng voice for a language code ("pt_BR" -> "pt-br"), or None."""
    return VOICES.get(language) or VOICES.get(language.split("_")[0])


def can_read(language: str) -> bool:
    """Return True when this PC can read words in this language aloud."""
    return program_path() is not None and voice_for(language) is not None


def speech_arguments(program: str, voice: str, wav: Path | None = None) -> list[str]:
    """Return the command line that speaks standard input (or writes it to a WAV file).

    No SSML or markup mode is switched on (-m), so espeak-ng reads every character of
    the text as words to say.
    """
    arguments = [program, "-v", voice, "-s", str(WORDS_PER_MINUTE), "-g", str(GAP_BETWEEN_WORDS)]
    if wav is not None:
        arguments += ["-w", str(wav)]
    return [*arguments, "--stdin"]


def _words(text: str) -> bytes:
    return text[:MAX_CHARACTERS].encode("utf-8")


class Speaker:
    """Speaks one text at a time; `stop` ends the speech at once."""

    def __init__(self, program: str | None = None) -> None:
        self.program = program or program_path()
        self._speaking: subprocess.Popen[bytes] | None = None

    @property
    def speaking(self) -> bool:
        """Return True while words are still being spoken."""
        return self._speaking is not None and self._speaking.poll() is None

    def say(self, text: str, language: str) -> bool:
        """Start speaking `text` in `language` and return at once; False if it cannot.

        Whatever was being said is stopped first.
        """
        self.stop()
        voice = voice_for(language)
        if self.program is None or voice is None or not text.strip():
            return False
        try:
            process = subprocess.Popen(
                speech_arguments(self.program, voice),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return False
        assert process.stdin is not None
        try:
            # Small enough for the pipe's buffer: this never waits for the speech.
            process.stdin.write(_words(text))
            process.stdin.close()
        except OSError:
            process.kill()
            return False
        self._speaking = process
        return True

    def stop(self) -> None:
        """Stop speaking now (the sound ends with the process)."""
        process, self._speaking = self._speaking, None
        if process is None or process.poll() is not None:
            return
        process.kill()
        process.wait(timeout=5)


def write_wav(text: str, language: str, wav: Path, program: str | None = None) -> None:
    """Write the speech for `text` to a WAV file, as the kiosk would say it.

    Raises OSError (or subprocess.CalledProcessError) when espeak-ng cannot, and
    ValueError when there is no voice for the language.
    """
    program = program or program_path()
    voice = voice_for(language)
    if program is None:
        raise OSError(f"{PROGRAM} is not installed")
    if voice is None:
        raise ValueError(f"{PROGRAM} has no voice for {language!r}")
    subprocess.run(
        speech_arguments(program, voice, wav),
        input=_words(text),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        timeout=WAV_TIMEOUT,
    )
