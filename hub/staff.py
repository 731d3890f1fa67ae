"""Staff accounts at a shared terminal: names, PINs stored as salted scrypt hashes, lockout.

Staff unlock with their name and a PIN of at least six digits. The terminal is used by
visitors too, so the unlock answer gives nothing away:

* a wrong PIN and an unknown name get the same words (UNLOCK_FAILED), and an unknown
  name still costs one scrypt hash, so the time taken does not tell them apart either;
* five wrong tries in a row for one name lock that name for five minutes (LOCKED_OUT),
  and this happens for unknown names too, so a lockout does not prove a name exists;
* cycling through names gains nothing: after KIOSK_FREE_FAILURES wrong tries within
  KIOSK_WINDOW across all names, the whole kiosk makes each further try wait a little
  longer (KIOSK_WAIT), up to KIOSK_MAX_WAIT; a right PIN ends the wait;
* a name someone has locked on purpose (a known staff name typed wrong five times) is
  unlocked by any other staff member, on staff home or with `hub staff unlock NAME`.

Tries are counted per name in the `staff_unlock` collection, keyed by a SHA-256 of the
folded name: a visitor who types their own name into the box leaves no readable trace.
The kiosk-wide count is the document KIOSK_KEY in the same collection: times only.
The clock is always passed in (`now`), so lockout timing is tested without sleeping.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hub import audit
from hub.i18n import N_, _, ngettext
from hub.safe_text import HiddenCharactersError, clean_line, refuse_hidden
from hub.storage import HubStore

PIN_MIN_LENGTH = 6
PIN_MAX_LENGTH = 12
NAME_MAX_LENGTH = 60
MAX_TRIES = 5
LOCKOUT = timedelta(minutes=5)

UNLOCK_FAILED = N_("That did not work. Check and try again.")
LOCKED_OUT = N_("Too many tries. Try again in 5 minutes.")
KIOSK_WAIT = "Too many wrong tries on this kiosk. Please wait {seconds} seconds, then try again."

KIOSK_KEY = "kiosk"
"""The kiosk-wide count's key (never a SHA-256 hex digest, so never a name's key)."""
KIOSK_WINDOW = timedelta(minutes=10)
KIOSK_FREE_FAILURES = 10
"""Wrong tries across all names within KIOSK_WINDOW before each try must wait."""
KIOSK_FIRST_WAIT = timedelta(seconds=5)
KIOSK_MAX_WAIT = timedelta(minutes=2)
"""The wait doubles with each further wrong try (5 s, 10 s, 20 s ...) up to this, so
someone trying names at random gets a handful of tries in ten minutes, and staff who
mistype are never kept out for long."""

# scrypt cost: n=2**15, r=8 takes 32 MiB and twice the work of the 2**14 used before, so a
# stolen staff.json costs twice as much to guess through. Measured on the 2-core build
# machine (benchmarks/pin_hash.py): about 0.13 s when quiet and 0.5 s with the machine
# four times oversubscribed, where 2**16 took 0.35 s and 1.0 s: 2**16 would break the
# half-second budget on a busy or slower kiosk PC. Hashes made at the old cost still
# verify and are remade at this cost on the member's next right PIN.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_MAXMEM = 256 * 1024 * 1024
"""Room for the cost above (128 * r * n bytes, 32 MiB) and the next step up; a stored hash that
asks for more (a hand-edited staff.json) fails to verify rather than eating the PC's memory."""
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
    """None on success; UNLOCK_FAILED, LOCKED_OUT or KIOSK_WAIT (with the seconds) otherwise."""
    locked_until: datetime | None = None
    """When a locked name, or the whole kiosk, may try again (for screens that count down)."""
    wait_seconds: int | None = None
    """With KIOSK_WAIT: how many seconds the kiosk makes every name wait."""

    def words(self) -> str:
        """Return the message in the kiosk's language (the number put in after translating)."""
        if self.wait_seconds is not None:
            # The words are written out here (not KIOSK_WAIT) so the template finds them.
            return ngettext(
                "Too many wrong tries on this kiosk. Please wait {seconds} second, then try again.",
                "Too many wrong tries on this kiosk. Please wait {seconds} seconds, "
                "then try again.",
                self.wait_seconds,
            ).format(seconds=self.wait_seconds)
        return _(self.message or UNLOCK_FAILED)

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
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES, maxmem=SCRYPT_MAXMEM
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


def needs_rehash(stored: str) -> bool:
    """Return True when a stored hash was made at a cost other than today's."""
    parts = stored.split("$")
    return parts[:4] != [_SCHEME, str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P)]


