"""Checking a bundle file in full before anything changes: shape, integrity, who sent it.

`check_file` reads one file and raises `BundleError` (one line: the file, the record,
what is wrong) at the first kind of problem, in this order:

1. it is a readable regular file of JSON, a bundle, of a version this app reads;
2. its checksum matches (else it was changed or damaged after export);
3. version 2: its signature holds, and the key that signed it is the key enrolled here for
   the hub it names (else: unknown hub, with the fingerprint and the command to enrol it;
   or another hub's key); version 1 only with `accept_unsigned`, and never for a hub
   whose key is enrolled;
4. every record's fields; every referral belongs to the hub that sent it (and no referral
   held here for another hub is touched); services only from the coordinator to a hub,
   or from a hub to its coordinator; no ids twice; nothing dated in the future.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from nacl.signing import SigningKey
from pydantic import ValidationError

from hub.hub_identity import key_fingerprint
from hub.models import HubInfo, Service
from hub.sync.bundle import (
    BUNDLE_FORMAT,
    BUNDLE_VERSION,
    UNSIGNED_VERSION,
    Bundle,
    BundleError,
    read_json_file,
    signed_bytes,
)
from hub.sync.records import check_records, check_services, describe_invalid
from hub.sync.signing import (
    Details,
    TrustedKey,
    decode_key,
    open_details,
    signature_holds,
    trust_command,
)

DetailsMode = Literal["known", "unknown", "fill_empty"]
"""How far a file's referral contact and notes can be believed: "known" (sealed and opened,
so an empty field means none), "unknown" (redacted, or sealed to another key: empty means
not sent) or "fill_empty" (an unsigned version 1 file, which cannot say it left them out)."""


@dataclass(frozen=True)
class Receiver:
    """Who is importing: what the checks need to know about this hub."""

    hub: HubInfo | None
    key: SigningKey | None
    trusted: Mapping[str, TrustedKey]
    accept_unsigned: bool = False

    @property
    def is_hub_with_coordinator(self) -> bool:
        """True at a hub that has enrolled its coordinator: it takes directory changes
        from that coordinator only."""
        return any(key.role == "coordinator" for key in self.trusted.values())


@dataclass(frozen=True)
class CheckedBundle:
    """A bundle file that passed every check, with its services read into the model."""

    path: Path
    bundle: Bundle
    services: list[Service]
    size: int
    signer: str
    """"coordinator", "hub", "this hub" or "unsigned"."""
    details: DetailsMode
    """Whether the referrals' empty contact and notes mean "none" or "not sent"."""
    warnings: list[str] = field(default_factory=list)


@dataclass
class CheckedFile:
    """A checked file, as the merge needs it."""

    checked: CheckedBundle
    raw_referrals: list[Any]
    """The file's referrals that were validated, as they were in the file (aligned with
    `checked.bundle.referrals`)."""
    already_stored: int
    """Referrals left out of validation because they are exactly as already stored."""


def _check_envelope(path: Path, data: Any) -> tuple[int, bytes]:
    """Return the bundle's version and the SHA-256 digest that is signed, once format,
    version and checksum are right (the canonical JSON is made once: it is the costliest
    step of a check)."""
    if not isinstance(data, dict):
        kind = "an array" if isinstance(data, list) else f"a {type(data).__name__}"
        raise BundleError(path, f"is not a hub bundle: expected a JSON object, found {kind}")
    if data.get("format") != BUNDLE_FORMAT:
        found = data.get("format")
        raise BundleError(
            path,
            f"is not a hub bundle: its format is {str(found)[:60]!r}, not {BUNDLE_FORMAT!r}"
            if found is not None
            else f'is not a hub bundle: it has no "format": {BUNDLE_FORMAT!r}',
        )
    version = data.get("version")
    if version not in (UNSIGNED_VERSION, BUNDLE_VERSION) or isinstance(version, bool):
        raise BundleError(
            path,
            f"is bundle version {str(version)[:20]}; this app reads version {BUNDLE_VERSION} "
            "(and unsigned version 1 with --accept-unsigned); update the app, or export again",
        )
    claimed = data.get("sha256")
    if not isinstance(claimed, str):
        raise BundleError(path, "has no sha256 checksum, so damage cannot be ruled out")
    try:
        digest = hashlib.sha256(signed_bytes(data)).digest()
    except ValueError as exc:
        raise BundleError(path, f"cannot be checked: {exc}") from None
    if claimed != digest.hex():
        raise BundleError(
            path,
            "checksum does not match: the file was changed or damaged after it was exported; "
            "copy it again, or export it again at the hub",
        )
    assert isinstance(version, int)
    return version, digest


