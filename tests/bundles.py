"""Signed sync bundles from another hub, for tests that import them at a coordinator."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from nacl.signing import SigningKey

from hub.hub_identity import load_signing_key, setup_hub
from hub.models import HubInfo, Referral
from hub.storage import HubStore
from hub.sync.export import export_bundle
from hub.sync.signing import trust_key
from tests.factories import make_referral


def trusted_bundle(
    tmp_path: Path, coordinator: Path, *, referrals: int, now: datetime
) -> tuple[Path, list[Referral]]:
    """Return a signed, redacted bundle from another hub and the referrals it holds.

    The other hub ("Alperton Community Centre", its folder under `tmp_path`) saves
    `referrals` referrals an hour apart up to `now` and exports them; the coordinator
    folder is set up and trusts that hub's key, so an import there accepts the bundle.
    """
    with HubStore.open(tmp_path / "alperton") as hub_store:
        info = setup_hub(hub_store, "Alperton Community Centre")
        sent = [
            make_referral(hub_id=info.id, now=now - timedelta(hours=n)) for n in range(referrals)
        ]
        hub_store.save_referrals(sent)
        bundle = tmp_path / "alperton.json"
        export_bundle(hub_store, bundle, redact=True, now=now)
        key = load_signing_key(hub_store)
        assert key is not None
    trust_at_coordinator(coordinator, info, key, now=now)
    return bundle, sent


def trust_at_coordinator(
    coordinator: Path, hub: HubInfo, key: SigningKey, *, now: datetime
) -> None:
    """Set up the coordinator's folder ("Brent coordinator") and have it trust `hub`'s key,
    so an import there accepts that hub's signed bundles."""
    with HubStore.open(coordinator) as store:
        own = setup_hub(store, "Brent coordinator")
        trust_key(
            store,
            hub.id,
            hub.name,
            bytes(key.verify_key),
            coordinator=False,
            now=now,
            own_hub_id=own.id,
        )
