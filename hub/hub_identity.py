"""Which hub this is: its id (a UUID given once, at set-up) and its name.

The id goes on every referral and every sync bundle, so a coordinator can tell hubs apart
and merge each hub's file once. It never changes: running set-up again only renames.
"""

from __future__ import annotations

import uuid

from pydantic import ValidationError

from hub.models import HubInfo
from hub.safe_text import HiddenCharactersError, refuse_hidden
from hub.storage import HubStore

HUB_ID_KEY = "hub_id"
HUB_NAME_KEY = "hub_name"
HUB_NAME_MAX_LENGTH = 200


class HubNotSetUp(LookupError):
    """This data folder has no hub id yet; the message says how to give it one."""

    def __init__(self) -> None:
        super().__init__('this hub is not set up yet: run `hub setup --name "HUB NAME"` first')


class HubNameError(ValueError):
    """The hub name given cannot be used; the message says why."""


def hub_info(store: HubStore) -> HubInfo | None:
    """Return this hub's id and name, or None before `hub setup` has run."""
    hub_id = store.meta(HUB_ID_KEY)
    name = store.meta(HUB_NAME_KEY)
    if not hub_id or not name:
        return None
    try:
        return HubInfo(id=hub_id, name=name)
    except ValidationError:
        # Only a hand-edited meta file gets here; treat it as not set up rather than crash
        # the kiosk. `hub setup` keeps a valid id and rewrites the name.
        return None


def require_hub(store: HubStore) -> HubInfo:
    """Return this hub's id and name, or raise HubNotSetUp."""
    info = hub_info(store)
    if info is None:
        raise HubNotSetUp
    return info


def clean_hub_name(name: str) -> str:
    """Return the name with runs of spaces collapsed, or raise HubNameError.

    A name holding control or invisible characters (an escape sequence, a bidi override)
    is refused, not quietly changed: the person typing it should see what is stored.
    """
    try:
        refuse_hidden(name, "the name")
    except HiddenCharactersError as exc:
        raise HubNameError(str(exc)) from None
    cleaned = " ".join(name.split())
    if not cleaned:
        raise HubNameError('give the hub a name, like --name "Church End Library"')
    if len(cleaned) > HUB_NAME_MAX_LENGTH:
        raise HubNameError(f"the hub name must be at most {HUB_NAME_MAX_LENGTH} characters")
    return cleaned


def setup_hub(store: HubStore, name: str) -> HubInfo:
    """Return this hub's identity after naming it, giving it an id the first time only."""
    cleaned = clean_hub_name(name)
    existing = store.meta(HUB_ID_KEY)
    hub_id: str
    try:
        hub_id = str(uuid.UUID(existing)) if isinstance(existing, str) else ""
    except ValueError:
        hub_id = ""
    if not hub_id:
        hub_id = str(uuid.uuid4())
        store.set_meta(HUB_ID_KEY, hub_id)
    store.set_meta(HUB_NAME_KEY, cleaned)
    return HubInfo(id=hub_id, name=cleaned)