def _hub_named(data: Mapping[str, Any]) -> tuple[str, str]:
    """Return the (id, name) the file says it is from, as text, however malformed."""
    hub = data.get("hub")
    if not isinstance(hub, dict):
        return "", ""
    return str(hub.get("id", ""))[:40], str(hub.get("name", ""))[:80]


def _check_sender(
    path: Path, data: Mapping[str, Any], version: int, digest: bytes, receiver: Receiver
) -> str:
    """Return who signed the file ("coordinator", "hub", "this hub" or "unsigned")."""
    hub_id, name = _hub_named(data)
    named = f"{name} (id {hub_id})" if name else f"hub {hub_id}"
    enrolled = receiver.trusted.get(hub_id)
    if version == UNSIGNED_VERSION:
        if not receiver.accept_unsigned:
            raise BundleError(
                path,
                "is an unsigned version 1 bundle, so who wrote it cannot be checked; if it "
                "comes from a hub not yet upgraded, import it with --accept-unsigned",
            )
        if enrolled is not None or (receiver.hub is not None and hub_id == receiver.hub.id):
            raise BundleError(
                path,
                f"is unsigned but names {named}, whose signing key is enrolled here: a real "
                "bundle from that hub is signed; refused",
            )
        return "unsigned"
    key_text, signature = data.get("public_key"), data.get("signature")
    public_key = decode_key(key_text) if isinstance(key_text, str) else None
    if public_key is None or not isinstance(signature, str):
        raise BundleError(path, "is version 2 but has no valid public_key and signature")
    if not signature_holds(digest, signature, public_key):
        raise BundleError(
            path,
            "signature does not match: the file was changed after it was signed; "
            "export it again at the hub",
        )
    fingerprint = key_fingerprint(public_key)
    if receiver.hub is not None and receiver.key is not None and hub_id == receiver.hub.id:
        if bytes(receiver.key.verify_key) != public_key:
            raise BundleError(path, f"names this hub but was signed by another key ({fingerprint})")
        return "this hub"
    owner = next((k for k in receiver.trusted.values() if k.public_key == public_key), None)
    if owner is not None and owner.hub_id != hub_id:
        raise BundleError(
            path, f"names {named} but was signed with the key of {owner.label()}; refused"
        )
    if enrolled is None:
        raise BundleError(
            path,
            f"comes from {named}, whose key is not enrolled here (fingerprint {fingerprint}); "
            "ask the hub to read you the fingerprint `hub sync key` shows and, if it "
            f"matches, run: {trust_command(str(path))}",
        )
    if enrolled.public_key != public_key:
        raise BundleError(
            path,
            f"names {named} but was signed with a different key ({fingerprint}) from the one "
            f"enrolled for it ({enrolled.fingerprint}); refused. If the hub made a new key, "
            f"check the new fingerprint by phone, then run: {trust_command(str(path))}",
        )
    return enrolled.role


def _personal_details(
    path: Path, data: Mapping[str, Any], version: int, receiver: Receiver
) -> tuple[Details | None, list[str]]:
    """Return the sealed details opened (None when unknown) and lines to tell the user."""
    if version == UNSIGNED_VERSION:
        return None, []
    kind = data.get("personal_details")
    if kind == "redacted":
        return None, []
    if kind != "sealed":
        raise BundleError(path, 'personal_details: must be "sealed" or "redacted"')
    sealed = data.get("sealed_details")
    if not isinstance(sealed, str):
        raise BundleError(path, 'sealed_details: missing, though personal_details is "sealed"')
    details = open_details(sealed, receiver.key) if receiver.key is not None else None
    if details is None:
        return None, [
            f"{path}: contact details and notes are sealed for another coordinator "
            f"(key {str(data.get('sealed_to'))[:40]}) and were not read; any already held "
            "here are kept"
        ]
    return details, []


