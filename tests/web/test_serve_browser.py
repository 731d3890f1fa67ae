"""`hub serve` in a real browser: Debian's Chromium, headless, driven by Playwright.

What a visitor at a library's touch-screen would see: the page loads with the hub's title
and icon, the kiosk's Home is drawn in the terminal, a search shows its places, two
browsers at once each keep their own search, the staff key does nothing unless the
server was started with --staff, `?fontsize=` makes the text larger, and nothing the page
asks for comes from anywhere but this PC.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tests.web.conftest import HUB_NAME
from tests.web.kiosk_browser import (
    HOME_TEXT,
    TERMINAL_HOOK,
    TERMINAL_SIZE,
    TILE_TEXT,
    ServedHub,
    result_names,
    screen_text,
    search,
    served_hub,
    wait_for_text,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Browser, Page


def test_the_page_shows_home_with_the_hubs_title_and_icon(
    open_page: Callable[..., Page], served: ServedHub, hub_folder: Path, artefacts: Path
) -> None:
    page = open_page(served.url)
    assert page.title() == f"Find help — {HUB_NAME}"
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon is not None
    answer = page.request.get(served.url.rstrip("/") + icon)
    assert answer.ok and answer.headers["content-type"].startswith("image/svg+xml")
    shown = screen_text(page)
    assert "Urgent help (F1)" in shown
    assert "Sample directory" in shown  # the sample was seeded by hub serve, and said
    page.screenshot(path=str(artefacts / "serve-home.png"))
    assert (artefacts / "serve-home.png").stat().st_size > 10_000


def test_a_search_typed_in_the_browser_shows_its_places(
    open_page: Callable[..., Page], served: ServedHub, hub_folder: Path
) -> None:
    page = open_page(served.url)
    expected = result_names(hub_folder, "food")[0]
    search(page, "food")
    shown = wait_for_text(page, expected)
    assert TILE_TEXT not in shown  # the results in place of the need tiles


def test_two_browsers_at_once_keep_their_searches_apart(
    open_page: Callable[..., Page], served: ServedHub, hub_folder: Path
) -> None:
    first = open_page(served.url)
    second = open_page(served.url)
    food = result_names(hub_folder, "food")[0]
    memory = result_names(hub_folder, "dementia")[0]
    search(first, "food")
    wait_for_text(first, food)
    # The second visitor is still at Home: the first one's search is not theirs.
    second_screen = screen_text(second)
    assert TILE_TEXT in second_screen and food not in second_screen
    search(second, "dementia")
    wait_for_text(second, memory)
    assert food not in screen_text(second)
    first_screen = screen_text(first)
    assert food in first_screen and memory not in first_screen


def test_the_staff_key_does_nothing_in_the_browser_without_staff(
    open_page: Callable[..., Page], served: ServedHub
) -> None:
    page = open_page(served.url)
    page.locator(".xterm-helper-textarea").focus()
    page.keyboard.press("F9")  # the staff key a browser leaves to the page
    # Urgent help answers at once: once it shows, the earlier F9 has been handled.
    page.keyboard.press("F1")
    shown = wait_for_text(page, "Samaritans")
    assert "Staff sign in" not in shown


def test_with_staff_the_staff_key_opens_sign_in(
    open_page: Callable[..., Page], tmp_path: Path
) -> None:
    # Its own folder: the module's server holds hub_folder while it serves.
    with served_hub(tmp_path / "staff-hub", "--staff") as staff_served:
        page = open_page(staff_served.url)
        page.locator(".xterm-helper-textarea").focus()
        # F9, not Ctrl+T: Chromium keeps Ctrl+T (a new tab) and never gives it to a page.
        page.keyboard.press("F9")
        wait_for_text(page, "Staff sign in")


def test_fontsize_in_the_address_makes_the_text_larger(
    open_page: Callable[..., Page], served: ServedHub
) -> None:
    # A 1080p kiosk screen: at 32 px it still holds the kiosk's 80×24 cells.
    standard = open_page(served.url, width=1920, height=1080)
    large = open_page(served.url + "?fontsize=32", width=1920, height=1080)
    standard_cols, standard_rows = standard.evaluate(TERMINAL_SIZE)
    large_cols, large_rows = large.evaluate(TERMINAL_SIZE)
    # The same window holds fewer, larger cells.
    assert large_cols < standard_cols * 0.7 and large_rows < standard_rows * 0.7
    wait_for_text(large, HOME_TEXT)


def test_nothing_the_page_asks_for_leaves_this_pc(
    browser: Browser, served: ServedHub, hub_folder: Path
) -> None:
    origin = urlsplit(served.url)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(TERMINAL_HOOK)
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    page = context.new_page()
    page.on("websocket", lambda socket: asked.append(socket.url))
    page.goto(served.url)
    wait_for_text(page, HOME_TEXT)
    search(page, "food")
    wait_for_text(page, result_names(hub_folder, "food")[0])
    assert any(url.startswith("ws://") for url in asked)  # the screen came this way
    assert any(url.endswith(".ttf") for url in asked)  # the font, from here
    elsewhere = [
        url
        for url in asked
        if urlsplit(url).hostname != origin.hostname or urlsplit(url).port != origin.port
    ]
    context.close()
    assert elsewhere == []
