"""Recording a referral in a test's store in one call, the form's fields as keywords."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hub.models import Referral
from hub.referrals import ReferralForm, record_referral
from hub.storage import HubStore


def record(store: HubStore, *, now: datetime, **fields: Any) -> Referral:
    """Return the referral saved from a form with these fields (ReferralForm's), at `now`."""
    return record_referral(store, ReferralForm(**fields), now=now)
