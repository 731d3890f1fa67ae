"""The translations: every catalogue complete, its placeholders intact, its .mo up to date.

A volunteer who edits a .po file runs these (see docs/translating.md). That the template
`hub/locale/hub.pot` itself lists every message in the code is checked in
tests/ui/test_words.py; here the template is the yardstick.
"""

from __future__ import annotations

import ast
import gettext
import io
import json
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from rich.console import Console
from rich.text import Text

from hub import i18n
from screens.script_widths import SHAPED_SCRIPT_LANGUAGES, count_spacing_marks

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "hub" / "locale"
REBUILD = "pybabel compile -d hub/locale -D hub"
REVIEW_STATUS = r"needs native-speaker review|reviewed by .+ on \d{4}-\d{2}-\d{2}"

# Each language's plural forms, as GNU gettext's manual ("Plural forms") lists them: how
# many there are, and which form some numbers take, so a wrong formula is caught too.
PLURALS: dict[str, tuple[int, dict[int, int]]] = {
    "pl": (3, {0: 2, 1: 0, 2: 1, 4: 1, 5: 2, 12: 2, 14: 2, 22: 1, 25: 2, 112: 2}),
    "ro": (3, {0: 1, 1: 0, 2: 1, 19: 1, 20: 2, 101: 1, 120: 2}),
    "pt": (2, {0: 1, 1: 0, 2: 1, 10: 1}),
    "so": (2, {0: 1, 1: 0, 2: 1, 10: 1}),
    "gu": (2, {0: 0, 1: 0, 2: 1, 10: 1}),
    "ta": (2, {0: 1, 1: 0, 2: 1, 10: 1}),
    "ar": (6, {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 102: 5, 103: 3}),
}

# What must come through a translation unchanged: {placeholders} that .format() fills,
# and Rich markup such as [b]...[/b].
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
MARKUP = re.compile(r"\[/?[a-z#@][^\[\]]*\]")


def _read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, abort_invalid=True)


def _messages(catalogue: Catalog) -> dict[str, Message]:
    """Return the catalogue's messages (not the header), keyed by their singular msgid."""
    return {
        message.id if isinstance(message.id, str) else message.id[0]: message
        for message in catalogue
        if message.id
    }


def _forms(message: Message) -> list[str]:
    """Return every translated form of a message (one, or one per plural form)."""
    string = message.string
    return list(string) if isinstance(string, tuple | list) else [string or ""]


TEMPLATE = _messages(_read(LOCALE / "hub.pot"))
PO_FILES = sorted(LOCALE.glob("*/LC_MESSAGES/hub.po"))
CODES = [path.parts[-3] for path in PO_FILES]


@pytest.fixture(params=CODES)
def code(request: pytest.FixtureRequest) -> str:
    """Return one language code that has a catalogue."""
    return str(request.param)


