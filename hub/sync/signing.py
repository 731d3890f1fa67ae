"""Who may send what: signatures on bundles, the keys a hub has enrolled, sealed details.

* **Signatures.** A version 2 bundle carries its hub's Ed25519 public key and a signature
  over its canonical JSON (`hub.sync.bundle.signed_bytes`) — precisely, over that JSON's
  SHA-256 digest, which the checksum already computes, so checking a 5 MB bundle's
  signature costs microseconds. Editing the file, even with a fresh checksum, breaks it.
* **Enrolled keys** (`trusted_keys` in the data folder). A coordinator enrols each hub's
  public key once (`hub sync trust FILE|KEY`), after comparing the short fingerprint with
  the hub by phone; a hub enrols its coordinator's key the same way with `--coordinator`.
  A bundle is accepted only when the key that signed it is the key enrolled for the hub
  it names.
* **Sealed details.** Referrals' contact details and notes travel encrypted to the
  coordinator's key (a libsodium sealed box), in one box per bundle: opening 5,000 boxes
  would cost the coordinator more than the whole merge.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from hub.hub_identity import key_fingerprint, public_key_text
from hub.storage import HubStore
from hub.sync.bundle import SyncError, canonical_json

TRUSTED_KEYS = "trusted_keys"
"""Collection: the public keys enrolled here, by hub id."""

Role = Literal["hub", "coordinator"]


@dataclass(frozen=True)
class TrustedKey:
    """A public key enrolled here: whose it is and what their bundles may carry."""

    hub_id: str
    name: str
    public_key: bytes
    role: Role
    trusted_at: str

    @property
    def fingerprint(self) -> str:
        """Return the key's short fingerprint ("ABCD-EFGH-JKLM-NPQR")."""
        return key_fingerprint(self.public_key)

    def label(self) -> str:
        """Return "Church End Library (id …)" or just the id when no name is known."""
        return f"{self.name} (id {self.hub_id})" if self.name else f"hub {self.hub_id}"


# --- keys as text ------------------------------------------------------------------


def encode_key(raw: bytes) -> str:
    """Return base64 text of a key or signature."""
    return base64.b64encode(raw).decode("ascii")


def decode_key(text: str, length: int = 32) -> bytes | None:
    """Return the bytes of base64 text of the given length, or None if it is not that."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    return raw if len(raw) == length else None


def parse_key_text(text: str) -> tuple[str, bytes] | None:
    """Return (hub id, public key) from "HUB-ID:BASE64-KEY", or None if it is not one."""
    hub_id, sep, key = text.strip().partition(":")
    raw = decode_key(key) if sep else None
    if raw is None or not is_hub_id(hub_id):
        return None
    return hub_id.lower(), raw


def is_hub_id(text: str) -> bool:
    """True when `text` is a hub id as `hub setup` makes them (a canonical UUID)."""
    try:
        return str(uuid.UUID(text)) == text.lower()
    except ValueError:
        return False


# --- signatures --------------------------------------------------------------------


def sign(digest: bytes, key: SigningKey) -> str:
    """Return the base64 Ed25519 signature of a SHA-256 `digest` of the canonical JSON."""
    return encode_key(key.sign(digest).signature)


def signature_holds(digest: bytes, signature: str, public_key: bytes) -> bool:
    """True when `signature` (base64) is `public_key`'s signature of `digest`."""
    raw = decode_key(signature, 64)
    if raw is None or len(digest) != 32:
        return False
    try:
        VerifyKey(public_key).verify(digest, raw)
    except (BadSignatureError, CryptoError, ValueError):
        return False
    return True


# --- the keys enrolled here ----------------------------------------------------------


def trusted_keys(store: HubStore) -> dict[str, TrustedKey]:
    """Return the keys enrolled here, by hub id (a damaged entry is left out)."""
    found: dict[str, TrustedKey] = {}
    for hub_id, doc in store.collection(TRUSTED_KEYS).raw().items():
        key = decode_key(str(doc.get("public_key", "")))
        role = doc.get("role")
        if key is None or role not in ("hub", "coordinator"):
            continue
        found[hub_id] = TrustedKey(
            hub_id=hub_id,
            name=str(doc.get("name", "")),
            public_key=key,
            role=role,
            trusted_at=str(doc.get("trusted_at", "")),
        )
    return found


def coordinator_key(store: HubStore) -> TrustedKey | None:
    """Return the coordinator's key enrolled at this hub, or None."""
    return next((k for k in trusted_keys(store).values() if k.role == "coordinator"), None)


