"""Staff accounts at a shared terminal: names, PINs stored as salted scrypt hashes, lockout.

Staff unlock with their name and a PIN of at least six digits. The terminal is used by
visitors too, so the unlock answer gives nothing away:

* a wrong PIN and an unknown name get the same words (UNLOCK_FAILED), and an unknown
  name still costs one scrypt hash, so the time taken does not tell them apart either;
* five wrong tries in a row for one name lock that name for five minutes (LOCKED_OUT),
  and this happens for unknown names too, so a lockout does not prove a name exists.

Tries are counted per name in the `staff_unlock` collection, keyed by a SHA-256 of the
folded name: a visitor who types their own name into the box leaves no readable trace.
The clock is always passed in (`now`), so lockout timing is tested without sleeping.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hub import audit
from hub.safe_text import HiddenCharactersError, clean_line, refuse_hidden
from hub.storage import HubStore

PIN_MIN_LENGTH = 6
PIN_MAX_LENGTH = 12
NAME_MAX_LENGTH = 60
MAX_TRIES = 5
LOCKOUT = timedelta(minutes=5)

UNLOCK_FAILED = "That did not work. Check and try again."
LOCKED_OUT = "Too many tries. Try again in 5 minutes."

# scrypt cost: n=2**14, r=8 takes 16 MiB and some tens of milliseconds, slow enough to
# make guessing a stolen hash expensive, quick enough for a PIN prompt on a cheap PC.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
_SCHEME = "scrypt"

STAFF = "staff"
UNLOCK_TRIES = "staff_unlock"


class StaffError(ValueError):
    """A staff name or PIN that cannot be used; the message says what to do."""


@dataclass(frozen=True)
class StaffMember:
    """A staff member or volunteer who can unlock staff mode. Never carries the PIN hash."""

    id: str
    name: str
    created_at: datetime


@dataclass(frozen=True)
class UnlockResult:
    """What an unlock attempt came to: the member on success, else the words to show."""

    member: StaffMember | None
    message: str | None
    """None on success; UNLOCK_FAILED or LOCKED_OUT otherwise."""
    locked_until: datetime | None = None
    """When a locked name may try again (for screens that want to count down)."""

    @property
    def ok(self) -> bool:
        """True when staff mode may open."""
        return self.member is not None


# --- PIN hashing ---------------------------------------------------------------------


def check_pin_format(pin: str) -> str:
    """Return the PIN if it is 6 to 12 digits, else raise StaffError saying what is needed."""
    if not (pin.isascii() and pin.isdigit()) or not PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH:
        raise StaffError(f"a PIN is {PIN_MIN_LENGTH} to {PIN_MAX_LENGTH} digits, numbers only")
    return pin


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES, maxmem=64 * 1024 * 1024
    )


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """Return "scrypt$n$r$p$salt$hash" (hex) for the PIN, with a fresh random salt.

    The cost parameters are stored with the hash so they can be raised later without
    breaking PINs already set.
    """
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"{_SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Return True when the PIN matches the stored hash (compared in constant time)."""
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != _SCHEME:
            return False
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(digest_hex)
        actual = _scrypt(pin, salt, int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


# A real hash of a random PIN nobody kept: an unknown name is checked against it, so it
# costs exactly the scrypt work a known name does (and the first unknown name no more).
_DECOY_HASH = (
    "scrypt$16384$8$1$e27f10e208f17bd9ef83987f0cf89d08$"
    "b99049cc3e6500155c54400a9c56f80a52b94d62bd76a5d0e514a501a3d5099c"
)


# --- names ---------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """Return the name with spaces tidied, or raise StaffError if it cannot be used."""
    try:
        refuse_hidden(name, "the name")
    except HiddenCharactersError as exc:
        raise StaffError(str(exc)) from None
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        raise StaffError("give the staff member a name")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise StaffError(f"a staff name is at most {NAME_MAX_LENGTH} characters")
    return cleaned


def _name_key(name: str) -> str:
    """Return how names compare: tidied and case-folded ("  ANA  Silva" == "ana silva")."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def _member(doc_id: str, doc: dict[str, Any]) -> StaffMember:
    return StaffMember(
        id=doc_id,
        name=clean_line(str(doc["name"])),
        created_at=datetime.fromisoformat(doc["created_at"]),
    )


def _find(store: HubStore, name: str) -> tuple[str, dict[str, Any]] | None:
    key = _name_key(name)
    for doc_id, doc in store.collection(STAFF).all().items():
        if _name_key(doc["name"]) == key:
            return doc_id, doc
    return None


# --- accounts ------------------------------------------------------------------------


def add_staff(
    store: HubStore, name: str, pin: str, now: datetime, *, actor: str = audit.COMMAND_LINE
) -> StaffMember:
    """Return the new staff member after saving them with a salted hash of their PIN.

    Raises StaffError for a bad name or PIN, or a name already in use (in any case).
    """
    cleaned = clean_name(name)
    check_pin_format(pin)
    if _find(store, cleaned) is not None:
        raise StaffError(f"there is already a staff member called {cleaned!r}")
    member = StaffMember(id=str(uuid.uuid4()), name=cleaned, created_at=now.astimezone(UTC))
    audit.record_action(store, actor, audit.STAFF_ADD, member.id, now)
    store.collection(STAFF).put(
        member.id,
        {
            "name": member.name,
            "pin_hash": hash_pin(pin),
            "created_at": member.created_at.isoformat(),
        },
    )
    return member


def list_staff(store: HubStore) -> list[StaffMember]:
    """Return every staff member, sorted by name."""
    members = [_member(doc_id, doc) for doc_id, doc in store.collection(STAFF).all().items()]
    members.sort(key=lambda m: (_name_key(m.name), m.id))
    return members


def find_staff(store: HubStore, name: str) -> StaffMember | None:
    """Return the staff member with this name (any case), or None."""
    found = _find(store, name)
    return None if found is None else _member(*found)


def staff_member(store: HubStore, staff_id: str) -> StaffMember | None:
    """Return the staff member with this id (e.g. a referral's recorded_by), or None."""
    doc = store.collection(STAFF).get(staff_id)
    return None if doc is None else _member(staff_id, doc)


def remove_staff(
    store: HubStore, name: str, now: datetime, *, actor: str = audit.COMMAND_LINE
) -> StaffMember:
    """Return the staff member removed; raises StaffError when there is nobody by that name.

    Their referrals keep their staff id in `recorded_by`; only the account goes.
    """
    found = _find(store, name)
    if found is None:
        raise StaffError(f"there is no staff member called {name.strip()!r}")
    member = _member(*found)
    audit.record_action(store, actor, audit.STAFF_REMOVE, member.id, now)
    store.collection(STAFF).delete(member.id)
    return member


# --- unlock --------------------------------------------------------------------------


def _tries_key(name: str) -> str:
    return hashlib.sha256(_name_key(name).encode("utf-8")).hexdigest()


def _prune_tries(store: HubStore, now: datetime) -> None:
    """Forget counters whose lockout has passed and that saw no try for a lockout's length."""
    tries = store.collection(UNLOCK_TRIES)
    stale = [
        key
        for key, doc in tries.raw().items()
        if now - datetime.fromisoformat(doc["last_try"]) > LOCKOUT
        and (doc.get("locked_until") is None or datetime.fromisoformat(doc["locked_until"]) <= now)
    ]
    if stale:
        tries.delete_many(stale)


def unlock(store: HubStore, name: str, pin: str, now: datetime) -> UnlockResult:
    """Return the result of trying to unlock staff mode with this name and PIN.

    The PIN is always hashed (against a decoy for an unknown name, and even while a name
    is locked), so every answer takes about the same time. Five wrong tries in a row lock
    the name for LOCKOUT; a right PIN clears the count.
    """
    now = now.astimezone(UTC)
    found = _find(store, name) if name.strip() else None
    stored_hash = found[1]["pin_hash"] if found else _DECOY_HASH
    pin_ok = verify_pin(pin, stored_hash) and found is not None

    tries = store.collection(UNLOCK_TRIES)
    key = _tries_key(name)
    state = tries.get(key) or {}
    locked_until_text = state.get("locked_until")
    locked_until = datetime.fromisoformat(locked_until_text) if locked_until_text else None

    if locked_until is not None and now < locked_until:
        return UnlockResult(member=None, message=LOCKED_OUT, locked_until=locked_until)

    if pin_ok and found is not None:
        member = _member(*found)
        if state:
            tries.delete(key)
        _prune_tries(store, now)
        audit.record_action(store, member.id, audit.STAFF_UNLOCK, None, now)
        return UnlockResult(member=member, message=None)

    # A lockout that has run out starts a fresh count.
    failures = (0 if locked_until is not None else int(state.get("failures", 0))) + 1
    if failures >= MAX_TRIES:
        until = now + LOCKOUT
        tries.put(
            key, {"failures": 0, "locked_until": until.isoformat(), "last_try": now.isoformat()}
        )
        if found is not None:
            audit.record_action(store, found[0], audit.STAFF_LOCKED_OUT, None, now)
        return UnlockResult(member=None, message=LOCKED_OUT, locked_until=until)
    tries.put(key, {"failures": failures, "locked_until": None, "last_try": now.isoformat()})
    return UnlockResult(member=None, message=UNLOCK_FAILED)


def record_lock(store: HubStore, staff_id: str, now: datetime) -> None:
    """Note in the audit log that staff mode was locked (by "Lock" or by inactivity)."""
    audit.record_action(store, staff_id, audit.STAFF_LOCK, None, now)
