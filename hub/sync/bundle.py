"""The sync bundle itself: its format, canonical JSON, the one reader of bundle files, errors.

A bundle ("Sync bundle v2" in the README) is one JSON object a hub writes for its
coordinator, or a coordinator writes for its hubs. Version 2 is signed by the hub it names
(see `hub.sync.signing`); version 1 is the unsigned format of hubs not yet upgraded, and is
read only when the person importing says so (`--accept-unsigned`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from hub.models import HubInfo, Referral, StrictModel, Suggestion, UnmetSearch, UtcDatetime

BUNDLE_FORMAT = "community-hub-bundle"
BUNDLE_VERSION = 2
"""The version this app writes. It reads 2, and 1 only with `--accept-unsigned`."""
UNSIGNED_VERSION = 1

MAX_BUNDLE_BYTES = 40 * 1024 * 1024
"""The biggest bundle read. A busy hub's year is a few megabytes; a 40 MB file is a
mistake (the wrong file picked), and is refused before it is read into memory."""

UNSIGNED_KEYS = ("sha256", "signature")
"""The keys left out of the canonical JSON that is signed and checksummed."""

_BASE64_32 = r"^[A-Za-z0-9+/]{43}=$"
_BASE64_64 = r"^[A-Za-z0-9+/]{86}==$"


class Bundle(StrictModel):
    """One sync bundle, exactly as the README's "Sync bundle v2" describes it."""

    format: Literal["community-hub-bundle"]
    version: Literal[1, 2]
    hub: HubInfo
    exported_at: UtcDatetime
    referrals: list[Referral] = Field(max_length=200_000)
    services: list[dict[str, Any]] = Field(
        max_length=20_000,
        description="HSDS 3.0 service objects; a retired service has "
        '"status": "defunct". Only a coordinator\'s bundle changes a hub\'s directory',
    )
    suggestions: list[Suggestion] = Field(max_length=100_000)
    unmet_searches: list[UnmetSearch] = Field(max_length=100_000)
    personal_details: Literal["sealed", "redacted"] | None = Field(
        default=None,
        description='Version 2: "sealed" when referrals\' contact and notes travel in '
        '`sealed_details`, "redacted" when they were left out. Either way each '
        "referral's own contact and notes are null.",
    )
    sealed_to: str | None = Field(
        default=None,
        max_length=40,
        description="Fingerprint of the coordinator key the details are sealed to.",
    )
    sealed_details: str | None = Field(
        default=None,
        max_length=MAX_BUNDLE_BYTES,
        description="Base64 of a libsodium sealed box (to the coordinator's key) of the "
        'canonical JSON {"<referral id>": [contact, notes], ...}.',
    )
    public_key: str | None = Field(
        default=None,
        pattern=_BASE64_32,
        description="Version 2: base64 of the signing hub's Ed25519 public key.",
    )
    signature: str | None = Field(
        default=None,
        pattern=_BASE64_64,
        description="Version 2: base64 Ed25519 signature, by the key in public_key, of the "
        "32-byte SHA-256 digest of the canonical JSON (the digest sha256 gives in hex).",
    )
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$",
        description='hex SHA-256 of the canonical JSON of the bundle without "sha256" and '
        '"signature": keys sorted, separators (",", ":"), ensure_ascii false, UTF-8. '
        "An integrity check against damage, not proof of who wrote it.",
    )


def canonical_json(document: Any) -> bytes:
    """Return the canonical UTF-8 JSON bytes (keys sorted, no spaces) of `document`."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def signed_bytes(document: Mapping[str, Any]) -> bytes:
    """Return the canonical JSON that is signed and checksummed: all but sha256 and signature."""
    return canonical_json({k: v for k, v in document.items() if k not in UNSIGNED_KEYS})


def bundle_checksum(document: Mapping[str, Any]) -> str:
    """Return the hex SHA-256 of a bundle's canonical JSON (without sha256 and signature)."""
    return hashlib.sha256(signed_bytes(document)).hexdigest()


def content_digest(document: Any) -> bytes:
    """Return the SHA-256 of a record's canonical JSON: how a tie between copies is broken."""
    return hashlib.sha256(canonical_json(document)).digest()