@dataclass(frozen=True)
class TrustOutcome:
    """What `trust_key` did: the key now enrolled and any key it replaced."""

    key: TrustedKey
    replaced: TrustedKey | None
    unchanged: bool

    def lines(self) -> list[str]:
        """Return what happened in plain words."""
        who = "coordinator" if self.key.role == "coordinator" else "hub"
        if self.unchanged:
            return [f"Already enrolled: {who} {self.key.label()}, key {self.key.fingerprint}."]
        lines = [
            f"Enrolled the {who} {self.key.label()}.",
            f"  fingerprint: {self.key.fingerprint}",
            "  Read this fingerprint to them by phone: it must match what `hub sync key` "
            "shows on their PC. If it does not, run `hub sync untrust` with their id.",
        ]
        if self.replaced is not None:
            lines.append(
                f"  (it replaces {self.replaced.label()}, key {self.replaced.fingerprint})"
            )
        return lines


def trust_key(
    store: HubStore,
    hub_id: str,
    name: str,
    public_key: bytes,
    *,
    coordinator: bool,
    now: datetime,
    own_hub_id: str | None,
) -> TrustOutcome:
    """Return the outcome of enrolling `public_key` for hub `hub_id`; raise SyncError if not.

    One key per hub and one hub per key. `coordinator` marks the key as this hub's
    coordinator, replacing any coordinator enrolled before.
    """
    if own_hub_id is not None and hub_id == own_hub_id:
        raise SyncError("that is this hub's own key; enrol other hubs' keys, or the coordinator's")
    role: Role = "coordinator" if coordinator else "hub"
    keys = trusted_keys(store)
    for other in keys.values():
        if other.public_key == public_key and other.hub_id != hub_id:
            raise SyncError(
                f"that key ({key_fingerprint(public_key)}) is already enrolled for "
                f"{other.label()}; each hub has its own key"
            )
    current = keys.get(hub_id)
    name = name or (current.name if current else "")
    if current is not None and current.public_key == public_key and current.role == role:
        return TrustOutcome(current, None, unchanged=True)
    collection = store.collection(TRUSTED_KEYS)
    replaced = current if current is not None and current.public_key != public_key else None
    if coordinator:
        previous = coordinator_key(store)
        if previous is not None and previous.hub_id != hub_id:
            replaced = previous
            collection.delete(previous.hub_id)
    stamp = now.astimezone(UTC).isoformat().replace("+00:00", "Z")
    doc = {
        "hub_id": hub_id,
        "name": name,
        "public_key": encode_key(public_key),
        "role": role,
        "trusted_at": stamp,
    }
    collection.put(hub_id, doc)
    key = TrustedKey(hub_id, name, public_key, role, stamp)
    return TrustOutcome(key, replaced, unchanged=False)


def untrust(store: HubStore, hub_id: str) -> TrustedKey:
    """Return the key removed for `hub_id`; raise SyncError when none is enrolled."""
    key = trusted_keys(store).get(hub_id.strip().lower())
    if key is None:
        raise SyncError(f"no key is enrolled for hub {hub_id}; `hub sync trusted` lists them")
    store.collection(TRUSTED_KEYS).delete(key.hub_id)
    return key


def trust_command(path: str) -> str:
    """Return the command that enrols the key that signed the bundle at `path`."""
    from shlex import quote  # only needed for this message

    return f"hub sync trust {quote(path)}"


# --- sealed details ----------------------------------------------------------------


Details = dict[str, tuple[str | None, str | None]]
"""Referral id -> (contact, notes)."""


def seal_details(details: Details, coordinator: bytes) -> str:
    """Return base64 of `details` sealed to the coordinator's Ed25519 public key."""
    box = SealedBox(VerifyKey(coordinator).to_curve25519_public_key())
    plain = canonical_json({rid: list(pair) for rid, pair in details.items()})
    return encode_key(box.encrypt(plain))


def open_details(sealed: str, own_key: SigningKey) -> Details | None:
    """Return the sealed details, or None when this hub's key cannot open them.

    A box sealed to another key, damaged, or not holding the expected shape is the same
    to the caller: the details are unknown, and details already held are kept.
    """
    try:
        raw = base64.b64decode(sealed.encode("ascii"), validate=True)
        private: PrivateKey = own_key.to_curve25519_private_key()
        plain = SealedBox(private).decrypt(raw)
        data: Any = json.loads(plain.decode("utf-8"))
    except (CryptoError, binascii.Error, ValueError, UnicodeError):
        return None
    if not isinstance(data, dict):
        return None
    details: Details = {}
    for rid, pair in data.items():  # JSON object keys are always strings
        if not isinstance(pair, list) or len(pair) != 2:
            return None
        contact, notes = pair
        if not (contact is None or isinstance(contact, str)) or not (
            notes is None or isinstance(notes, str)
        ):
            return None
        details[rid] = (contact, notes)
    return details


__all__ = [
    "TRUSTED_KEYS",
    "Details",
    "TrustOutcome",
    "TrustedKey",
    "coordinator_key",
    "decode_key",
    "encode_key",
    "key_fingerprint",
    "open_details",
    "parse_key_text",
    "public_key_text",
    "seal_details",
    "sign",
    "signature_holds",
    "trust_command",
    "trust_key",
    "trusted_keys",
    "untrust",
]
