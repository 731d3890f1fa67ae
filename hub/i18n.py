"""The one translation function every visitor-facing string goes through.

English is written in the code. Another language is a gettext catalogue in
`hub/locale/<lang>/LC_MESSAGES/hub.mo`, compiled from a `.po` file made from the template
`hub/locale/hub.pot` (see hub/locale/README.md). A missing catalogue falls back to English,
so a kiosk never shows a blank label.
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from pathlib import Path

DOMAIN = "hub"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_catalogue: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"

ENGLISH = "en"
LANGUAGES: dict[str, str] = {
    "en": "English",
    "pl": "Polski",
    "ro": "Română",
    "pt": "Português",
    "so": "Soomaali",
    "gu": "ગુજરાતી",
    "ta": "தமிழ்",
    "ar": "العربية",
}
"""Every language with a catalogue, by its code, named in its own words and script."""

NOT_OFFERED: frozenset[str] = frozenset({"ar"})
"""Languages with a catalogue that the kiosk does not offer: a terminal draws Arabic's
right-to-left lines backwards (docs/translating.md, "Arabic and right-to-left text")."""


def offered_languages() -> dict[str, str]:
    """Return the languages a visitor can choose, code to own name, English last."""
    offered = {code: name for code, name in LANGUAGES.items() if code not in NOT_OFFERED}
    english = offered.pop(ENGLISH)
    return {**offered, ENGLISH: english}


def language_code(text: str) -> str:
    """Return the offered language code `text` names ("PL", "pl", "pl_PL" all give "pl").

    Raises ValueError, saying which codes there are, for a language not offered.
    """
    code = text.strip().replace("-", "_").split("_")[0].lower()
    if code in offered_languages():
        return code
    choices = ", ".join(sorted(offered_languages()))
    if code in LANGUAGES:
        raise ValueError(
            f"{LANGUAGES[code]} ({code}) is not offered yet (see docs/translating.md); "
            f"choose one of {choices}"
        )
    raise ValueError(f"no language {text!r}: choose one of {choices}")


def current_language() -> str:
    """Return the code of the language the kiosk speaks now ("en", "pl", ...)."""
    return _language


def _(message: str) -> str:
    """Return `message` in the kiosk's language (the English text when no catalogue has it).

    "" stays "": a catalogue's own "" is its header (who translated it, its plural rule),
    which a blank title or message looked up in passing would otherwise show.
    """
    return _catalogue.gettext(message) if message else message


def N_(message: str) -> str:
    """Return `message` unchanged: it marks words kept in a table and translated later."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """Return the singular or plural form for `count`, in the kiosk's language."""
    return _catalogue.ngettext(singular, plural, count)


def use_language(languages: Sequence[str], localedir: Path | None = None) -> str:
    """Switch to the first of `languages` that has a catalogue; return its code ("en" if none).

    Codes are gettext's, e.g. ["pl"], ["pt_BR", "pt"], ["ta"].
    """
    global _catalogue, _language
    catalogue = gettext.translation(
        DOMAIN, localedir=localedir or LOCALE_DIR, languages=list(languages), fallback=True
    )
    _catalogue = catalogue
    info = catalogue.info()
    language = info.get("language")
    _language = language if isinstance(language, str) and language else ENGLISH
    return _language


def use_catalogue(catalogue: gettext.NullTranslations) -> None:
    """Use this catalogue from now on (how tests and tools swap the language in)."""
    global _catalogue, _language
    _catalogue = catalogue
    language = catalogue.info().get("language")
    _language = language if isinstance(language, str) and language else ENGLISH


def current_catalogue() -> gettext.NullTranslations:
    """Return the catalogue in use, so a caller can put it back afterwards."""
    return _catalogue


# --- the template translators start from ----------------------------------------------

TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
_CODE_FOLDERS = ("hub", "screens")
_CALLS = {"_": 1, "N_": 1, "ngettext": 2}


def _messages_in_code(root: Path) -> dict[str, str]:
    """Return each literal passed to _(), N_() or ngettext() in root's code, with its file.

    ngettext's plural is keyed as "singular\\x00plural", as gettext catalogues store it.
    """
    import ast

    found: dict[str, str] = {}
    for folder in _CODE_FOLDERS:
        for path in sorted((root / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                wanted = _CALLS.get(node.func.id)
                if wanted is None or len(node.args) < wanted:
                    continue
                parts = node.args[:wanted]
                if all(isinstance(p, ast.Constant) and isinstance(p.value, str) for p in parts):
                    key = "\x00".join(p.value for p in parts)  # type: ignore[attr-defined]
                    # The file alone, not the line: the template then changes only
                    # when the words do.
                    where = str(path.relative_to(root))
                    found.setdefault(key, where)
    return found


def _messages_in_data(data_dir: Path) -> dict[str, str]:
    """Return the visitor-facing words in needs.json, urgent.json and glossary.json, with
    where."""
    import json

    found: dict[str, str] = {}
    needs = json.loads((data_dir / "needs.json").read_text(encoding="utf-8"))
    for need in needs:
        for field in ("label", "description"):
            found.setdefault(need[field], "data/needs.json")
    urgent = json.loads((data_dir / "urgent.json").read_text(encoding="utf-8"))
    for line in urgent["lines"]:
        for field in ("name", "how", "when"):
            found.setdefault(line[field], "data/urgent.json")
    # The glossary's sentences, not its terms: terms are matched in the directory's own
    # (English) text; the card shows the sentence in the visitor's language.
    glossary = json.loads((data_dir / "glossary.json").read_text(encoding="utf-8"))
    for explanation in glossary["terms"].values():
        found.setdefault(explanation, "data/glossary.json")
    return found


def _po_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def template_messages(root: Path) -> set[str]:
    """Return every message the template must hold (plurals as "singular\\x00plural")."""
    return set(_messages_in_code(root)) | set(_messages_in_data(root / "data"))


def template_text(root: Path) -> str:
    """Return the .pot template: every visitor-facing message in the code and the data."""
    messages = {**_messages_in_code(root), **_messages_in_data(root / "data")}
    lines = [
        "# Community Hub Kiosk: the words visitors see. See hub/locale/README.md.",
        'msgid ""',
        'msgstr ""',
        '"Project-Id-Version: community-hub-kiosk\\n"',
        '"Language: \\n"',
        '"MIME-Version: 1.0\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Content-Transfer-Encoding: 8bit\\n"',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
        "",
    ]
    for key, where in sorted(messages.items(), key=lambda item: (item[1], item[0])):
        lines.append(f"#: {where}")
        if "\x00" in key:
            singular, plural = key.split("\x00")
            lines += [
                f"msgid {_po_string(singular)}",
                f"msgid_plural {_po_string(plural)}",
                'msgstr[0] ""',
                'msgstr[1] ""',
            ]
        else:
            lines += [f"msgid {_po_string(key)}", 'msgstr ""']
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    """Write hub/locale/hub.pot from the code and data of this checkout."""
    root = Path(__file__).resolve().parent.parent
    TEMPLATE.write_text(template_text(root), encoding="utf-8")
    print(f"wrote {TEMPLATE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
