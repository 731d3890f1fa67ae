"""Messages that stay (issue 15, item 4), and a longer wait on Urgent help.

A visitor who reads slowly must not lose a confirmation or an error to a 5-second toast:
it stays until they click it away or do the next thing. Someone on the phone to an
urgent number is not touching the kiosk: the idle prompt waits at least 5 minutes there.
"""

from __future__ import annotations

from hub.storage import HubStore
from hub.suggestions import open_suggestions
from screens.app import HubApp
from screens.idle import IdleScreen
from screens.process import MESSAGE_SECONDS
from screens.service_card import ServiceCardScreen
from screens.something_wrong import SomethingWrongScreen
from screens.urgent import URGENT_IDLE_SECONDS, UrgentScreen
from tests.ui.conftest import FakeClock, idle_for
from tests.ui.test_staff_mode import open_cafe_card


def _messages(app: HubApp) -> list[str]:
    """Return the messages showing in the corner (Textual keeps them on the app)."""
    return [notification.message for notification in app._notifications]


async def test_a_confirmation_stays_until_the_next_key(app: HubApp, store: HubStore) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cafe_card(pilot)
        await pilot.click("#something-wrong")
        await pilot.pause()
        assert isinstance(app.screen, SomethingWrongScreen)
        await pilot.press(*"They meet on Thursdays now", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ServiceCardScreen)
        assert _messages(app) == ["Thank you. Staff will check it."]
        assert all(n.timeout >= MESSAGE_SECONDS for n in app._notifications)
        # Textual's own toasts go after 5 seconds. A toast takes its timer from its
        # notification's time left (textual.widgets._toast.Toast), and that is minutes,
        # so there is no need to sit and watch it for 6 seconds.
        await pilot.pause()
        assert all(n.time_left > 5 * 60 for n in app._notifications)
        assert _messages(app) == ["Thank you. Staff will check it."]
        # The visitor's next key is the next action: the message has been read.
        await pilot.press("down")
        await pilot.pause()
        assert _messages(app) == []
    assert len(open_suggestions(store)) == 1


async def test_a_click_also_takes_a_message_away(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_service("no-such-service")
        await pilot.pause()
        assert _messages(app) == ["Sorry, that service is no longer listed."]
        await pilot.click("#search")
        await pilot.pause()
        assert _messages(app) == []


async def test_urgent_help_waits_five_minutes_before_asking(app: HubApp, clock: FakeClock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, UrgentScreen)
        assert app.idle_seconds < URGENT_IDLE_SECONDS == 300
        await idle_for(pilot, clock, app.idle_seconds + 1)
        assert isinstance(app.screen, UrgentScreen)  # on the phone, perhaps: no question
        await idle_for(pilot, clock, URGENT_IDLE_SECONDS - app.idle_seconds - 3)
        assert isinstance(app.screen, UrgentScreen)
        await idle_for(pilot, clock, 3)
        assert isinstance(app.screen, IdleScreen)


async def test_other_screens_keep_the_usual_wait(app: HubApp, clock: FakeClock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cafe_card(pilot)
        await idle_for(pilot, clock, app.idle_seconds + 1)
        assert isinstance(app.screen, IdleScreen)
