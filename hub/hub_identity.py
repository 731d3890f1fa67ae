"""Which hub this is: its id (a UUID given once, at set-up), its name and its signing key.

The id goes on every referral and every sync bundle, so a coordinator can tell hubs apart
and merge each hub's file once. It never changes: running set-up again only renames.

The signing key (Ed25519, made at set-up) signs this hub's bundles, so a coordinator that
has enrolled the hub's public key can tell its bundles from forgeries. The same key, turned
into its Curve25519 twin, opens the contact details hubs seal to a coordinator. The secret
half lives in the data folder as `signing.key` (mode 0600) and is never exported.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import uuid

from nacl.encoding import HexEncoder
from nacl.exceptions import CryptoError
from nacl.signing import SigningKey
from pydantic import ValidationError

from hub.models import HubInfo
from hub.safe_text import HiddenCharactersError, refuse_hidden
from hub.storage import HubStore, StorageError, write_file_atomically

SIGNING_KEY_FILE = "signing.key"

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
    """Return this hub's identity after naming it; its id and signing key are made once."""
    cleaned = clean_hub_name(name)
    with store.writing():  # the id is read and made in one step, so a hub gets one id
        existing = store.meta(HUB_ID_KEY)
        hub_id: str
        try:
            hub_id = str(uuid.UUID(existing)) if isinstance(existing, str) else ""
        except ValueError:
            hub_id = ""
        if not hub_id:
            hub_id = str(uuid.uuid4())
        store.set_metas({HUB_ID_KEY: hub_id, HUB_NAME_KEY: cleaned})
        ensure_signing_key(store)
    return HubInfo(id=hub_id, name=cleaned)


# --- the signing key -------------------------------------------------------------------


class HubKeyError(StorageError):
    """This hub's signing key file is unreadable; the message names it and what to do."""


def load_signing_key(store: HubStore) -> SigningKey | None:
    """Return this hub's signing key, or None when none has been made yet."""
    path = store.root / SIGNING_KEY_FILE
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            raise HubKeyError(f"{path} is not a regular file; move it away and run `hub setup`")
        if info.st_mode & 0o077:
            os.chmod(path, 0o600)  # the secret half: this user's eyes only
        text = path.read_text(encoding="ascii").strip()
        return SigningKey(text.encode("ascii"), encoder=HexEncoder)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError, TypeError, CryptoError) as exc:
        raise HubKeyError(
            f"{path} is damaged or unreadable ({exc}); restore it from a backup, or move it "
            "away and run `hub setup` to make a new key (then enrol the new key again)"
        ) from None


def ensure_signing_key(store: HubStore) -> SigningKey:
    """Return this hub's signing key, making and saving one (mode 0600) the first time."""
    key = load_signing_key(store)
    if key is None:
        with store.writing():  # under the folder's lock, so two processes never make two keys
            key = load_signing_key(store)
            if key is None:
                key = SigningKey.generate()
                write_file_atomically(store.root / SIGNING_KEY_FILE, key.encode(HexEncoder) + b"\n")
    return key


def key_fingerprint(public_key: bytes) -> str:
    """Return a public key's short fingerprint to read out by phone: "ABCD-EFGH-JKLM-NPQR".

    Base32 of the first 80 bits of its SHA-256: letters and the digits 2 to 7 only, so
    there is no 0/O or 1/I to mix up.
    """
    code = base64.b32encode(hashlib.sha256(public_key).digest()[:10]).decode("ascii")
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))


def public_key_text(hub_id: str, public_key: bytes) -> str:
    """Return the key text `hub sync trust` takes: "HUB-ID:BASE64-KEY"."""
    return f"{hub_id}:{base64.b64encode(public_key).decode('ascii')}"
