"""Staff mode: unlock with a PIN, record referrals, follow them up, keep the directory true.

`start_staff_mode` is the kiosk's `HubApp.staff_mode_factory`: the staff prompt calls it
with the member who gave the right PIN. Everything else hangs off the StaffSession it
opens (screens/staff/staff_session.py).
"""

from __future__ import annotations

from screens.staff.staff_session import StaffSession, start_staff_mode

__all__ = ["StaffSession", "start_staff_mode"]
