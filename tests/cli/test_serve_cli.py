"""`hub serve` as a subprocess, read over plain HTTP (the browser tests are in tests/web).

The page is the hub's own: its name in the title, escaped; nothing on it points off this
PC; `?fontsize=` is kept to a sane range; no folder listing. Who may reach it: loopback
unless --lan, --staff only on loopback. While it serves, commands that only read work
on the same folder, and plain `hub --help` does not show the option its sessions use.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import aiohttp
import httpx
import pytest

from hub.cli_serve import is_loopback
from tests.cli.runner import hub
from tests.web.kiosk_browser import ROOT, served_hub

HOSTILE_NAME = 'Church End <script>alert("x")</script> & Co'


@pytest.fixture
def named_folder(tmp_path: Path) -> Path:
    """Return a data folder whose hub name holds markup (data, never control)."""
    folder = tmp_path / "hub-data"
    assert hub(folder, "setup", "--name", HOSTILE_NAME).returncode == 0
    return folder


def test_the_page_is_the_hubs_own_and_points_nowhere_else(named_folder: Path) -> None:
    with served_hub(named_folder) as served:
        page = httpx.get(served.url, timeout=30)
        assert page.status_code == 200
        title = re.search(r"<title>(.*)</title>", page.text)
        assert title is not None
        assert title.group(1) == (
            "Find help — Church End &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co"
        )
        assert "<script>alert" not in page.text
        # Every address on the page is this server's own (a path), bar the websocket,
        # which goes back to the host the browser asked.
        addresses = re.findall(r'(?:\b(?:href|src)=|url\()"([^"]+)"', page.text)
        assert addresses and all(address.startswith("/") for address in addresses), addresses
        host = served.url.split("//", 1)[1].rstrip("/")
        assert f'data-session-websocket-url="ws://{host}/ws"' in page.text
        assert "googleapis" not in page.text and "https://" not in page.text
        for address in addresses:
            assert httpx.get(served.url.rstrip("/") + address, timeout=30).status_code == 200
        assert 'data-font-size="16"' in page.text
        large = httpx.get(served.url, params={"fontsize": "28"}, timeout=30).text
        assert 'data-font-size="28"' in large
        silly = httpx.get(served.url, params={"fontsize": "9999"}, timeout=30).text
        assert 'data-font-size="64"' in silly
        assert httpx.get(served.url + "static/", timeout=30).status_code in (403, 404)
        # A command that only reads still works while the server holds the folder.
        found = hub(named_folder, "search", "food", "--json")
        assert found.returncode == 0 and '"results"' in found.stdout


async def _first_message(url: str) -> aiohttp.WSMessage:
    """Return the first thing the server sends a new browser session's websocket."""
    async with aiohttp.ClientSession() as client, client.ws_connect(url) as socket:
        return await socket.receive(timeout=120)


async def test_a_session_past_the_limit_is_asked_to_try_again(tmp_path: Path) -> None:
    with served_hub(tmp_path / "hub-data", "--max-sessions", "1") as served:
        url = served.url.replace("http://", "ws://") + "ws?width=80&height=24"
        async with aiohttp.ClientSession() as client, client.ws_connect(url) as first:
            drawn = await first.receive(timeout=120)
            assert drawn.type == aiohttp.WSMsgType.BINARY  # the kiosk's screen
            turned_away = await _first_message(url)
            assert turned_away.type == aiohttp.WSMsgType.CLOSE
            assert turned_away.data == 1013
        # Once the first visitor's tab is closed, the next one gets a kiosk.
        for _ in range(100):
            message = await _first_message(url)
            if message.type == aiohttp.WSMsgType.BINARY:
                break
            await asyncio.sleep(0.2)
        assert message.type == aiohttp.WSMsgType.BINARY


def test_sigterm_stops_the_server_cleanly(tmp_path: Path) -> None:
    with served_hub(tmp_path / "hub-data") as served:
        served.process.terminate()
        assert served.process.wait(timeout=30) == 0
    # The folder is free again: a command that writes can open it.
    assert hub(tmp_path / "hub-data", "setup", "--name", "Church End Library").returncode == 0


def test_a_network_address_needs_lan_and_says_so(tmp_path: Path) -> None:
    result = hub(tmp_path / "hub-data", "serve", "--host", "0.0.0.0")
    assert result.returncode == 1
    assert result.stderr.startswith("error: 0.0.0.0 can be reached from other computers")
    assert "--lan" in result.stderr


def test_the_session_option_is_not_in_help(tmp_path: Path) -> None:
    words = subprocess.run(
        [sys.executable, "-m", "hub.cli", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "--browser-session" not in words
    assert "serve" in words


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("kiosk.local", False),
    ],
)
def test_loopback_is_only_this_pc(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
