"""`hub directory fetch URL`: pull a council's Open Referral API, every page, resumably.

ORUK v1 (`content`, `totalPages`, `number`), ORUK v3 and HSDS 3.0 (`contents`,
`total_pages`, `page_number`) APIs page their `/services` list. The first page is the URL
as given; the others are the same URL with `page=N`, counting from the first page's own
number (0 or 1). When the list gives summaries (a record with an id and hardly more), each
full record is fetched from `URL/{id}`.

Each page and each full record is kept, as received, in the data folder
(`fetch/<a digest of the URL>/`) as soon as it is known to be JSON, so a fetch cut short
(a page that keeps failing, the network down) is run again and starts where it stopped:
what is kept is not asked for again. The directory itself changes only when every page
was fetched and read (the caller imports the documents this returns; see
hub.cli_directory), and the kept files are then removed.

Requests have a timeout; a failed one (no answer, a timeout, a 5xx or 429 status) is tried
again after 0.5 s, 1 s, 2 s ... A page that is not JSON (a web page, a login form) is
refused at once: retrying would not change it.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from hub.formats.common import DirectoryFileError
from hub.formats.detect import page_info, records_of
from hub.formats.jsonio import parse_json_bytes

if TYPE_CHECKING:
    import httpx

FETCH_FOLDER = "fetch"
"""Where, in the data folder, the pages of an unfinished fetch are kept."""

SUMMARY_KEYS = frozenset(
    {"id", "name", "alternate_name", "description", "status", "url", "email", "last_modified"}
)
"""A listed record with no key but these is a summary: its full record is fetched."""

MAX_PAGES = 10_000
"""A feed claiming more pages than this is refused (a typo'd total would never end)."""


@dataclass(frozen=True)
class FetchSettings:
    """How patient a fetch is: seconds per request, tries per request, first wait."""

    timeout: float = 20.0
    tries: int = 4
    backoff: float = 0.5


Progress = Callable[[int, int | None], None]
"""Told (pages fetched so far, pages in all when known) as the fetch goes."""


def fetch_folder(data_dir: Path, url: str) -> Path:
    """Return the folder that keeps the raw pages of a fetch of `url`."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return data_dir / FETCH_FOLDER / digest


def fetch_feed(
    url: str,
    folder: Path,
    *,
    settings: FetchSettings | None = None,
    progress: Progress | None = None,
    client: httpx.Client | None = None,
) -> list[tuple[str, Any]]:
    """Return every page of the feed at `url` as (name, decoded JSON), summaries made full.

    Raises DirectoryFileError with one line (naming the URL) when the feed cannot be had:
    an address that is not http(s), a page that is not JSON or not a directory, a request
    that still fails after every try. Pages already kept in `folder` are not fetched again.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DirectoryFileError(f"{url} is not a web address (http:// or https://)")
    import httpx  # here, not at the top: every `hub` command imports this module

    settings = settings or FetchSettings()
    own = client is None
    session = client or httpx.Client(timeout=settings.timeout, follow_redirects=True)
    try:
        fetcher = _Fetcher(session, folder, settings)
        first = fetcher.document(url, "page-first")
        page = page_info(first, url)
        documents: list[tuple[str, Any]] = [(url, first)]
        total = page.total_pages if page is not None else None
        if progress is not None:
            progress(1, total)
        if page is not None and total is not None and total > 1:
            if total > MAX_PAGES:
                raise DirectoryFileError(f"{url} says it has {total:,} pages; that cannot be right")
            start = page.page if page.page is not None else 1
            for number in range(start + 1, start + total):
                page_url = _with_page(url, number)
                documents.append((page_url, fetcher.document(page_url, f"page-{number:05d}")))
                if progress is not None:
                    progress(len(documents), total)
        return [(name, fetcher.full_records(name, data, url)) for name, data in documents]
    finally:
        if own:
            session.close()


def forget_fetch(folder: Path) -> None:
    """Remove the kept pages of a fetch that has been imported."""
    shutil.rmtree(folder, ignore_errors=True)
    parent = folder.parent
    if parent.name == FETCH_FOLDER and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()


def _with_page(url: str, number: int) -> str:
    """Return `url` with its `page` query parameter set to `number`."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "page"]
    query.append(("page", str(number)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _service_url(url: str, service_id: str) -> str:
    """Return the address of one full service record: the list's path, then `/{id}`."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/") + "/" + service_id
    return urlunsplit(parts._replace(path=path, query=""))


def _is_summary(record: Any) -> bool:
    """True for a listed service that carries only a few headline fields."""
    return isinstance(record, dict) and "id" in record and set(record) <= SUMMARY_KEYS


class _Fetcher:
    """Fetches documents with retries, keeping each one in the folder once it is JSON."""

    def __init__(self, client: httpx.Client, folder: Path, settings: FetchSettings) -> None:
        self.client = client
        self.folder = folder
        self.settings = settings

    def document(self, url: str, name: str) -> Any:
        """Return the JSON at `url`, from the folder if kept before, else fetched and kept."""
        kept = self.folder / f"{name}.json"
        if kept.is_file():
            return parse_json_bytes(kept.read_bytes(), source=url)
        raw = self._get(url)
        data = parse_json_bytes(raw, source=url)
        records_of(data, url)  # not a directory (an error object): refused, and not kept
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = kept.with_suffix(".part")
        temp.write_bytes(raw)
        temp.replace(kept)  # a kill never leaves half a page that looks whole
        return data

    def full_records(self, name: str, data: Any, list_url: str) -> Any:
        """Return a page with each summary record replaced by its full record."""
        records, _ = records_of(data, name)
        if not any(_is_summary(record) for record in records):
            return data
        full = []
        for record in records:
            if _is_summary(record):
                service_id = str(record["id"])
                digest = hashlib.sha256(service_id.encode("utf-8")).hexdigest()[:16]
                record = self.document(_service_url(list_url, service_id), f"service-{digest}")
            full.append(record)
        if isinstance(data, dict):
            key = "contents" if isinstance(data.get("contents"), list) else "content"
            return {**data, key: full}
        return full

    def _get(self, url: str) -> bytes:
        """Return the body of a successful GET, trying again after failures that may pass."""
        import httpx

        problem = ""
        for attempt in range(self.settings.tries):
            if attempt:
                time.sleep(self.settings.backoff * 2 ** (attempt - 1))
            try:
                response = self.client.get(
                    url, headers={"Accept": "application/json"}, timeout=self.settings.timeout
                )
            except httpx.TimeoutException:
                problem = f"no answer within {self.settings.timeout:g} s"
                continue
            except httpx.HTTPError as exc:
                problem = f"could not connect ({type(exc).__name__})"
                continue
            if response.status_code == 429 or response.status_code >= 500:
                problem = f"the server answered {response.status_code}"
                continue
            if response.status_code != 200:
                raise DirectoryFileError(
                    f"{url}: the server answered {response.status_code}; check the address"
                )
            body = response.content
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "text/html" or body.lstrip()[:1] == b"<":
                raise DirectoryFileError(
                    f"{url} gave a web page (HTML), not JSON: check it is the address of the "
                    "feed's API (often ending /services), not of its website"
                )
            return body
        raise DirectoryFileError(
            f"{url}: {problem} after {self.settings.tries} tries; the pages fetched so far "
            "are kept: run the same command again to carry on"
        )