# A real hash of a random PIN nobody kept: an unknown name is checked against it, so it
# costs exactly the scrypt work a known name does (and the first unknown name no more).
_DECOY_HASH = (
    "scrypt$32768$8$1$27bbdaa5eceb9cb99bc293de9d75af47$"
    "63e5908ee810cccfc034e93794fd1de1b2bf2b0135cb0bf95adb97833c0ac1da"
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
    pin_hash = hash_pin(pin)  # slow on purpose: made before the folder's lock is taken
    # The name is checked and the account saved under one lock: two screens adding the
    # same name at once add it once.
    with store.writing():
        if _find(store, cleaned) is not None:
            raise StaffError(f"there is already a staff member called {cleaned!r}")
        member = StaffMember(id=str(uuid.uuid4()), name=cleaned, created_at=now.astimezone(UTC))
        audit.record_action(store, actor, audit.STAFF_ADD, member.id, now)
        store.collection(STAFF).put(
            member.id,
            {
                "name": member.name,
                "pin_hash": pin_hash,
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
    with store.writing():  # found and removed in one step, so removed once
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
        if key != KIOSK_KEY
        and now - datetime.fromisoformat(doc["last_try"]) > LOCKOUT
        and (doc.get("locked_until") is None or datetime.fromisoformat(doc["locked_until"]) <= now)
    ]
    if stale:
        tries.delete_many(stale)


def _kiosk_failures(doc: dict[str, Any] | None, now: datetime) -> list[datetime]:
    """Return the kiosk-wide wrong tries still inside KIOSK_WINDOW, oldest first."""
    times = [datetime.fromisoformat(t) for t in (doc or {}).get("failures", [])]
    return sorted(t for t in times if now - t < KIOSK_WINDOW)


def _kiosk_wait(failures: int) -> timedelta:
    """Return how long the kiosk waits after this many wrong tries in the window."""
    beyond = failures - KIOSK_FREE_FAILURES
    if beyond < 0:
        return timedelta(0)
    return min(KIOSK_FIRST_WAIT * (1 << min(beyond, 16)), KIOSK_MAX_WAIT)


def _wait_seconds(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds()))


def _kiosk_waiting(until: datetime, now: datetime) -> UnlockResult:
    """Return the answer while the whole kiosk waits: the English words and the seconds."""
    seconds = _wait_seconds(until, now)
    return UnlockResult(
        member=None,
        message=KIOSK_WAIT.format(seconds=seconds),
        locked_until=until,
        wait_seconds=seconds,
    )


@dataclass(frozen=True)
class PinCheck:
    """A PIN already hashed against a stored hash, so the slow part can run unlocked."""

    stored_hash: str
    """The hash the PIN was checked against (the decoy's for an unknown name)."""
    ok: bool


def stored_pin_hash(store: HubStore, name: str) -> str:
    """Return the hash a PIN for this name is checked against (the decoy's for no one).

    With `check_pin`, this is `unlock`'s slow part taken apart: the kiosk reads the hash
    under the data folder's lock, hashes the PIN (scrypt, a tenth of a second or more)
    without it, and passes the result to `unlock`, which uses it only if the stored hash
    has not changed in between.
    """
    found = _find(store, name) if name.strip() else None
    return str(found[1]["pin_hash"]) if found else _DECOY_HASH


def check_pin(pin: str, stored_hash: str) -> PinCheck:
    """Return the PIN checked against a stored hash (slow on purpose; touches no file)."""
    return PinCheck(stored_hash, verify_pin(pin, stored_hash))


def unlock(
    store: HubStore, name: str, pin: str, now: datetime, checked: PinCheck | None = None
) -> UnlockResult:
    """Return the result of trying to unlock staff mode with this name and PIN.

    The PIN is always hashed (against a decoy for an unknown name, and even while a name
    or the kiosk is waiting), so every answer takes about the same time. Five wrong tries
    in a row lock the name for LOCKOUT; many wrong tries across names make the whole
    kiosk wait (KIOSK_WAIT); a right PIN clears both counts, and a hash made at an older
    cost is remade at today's. Raises StorageError when the counts cannot be saved: then
    nobody is let in, since a full disk must not switch the guard off.

    The counts are read and saved under the folder's lock: wrong tries made at two kiosks
    (or browser sessions) at once are all counted.
    """
    with store.writing():
        return _unlock(store, name, pin, now, checked)


def _unlock(
    store: HubStore, name: str, pin: str, now: datetime, checked: PinCheck | None
) -> UnlockResult:
    now = now.astimezone(UTC)
    found = _find(store, name) if name.strip() else None
    stored_hash = found[1]["pin_hash"] if found else _DECOY_HASH
    if checked is not None and checked.stored_hash == stored_hash:
        pin_ok = checked.ok and found is not None
    else:  # not checked yet, or the PIN was changed since: check against what is stored now
        pin_ok = verify_pin(pin, stored_hash) and found is not None

    tries = store.collection(UNLOCK_TRIES)
    kiosk = tries.get(KIOSK_KEY) or {}
    kiosk_until_text = kiosk.get("wait_until")
    kiosk_until = datetime.fromisoformat(kiosk_until_text) if kiosk_until_text else None
    if kiosk_until is not None and now < kiosk_until:
        return _kiosk_waiting(kiosk_until, now)

    key = _tries_key(name)
    state = tries.get(key) or {}
    locked_until_text = state.get("locked_until")
    locked_until = datetime.fromisoformat(locked_until_text) if locked_until_text else None

    if locked_until is not None and now < locked_until:
        return UnlockResult(member=None, message=LOCKED_OUT, locked_until=locked_until)

    if pin_ok and found is not None:
        member_id, doc = found
        member = _member(member_id, doc)
        if needs_rehash(doc["pin_hash"]):
            store.collection(STAFF).put(member_id, {**doc, "pin_hash": hash_pin(pin)})
        cleared = [k for k in (key, KIOSK_KEY) if k in tries]
        if cleared:
            tries.delete_many(cleared)
        _prune_tries(store, now)
        audit.record_action(store, member.id, audit.STAFF_UNLOCK, None, now)
        return UnlockResult(member=member, message=None)

    # A wrong try: counted for the name and for the kiosk, in one write.
    recent = [*_kiosk_failures(kiosk, now), now]
    wait = _kiosk_wait(len(recent))
    kiosk_doc = {
        "failures": [t.isoformat() for t in recent],
        "wait_until": (now + wait).isoformat() if wait else None,
        "last_try": now.isoformat(),
    }
    # A lockout that has run out starts a fresh count.
    failures = (0 if locked_until is not None else int(state.get("failures", 0))) + 1
    if failures >= MAX_TRIES:
        until = now + LOCKOUT
        name_doc = {"failures": 0, "locked_until": until.isoformat(), "last_try": now.isoformat()}
        tries.put_many({key: name_doc, KIOSK_KEY: kiosk_doc})
        if found is not None:
            audit.record_action(store, found[0], audit.STAFF_LOCKED_OUT, None, now)
        return UnlockResult(member=None, message=LOCKED_OUT, locked_until=until)
    name_doc = {"failures": failures, "locked_until": None, "last_try": now.isoformat()}
    tries.put_many({key: name_doc, KIOSK_KEY: kiosk_doc})
    if wait:
        return _kiosk_waiting(now + wait, now)
    return UnlockResult(member=None, message=UNLOCK_FAILED)


def _locked_until(store: HubStore, name: str, now: datetime) -> datetime | None:
    """Return when this name's lockout ends, or None if it is not locked now."""
    doc = store.collection(UNLOCK_TRIES).get(_tries_key(name)) or {}
    text = doc.get("locked_until")
    until = datetime.fromisoformat(text) if text else None
    return until if until is not None and now.astimezone(UTC) < until else None


def locked_out_staff(store: HubStore, now: datetime) -> list[tuple[StaffMember, datetime]]:
    """Return the staff members whose name is locked out now, with when each lock ends."""
    locked = []
    for member in list_staff(store):
        until = _locked_until(store, member.name, now)
        if until is not None:
            locked.append((member, until))
    return locked


def kiosk_wait_until(store: HubStore, now: datetime) -> datetime | None:
    """Return when the kiosk-wide wait ends, or None if every name may try now."""
    doc = store.collection(UNLOCK_TRIES).get(KIOSK_KEY) or {}
    text = doc.get("wait_until")
    until = datetime.fromisoformat(text) if text else None
    return until if until is not None and now.astimezone(UTC) < until else None


def clear_lockout(
    store: HubStore, name: str, now: datetime, *, actor: str = audit.COMMAND_LINE
) -> bool:
    """Let a locked-out staff member sign in again at once; return True if they were locked.

    Clears the name's count of wrong tries and the kiosk-wide wait (someone trying names
    at random may have caused both). `actor` is the staff member (or the command line)
    doing it, for the audit log. Raises StaffError when there is nobody by that name.
    """
    # Read and cleared under one lock, as `unlock` counts tries: two colleagues clearing
    # one lockout at once clear it once, and a wrong try never lands between the two.
    with store.writing():
        found = _find(store, name)
        if found is None:
            raise StaffError(f"there is no staff member called {name.strip()!r}")
        was_locked = _locked_until(store, name, now) is not None
        tries = store.collection(UNLOCK_TRIES)
        doomed = [k for k in (_tries_key(name), KIOSK_KEY) if k in tries]
        audit.record_action(store, actor, audit.STAFF_LOCKOUT_CLEARED, found[0], now)
        if doomed:
            tries.delete_many(doomed)
    return was_locked


def record_lock(store: HubStore, staff_id: str, now: datetime) -> None:
    """Note in the audit log that staff mode was locked (by "Lock" or by inactivity)."""
    audit.record_action(store, staff_id, audit.STAFF_LOCK, None, now)
