"""Sync bundles: export at a hub, import at a coordinator, once and only once, or not at all."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.encoding import HexEncoder
from nacl.signing import SigningKey

from hub import sync
from hub.directory_edits import add_service, edit_service, retire_service
from hub.formats.hsds3 import to_hsds3
from hub.hub_identity import setup_hub
from hub.models import HubInfo, Referral, Service, Status
from hub.referrals import set_outcome
from hub.storage import HubStore
from hub.suggestions import leave_suggestion
from hub.sync import (
    IMPORTED_UNMET,
    BundleBatchError,
    SyncError,
    bundle_checksum,
    export_bundle,
    import_bundles,
    signed_bytes,
    trust_key,
)
from hub.sync import check_bundle_file as check_file_at
from hub.sync.bundle import content_digest
from hub.sync.signing import encode_key, seal_details, sign
from hub.unmet import log_unmet_search
from tests.factories import make_referral, make_service

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
HUB_A = HubInfo(id="11111111-1111-4111-8111-111111111111", name="Church End Library")
HUB_B = HubInfo(id="22222222-2222-4222-8222-222222222222", name="Alperton Community Centre")
COORDINATOR = HubInfo(id="33333333-3333-4333-8333-333333333333", name="Brent coordinator")
HUB_C = HubInfo(id="44444444-4444-4444-8444-444444444444", name="Wembley Library")
KEYS = {
    HUB_A.id: SigningKey(b"a" * 32),
    HUB_B.id: SigningKey(b"b" * 32),
    COORDINATOR.id: SigningKey(b"c" * 32),
    HUB_C.id: SigningKey(b"d" * 32),
}


# --- helpers -------------------------------------------------------------------------


def without_source(service: Service | None) -> Service | None:
    """Return the service without the publisher's record it keeps beside our fields."""
    return None if service is None else service.model_copy(update={"source": None})


