"""What a screen shows in English that its language's catalogue translates.

"No English left" is checked against the catalogue itself: every English message the
catalogue translates must not be on screen in English, and its translation must be.
The directory's own words (services' names and descriptions) are left out: they are
shown as they are given.
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path

from textual.widgets import Button, OptionList, Static

from hub import i18n
from screens.app import HubApp


def catalogue_for(code: str) -> gettext.GNUTranslations:
    """Return the compiled catalogue of one language."""
    return gettext.translation(i18n.DOMAIN, i18n.LOCALE_DIR, languages=[code])


DIRECTORY_WORDS = "ResultItem"
"""The widgets that show the directory's own words on a visitor's screen: its results."""


def words_on_screen(app: HubApp, data: str = DIRECTORY_WORDS) -> list[str]:
    """Return the text of every label, button, list option and placeholder on the current
    screen, leaving out what the widgets `data` selects show (the directory's own words,
    and the urgent lines' as their file gives them)."""
    directory = set(app.screen.query(data))
    found: list[str] = []
    for widget in app.screen.query("*"):
        if any(node in directory for node in widget.ancestors_with_self):
            continue
        if isinstance(widget, Button):
            found.append(str(widget.label))
        elif isinstance(widget, Static):
            found.append(str(widget.render()))
        elif isinstance(widget, OptionList):
            found += [str(option.prompt) for option in widget.options]
        placeholder = getattr(widget, "placeholder", None)
        if isinstance(placeholder, str) and placeholder:
            found.append(placeholder)
    return [text for text in found if text.strip()]


@functools.cache
def template_messages() -> frozenset[str]:
    """Return the template's messages, read from the code once per test process (reading
    every module's syntax tree takes about a second)."""
    return frozenset(i18n.template_messages(Path(i18n.__file__).parents[1]))


def english_left(app: HubApp, code: str, data: str = DIRECTORY_WORDS) -> list[str]:
    """Return the English messages the catalogue translates that are still shown in English
    (`data` selects the widgets whose words are not ours: see words_on_screen)."""
    catalogue = catalogue_for(code)
    shown = "\n".join(words_on_screen(app, data))
    left = []
    for message in sorted(template_messages()):
        if "\x00" in message or "{" in message or len(message) < 4:
            continue
        translated = catalogue.gettext(message)
        if translated != message and message in shown and translated not in shown:
            left.append(message)
    return left
