"""Small builders for test records: valid by default, any field overridable."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from hub.models import Referral, Service

HUB_ID = "5b0f3c1e-7d1a-4e38-9a53-8f1f6f7d2a11"


def make_referral(**overrides: Any) -> Referral:
    """Return a valid Referral; keyword arguments replace any field."""
    now = overrides.pop("now", datetime(2026, 11, 26, 14, 3, tzinfo=UTC))
    fields: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "hub_id": HUB_ID,
        "recorded_at": now,
        "updated_at": now,
        "recorded_by": "staff-1",
        "service_id": str(uuid.uuid4()),
        "service_name": "Church End Memory Café",
        "needs": ["memory", "carers"],
        "method": "warm_handover",
        "age_band": "65_79",
        "postcode_district": "NW10",
        "consent_to_follow_up": False,
        "contact": None,
        "notes": None,
        "follow_up_on": None,
        "outcome": "unknown",
    }
    fields.update(overrides)
    return Referral.model_validate(fields)


def make_service(**overrides: Any) -> Service:
    """Return a valid Service; keyword arguments replace any field."""
    fields: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "name": "Church End Memory Café",
        "description": "A friendly café for people living with dementia and their carers.",
        "needs": ["memory"],
        "last_modified": datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
    }
    fields.update(overrides)
    return Service.model_validate(fields)


def named_service(name: str, description: str = "", **fields: Any) -> Service:
    """Return a listed service with a stable id made from its name (the same in every run),
    for the hand-made directories the search tests rank."""
    return Service.model_validate(
        {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, name)), "name": name, **fields}
        | {"description": description}
    )
