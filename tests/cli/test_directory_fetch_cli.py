"""`hub directory fetch URL` against a real HTTP server on 127.0.0.1 that the tests start.

The server pages an HSDS 3.0 feed three pages long: the first lists summaries (the full
records are at /services/{id}), the second fails once with a 500, the third is slow once
(past the timeout), then fine. Another feed's second page keeps failing until the test
lets it work, to show a fetch resuming; another answers with a web page. Never the internet.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.cli.runner import hub


def _id(n: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"fetch-test/{n}"))


def _full(n: int) -> dict[str, Any]:
    return {
        "id": _id(n),
        "name": f"Fetched service {n}",
        "description": f"Advice and support, number {n}.",
        "status": "active",
        "phones": [{"id": _id(100 + n), "number": "020 7946 0000"}],
    }


def _page(number: int, records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"total_items": 6, "total_pages": 3, "page_number": number, "contents": records}


class FeedServer:
    """The feeds, what each address has been asked for, and which failures are left."""

    def __init__(self) -> None:
        self.asked: Counter[str] = Counter()
        self.broken = True  # /stuck/services?page=2 fails while this is True

    def answer(self, path: str) -> tuple[int, str, bytes, float]:
        """Return (status, content type, body, seconds to wait first) for a request."""
        self.asked[path] += 1
        times = self.asked[path]
        summaries = [{"id": _id(n), "name": f"Fetched service {n}"} for n in (1, 2)]
        pages = {
            "/api/services": _page(1, summaries),
            "/api/services?page=2": _page(2, [_full(3), _full(4)]),
            "/api/services?page=3": _page(3, [_full(5), _full(6)]),
            "/stuck/services": _page(1, [_full(1), _full(2)]),
            "/stuck/services?page=2": _page(2, [_full(3), _full(4)]),
            "/stuck/services?page=3": _page(3, [_full(5), _full(6)]),
        }
        for n in (1, 2):
            pages[f"/api/services/{_id(n)}"] = _full(n)
        if path == "/odd/services":
            return 200, "application/json", b'{"error": "try again later"}', 0
        if path == "/html/services":
            return 200, "text/html", b"<!doctype html><html><body>Sign in</body></html>", 0
        if path == "/api/services?page=2" and times == 1:
            return 500, "text/plain", b"busy", 0
        if path == "/api/services?page=3" and times == 1:
            return 200, "application/json", json.dumps(pages[path]).encode(), 3.0
        if path == "/stuck/services?page=2" and self.broken:
            return 503, "text/plain", b"down", 0
        if path in pages:
            return 200, "application/json", json.dumps(pages[path]).encode(), 0
        return 404, "text/plain", b"not here", 0


@pytest.fixture
def feed() -> Iterator[tuple[str, FeedServer]]:
    """Yield the base address of a feed server running in a thread, and its state."""
    state = FeedServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, kind, body, wait = state.answer(self.path)
            if wait:
                time.sleep(wait)
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting, as it should

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()


def _names(data: Path) -> list[str]:
    result = hub(data, "directory", "list", "--json")
    assert result.returncode == 0, result.stderr
    return sorted(service["name"] for service in json.loads(result.stdout))


def _files(data: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(data)): path.read_bytes()
        for path in sorted(data.rglob("*"))
        if path.is_file()
    }


def test_fetch_follows_every_page_with_full_records_retries_and_timeouts(
    tmp_path: Path, feed: tuple[str, FeedServer]
) -> None:
    base, state = feed
    data = tmp_path / "data"
    result = hub(data, "directory", "fetch", f"{base}/api/services", "--replace", "--timeout", "1")
    assert result.returncode == 0, result.stderr
    assert _names(data) == [f"Fetched service {n}" for n in range(1, 7)]
    assert "imported 6 services" in result.stdout
    # The summaries' full records were fetched; the failing and the slow page were tried again.
    assert state.asked[f"/api/services/{_id(1)}"] == 1
    assert state.asked["/api/services?page=2"] == 2
    assert state.asked["/api/services?page=3"] == 2
    assert not (data / "fetch").exists(), "the kept pages go once the feed is imported"


def test_a_fetch_cut_short_carries_on_without_fetching_kept_pages_again(
    tmp_path: Path, feed: tuple[str, FeedServer]
) -> None:
    base, state = feed
    data = tmp_path / "data"
    before = _names(data)  # the sample directory
    url = f"{base}/stuck/services"
    failed = hub(data, "directory", "fetch", url, "--replace", "--timeout", "2")
    assert failed.returncode == 1
    [line] = failed.stderr.splitlines()
    assert line.startswith("error: ") and "run the same command again" in line
    assert _names(data) == before, "the directory does not change until every page came"
    assert state.asked["/stuck/services"] == 1
    state.broken = False
    done = hub(data, "directory", "fetch", url, "--replace", "--timeout", "2")
    assert done.returncode == 0, done.stderr
    assert _names(data) == [f"Fetched service {n}" for n in range(1, 7)]
    assert state.asked["/stuck/services"] == 1, "the kept first page was not asked for again"


@pytest.mark.parametrize(
    ("path", "said"),
    [("/html/services", "HTML"), ("/odd/services", "not an Open Referral directory")],
)
def test_a_web_page_is_refused_in_one_line_and_changes_nothing(
    tmp_path: Path, feed: tuple[str, FeedServer], path: str, said: str
) -> None:
    base, _ = feed
    data = tmp_path / "data"
    _names(data)
    before = _files(data)
    result = hub(data, "directory", "fetch", f"{base}{path}", "--replace")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and said in line
    assert _files(data) == before


@pytest.mark.parametrize("url", ["ftp://example.org/services", "not a url", "file:///etc/passwd"])
def test_an_address_that_is_not_http_is_refused(tmp_path: Path, url: str) -> None:
    data = tmp_path / "data"
    result = hub(data, "directory", "fetch", url)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and "not a web address" in line
