"""The visitor's journeys by keyboard at 80×24: keys that do what they say, cards that scroll,
small windows, resizing, and topics that list what search finds."""

from __future__ import annotations

from hub.storage import HubStore
from screens.app import HubApp
from screens.results import ResultsScreen
from screens.widgets.results_panel import ResultItem
from tests.ui.conftest import settle


def _names(app: HubApp) -> list[str]:
    return [item.service_name for item in app.screen.query(ResultItem)]


async def test_memory_tile_lists_a_dementia_group_tagged_only_for_carers(
    app: HubApp, store: HubStore
) -> None:
    circle = next(s for s in store.services() if "Dementia Carers" in s.name)
    store.save_services([circle.model_copy(update={"needs": ["carers"]})])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#need-memory")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert circle.name in _names(app)
