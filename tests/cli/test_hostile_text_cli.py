"""Hostile text through every `hub` command, run as the real command in a subprocess.

A council feed, another hub's bundle and a visitor's search all carry text the hub did
not write. Here each hostile string of tests/hostile.py goes in every way a command
takes text (a directory file, a bundle, typed arguments, old documents already in a data
folder) and comes out of every command that prints it, as a table, CSV or JSON. For each
run: no escape, C1 or bidi byte reaches stdout or stderr, no traceback, a sensible exit
status, and the words are still there to read.
"""

from __future__ import annotations

import csv
import io
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hub.directory_edits import add_service
from hub.hub_identity import setup_hub
from hub.models import Referral, Service
from hub.storage import HubStore
from hub.suggestions import COLLECTION as SUGGESTIONS
from hub.sync import export_bundle
from hub.unmet import log_unmet_search
from tests.cli.runner import run_hub
from tests.hostile import FORBIDDEN_BYTES, HOSTILE, INVISIBLE, LONG_WORD

NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()
STAFF_ID = "9d7c0a52-6a0e-4f57-b5a4-1d3c2b1a0f9e"
STORED = {
    key: text
    for key, text in HOSTILE.items()
    if key not in ("lone_surrogate", "markup_close_visitor")
}
"""What hub A holds as services, referrals and notes. A lone surrogate cannot be written
as UTF-8; "[/] xqxqxq" is kept for the visitor's search that must find nothing."""


@dataclass
class Run:
    """What one command did."""

    args: tuple[str, ...]
    code: int
    out: bytes
    err: bytes

    @property
    def text(self) -> str:
        """Return stdout as text."""
        return self.out.decode("utf-8")


def hub(data: Path, *args: str, stdin: str | None = None) -> Run:
    """Run `hub --data-dir DATA ARGS...` and return what it did, as bytes."""
    result = run_hub(
        ["--data-dir", str(data), *args],
        stdin=b"" if stdin is None else stdin.encode(),
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )
    return Run(args, result.returncode, result.stdout, result.stderr)


def assert_safe(run: Run, *, codes: tuple[int, ...] = (0,)) -> None:
    """Insist the command printed nothing a terminal obeys, did not crash, and exited well."""
    name = " ".join(arg[:30] for arg in run.args)
    for stream, data in (("stdout", run.out), ("stderr", run.err)):
        bad = FORBIDDEN_BYTES.search(data)
        assert bad is None, f"{name}: {stream} has {bad.group()!r} at {bad.start()}"
        text = data.decode("utf-8")  # also proves the output is valid UTF-8
        assert INVISIBLE.search(text) is None, f"{name}: {stream} has a zero-width character"
    assert b"Traceback" not in run.err, f"{name}: {run.err.decode()[-2000:]}"
    assert run.code in codes, f"{name}: exit {run.code}: {run.err.decode()[-500:]}"
    if run.code == 1:
        lines = run.err.decode().splitlines()
        assert lines and lines[0].startswith("error: "), f"{name}: {run.err.decode()}"


# --- the hostile inputs ---------------------------------------------------------------


