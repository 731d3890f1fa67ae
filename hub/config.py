"""This hub's settings: how long referrals are kept, when staff and visitor screens time out.

Settings live in the store's meta collection, so they travel with the data folder and need
no separate config file. A setting nobody has changed falls back to its default here, so a
new hub works without any set-up beyond `hub setup --name`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.i18n import ENGLISH, language_code
from hub.safe_text import HiddenCharactersError, clean_line, refuse_hidden
from hub.storage import HubStore

DEFAULT_RETENTION_DAYS = 365
DEFAULT_STAFF_IDLE_SECONDS = 180
DEFAULT_VISITOR_IDLE_SECONDS = 120

RETENTION_DAYS_KEY = "retention_days"
STAFF_IDLE_KEY = "staff_idle_seconds"
VISITOR_IDLE_KEY = "visitor_idle_seconds"
AREA_KEY = "area"
LANGUAGE_KEY = "language"
READ_ALOUD_KEY = "read_aloud"
REGION_KEY = "address_region"
COUNTRY_KEY = "address_country"

# Bounds keep a typo from doing harm: a retention of 0 days would purge every referral at
# the next start, and a visitor timeout under a minute would not leave the 20 seconds
# the "Are you still there?" question needs plus time to read.
RETENTION_DAYS_RANGE = (1, 3650)
STAFF_IDLE_RANGE = (30, 3600)
VISITOR_IDLE_RANGE = (60, 3600)
AREA_MAX_LENGTH = 80
COUNTRY_CODE_LENGTH = 2


class ConfigError(ValueError):
    """A setting was given a value it cannot take; the message says what is allowed."""


@dataclass(frozen=True)
class HubSettings:
    """This hub's settings, defaults filled in."""

    retention_days: int = DEFAULT_RETENTION_DAYS
    """Referrals recorded longer ago than this are purged."""
    staff_idle_seconds: int = DEFAULT_STAFF_IDLE_SECONDS
    """Staff mode locks after this long without a key press or click."""
    visitor_idle_seconds: int = DEFAULT_VISITOR_IDLE_SECONDS
    """A visitor screen asks "Are you still there?" after this long."""
    area: str | None = None
    """The hub's neighbourhood (e.g. "Church End"), used to favour nearby services."""
    language: str = ENGLISH
    """The language the kiosk starts in, and goes back to when a visit ends ("pl", ...)."""
    read_aloud: bool = False
    """Visitor screens offer Listen (espeak-ng reads them aloud). Off until staff turn it on:
    a kiosk in a quiet library should not start talking unasked."""
    region: str | None = None
    """What an exported address says for region (`state_province`) when the source did not
    say: e.g. "London". None leaves it empty, as before; nothing is ever invented."""
    country: str | None = None
    """An exported address's country (ISO 3166-1 two letters, "GB") when the source did not
    say."""


def _whole_number(store: HubStore, key: str, default: int, bounds: tuple[int, int]) -> int:
    """Return a stored whole-number setting, or the default when unset or out of bounds."""
    value: Any = store.meta(key)
    # bool is an int subclass; a stored true/false is a damaged setting, not 1 or 0.
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = bounds
        if low <= value <= high:
            return value
    return default


def load_settings(store: HubStore) -> HubSettings:
    """Return this hub's settings, with defaults for any not set (or set to nonsense)."""
    area = store.meta(AREA_KEY)
    return HubSettings(
        language=_language(store),
        retention_days=_whole_number(
            store, RETENTION_DAYS_KEY, DEFAULT_RETENTION_DAYS, RETENTION_DAYS_RANGE
        ),
        staff_idle_seconds=_whole_number(
            store, STAFF_IDLE_KEY, DEFAULT_STAFF_IDLE_SECONDS, STAFF_IDLE_RANGE
        ),
        visitor_idle_seconds=_whole_number(
            store, VISITOR_IDLE_KEY, DEFAULT_VISITOR_IDLE_SECONDS, VISITOR_IDLE_RANGE
        ),
        # Cleaned on the way out too: a meta file edited by hand must not reach a screen.
        area=(clean_line(area) or None) if isinstance(area, str) else None,
        # Only a stored true turns it on: anything else (unset, damaged) leaves it off.
        read_aloud=store.meta(READ_ALOUD_KEY) is True,
        region=_stored_text(store, REGION_KEY),
        country=_stored_text(store, COUNTRY_KEY),
    )


