"""Choosing a language: at start (--language, the hub's setting), on Home, and back at reset.

"No English left" is checked against the catalogue itself (tests/ui/english_left.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Button, OptionList

from hub import i18n
from hub.config import update_settings
from hub.storage import HubStore
from screens.app import HubApp, make_app
from screens.home import HomeScreen
from screens.language_choice import LanguageChoiceScreen
from screens.widgets.result_rows import ResultItem
from tests.ui.conftest import FakeClock, click_again, idle_for, settle
from tests.ui.english_left import catalogue_for, english_left, words_on_screen

VISITOR_LANGUAGES = ["pl", "ro", "pt", "so", "gu", "ta"]


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """Put English back after each test: the language is the process's, not the app's."""
    before = i18n.current_catalogue()
    yield
    i18n.use_catalogue(before)


@pytest.mark.parametrize("code", VISITOR_LANGUAGES)
async def test_language_given_at_start_leaves_no_english_on_home(
    store: HubStore, clock: FakeClock, code: str
) -> None:
    app = make_app(store=store, clock=clock, language=code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.language == code
        words = words_on_screen(app)
        catalogue = catalogue_for(code)
        # The title and a tile's name are there, translated.
        assert catalogue.gettext("Find help near you") in "\n".join(words)
        assert "Find help near you" not in "\n".join(words)
        assert english_left(app, code) == []


async def test_the_hubs_own_language_is_where_each_visit_starts(
    store: HubStore, clock: FakeClock
) -> None:
    update_settings(store, language="gu")
    app = make_app(store=store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.default_language == app.language == "gu"
        assert english_left(app, "gu") == []


async def test_choosing_a_language_on_home_switches_in_place(app: HubApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        await pilot.click("#search")
        await pilot.press(*"food")
        await settle(pilot)
        app.screen.query_one("#language", Button).focus()
        await pilot.press("enter")
        await pilot.pause()
        choice = app.screen
        assert isinstance(choice, LanguageChoiceScreen)
        names = [str(option.prompt).strip(" ✓") for option in choice.query_one(OptionList).options]
        assert names == list(i18n.offered_languages().values())
        # Keys only: Down to Polski's place (the list starts on English, the last one).
        await pilot.press("home", "enter")
        await pilot.pause()
        assert app.screen is home  # the same Home, not a new app or screen
        assert isinstance(home, HomeScreen)
        assert app.language == "pl"
        assert home.search_box.value == "food"  # what was typed is kept
        assert english_left(app, "pl") == []
        assert str(home.query_one("#language", Button).label) == "Języki"


async def test_idle_reset_goes_back_to_the_hubs_language(app: HubApp, clock: FakeClock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.switch_language("ta")
        await pilot.pause()
        assert app.language == "ta"
        assert not app.is_fresh()  # a visitor's language is theirs: the reset must come
        await idle_for(pilot, clock, 121)
        await idle_for(pilot, clock, 31)
        await pilot.pause()
        assert app.language == "en"
        assert app.screen is app.home
        assert "Find help near you" in "\n".join(words_on_screen(app))


@pytest.mark.parametrize("code", VISITOR_LANGUAGES)
async def test_the_whole_journey_by_keyboard_in_each_language(
    store: HubStore, clock: FakeClock, code: str
) -> None:
    """Need → results → card → take away with keys alone, at 80x24, in the language."""
    from screens.results import ResultsScreen
    from screens.service_card import ServiceCardScreen
    from screens.take_away import TakeAwayScreen, qr_payload
    from screens.widgets.qr import QrCode

    app = make_app(store=store, clock=clock, language=code)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # the first topic
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert english_left(app, code) == []
        await pilot.press("down", "enter")  # a service
        await settle(pilot)
        if not isinstance(app.screen, ServiceCardScreen):
            await pilot.press("enter")  # the list had the first result highlighted already
            await settle(pilot)
        card = app.screen
        assert isinstance(card, ServiceCardScreen)
        # The languages a service is offered in are the directory's words, shown as given.
        assert [w for w in english_left(app, code) if w not in card.service.languages] == []
        await pilot.press("enter")  # Take it with you has the keyboard
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TakeAwayScreen)
        assert screen.query_one(QrCode).text == qr_payload(screen.service, clock())
        assert english_left(app, code) == []


async def test_the_card_says_help_in_and_results_narrow_to_my_language(
    store: HubStore, clock: FakeClock
) -> None:
    """A Polish visitor sees the card's languages in Polish, and can keep to services that
    work in Polish."""
    from hub.search import Filters
    from screens.widgets.results_panel import ResultsPanel

    app = make_app(store=store, clock=clock, language="pl")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press(*"club", "enter")
        await settle(pilot)
        panel = app.screen.query_one(ResultsPanel)
        every = [r.service for r in panel.results]
        assert every
        await pilot.click("#only-show")
        await pilot.click("#my-language")
        await settle(pilot)
        assert panel.filters == Filters(language="Polish")
        narrowed = [r.service for r in panel.results]
        polish = [s for s in every if "Polish" in s.languages]
        assert narrowed and all("Polish" in s.languages for s in narrowed)
        assert len(narrowed) < len(every) and {s.id for s in polish} <= {s.id for s in narrowed}
        await click_again(pilot, "#only-show")  # Done: the list again
        await settle(pilot)
        await pilot.click(app.screen.query(ResultItem).first())
        await settle(pilot)
        card = " ".join(str(part.render()) for part in app.screen.query(".card-section"))
        assert "polski, angielski" in card and "Polish, English" not in card