def fill_details(item: dict[str, Any], held: Mapping[str, Any], mode: DetailsMode) -> None:
    """Keep the contact and notes held here where the file did not send them.

    An import never erases details it was not sent. A contact is kept only while the
    hub still records consent to follow up.
    """
    if mode == "known":
        return
    consent = item.get("consent_to_follow_up") is True
    if mode == "fill_empty":
        if not item.get("notes"):
            item["notes"] = held.get("notes")
        if not item.get("contact") and consent:
            item["contact"] = held.get("contact")
        return
    item["notes"] = held.get("notes")
    item["contact"] = held.get("contact") if consent else None


def _check_service_rights(path: Path, bundle: Bundle, signer: str, receiver: Receiver) -> None:
    """Raise BundleError when this sender may not change this hub's directory."""
    if not bundle.services or signer in ("coordinator", "this hub"):
        return
    if receiver.is_hub_with_coordinator:
        count = len(bundle.services)
        raise BundleError(
            path,
            f"carries {count} directory change{'s' if count != 1 else ''} from "
            f"{bundle.hub.name}, but this hub takes directory changes only from its "
            "coordinator; nothing was imported",
        )


def check_file(
    path: Path,
    now: datetime,
    receiver: Receiver,
    stored: Mapping[str, Mapping[str, Any]] | None = None,
) -> CheckedFile:
    """Return the checked file; raise BundleError at the first kind of problem found.

    A referral exactly equal to one in `stored` (the store's documents by id) is not
    validated again: storage holds only validated records, so it would pass, and this
    keeps a repeat import of 100,000 referrals quick. It still counts for duplicate ids.
    """
    stored = stored or {}
    data, size = read_json_file(path)
    version, digest = _check_envelope(path, data)
    signer = _check_sender(path, data, version, digest, receiver)
    details, notes = _personal_details(path, data, version, receiver)
    warnings = list(notes)
    mode: DetailsMode = (
        "fill_empty"
        if version == UNSIGNED_VERSION
        else "known"
        if details is not None
        else "unknown"
    )
    if signer == "unsigned":
        warnings.insert(
            0,
            f"{path}: unsigned version 1 bundle accepted with --accept-unsigned; who wrote "
            "it was not checked. Upgrade that hub so its bundles are signed",
        )
    raw_referrals = data.get("referrals")
    positions: list[int] = []
    known_ids: list[tuple[int, str]] = []
    foreign: list[tuple[int, Any]] = []
    if isinstance(raw_referrals, list):
        sender = _hub_named(data)[0]
        fresh = []
        # One pass (a repeat import of 100,000 referrals is mostly this loop): put in the
        # details, note referrals that are not the sender's, skip those exactly as stored.
        for position, item in enumerate(raw_referrals):
            rid = item.get("id") if isinstance(item, dict) else None
            if not isinstance(rid, str):
                positions.append(position)
                fresh.append(item)
                continue
            assert isinstance(item, dict)
            held = stored.get(rid)
            if details is not None:
                pair = details.get(rid)
                if pair is not None:
                    item["contact"], item["notes"] = pair
            elif held is not None:
                fill_details(item, held, mode)
            if item.get("hub_id") != sender or (held is not None and held["hub_id"] != sender):
                foreign.append((position, item))
            if held is not None and held == item:
                known_ids.append((position, rid))
            else:
                positions.append(position)
                fresh.append(item)
        data = {**data, "referrals": fresh}
        raw_referrals = fresh
    try:
        bundle = Bundle.model_validate(data)
    except ValidationError as exc:
        raise BundleError(path, describe_invalid(exc, data, positions)) from None
    _check_service_rights(path, bundle, signer, receiver)
    services = check_services(path, bundle, now)
    check_records(path, bundle, services, now, positions, known_ids, foreign, stored)
    checked = CheckedBundle(
        path=path,
        bundle=bundle,
        services=services,
        size=size,
        signer=signer,
        details=mode,
        warnings=warnings,
    )
    return CheckedFile(checked, list(raw_referrals or []), len(known_ids))