def _po(code: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / "hub.po"


def test_the_community_languages_have_catalogues() -> None:
    assert set(CODES) == set(PLURALS), (
        "a catalogue without an entry in PLURALS (add its plural forms there), "
        f"or a language without a catalogue: {sorted(set(CODES) ^ set(PLURALS))}"
    )


def test_every_message_is_translated(code: str) -> None:
    catalogue = _messages(_read(_po(code)))
    missing = sorted(set(TEMPLATE) - set(catalogue))
    stale = sorted(set(catalogue) - set(TEMPLATE))
    assert not missing, f"{code}: not in the catalogue (run msgmerge, see docs): {missing[:5]}"
    assert not stale, f"{code}: no longer in the template: {stale[:5]}"
    fuzzy = [key for key, message in catalogue.items() if message.fuzzy]
    assert not fuzzy, f"{code}: marked fuzzy (check, then remove the #, fuzzy line): {fuzzy[:5]}"
    empty = [key for key, message in catalogue.items() if not all(_forms(message))]
    assert not empty, f"{code}: no translation yet: {empty[:5]}"
    for key, message in catalogue.items():
        assert message.pluralizable == TEMPLATE[key].pluralizable, f"{code}: {key!r}"


def test_placeholders_and_markup_match_the_english(code: str) -> None:
    catalogue = _read(_po(code))
    # Babel's own checks: plural form counts, and %-style formats.
    problems = [
        f"{message.id!r}: {'; '.join(map(str, errors))}" for message, errors in catalogue.check()
    ]
    assert not problems, f"{code}: {problems[:5]}"
    for key, message in _messages(catalogue).items():
        english = [message.id] if isinstance(message.id, str) else list(message.id)
        names = {tuple(sorted(PLACEHOLDER.findall(text))) for text in english}
        tags = {tuple(sorted(MARKUP.findall(text))) for text in english}
        for form in _forms(message):
            where = f"{code}: {key!r} -> {form!r}"
            assert tuple(sorted(PLACEHOLDER.findall(form))) in names, f"placeholders, {where}"
            assert tuple(sorted(MARKUP.findall(form))) in tags, f"markup, {where}"
            # Leading spaces indent lines and leading ", " joins fragments: keep the
            # spacing at either end as the English has it.
            assert len(form) - len(form.lstrip()) == len(key) - len(key.lstrip()), where
            assert len(form) - len(form.rstrip()) == len(key) - len(key.rstrip()), where
            # The screens fill placeholders with str.format: a stray brace would crash one.
            # A field is filled by its name: "{need!r}" and "{count:>3}" by "need" and "count".
            values = {
                re.split(r"[!:]", name.strip("{}"))[0]: "x" for name in PLACEHOLDER.findall(form)
            }
            form.format(**values)


def test_plural_forms_suit_the_language(code: str) -> None:
    catalogue = _read(_po(code))
    count, samples = PLURALS[code]
    assert catalogue.num_plurals == count, f"{code}: nplurals"
    choose = gettext.c2py(catalogue.plural_expr)
    chosen = {n: choose(n) for n in samples}
    assert chosen == samples, f"{code}: Plural-Forms picks the wrong form"


def test_the_header_names_the_language_and_the_review(code: str) -> None:
    catalogue = _read(_po(code))
    headers = dict(catalogue.mime_headers)
    assert catalogue.locale is not None and str(catalogue.locale) == code
    assert headers["Content-Type"].lower() == "text/plain; charset=utf-8"
    text = _po(code).read_text(encoding="utf-8")
    review = re.search(r'^"X-Review-Status: (.+)\\n"$', text, flags=re.MULTILINE)
    assert review, f"{code}: no X-Review-Status header"
    # docs/translating.md says how a review is recorded; these are the two states.
    assert re.fullmatch(REVIEW_STATUS, review.group(1)), f"{code}: {review.group(1)!r}"


def _compiled(messages: Catalog) -> dict[object, object]:
    """Return what a compiled catalogue holds: each msgid with its translation.

    The header is left out (Babel stamps it with the time it ran) except what gettext
    acts on: the language and the plural forms.
    """

    def frozen(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    held: dict[object, object] = {
        frozen(message.id): frozen(message.string) for message in messages if message.id
    }
    held["<language>"] = str(messages.locale)
    held["<plural forms>"] = messages.plural_forms
    return held


def test_the_compiled_catalogue_is_up_to_date(code: str) -> None:
    mo_path = _po(code).with_suffix(".mo")
    assert mo_path.exists(), f"{code}: no hub.mo; run: {REBUILD}"
    fresh = io.BytesIO()
    write_mo(fresh, _read(_po(code)))
    fresh.seek(0)
    with mo_path.open("rb") as committed:
        assert _compiled(read_mo(committed)) == _compiled(read_mo(fresh)), (
            f"{mo_path.relative_to(ROOT)} is out of date with its .po; run: {REBUILD}"
        )


def test_the_kiosk_speaks_the_language(code: str) -> None:
    po = _messages(_read(_po(code)))
    translation = gettext.translation("hub", localedir=LOCALE, languages=[code])
    title = translation.gettext("Find help near you")
    assert title == po["Find help near you"].string != "Find help near you"
    _count, samples = PLURALS[code]
    plural = po["{count} place found"]
    for n, form in samples.items():
        said = translation.ngettext("{count} place found", "{count} places found", n)
        assert said == _forms(plural)[form]
    before = i18n.current_catalogue()
    try:
        assert i18n.use_language([code]) == code
        assert i18n._("Urgent help now") == po["Urgent help now"].string
    finally:
        i18n.use_catalogue(before)


# A need tile at 80x24 has 25 columns for words and 4 rows (screens/styles/home.tcss):
# the label, then its description. Longer text is cut off on the kiosk.
TILE_COLUMNS = 25
TILE_ROWS = 4


def test_need_tiles_fit_at_80_by_24(code: str) -> None:
    translation = gettext.translation("hub", localedir=LOCALE, languages=[code])
    console = Console(width=200)
    # Measured as the kiosk measures (and tmux draws): a Tamil or Gujarati vowel sign takes
    # a cell; those tiles keep one column clear on the right (screens/script_widths.py).
    count_spacing_marks()
    columns = TILE_COLUMNS - 1 if code in SHAPED_SCRIPT_LANGUAGES else TILE_COLUMNS

    def rows(text: str) -> int:
        return len(Text(text).wrap(console, columns))

    needs = json.loads((ROOT / "data" / "needs.json").read_text(encoding="utf-8"))
    too_long = [
        f"{translation.gettext(need['label'])} / {translation.gettext(need['description'])}"
        for need in needs
        if rows(translation.gettext(need["label"])) + rows(translation.gettext(need["description"]))
        > TILE_ROWS
    ]
    assert not too_long, f"{code}: shorten these need tiles: {too_long}"


def _translated_at_import(tree: ast.AST) -> list[int]:
    """Return the lines where _() or ngettext() is called outside any function."""
    found: list[int] = []

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id in {"_", "ngettext"}
            ):
                found.append(child.lineno)
            walk(child)

    walk(tree)
    return found


def test_no_message_is_translated_at_import() -> None:
    """_() and ngettext() run when words are shown, never in a module's or a class's body:
    there they run once, at import, in whatever language was on then, and the words stay
    so in every language after (the coordinator screens' titles did, until this test).
    Such words are marked N_() and translated where they are shown."""
    found = {
        str(path.relative_to(ROOT)): lines
        for package in ("hub", "screens")
        for path in sorted((ROOT / package).rglob("*.py"))
        if (lines := _translated_at_import(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}


def test_a_blank_message_is_never_the_catalogues_header() -> None:
    """gettext answers "" with the catalogue's header (translator, plural rule): _("") must
    stay "" in every language, so a blank title never shows it."""
    before = i18n.current_catalogue()
    try:
        i18n.use_language(["pl"])
        assert "Plural-Forms" in gettext.translation(
            i18n.DOMAIN, i18n.LOCALE_DIR, languages=["pl"]
        ).gettext("")
        assert i18n._("") == ""
        assert i18n._("Staff home") != "Staff home"  # Polish is on
    finally:
        i18n.use_catalogue(before)