def fingerprint(root: Path) -> dict[str, str]:
    """Return every file under root with the SHA-256 of its bytes, to prove nothing changed."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def bundle_document(
    hub: HubInfo,
    *,
    referrals: Sequence[Referral | dict[str, Any]] = (),
    services: Sequence[Service] = (),
    suggestions: Sequence[dict[str, Any]] = (),
    unmet: Sequence[dict[str, Any]] = (),
    exported_at: datetime = NOW,
    version: int = 2,
) -> dict[str, Any]:
    """Return a bundle object (not yet signed or checksummed) as a hub would export it."""
    return {
        "format": "community-hub-bundle",
        "version": version,
        "hub": hub.model_dump(mode="json"),
        "exported_at": exported_at.isoformat().replace("+00:00", "Z"),
        "referrals": [
            r.model_dump(mode="json") if isinstance(r, Referral) else r for r in referrals
        ],
        "services": [to_hsds3(s) for s in services],
        "suggestions": list(suggestions),
        "unmet_searches": list(unmet),
    }


def seal_and_sign(
    document: dict[str, Any], key: SigningKey | None = None, *, redact: bool = False
) -> dict[str, Any]:
    """Return a version 2 document as export writes it: details sealed, signed, checksummed.

    Signed by the key of the hub it names unless `key` is given (a forger's key).
    """
    document = json.loads(json.dumps(document))
    key = key or KEYS[document["hub"]["id"]]
    details = {}
    for referral in document["referrals"]:
        if referral.get("contact") or referral.get("notes"):
            details[referral["id"]] = (referral.get("contact"), referral.get("notes"))
        referral["contact"] = referral["notes"] = None
    if redact:
        document["personal_details"] = "redacted"
    else:
        document["personal_details"] = "sealed"
        document["sealed_to"] = "coordinator"
        document["sealed_details"] = seal_details(details, bytes(KEYS[COORDINATOR.id].verify_key))
    document["public_key"] = encode_key(bytes(key.verify_key))
    document["signature"] = sign(hashlib.sha256(signed_bytes(document)).digest(), key)
    return document


def write_bundle(
    path: Path,
    document: dict[str, Any],
    *,
    checksum: bool = True,
    key: SigningKey | None = None,
    redact: bool = False,
) -> Path:
    """Write a bundle file: a version 2 one signed (by its hub, unless `key` says otherwise)
    with its details sealed to the coordinator; always with a correct checksum unless told."""
    if document.get("version") == 2 and "signature" not in document:
        document = seal_and_sign(document, key, redact=redact)
    if checksum:
        document = {**document, "sha256": bundle_checksum(document)}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def give_key(store: HubStore, hub: HubInfo) -> None:
    """Put this hub's test signing key in its data folder, as `hub setup` would."""
    path = store.root / "signing.key"
    path.write_bytes(KEYS[hub.id].encode(HexEncoder))
    path.chmod(0o600)


def enrol(store: HubStore, hub: HubInfo, *, coordinator: bool = False) -> None:
    """Enrol `hub`'s public key at `store`, as `hub sync trust` would."""
    key = bytes(KEYS[hub.id].verify_key)
    trust_key(store, hub.id, hub.name, key, coordinator=coordinator, now=NOW, own_hub_id=None)


def check_bundle_file(path: Path, *, store: HubStore, now: datetime) -> sync.CheckedBundle:
    """Return the checked file, checked at `store`."""
    return check_file_at(path, store=store, now=now)


@pytest.fixture
def hub_a(tmp_path: Path) -> Iterator[HubStore]:
    """Return hub A's open store: set up, its key made, its coordinator's key enrolled."""
    store = HubStore.open(tmp_path / "hub-a")
    store.set_meta("hub_id", HUB_A.id)
    store.set_meta("hub_name", HUB_A.name)
    give_key(store, HUB_A)
    enrol(store, COORDINATOR, coordinator=True)
    yield store
    store.close()


@pytest.fixture
def coordinator(tmp_path: Path) -> Iterator[HubStore]:
    """Return a coordinator's open store: its key, hubs A and B enrolled, no referrals."""
    store = HubStore.open(tmp_path / "coordinator")
    give_key(store, COORDINATOR)
    enrol(store, HUB_A)
    enrol(store, HUB_B)
    yield store
    store.close()


def referral_at(hub: HubInfo, when: datetime, **overrides: Any) -> Referral:
    return make_referral(hub_id=hub.id, now=when, **overrides)


# --- export and import ---------------------------------------------------------------


def test_export_at_a_hub_then_import_at_the_coordinator(
    tmp_path: Path, hub_a: HubStore, coordinator: HubStore
) -> None:
    cafe = make_service(name="Memory Café", last_modified=NOW - timedelta(days=30))
    lunch = make_service(name="Lunch Club", needs=["food"], last_modified=NOW - timedelta(days=30))
    untouched = make_service(name="Untouched", last_modified=NOW - timedelta(days=30))
    hub_a.save_services([cafe, lunch, untouched])
    edited = edit_service(
        hub_a, cafe.model_copy(update={"description": "Tuesdays, 2pm."}), "staff-1", NOW
    )
    retired = retire_service(hub_a, lunch.id, "staff-1", NOW)
    referrals = [
        referral_at(HUB_A, NOW - timedelta(days=2), service_id=cafe.id),
        referral_at(
            HUB_A,
            NOW - timedelta(days=1),
            consent_to_follow_up=True,
            contact="07700 900123",
            notes="Prefers mornings",
        ),
    ]
    hub_a.save_referrals(referrals)
    note = leave_suggestion(hub_a, cafe.id, "It moved to the church hall", date(2026, 11, 25))
    log_unmet_search(hub_a, "sign language class", date(2026, 11, 26))
    log_unmet_search(hub_a, "sign language class", date(2026, 11, 26))

    path = tmp_path / "church-end.json"
    summary = export_bundle(hub_a, path, now=NOW)
    assert (summary.referrals, summary.services, summary.retired_services) == (2, 2, 1)
    assert (summary.suggestions, summary.unmet_searches) == (1, 1)
    assert f"Wrote {path}" in summary.lines()[0]

    checked = check_bundle_file(path, store=coordinator, now=NOW)
    assert checked.bundle.hub == HUB_A
    assert {s.id for s in checked.services} == {cafe.id, lunch.id}  # only what changed here

    [result] = import_bundles(coordinator, [path], now=NOW)
    assert (result.referrals.added, result.referrals.updated, result.referrals.unchanged) == (
        2,
        0,
        0,
    )
    assert result.services.added == 2
    assert result.suggestions_added == 1 and result.unmet_searches_changed == 1
    assert sorted(coordinator.referrals(), key=lambda r: r.id) == sorted(
        referrals, key=lambda r: r.id
    )
    # The coordinator keeps each service's record as the bundle gave it (its `source`), so
    # its own exports lose nothing; our fields are compared here.
    assert without_source(coordinator.service(cafe.id)) == edited
    assert without_source(coordinator.service(lunch.id)) == retired
    assert retired.status is Status.DEFUNCT
    assert coordinator.collection("suggestions").get(note.id) == note.model_dump(mode="json")
    assert coordinator.collection("hubs").get(HUB_A.id)["name"] == HUB_A.name  # type: ignore[index]
    [unmet] = coordinator.collection(IMPORTED_UNMET).all().values()
    assert unmet == {
        "hub_id": HUB_A.id,
        "text": "sign language class",
        "day": "2026-11-26",
        "count": 2,
    }


def test_the_next_export_sends_only_what_changed_since_the_last(
    tmp_path: Path, hub_a: HubStore
) -> None:
    first = referral_at(HUB_A, NOW - timedelta(days=3))
    second = referral_at(HUB_A, NOW - timedelta(days=2))
    other_hub = referral_at(HUB_B, NOW - timedelta(days=2))  # imported; B sends its own
    hub_a.save_referrals([first, second, other_hub])
    assert export_bundle(hub_a, tmp_path / "1.json", now=NOW).referrals == 2
    assert hub_a.meta(sync.EXPORT_MARK_KEY) == "2026-11-27T09:00:00Z"

    later = NOW + timedelta(hours=2)
    nothing_new = export_bundle(hub_a, tmp_path / "2.json", now=later)
    assert nothing_new.referrals == 0 and nothing_new.since == NOW

    set_outcome(hub_a, second.id, "attended", "staff-1", later + timedelta(minutes=5))
    changed = export_bundle(hub_a, tmp_path / "3.json", now=later + timedelta(hours=1))
    assert changed.referrals == 1
    [sent] = check_bundle_file(
        tmp_path / "3.json", store=hub_a, now=later + timedelta(hours=1)
    ).bundle.referrals
    assert sent.id == second.id and sent.outcome == "attended"

    everything = export_bundle(hub_a, tmp_path / "4.json", everything=True, now=later)
    assert everything.referrals == 2 and everything.since is None


def test_redact_leaves_out_contact_details_and_notes(tmp_path: Path, hub_a: HubStore) -> None:
    hub_a.save_referral(
        referral_at(
            HUB_A,
            NOW - timedelta(days=1),
            consent_to_follow_up=True,
            contact="ana@example.org",
            notes="Daughter's number in the book",
        )
    )
    path = tmp_path / "redacted.json"
    summary = export_bundle(hub_a, path, redact=True, now=NOW)
    assert "contact details and notes left out" in summary.lines()[1]
    text = path.read_text(encoding="utf-8")
    assert "ana@example.org" not in text and "Daughter" not in text
    document = json.loads(text)
    assert document["personal_details"] == "redacted" and "sealed_details" not in document
    [referral] = document["referrals"]
    assert referral["contact"] is None and referral["notes"] is None
    assert referral["consent_to_follow_up"] is True


def test_export_is_refused_before_hub_setup(tmp_path: Path, coordinator: HubStore) -> None:
    with pytest.raises(SyncError, match=r"run `hub setup --name"):
        export_bundle(coordinator, tmp_path / "bundle.json", now=NOW)
    assert not (tmp_path / "bundle.json").exists()


def test_a_failed_export_leaves_the_mark_where_it_was(tmp_path: Path, hub_a: HubStore) -> None:
    hub_a.save_referral(referral_at(HUB_A, NOW - timedelta(days=1)))
    with pytest.raises(SyncError, match="does not exist"):
        export_bundle(hub_a, tmp_path / "no-usb-stick" / "bundle.json", now=NOW)
    with pytest.raises(SyncError, match="is a folder"):
        export_bundle(hub_a, tmp_path, now=NOW)
    assert hub_a.meta(sync.EXPORT_MARK_KEY) is None
    assert export_bundle(hub_a, tmp_path / "bundle.json", now=NOW).referrals == 1


def test_the_fictional_sample_never_travels(tmp_path: Path, hub_a: HubStore) -> None:
    sample = make_service(name="Sample café")
    real = make_service(name="Real café")
    hub_a.save_services([sample, real])
    hub_a.set_meta("sample_service_ids", [sample.id])
    summary = export_bundle(hub_a, tmp_path / "all.json", everything=True, now=NOW)
    assert summary.services == 1
    [service] = check_bundle_file(tmp_path / "all.json", store=hub_a, now=NOW).services
    assert service.id == real.id


def test_importing_the_same_file_twice_changes_nothing(
    tmp_path: Path, hub_a: HubStore, coordinator: HubStore
) -> None:
    hub_a.save_referrals(referral_at(HUB_A, NOW - timedelta(hours=h)) for h in range(1, 300))
    add_service(hub_a, make_service(name="New group"), "staff-1", NOW)
    leave_suggestion(hub_a, make_service().id, "Phone number is wrong", date(2026, 11, 26))
    log_unmet_search(hub_a, "knitting", date(2026, 11, 26))
    path = tmp_path / "bundle.json"
    export_bundle(hub_a, path, now=NOW)

    import_bundles(coordinator, [path], now=NOW)
    before = fingerprint(coordinator.root)
    # Twice more, and once in the same batch twice: each counts once.
    for paths in ([path], [path, path]):
        for result in import_bundles(coordinator, paths, now=NOW + timedelta(hours=1)):
            assert result.referrals.added == result.referrals.updated == 0
            assert result.referrals.unchanged == 299
            assert (result.services.added, result.services.updated) == (0, 0)
            assert result.suggestions_added == result.unmet_searches_changed == 0
            assert not result.changed
    assert fingerprint(coordinator.root) == before


# --- conflicts -----------------------------------------------------------------------


def two_copies(
    tmp_path: Path, first: Referral, second: Referral, first_hub: HubInfo = HUB_A
) -> tuple[Path, Path]:
    a = write_bundle(tmp_path / "first.json", bundle_document(first_hub, referrals=[first]))
    b = write_bundle(tmp_path / "second.json", bundle_document(first_hub, referrals=[second]))
    return a, b


@pytest.mark.parametrize("order", ["older first", "newer first"])
def test_the_later_updated_at_wins_whatever_the_order(
    tmp_path: Path, coordinator: HubStore, order: str
) -> None:
    older = referral_at(HUB_A, NOW - timedelta(days=5))
    newer = older.model_copy(update={"outcome": "attended", "updated_at": NOW - timedelta(days=1)})
    a, b = two_copies(tmp_path, older, newer)
    paths = [a, b] if order == "older first" else [b, a]
    results = import_bundles(coordinator, paths, now=NOW)
    assert coordinator.referral(older.id) == newer
    assert results[0].referrals.added == 1
    second = results[1].referrals
    assert (second.updated, second.unchanged) == ((1, 0) if order == "older first" else (0, 1))


def test_the_later_copy_wins_across_separate_imports(tmp_path: Path, coordinator: HubStore) -> None:
    older = referral_at(HUB_A, NOW - timedelta(days=5))
    newer = older.model_copy(update={"outcome": "declined", "updated_at": NOW - timedelta(days=1)})
    a, b = two_copies(tmp_path, older, newer)
    import_bundles(coordinator, [b], now=NOW)
    before = fingerprint(coordinator.root / "referrals")
    [late_old_file] = import_bundles(coordinator, [a], now=NOW)
    assert late_old_file.referrals.unchanged == 1 and late_old_file.referrals.updated == 0
    assert coordinator.referral(older.id) == newer
    assert fingerprint(coordinator.root / "referrals") == before


@pytest.mark.parametrize("order", ["a first", "b first"])
@pytest.mark.parametrize("batch", ["one batch", "two imports"])
def test_a_tie_is_broken_by_content_not_by_file_order(
    tmp_path: Path, coordinator: HubStore, order: str, batch: str
) -> None:
    when = NOW - timedelta(days=2)
    one = referral_at(HUB_A, when, outcome="attended")
    other = one.model_copy(update={"outcome": "did_not_attend"})
    a = write_bundle(tmp_path / "a.json", bundle_document(HUB_A, referrals=[one]))
    b = write_bundle(tmp_path / "b.json", bundle_document(HUB_A, referrals=[other]))
    paths = [a, b] if order == "a first" else [b, a]
    for group in [paths] if batch == "one batch" else [[paths[0]], [paths[1]]]:
        import_bundles(coordinator, group, now=NOW)
    winner = max((one, other), key=lambda r: content_digest(r.model_dump(mode="json")))
    assert coordinator.referral(one.id) == winner


@pytest.mark.parametrize("order", ["edit first", "retirement first"])
def test_services_the_later_last_modified_wins_and_defunct_retires(
    tmp_path: Path, coordinator: HubStore, order: str
) -> None:
    base = make_service(name="Memory Café", last_modified=NOW - timedelta(days=10))
    coordinator.save_services([base])
    edited = base.model_copy(
        update={"description": "Now on Thursdays.", "last_modified": NOW - timedelta(days=3)}
    )
    retired = base.model_copy(
        update={"status": Status.DEFUNCT, "last_modified": NOW - timedelta(days=1)}
    )
    a = write_bundle(tmp_path / "edit.json", bundle_document(HUB_A, services=[edited]))
    b = write_bundle(tmp_path / "retire.json", bundle_document(HUB_B, services=[retired]))
    results = import_bundles(coordinator, [a, b] if order == "edit first" else [b, a], now=NOW)
    assert without_source(coordinator.service(base.id)) == retired
    assert not retired.is_listed
    outcomes = [(r.services.updated, r.services.unchanged) for r in results]
    assert outcomes == ([(1, 0), (1, 0)] if order == "edit first" else [(1, 0), (0, 1)])


COPY = st.tuples(
    st.integers(min_value=0, max_value=2),  # which referral
    st.integers(min_value=0, max_value=2),  # updated how many days after recording
    st.sampled_from(["unknown", "attended", "declined"]),
)


@settings(max_examples=25, deadline=None)
@given(files=st.lists(st.lists(COPY, min_size=1, max_size=3), min_size=1, max_size=4))
def test_the_merged_result_does_not_depend_on_order_or_batching(
    files: list[list[tuple[int, int, str]]],
) -> None:
    recorded = NOW - timedelta(days=5)
    ids = [str(uuid.UUID(int=n + 1, version=4)) for n in range(3)]
    results = []
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        paths = []
        for number, copies in enumerate(files):
            # One copy of each referral per file: a file never holds the same id twice.
            unique = {which: (days, outcome) for which, days, outcome in copies}
            referrals = [
                make_referral(
                    id=ids[which],
                    hub_id=HUB_A.id,
                    now=recorded,
                    updated_at=recorded + timedelta(days=days),
                    outcome=outcome,
                )
                for which, (days, outcome) in unique.items()
            ]
            document = bundle_document(HUB_A, referrals=referrals)
            paths.append(write_bundle(root / f"{number}.json", document))
        orders = [[paths], [list(reversed(paths))], [[path] for path in paths]]
        for index, batches in enumerate(orders):
            with HubStore.open(root / f"store-{index}") as store:
                enrol(store, HUB_A)
                for batch in batches:
                    import_bundles(store, batch, now=NOW)
                results.append(sorted(store.referrals(), key=lambda r: r.id))
    assert results[0] == results[1] == results[2]


def test_a_coordinator_directory_update_comes_into_a_hub(
    tmp_path: Path, hub_a: HubStore, coordinator: HubStore
) -> None:
    coordinator.set_meta("hub_id", COORDINATOR.id)
    coordinator.set_meta("hub_name", COORDINATOR.name)
    shared = make_service(name="Advice drop-in", last_modified=NOW - timedelta(days=9))
    hub_a.save_services([shared])
    coordinator.save_services([shared])
    edit_service(
        coordinator, shared.model_copy(update={"description": "Moved to Fridays."}), "c-1", NOW
    )
    coordinator.save_referral(referral_at(HUB_A, NOW - timedelta(days=1)))  # not the coordinator's
    path = tmp_path / "directory-update.json"
    summary = export_bundle(coordinator, path, everything=True, now=NOW)
    assert summary.referrals == 0 and summary.services == 1

    [result] = import_bundles(hub_a, [path], now=NOW + timedelta(hours=1))
    assert (result.services.updated, result.referrals.added) == (1, 0)
    fresh = hub_a.service(shared.id)
    assert fresh is not None and fresh.description == "Moved to Fridays."
    assert hub_a.referrals() == []


def test_unmet_search_counts_are_replaced_not_added(tmp_path: Path, coordinator: HubStore) -> None:
    day = date(2026, 11, 26)
    first = write_bundle(
        tmp_path / "morning.json",
        bundle_document(HUB_A, unmet=[{"text": "tai chi", "day": day.isoformat(), "count": 2}]),
    )
    evening = write_bundle(
        tmp_path / "evening.json",
        bundle_document(HUB_A, unmet=[{"text": "tai chi", "day": day.isoformat(), "count": 5}]),
    )
    import_bundles(coordinator, [first], now=NOW)
    import_bundles(coordinator, [evening], now=NOW)
    import_bundles(coordinator, [evening], now=NOW)
    [doc] = coordinator.collection(IMPORTED_UNMET).all().values()
    assert doc["count"] == 5


def test_referrals_past_the_retention_period_are_left_out(
    tmp_path: Path, coordinator: HubStore
) -> None:
    old = referral_at(HUB_A, NOW - timedelta(days=400))
    recent = referral_at(HUB_A, NOW - timedelta(days=10))
    path = write_bundle(tmp_path / "old.json", bundle_document(HUB_A, referrals=[old, recent]))
    [result] = import_bundles(coordinator, [path], now=NOW)
    assert result.expired == 1 and result.referrals.added == 1
    assert coordinator.referral(old.id) is None
    assert "older than this hub keeps referrals" in "\n".join(result.lines())


# --- bad files are refused and change nothing -------------------------------------------


def good_document() -> dict[str, Any]:
    return bundle_document(
        HUB_A,
        referrals=[
            referral_at(HUB_A, NOW - timedelta(days=2)),
            referral_at(HUB_A, NOW - timedelta(days=1)),
        ],
        services=[make_service()],
    )


def cut_short(path: Path) -> Path:
    raw = write_bundle(path, good_document()).read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    return path


def not_json(path: Path) -> Path:
    path.write_text("referrals: 12, services: 3\n", encoding="utf-8")
    return path


def unknown_format(path: Path) -> Path:
    return write_bundle(path, {**good_document(), "format": "somebody-elses-export"})


def unknown_version(path: Path) -> Path:
    return write_bundle(path, {**seal_and_sign(good_document()), "version": 3})


def wrong_checksum(path: Path) -> Path:
    document = seal_and_sign(good_document())
    document = {**document, "sha256": bundle_checksum(document)}
    document["referrals"][0]["outcome"] = "attended"  # edited by hand after export
    return write_bundle(path, document, checksum=False)


def forged(path: Path) -> Path:
    """Edited after signing, with the checksum made again: only the signature shows it."""
    document = seal_and_sign(good_document())
    document["referrals"][0]["outcome"] = "attended"
    return write_bundle(path, document)


def cross_hub(path: Path) -> Path:
    """Hub A's file carrying a referral of hub B's (say, to overwrite it)."""
    document = good_document()
    document["referrals"][1]["hub_id"] = HUB_B.id
    return write_bundle(path, document)


def impersonating(path: Path) -> Path:
    """Signed with hub A's own key, but naming hub B."""
    document = bundle_document(HUB_B, referrals=[referral_at(HUB_B, NOW - timedelta(days=1))])
    return write_bundle(path, document, key=KEYS[HUB_A.id])


def forged_key(path: Path) -> Path:
    """Naming hub A, signed by a key nobody enrolled (it checks out against itself)."""
    return write_bundle(path, good_document(), key=SigningKey(b"x" * 32))


def unknown_hub(path: Path) -> Path:
    document = bundle_document(HUB_C, referrals=[referral_at(HUB_C, NOW - timedelta(days=1))])
    return write_bundle(path, document)


def unsigned(path: Path) -> Path:
    return write_bundle(path, {**good_document(), "version": 1})


def six_minutes_ahead(path: Path) -> Path:
    document = good_document()
    document["referrals"][1]["updated_at"] = "2026-11-27T09:06:00Z"
    return write_bundle(path, document)


def service_six_minutes_ahead(path: Path) -> Path:
    document = good_document()
    document["services"][0]["last_modified"] = "2026-11-27T09:06:00Z"
    return write_bundle(path, document)


def huge_number(path: Path) -> Path:
    document = good_document()
    document["unmet_searches"] = [{"text": "x", "day": "2026-11-26", "count": 1}]
    raw = json.dumps(seal_and_sign(document)).replace('"count": 1', '"count": 1e400')
    path.write_text(raw, encoding="utf-8")
    return path


def long_integer(path: Path) -> Path:
    document = good_document()
    document["unmet_searches"] = [{"text": "x", "day": "2026-11-26", "count": 1}]
    raw = json.dumps(seal_and_sign(document)).replace('"count": 1', '"count": ' + "9" * 5000)
    path.write_text(raw, encoding="utf-8")
    return path


def count_out_of_range(path: Path) -> Path:
    document = good_document()
    document["unmet_searches"] = [{"text": "x", "day": "2026-11-26", "count": 10**30}]
    return write_bundle(path, document)


def wrong_types(path: Path) -> Path:
    document = good_document()
    document["referrals"][1]["consent_to_follow_up"] = "yes please"
    document["referrals"][1]["needs"] = "memory"
    return write_bundle(path, document)


def duplicate_ids(path: Path) -> Path:
    document = good_document()
    document["referrals"][1]["id"] = document["referrals"][0]["id"]
    return write_bundle(path, document)


def a_year_ahead(path: Path) -> Path:
    document = good_document()
    document["referrals"][1]["updated_at"] = "2027-11-27T09:00:00Z"
    return write_bundle(path, document)


def huge_string(path: Path) -> Path:
    document = good_document()
    document["referrals"][0]["notes"] = "x" * 100_000
    return write_bundle(path, document)


def fifty_megabytes(path: Path) -> Path:
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: refused by its size, never read
    return path


def service_without_a_name(path: Path) -> Path:
    document = good_document()
    del document["services"][0]["name"]
    return write_bundle(path, document)


BAD_FILES: list[tuple[Callable[[Path], Path], str]] = [
    (cut_short, "is cut short"),
    (not_json, "is not valid JSON"),
    (unknown_format, "its format is 'somebody-elses-export'"),
    (unknown_version, "is bundle version 3; this app reads version 2"),
    (wrong_checksum, "checksum does not match: the file was changed or damaged"),
    (forged, "signature does not match: the file was changed after it was signed"),
    (cross_hub, r"referral 2 \(id [0-9a-f-]{36}\): hub_id: belongs to hub 2222"),
    (impersonating, r"names Alperton Community Centre .* signed with the key of Church End"),
    (forged_key, r"signed with a different key \([A-Z2-7-]{19}\) from the one enrolled"),
    (
        unknown_hub,
        r"comes from Wembley Library \(id 4444.*\), whose key is not enrolled here "
        r"\(fingerprint [A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}\).* run: hub sync trust ",
    ),
    (unsigned, "unsigned version 1 bundle.* import it with --accept-unsigned"),
    (six_minutes_ahead, r"referral 2 \(id [0-9a-f-]{36}\): updated_at is in the future"),
    (service_six_minutes_ahead, r"service 1 \(id [0-9a-f-]{36}\): last_modified is in the fut"),
    (huge_number, "is not valid JSON we can read: the number 1e400 is out of range"),
    (long_integer, "is not valid JSON we can read: Exceeds the limit"),
    (count_out_of_range, r"unmet search 1 \('x'\): count: "),
    (wrong_types, r"referral 2 \(id [0-9a-f-]{36}\): needs: Input should be a valid list"),
    (duplicate_ids, r"referral 2 \(id [0-9a-f-]{36}\): id: used by an earlier referral"),
    (a_year_ahead, r"referral 2 \(id [0-9a-f-]{36}\): updated_at is in the future"),
    (huge_string, r"referral 1 \(id [0-9a-f-]{36}\): notes: String should have at most 500"),
    (fifty_megabytes, r"is 50\.0 MB; a bundle may be at most 40 MB"),
    (service_without_a_name, r"service 1 \(id [0-9a-f-]{36}\): .*name"),
]


@pytest.mark.parametrize(
    ("make_bad", "expected"), BAD_FILES, ids=[f.__name__ for f, _ in BAD_FILES]
)
def test_each_kind_of_bad_file_is_refused_and_changes_nothing(
    tmp_path: Path,
    coordinator: HubStore,
    make_bad: Callable[[Path], Path],
    expected: str,
) -> None:
    earlier = write_bundle(tmp_path / "earlier.json", good_document())
    import_bundles(coordinator, [earlier], now=NOW)
    before = fingerprint(coordinator.root)
    bad = make_bad(tmp_path / "bad.json")

    with pytest.raises(BundleBatchError) as caught:
        import_bundles(coordinator, [bad], now=NOW)
    [error] = caught.value.errors
    line = str(error)
    assert line.startswith(f"{bad}: ")
    assert "\n" not in line
    assert len(line) < 1000  # a 100,000-character field is never echoed back
    assert re.search(expected, line), line
    assert fingerprint(coordinator.root) == before
    with pytest.raises(sync.BundleError):
        check_bundle_file(bad, store=coordinator, now=NOW)


def test_a_file_cut_short_anywhere_says_so(tmp_path: Path, coordinator: HubStore) -> None:
    whole = write_bundle(tmp_path / "whole.json", good_document()).read_bytes()
    cut = tmp_path / "cut.json"
    for length in range(1, len(whole) - 2, 61):
        cut.write_bytes(whole[:length])
        with pytest.raises(sync.BundleError, match="is cut short"):
            check_bundle_file(cut, store=coordinator, now=NOW)


def test_one_bad_file_in_a_batch_stops_the_good_ones_too(
    tmp_path: Path, coordinator: HubStore
) -> None:
    before = fingerprint(coordinator.root)
    good = write_bundle(tmp_path / "good.json", good_document())
    bad = not_json(tmp_path / "bad.json")
    also_bad = unknown_version(tmp_path / "also-bad.json")
    with pytest.raises(BundleBatchError) as caught:
        import_bundles(coordinator, [good, bad, also_bad], now=NOW)
    assert [error.path for error in caught.value.errors] == [bad, also_bad]
    assert coordinator.referrals() == []
    assert fingerprint(coordinator.root) == before


def test_records_already_stored_still_count_for_positions_and_duplicates(
    tmp_path: Path, coordinator: HubStore
) -> None:
    document = good_document()
    import_bundles(coordinator, [write_bundle(tmp_path / "first.json", document)], now=NOW)
    before = fingerprint(coordinator.root)
    stored_one, stored_two = document["referrals"]
    bad = {**referral_at(HUB_A, NOW).model_dump(mode="json"), "method": "carrier pigeon"}
    resent = {**document, "referrals": [stored_one, stored_two, bad, dict(stored_one)]}
    path = write_bundle(tmp_path / "resent.json", resent)
    with pytest.raises(BundleBatchError) as caught:
        import_bundles(coordinator, [path], now=NOW)
    line = str(caught.value)
    assert f"referral 3 (id {bad['id']}): method: Input should be" in line
    # The wrong method stops the file before ids are compared; fix it, and the repeat shows.
    resent["referrals"][2]["method"] = "signposted"
    write_bundle(path, resent)
    with pytest.raises(BundleBatchError) as caught:
        import_bundles(coordinator, [path], now=NOW)
    assert f"referral 4 (id {stored_one['id']}): id: used by an earlier referral" in str(
        caught.value
    )
    assert fingerprint(coordinator.root) == before


def test_a_missing_file_is_named(tmp_path: Path, coordinator: HubStore) -> None:
    with pytest.raises(BundleBatchError, match=r"nowhere\.json: no such file"):
        import_bundles(coordinator, [tmp_path / "nowhere.json"], now=NOW)


def test_a_byte_order_mark_from_a_windows_editor_is_harmless(
    tmp_path: Path, coordinator: HubStore
) -> None:
    path = write_bundle(tmp_path / "bom.json", good_document())
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(check_bundle_file(path, store=coordinator, now=NOW).bundle.referrals) == 2


def test_the_checksum_is_over_canonical_json() -> None:
    document = {"b": "café", "a": [1, 2], "sha256": "ignored"}
    expected = hashlib.sha256('{"a":[1,2],"b":"café"}'.encode()).hexdigest()
    assert bundle_checksum(document) == expected


# --- the published schema ---------------------------------------------------------------


def test_the_published_schema_is_up_to_date() -> None:
    published = sync.SCHEMA_PATH.read_text(encoding="utf-8")
    assert published == sync.schema_text(), "run: hub sync schema > docs/bundle.schema.json"


def test_an_exported_bundle_matches_the_published_schema(tmp_path: Path, hub_a: HubStore) -> None:
    hub_a.save_referral(referral_at(HUB_A, NOW - timedelta(days=1)))
    add_service(hub_a, make_service(id=str(uuid.uuid4())), "staff-1", NOW)
    export_bundle(hub_a, tmp_path / "bundle.json", now=NOW)
    schema = json.loads(sync.SCHEMA_PATH.read_text(encoding="utf-8"))
    document = json.loads((tmp_path / "bundle.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**document, "version": 3}, schema)


def test_setup_hub_gives_export_a_hub_id(tmp_path: Path) -> None:
    with HubStore.open(tmp_path / "fresh") as store:
        info = setup_hub(store, "Harlesden Hub")
        summary = export_bundle(store, tmp_path / "b.json", now=NOW)
    assert summary.hub == info


# --- who may send what ------------------------------------------------------------------


def test_setup_makes_a_private_signing_key_that_signs_every_export(tmp_path: Path) -> None:
    with HubStore.open(tmp_path / "fresh") as store:
        setup_hub(store, "Harlesden Hub")
        key_file = store.root / "signing.key"
        assert key_file.stat().st_mode & 0o777 == 0o600
        key_text = key_file.read_text(encoding="ascii").strip()
        export_bundle(store, tmp_path / "b.json", now=NOW)  # no referrals: nothing to seal
    text = (tmp_path / "b.json").read_text(encoding="utf-8")
    assert key_text not in text  # the secret half never travels
    document = json.loads(text)
    assert document["version"] == 2 and document["personal_details"] == "redacted"
    assert sync.bundle_checksum(document) == document["sha256"]


def test_an_unsigned_bundle_needs_the_flag_and_gets_a_warning(
    tmp_path: Path, coordinator: HubStore
) -> None:
    old_hub = referral_at(HUB_C, NOW - timedelta(days=1))
    path = write_bundle(
        tmp_path / "old.json", bundle_document(HUB_C, referrals=[old_hub], version=1)
    )
    with pytest.raises(BundleBatchError, match="--accept-unsigned"):
        import_bundles(coordinator, [path], now=NOW)
    assert coordinator.referrals() == []
    [result] = import_bundles(coordinator, [path], now=NOW, accept_unsigned=True)
    assert result.referrals.added == 1
    assert result.signer == "unsigned" and "UNSIGNED" in result.lines()[0]
    [warning] = result.warnings
    assert "unsigned version 1 bundle accepted with --accept-unsigned" in warning
    # Every other check still applies to an unsigned file.
    cross = write_bundle(
        tmp_path / "cross.json",
        bundle_document(HUB_C, referrals=[referral_at(HUB_B, NOW)], version=1),
    )
    with pytest.raises(BundleBatchError, match="hub_id: belongs to hub 2222"):
        import_bundles(coordinator, [cross], now=NOW, accept_unsigned=True)


def test_an_unsigned_bundle_naming_an_enrolled_hub_is_refused_even_with_the_flag(
    tmp_path: Path, coordinator: HubStore
) -> None:
    path = write_bundle(tmp_path / "downgrade.json", {**good_document(), "version": 1})
    with pytest.raises(BundleBatchError, match="whose signing key is enrolled here"):
        import_bundles(coordinator, [path], now=NOW, accept_unsigned=True)


def test_a_hub_takes_directory_changes_only_from_its_coordinator(
    tmp_path: Path, hub_a: HubStore
) -> None:
    enrol(hub_a, HUB_B)  # a neighbour hub, enrolled by mistake or on purpose
    injected = make_service(name="Totally real service", last_modified=NOW - timedelta(days=1))
    from_b = write_bundle(tmp_path / "b.json", bundle_document(HUB_B, services=[injected]))
    before = fingerprint(hub_a.root)
    with pytest.raises(BundleBatchError, match="takes directory changes only from its coordina"):
        import_bundles(hub_a, [from_b], now=NOW)
    assert fingerprint(hub_a.root) == before
    from_coordinator = write_bundle(
        tmp_path / "c.json", bundle_document(COORDINATOR, services=[injected])
    )
    [result] = import_bundles(hub_a, [from_coordinator], now=NOW)
    assert result.services.added == 1 and result.signer == "coordinator"


def test_a_hub_cannot_change_another_hubs_referral_held_here(
    tmp_path: Path, coordinator: HubStore
) -> None:
    bs = referral_at(HUB_B, NOW - timedelta(days=2), consent_to_follow_up=True, contact="b@x.org")
    import_bundles(
        coordinator,
        [write_bundle(tmp_path / "b.json", bundle_document(HUB_B, referrals=[bs]))],
        now=NOW,
    )
    hijack = bs.model_copy(
        update={"hub_id": HUB_A.id, "contact": "evil@x.org", "updated_at": NOW - timedelta(hours=1)}
    )
    path = write_bundle(tmp_path / "a.json", bundle_document(HUB_A, referrals=[hijack]))
    with pytest.raises(BundleBatchError, match="already held here for hub 2222"):
        import_bundles(coordinator, [path], now=NOW)
    assert coordinator.referral(bs.id) == bs


def test_four_minutes_ahead_is_clock_drift_and_accepted(
    tmp_path: Path, coordinator: HubStore
) -> None:
    ahead = referral_at(HUB_A, NOW + timedelta(minutes=4))
    path = write_bundle(tmp_path / "a.json", bundle_document(HUB_A, referrals=[ahead]))
    [result] = import_bundles(coordinator, [path], now=NOW)
    assert result.referrals.added == 1


# --- personal details on the way ----------------------------------------------------------


def consenting(hub: HubInfo, when: datetime) -> Referral:
    return referral_at(
        hub, when, consent_to_follow_up=True, contact="ana@example.org", notes="Prefers mornings"
    )


def test_contact_and_notes_travel_sealed_and_only_the_coordinator_reads_them(
    tmp_path: Path, hub_a: HubStore, coordinator: HubStore
) -> None:
    referral = consenting(HUB_A, NOW - timedelta(days=1))
    hub_a.save_referral(referral)
    path = tmp_path / "bundle.json"
    summary = export_bundle(hub_a, path, now=NOW)
    assert "sealed for the coordinator" in summary.lines()[1]
    text = path.read_text(encoding="utf-8")
    assert "ana@example.org" not in text and "Prefers mornings" not in text
    import_bundles(coordinator, [path], now=NOW)
    assert coordinator.referral(referral.id) == referral

    # A coordinator holding another key (a thief with the file) cannot read them, and
    # the import says so without failing.
    with HubStore.open(tmp_path / "elsewhere") as other:
        give_key(other, HUB_C)
        enrol(other, HUB_A)
        [result] = import_bundles(other, [path], now=NOW)
        stored = other.referral(referral.id)
    assert stored is not None and stored.contact is None and stored.notes is None
    assert any("sealed for another coordinator" in w for w in result.warnings)


def test_export_without_a_coordinator_key_is_refused_unless_redacted(tmp_path: Path) -> None:
    with HubStore.open(tmp_path / "hub") as store:
        setup_hub(store, "Harlesden Hub")
        store.save_referral(consenting(HubInfo(id=store.meta("hub_id"), name="H"), NOW))
        with pytest.raises(SyncError, match=r"hub sync trust --coordinator.*--redact"):
            export_bundle(store, tmp_path / "b.json", now=NOW)
        assert not (tmp_path / "b.json").exists()
        assert store.meta(sync.EXPORT_MARK_KEY) is None
        assert export_bundle(store, tmp_path / "b.json", redact=True, now=NOW).referrals == 1


@pytest.mark.parametrize("later", ["redacted", "sealed to another key"])
def test_a_bundle_without_details_never_erases_the_ones_held(
    tmp_path: Path, hub_a: HubStore, coordinator: HubStore, later: str
) -> None:
    referral = consenting(HUB_A, NOW - timedelta(days=1))
    hub_a.save_referral(referral)
    export_bundle(hub_a, tmp_path / "full.json", now=NOW)
    import_bundles(coordinator, [tmp_path / "full.json"], now=NOW)
    before = fingerprint(coordinator.root)

    if later == "redacted":
        export_bundle(hub_a, tmp_path / "again.json", everything=True, redact=True, now=NOW)
    else:
        enrol(hub_a, HUB_C, coordinator=True)  # the hub now seals to someone else
        export_bundle(hub_a, tmp_path / "again.json", everything=True, now=NOW)
    [result] = import_bundles(coordinator, [tmp_path / "again.json"], now=NOW)
    assert (result.referrals.updated, result.referrals.unchanged) == (0, 1)
    assert coordinator.referral(referral.id) == referral
    assert fingerprint(coordinator.root) == before

    # A real change still comes through, with the details kept.
    set_outcome(hub_a, referral.id, "attended", "staff-1", NOW + timedelta(minutes=1))
    export_bundle(
        hub_a, tmp_path / "later.json", redact=later == "redacted", now=NOW + timedelta(minutes=2)
    )
    [result] = import_bundles(
        coordinator, [tmp_path / "later.json"], now=NOW + timedelta(minutes=2)
    )
    assert result.referrals.updated == 1
    held = coordinator.referral(referral.id)
    assert held is not None and held.outcome == "attended"
    assert (held.contact, held.notes) == (referral.contact, referral.notes)


# --- files ------------------------------------------------------------------------------


def test_export_never_replaces_a_file_unless_forced_and_never_a_special_one(
    tmp_path: Path, hub_a: HubStore
) -> None:
    hub_a.save_referral(referral_at(HUB_A, NOW - timedelta(days=1)))
    earlier = tmp_path / "week-47.json"
    earlier.write_text("an earlier batch the coordinator has not had yet", encoding="utf-8")
    with pytest.raises(SyncError, match=r"already exists.*--force"):
        export_bundle(hub_a, earlier, now=NOW)
    assert earlier.read_text(encoding="utf-8").startswith("an earlier batch")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for special in (pipe, Path("/dev/null")):
        with pytest.raises(SyncError, match="not a regular file"):
            export_bundle(hub_a, special, force=True, now=NOW)
    assert hub_a.meta(sync.EXPORT_MARK_KEY) is None
    assert export_bundle(hub_a, earlier, force=True, now=NOW).referrals == 1
    assert hub_a.meta(sync.EXPORT_MARK_KEY) == "2026-11-27T09:00:00Z"


@pytest.mark.timeout(20)
def test_a_named_pipe_or_device_given_as_a_bundle_is_refused_without_waiting(
    tmp_path: Path, coordinator: HubStore
) -> None:
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    for path in (pipe, Path("/dev/zero")):
        with pytest.raises(BundleBatchError, match="is not a regular file"):
            import_bundles(coordinator, [path], now=NOW)