def _service_record(key: str, text: str, index: int) -> dict[str, Any]:
    """Return an HSDS 3.0 service with `text` in every text field a feed can have."""
    one_line = text[:200]
    base = f"{index:04d}"
    return {
        "id": f"0f6b5a4e-3d2c-4b1a-9f8e-7d6c5b4a{base}",
        "name": one_line,
        "description": f"{text}\n{key} second line",
        "url": "https://example.org/yak",
        "email": "yak@example.org",
        "status": "active",
        "application_process": text,
        "fees_description": one_line,
        "eligibility_description": text,
        "assured_date": "2026-10-01",
        "last_modified": "2026-10-01T09:00:00Z",
        "organization": {"id": f"4e000000-0000-4000-8000-00000000{base}", "name": one_line},
        "phones": [
            {
                "id": f"6b000000-0000-4000-8000-00000000{base}",
                "number": "020 7946 0873",
                "description": one_line,
            }
        ],
        "schedules": [
            {
                "id": f"5c000000-0000-4000-8000-00000000{base}",
                "freq": "WEEKLY",
                "byday": "TU",
                "opens_at": "10:00",
                "closes_at": "12:00",
                "description": one_line,
            }
        ],
        "service_areas": [{"id": f"a4000000-0000-4000-8000-00000000{base}", "name": text[:80]}],
        "service_at_locations": [
            {
                "id": f"5a000000-0000-4000-8000-00000000{base}",
                "location": {
                    "id": f"10c00000-0000-4000-8000-00000000{base}",
                    "location_type": "physical",
                    "name": one_line,
                    "addresses": [
                        {
                            "id": f"ad000000-0000-4000-8000-00000000{base}",
                            "address_1": one_line,
                            "city": text[:100],
                            "postal_code": "NW10 7AA",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                    "accessibility": [
                        {"id": f"ac000000-0000-4000-8000-00000000{base}", "description": text}
                    ],
                },
            }
        ],
        "languages": [{"id": f"1a000000-0000-4000-8000-00000000{base}", "name": text[:60]}],
    }


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return an HSDS 3.0 file: one service per hostile string, and a 100k-character name."""
    items = enumerate(sorted(HOSTILE.items()))
    records = [_service_record(key, text, index) for index, (key, text) in items]
    too_long = _service_record("long", "Yak long", 9999)
    too_long["name"] = LONG_WORD
    records.append(too_long)
    path = tmp_path_factory.mktemp("feed") / "hostile-feed.json"
    # ensure_ascii: the lone surrogate can only be written as a \ud800 escape.
    path.write_text(json.dumps(records, ensure_ascii=True), encoding="ascii")
    return path


def _legacy_referral(text: str, service_id: str, hub_id: str) -> Referral:
    """Return a referral holding raw hostile text, as a hub before this fix stored it."""
    return Referral.model_construct(
        id=str(uuid.uuid4()),
        hub_id=hub_id,
        recorded_at=NOW,
        updated_at=NOW,
        recorded_by=STAFF_ID,
        service_id=service_id,
        service_name=text[:200],
        needs=["food"],
        method="signposted",
        age_band="not_given",
        postcode_district="NW10",
        consent_to_follow_up=True,
        contact=text[:200],
        notes=text[:500],
        follow_up_on=TODAY,
        outcome="unknown",
    )


@pytest.fixture(scope="module")
def coordinator_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return a coordinator's data folder (set up, nothing imported) and its key file."""
    folder = tmp_path_factory.mktemp("coordinator")
    assert_safe(hub(folder, "setup", "--name", "Brent coordinator"))
    key_file = tmp_path_factory.mktemp("key") / "coordinator-key.json"
    assert_safe(hub(folder, "sync", "key", "--output", str(key_file)))
    return folder, key_file


@pytest.fixture(scope="module")
def hub_a(tmp_path_factory: pytest.TempPathFactory, coordinator_key: tuple[Path, Path]) -> Path:
    """Return a hub's data folder holding hostile services, referrals, notes and searches.

    Services are added the way staff add them (cleaned on the way in; markup survives,
    being ordinary brackets). Referrals, a staff name and suggestions are written raw, as
    a data folder from before the sanitiser holds them: the commands must still print
    them safely, and the bundle carries them raw to the coordinator.
    """
    folder = tmp_path_factory.mktemp("hub-a")
    store = HubStore.open(folder)
    try:
        info = setup_hub(store, "Church End [/] Library")
        for key, text in sorted(STORED.items()):
            service = Service.model_validate(
                {
                    "id": str(uuid.uuid4()),
                    "name": text[:200],
                    "description": text,
                    "areas": ["Church End"],
                    "needs": ["food"],
                    "keywords": [key[:60]],
                }
            )
            saved = add_service(store, service, STAFF_ID, NOW)
            store.save_referrals([_legacy_referral(text, saved.id, info.id)])
            store.collection(SUGGESTIONS).put(
                str(uuid.uuid4()),
                {
                    "id": str(uuid.uuid4()),
                    "service_id": saved.id,
                    "text": text[:500],
                    "day": TODAY.isoformat(),
                },
            )
        store.collection("staff").put(
            STAFF_ID,
            {
                "name": HOSTILE["osc_title_bel"],
                "pin_hash": "scrypt$16384$8$1$00$00",
                "created_at": NOW.isoformat(),
            },
        )
        store.collection("unmet_searches").put(
            f"{TODAY.isoformat()}|raw",
            {"text": HOSTILE["clear_screen"], "day": TODAY.isoformat(), "count": 2},
        )
        # A visitor's search at the kiosk that finds nothing, logged the ordinary way
        # (searches typed at the command line are staff's and are never logged).
        log_unmet_search(store, "[/] xqxqxq", TODAY)
    finally:
        store.close()
    assert_safe(hub(folder, "search", "[/] xqxqxq"))
    # Contact details and notes travel sealed to the coordinator's key.
    assert_safe(hub(folder, "sync", "trust", str(coordinator_key[1]), "--coordinator"))
    return folder


@pytest.fixture(scope="module")
def bundle(hub_a: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return hub A's bundle, written by the project's own export."""
    path = tmp_path_factory.mktemp("usb") / "hub-a.json"
    store = HubStore.open(hub_a)
    try:
        export_bundle(store, path, everything=True, now=NOW)
    finally:
        store.close()
    document = json.loads(path.read_text(encoding="utf-8"))
    # The raw referral notes travel sealed (the coordinator's import opens them and must
    # cope); the unmet searches travel as they are.
    assert any(s["text"] == "[/] xqxqxq" for s in document["unmet_searches"])
    return path


@pytest.fixture(scope="module")
def coordinator(bundle: Path, coordinator_key: tuple[Path, Path]) -> Path:
    """Return a coordinator's data folder that imported hub A's hostile bundle."""
    folder = coordinator_key[0]
    assert_safe(hub(folder, "sync", "trust", str(bundle)))
    run = hub(folder, "sync", "import", str(bundle))
    assert_safe(run)
    assert "Church End [/] Library" in run.text
    return folder


# --- directory ------------------------------------------------------------------------


def test_directory_import_of_a_hostile_feed(feed: Path, tmp_path: Path) -> None:
    run = hub(tmp_path / "data", "directory", "import", str(feed), "--replace")
    assert_safe(run)
    # Pydantic refuses a lone surrogate outright ("not a valid string"): that record is
    # rejected with its reason, like the 100,000-character name; every other one is kept.
    assert f"{len(HOSTILE) - 1} added" in run.text and "2 skipped" in run.text
    # Each refusal is one warning naming the service (its name shown without the surrogate).
    warnings = run.err.decode("utf-8")
    assert "Input should be a valid string" in warnings
    assert "name: String should have at most 200 characters; skipped the service" in warnings


@pytest.fixture(scope="module")
def directory(feed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a data folder whose directory is the hostile feed."""
    folder = tmp_path_factory.mktemp("directory")
    assert_safe(hub(folder, "directory", "import", str(feed), "--replace"))
    return folder


def test_directory_list_shows_markup_as_text(directory: Path) -> None:
    run = hub(directory, "directory", "list")
    assert_safe(run)
    for words in ("Yak [/] closer", "[bold red]Yak club", "[@click=app.quit]Yak club[/]"):
        assert words in run.text
    assert "[link=file:///etc/passwd]Yak club[/link]" in run.text
    assert "Yak :skull: club" in run.text  # not turned into an emoji either


def test_directory_list_json_is_escaped_and_clean(directory: Path) -> None:
    run = hub(directory, "directory", "list", "--json")
    assert_safe(run)
    services = json.loads(run.text)
    names = {service["name"] for service in services}
    assert "Yak [/] closer" in names and "Yak  club" in names  # ESC [2J ESC [H removed
    assert "Yak bulc club" in names  # the override gone, the letters in stored order
    for service in services:
        assert "\x1b" not in json.dumps(service, ensure_ascii=False)


def test_directory_export_writes_a_clean_file(directory: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    assert_safe(hub(directory, "directory", "export", str(target)))
    assert FORBIDDEN_BYTES.search(target.read_bytes()) is None


# --- search ---------------------------------------------------------------------------


@pytest.mark.parametrize("as_json", [False, True], ids=["table", "json"])
def test_search_prints_hostile_services_safely(directory: Path, as_json: bool) -> None:
    run = hub(directory, "search", "Yak", "--limit", "50", *(["--json"] if as_json else []))
    assert_safe(run)
    if as_json:
        found = json.loads(run.text)
        items = found["results"] if isinstance(found, dict) else found  # either JSON shape
        names = {item["name"] for item in items}
        assert "Yak [/] closer" in names
    else:
        assert "Yak [/] closer" in run.text


@pytest.mark.parametrize(
    "query",
    ["[/] xqxqxq", "[bold red]x", "[@click=app.quit]x[/]", "[link=file:///etc/passwd]x[/link]"],
)
def test_search_words_with_markup_are_shown_as_typed(directory: Path, query: str) -> None:
    run = hub(directory, "search", query)
    assert_safe(run)
    assert query in run.text


def test_search_for_a_hundred_thousand_character_word(directory: Path) -> None:
    assert_safe(hub(directory, "search", LONG_WORD), codes=(0, 1))


@pytest.mark.parametrize("key", ["clear_screen", "osc_title_bel", "c1_csi", "rlo", "nul"])
def test_search_words_with_control_characters_are_refused(directory: Path, key: str) -> None:
    text = HOSTILE[key].replace("\x00", "\x07")  # argv cannot carry NUL itself
    run = hub(directory, "search", text)
    assert_safe(run, codes=(1,))
    assert "the search contains control characters" in run.err.decode()


# --- typed names and paths --------------------------------------------------------------


@pytest.mark.parametrize("key", ["clear_screen", "osc_title_bel", "osc8_link", "rlo", "isolates"])
def test_setup_refuses_a_name_with_control_characters(tmp_path: Path, key: str) -> None:
    run = hub(tmp_path / "data", "setup", "--name", HOSTILE[key])
    assert_safe(run, codes=(1,))
    assert run.err.decode().startswith("error: the name contains control characters (U+")
    assert "type it without them" in run.err.decode()
    assert not (tmp_path / "data").exists() or b"hub_name" not in b"".join(
        p.read_bytes() for p in (tmp_path / "data").rglob("*.json")
    )


def test_setup_takes_a_name_with_brackets_and_shows_it_as_typed(tmp_path: Path) -> None:
    run = hub(tmp_path / "data", "setup", "--name", "[bold red]Church End[/] [@click=app.quit]x")
    assert_safe(run)
    assert "'[bold red]Church End[/] [@click=app.quit]x'" in run.text


def test_staff_add_refuses_a_name_with_control_characters(tmp_path: Path) -> None:
    run = hub(tmp_path / "data", "staff", "add", HOSTILE["osc_title_bel"], stdin="246810\n246810\n")
    assert_safe(run, codes=(1,))
    assert "the name contains control characters" in run.err.decode()


def test_staff_names_in_brackets_are_listed_as_typed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert_safe(hub(data, "staff", "add", "[bold]Ana[/] [/]", stdin="246810\n246810\n"))
    run = hub(data, "staff", "list")
    assert_safe(run)
    assert "[bold]Ana[/] [/]" in run.text


def test_staff_list_cleans_a_name_stored_before_cleaning_existed(hub_a: Path) -> None:
    run = hub(hub_a, "staff", "list")
    assert_safe(run)
    assert "Yak  club" in run.text


@pytest.mark.parametrize(
    "args",
    [
        ("sync", "export", "bundle\x1b]0;x\x07.json"),
        ("sync", "import", "bundle\u202enosj.json"),
        ("directory", "import", "feed\x9b2J.json"),
        ("directory", "export", "out\x1b[2J.json"),
    ],
    ids=["sync-export", "sync-import", "directory-import", "directory-export"],
)
def test_paths_with_control_characters_are_refused(tmp_path: Path, args: tuple[str, ...]) -> None:
    run = hub(tmp_path / "data", *args)
    assert_safe(run, codes=(1,))
    assert "file name contains control characters" in run.err.decode()


# --- referrals, sync and reports --------------------------------------------------------


@pytest.mark.parametrize("as_json", [False, True], ids=["table", "json"])
@pytest.mark.parametrize("where", ["hub", "coordinator"])
def test_referrals_list(hub_a: Path, coordinator: Path, where: str, as_json: bool) -> None:
    folder = hub_a if where == "hub" else coordinator
    run = hub(folder, "referrals", "list", *(["--json"] if as_json else []))
    assert_safe(run)
    if as_json:
        referrals = json.loads(run.text)
        assert len(referrals) == len(STORED)
        assert "Yak [/] closer" in {r["service_name"] for r in referrals}
    else:
        assert "Yak [/] closer" in run.text


def test_sync_export_prints_a_clean_summary(hub_a: Path, tmp_path: Path) -> None:
    run = hub(hub_a, "sync", "export", str(tmp_path / "again.json"), "--all")
    assert_safe(run)
    assert "Church End [/] Library" in run.text


def test_the_coordinator_stores_the_bundle_cleaned(coordinator: Path, bundle: Path) -> None:
    store = HubStore.open(coordinator)
    try:
        notes = [r.notes or "" for r in store.referrals()]
    finally:
        store.close()
    assert len(notes) == len(STORED)
    assert not any("\x1b" in note or "\u202e" in note for note in notes)
    # Importing again changes nothing: the cleaned copy is not mistaken for a new one.
    run = hub(coordinator, "sync", "import", str(bundle))
    assert_safe(run)
    assert "referrals: 0 added, 0 updated" in run.text


@pytest.mark.parametrize("by", ["service", "need", "hub", "week", "outcome"])
@pytest.mark.parametrize("form", ["table", "csv", "json"])
@pytest.mark.parametrize("where", ["hub", "coordinator"])
def test_report(hub_a: Path, coordinator: Path, where: str, by: str, form: str) -> None:
    folder = hub_a if where == "hub" else coordinator
    run = hub(folder, "report", "--by", by, "--format", form)
    assert_safe(run)
    if form == "json":
        document = json.loads(run.text)
        assert "[/] xqxqxq" in {item["text"] for item in document["unmet_searches"]}
    elif form == "csv":
        rows = list(csv.reader(io.StringIO(run.text)))
        assert rows[0][2] == "referrals" and len(rows) > 1
    else:
        assert "[/] xqxqxq" in run.text
        if by == "service":
            assert "Yak [/] closer" in run.text
        if by == "hub":
            assert "Church End [/] Library" in run.text


def test_report_csv_cells_never_start_a_formula(hub_a: Path) -> None:
    run = hub(hub_a, "report", "--by", "service", "--format", "csv")
    assert_safe(run)
    labels = [row[1] for row in csv.reader(io.StringIO(run.text))]
    assert not any(label.startswith(("=", "+", "-", "@")) for label in labels), labels
    assert HOSTILE["csv_formula"] not in labels and "'" + HOSTILE["csv_formula"] in labels