def bundle_schema() -> dict[str, Any]:
    """Return the JSON Schema of a bundle, as published in docs/bundle.schema.json."""
    schema = Bundle.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://example.org/community-hub-kiosk/bundle.schema.json"
    schema["title"] = "Community hub sync bundle, version 2 (version 1: unsigned)"
    return schema


def schema_text() -> str:
    """Return docs/bundle.schema.json's exact text (`hub sync schema` prints it)."""
    return json.dumps(bundle_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


# --- errors ------------------------------------------------------------------------


class SyncError(Exception):
    """A sync step that cannot go ahead; the message says what to do."""


class BundleError(SyncError):
    """One bundle file is unusable. Renders as "FILE: record …: what is wrong"."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{path}: {message}")


class BundleBatchError(SyncError):
    """Some of the files given are unusable, so nothing was imported."""

    def __init__(self, errors: Sequence[BundleError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


# --- reading a file ----------------------------------------------------------------


def _read_regular_file(path: Path, max_bytes: int) -> bytes:
    """Return a regular file's bytes; a pipe, device or folder is refused without blocking."""
    try:
        # O_NONBLOCK: opening a named pipe with no writer would otherwise wait for ever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise BundleError(path, "no such file") from None
    except IsADirectoryError:
        raise BundleError(path, "is a folder, not a bundle file") from None
    except OSError as exc:
        raise BundleError(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise BundleError(path, "is a folder, not a bundle file")
        if not stat.S_ISREG(info.st_mode):
            raise BundleError(path, "is not a regular file (a pipe or a device?); give a bundle")
        if info.st_size > max_bytes:
            # Refused by its size alone: reading 50 MB of something else is slow and pointless.
            raise BundleError(
                path,
                f"is {info.st_size / 1_048_576:.1f} MB; a bundle may be at most "
                f"{max_bytes // 1_048_576} MB, so this is probably not a hub's bundle",
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            # Ask for the size fstat gave (asking for the limit makes Python allocate it
            # all); a file still growing is read on, up to just past the limit.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(max_bytes + 1 - len(data))
            return data
    except OSError as exc:
        raise BundleError(path, f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def read_json_file(path: Path, *, max_bytes: int = MAX_BUNDLE_BYTES) -> tuple[Any, int]:
    """Return a file's decoded JSON and its size; raise BundleError for any failure.

    The one reader of sync files (bundles, key files). Numbers JSON cannot hold exactly
    (NaN, Infinity, 1e400, a 5,000-digit integer) are refused here, with one line.
    """
    raw = _read_regular_file(path, max_bytes)
    if len(raw) > max_bytes:
        raise BundleError(
            path, f"is bigger than {max_bytes // 1_048_576} MB; is it the right file?"
        )
    try:
        text = raw.decode("utf-8-sig")  # a BOM added by a Windows editor is harmless
    except UnicodeDecodeError as exc:
        raise BundleError(
            path, f"is not UTF-8 text (bad byte at position {exc.start}); is it the right file?"
        ) from None
    if not text.strip():
        raise BundleError(path, "is empty; copy it again from the hub")
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        if _stops_early(text, exc):
            raise BundleError(
                path,
                f"is cut short: the JSON stops at line {exc.lineno} before it is complete; "
                "copy it again from the hub",
            ) from None
        raise BundleError(
            path, f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except ValueError as exc:  # NaN, Infinity, 1e400, or an integer of thousands of digits
        raise BundleError(path, f"is not valid JSON we can read: {str(exc)[:120]}") from None
    except RecursionError:
        raise BundleError(path, "is not valid JSON we can read: nested too deeply") from None
    return data, len(raw)


_NUMBER_PART = re.compile(r"[-+.eE0-9]*")


def _stops_early(text: str, error: json.JSONDecodeError) -> bool:
    """True when the JSON was fine up to where the text ends: a file cut short."""
    # An unterminated string always runs to the end of the text (a raw line break inside
    # one is a different error); otherwise what is left must be a piece of a literal or
    # a number, like `fals` or `12.`, for the text to be a cut-off prefix.
    if error.msg.startswith("Unterminated string"):
        return True
    tail = text[error.pos :].rstrip()
    return any(word.startswith(tail) for word in ("true", "false", "null")) or bool(
        _NUMBER_PART.fullmatch(tail)
    )


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value