def _stored_text(store: HubStore, key: str) -> str | None:
    """Return a stored one-line setting, cleaned (a meta file edited by hand must not reach a
    screen or an export), or None when unset."""
    value: Any = store.meta(key)
    return (clean_line(value) or None) if isinstance(value, str) else None


def _language(store: HubStore) -> str:
    """Return the stored language, or English when unset or no longer offered."""
    stored: Any = store.meta(LANGUAGE_KEY)
    if isinstance(stored, str):
        try:
            return language_code(stored)
        except ValueError:
            pass
    return ENGLISH


def _one_line(text: str, label: str) -> str:
    """Return the text on one line, spaces tidied; raise ConfigError if it hides anything or
    is too long."""
    try:
        refuse_hidden(text, label)
    except HiddenCharactersError as exc:
        raise ConfigError(str(exc)) from None
    cleaned = " ".join(text.split())
    if len(cleaned) > AREA_MAX_LENGTH:
        raise ConfigError(f"{label} must be at most {AREA_MAX_LENGTH} characters")
    return cleaned


def _check_range(label: str, value: int, bounds: tuple[int, int]) -> int:
    """Return the value if it is a whole number within bounds, else raise ConfigError."""
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{label} must be a whole number from {low} to {high}")
    return value


def update_settings(
    store: HubStore,
    *,
    retention_days: int | None = None,
    staff_idle_seconds: int | None = None,
    visitor_idle_seconds: int | None = None,
    area: str | None = None,
    language: str | None = None,
    read_aloud: bool | None = None,
    region: str | None = None,
    country: str | None = None,
) -> HubSettings:
    """Return the settings after saving the ones given (None leaves a setting as it is).

    Every value is checked before any is saved, so a bad one changes nothing.
    An `area` of "" clears the area. `language` is a code such as "pl" (see hub.i18n).
    `region` and `country` ("London", "GB") fill exported addresses whose source left them
    empty; "" clears either.
    """
    changes: dict[str, Any] = {}
    if retention_days is not None:
        changes[RETENTION_DAYS_KEY] = _check_range(
            "retention days", retention_days, RETENTION_DAYS_RANGE
        )
    if staff_idle_seconds is not None:
        changes[STAFF_IDLE_KEY] = _check_range(
            "staff idle seconds", staff_idle_seconds, STAFF_IDLE_RANGE
        )
    if visitor_idle_seconds is not None:
        changes[VISITOR_IDLE_KEY] = _check_range(
            "visitor idle seconds", visitor_idle_seconds, VISITOR_IDLE_RANGE
        )
    if area is not None:
        try:
            refuse_hidden(area, "the area name")
        except HiddenCharactersError as exc:
            raise ConfigError(str(exc)) from None
        cleaned = " ".join(area.split())
        if len(cleaned) > AREA_MAX_LENGTH:
            raise ConfigError(f"the area name must be at most {AREA_MAX_LENGTH} characters")
        changes[AREA_KEY] = cleaned or None
    if language is not None:
        try:
            changes[LANGUAGE_KEY] = language_code(language)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    if read_aloud is not None:
        changes[READ_ALOUD_KEY] = bool(read_aloud)
    if region is not None:
        changes[REGION_KEY] = _one_line(region, "the region") or None
    if country is not None:
        code = _one_line(country, "the country").upper()
        if code and not (len(code) == COUNTRY_CODE_LENGTH and code.isascii() and code.isalpha()):
            raise ConfigError('the country is its two-letter code, e.g. "GB"')
        changes[COUNTRY_KEY] = code or None
    # One write under the folder's lock, read back under it: another process's change
    # never lands between two of these settings, nor between the save and the answer.
    with store.writing():
        store.set_metas(changes)
        return load_settings(store)
