"""Open Referral JSON records (HSDS 3.0, ORUK v3, ORUK v1) to our `Service`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hub.formats.common import (
    KEYWORD_LIMIT,
    OUR_VOCABULARIES,
    SAMPLE_CODE,
    VOCAB_ATTENDANCE,
    VOCAB_KEYWORDS,
    VOCAB_SAMPLE,
    Flavour,
    PackedServices,
    ParsedDirectory,
    RecordProblem,
    RejectedRecord,
    feed_uuid,
    json_type,
    parse_date,
    parse_datetime,
    service_label,
    text_of,
    unique,
)
from hub.formats.detect import FLAVOUR_SAMPLE, detect_flavour
from hub.formats.feed_files import (
    FeedDocument,
    Progress,
    document_of,
    feed_file_work,
    open_feed_file,
)
from hub.formats.html_text import plain_text
from hub.formats.jsonio import parse_json_bytes
from hub.formats.record_fields import (
    area_names,
    contact_fields,
    cost_fields,
    eligibility_fields,
    language_names,
    location_list,
    organisation_name,
    schedule_list,
)
from hub.formats.source_overlay import fingerprints
from hub.formats.taxonomy import (
    Term,
    attendance_for,
    needs_for,
    our_terms,
    taxonomy_terms,
)
from hub.models import (
    Service,
    SourceRecord,
    describe_error,
    record_label,
)


def read_directory_file(
    path: Path, *, now: datetime | None = None, progress: Progress | None = None
) -> ParsedDirectory:
    """Return the services in an Open Referral JSON file, or raise DirectoryFileError."""
    return read_directory_files([path], now=now, progress=progress)


def read_directory_files(
    paths: Sequence[Path], *, now: datetime | None = None, progress: Progress | None = None
) -> ParsedDirectory:
    """Return the services in several JSON files (the pages of one feed) as one directory.

    Every file is opened and its shape checked before any record is used; a file that is not
    a directory raises DirectoryFileError naming it. A big file is read a record at a time
    (hub.formats.feed_files). A service id on two pages keeps the first, as in one file.
    `progress`, if given, is told of the bytes read as the records are (see `feed_work`).
    """
    documents = [open_feed_file(path, progress=progress) for path in dict.fromkeys(paths)]
    return parse_documents(documents, now=now)


def feed_work(paths: Sequence[Path]) -> int:
    """Return how many bytes of reading `read_directory_files(paths)` reports to progress.

    A streamed envelope is read twice (its own fields, then its records).
    """
    return sum(feed_file_work(path) for path in dict.fromkeys(paths))


def parse_directory_bytes(
    raw: bytes, *, source: str, now: datetime | None = None
) -> ParsedDirectory:
    """Return the services in the bytes of a directory file; `source` names it in errors."""
    return parse_directory(parse_json_bytes(raw, source=source), source=source, now=now)


def parse_directory(data: Any, *, source: str, now: datetime | None = None) -> ParsedDirectory:
    """Return the services in decoded JSON; whole-file problems raise DirectoryFileError."""
    return parse_documents([(source, data)], now=now)


def parse_documents(
    documents: Sequence[tuple[str, Any] | FeedDocument], *, now: datetime | None = None
) -> ParsedDirectory:
    """Return the services in documents (decoded JSON with its source name, or files opened
    with `open_feed_file`), read as one feed.

    A document that is not a directory at all raises DirectoryFileError. Anything smaller is
    reported, not refused: a record that cannot be a service is skipped (one entry in
    `rejected`), a field that cannot be read is left out of its service (one in `dropped`).
    Records are converted as they are read, so a streamed file is never held whole.
    """
    feed = [
        item if isinstance(item, FeedDocument) else document_of(item[0], item[1])
        for item in documents
    ]
    hints = [document.hint for document in feed if document.hint is not None]
    pages = [document.page for document in feed if document.page is not None]
    # The flavour is decided from the feed's first records, before any is converted.
    sample: list[Any] = []
    for document in feed:
        sample.extend(document.peek(FLAVOUR_SAMPLE - len(sample)))
        if len(sample) >= FLAVOUR_SAMPLE:
            break
    flavour = detect_flavour(sample, hints[0] if len(set(hints)) == 1 else None)
    del sample
    batches = [(document.source, document) for document in feed]
    when = (now or datetime.now(UTC)).astimezone(UTC)
    # A big feed's services are kept as text: as objects they might not fit in memory.
    packed = any(document.streamed for document in feed)
    parsed = ParsedDirectory(
        flavour=flavour, services=PackedServices() if packed else [], pages=pages
    )
    first_seen: dict[str, str] = {}
    sample_marks = 0
    for source, records in batches:
        for index, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                parsed.rejected.append(
                    RejectedRecord(
                        f"item {index}",
                        f"item {index}: is not a JSON object, so not a service",
                        warning=(
                            f"{source}: item {index} is {json_type(record)}, not a service; "
                            "skipped it"
                        ),
                    )
                )
                continue
            label = service_label(record)
            short = record_label(record)  # "ID 'NAME'": how RejectedRecord and notes name it
            raw_id = record.get("id")
            rid = None
            if (
                isinstance(raw_id, str | int)
                and not isinstance(raw_id, bool)
                and str(raw_id).strip()
            ):
                rid = feed_uuid(raw_id)
            if rid is not None and rid in first_seen:
                parsed.rejected.append(
                    RejectedRecord(
                        short,
                        f"{short}: id: the same as an earlier service's; kept the first",
                        warning=f"{source}: {label}: the same id as {first_seen[rid]}; "
                        "kept the first, skipped this one",
                    )
                )
                continue
            dropped: list[str] = []
            notes: list[str] = []
            try:
                result = _service_from_record(record, when, dropped, notes, flavour)
            except RecordProblem as exc:
                parsed.rejected.append(
                    RejectedRecord(
                        short,
                        f"{short}: {exc}",
                        rid,
                        warning=f"{source}: {label}: {exc}; skipped the service",
                    )
                )
                continue
            except ValidationError as exc:
                parsed.rejected.append(
                    RejectedRecord(
                        short,
                        describe_error(exc, short),
                        rid,
                        warning=f"{source}: {label}: {_first_problem(exc)}; skipped the service",
                    )
                )
                continue
            service, dated, is_sample, placed = result
            if rid is not None:
                first_seen[rid] = label
            parsed.services.append(service)
            parsed.dropped.extend(f"{source}: {label}: {what}" for what in dropped)
            parsed.fixed.extend(f"{source}: {label}: {what}" for what in notes)
            parsed.notes.extend(f"{short}: {what}" for what in [*notes, *dropped])
            parsed.placed[placed] = parsed.placed.get(placed, 0) + 1
            if not dated:
                parsed.undated_ids.add(service.id)
            sample_marks += is_sample
    parsed.is_sample = bool(parsed.services) and sample_marks == len(parsed.services)
    return parsed


def _first_problem(error: ValidationError) -> str:
    """Return the first problem pydantic found, as "field: what is wrong"."""
    item = error.errors()[0]
    where = ".".join(str(part) for part in item["loc"]) or "record"
    return f"{where}: {item['msg'].removeprefix('Value error, ')}"


_REQUIRED_INSIDE = frozenset({"number", "id"})
"""Nested fields without which their object means nothing: a phone's number, a place's id."""


def _drop_field(data: dict[str, Any], loc: Sequence[int | str]) -> str | None:
    """Remove the bad field pydantic points at from `data`; return its path, None if it may not go.

    The service's own id and name may not go (without them it is not a service). Otherwise the
    field itself is removed (the model's default, "not stated", takes its place), or, for a
    required part of a listed object (a phone's number), that object from its list.
    """
    if not loc or loc[0] in ("id", "name"):
        return None
    path = list(loc)
    last = path[-1]
    if isinstance(last, str) and last in _REQUIRED_INSIDE and len(path) > 1:
        path.pop()
    parent: Any = data
    for part in path[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return None
    key = path[-1]
    in_list = isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent)
    in_dict = isinstance(parent, dict) and key in parent
    if not (in_list or in_dict):
        return None
    del parent[key]
    return ".".join(str(part) for part in path)


def _guarded(dropped: list[str], default: Any, read: Callable[[], Any]) -> Any:
    """Return read(), or `default` with a line in `dropped` when one field cannot be read."""
    try:
        return read()
    except RecordProblem as exc:
        dropped.append(f"{exc}; left it out")
        return default


def _service_from_record(
    record: dict[str, Any],
    now: datetime,
    dropped: list[str],
    notes: list[str],
    flavour: Flavour,
) -> tuple[Service, bool, bool, str]:
    """Return (service, had last_modified, carries the sample marker, how its needs were found).

    A field that cannot be read is left out with a line in `dropped`; RecordProblem or
    ValidationError is raised only for a record that is not a service (no id, no name).
    """
    raw_id = record.get("id")
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        raise RecordProblem("id", "missing; every service needs an id")
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool):
        raise RecordProblem("id", f"should be text, not {json_type(raw_id)}")
    service_id = feed_uuid(raw_id)

    terms: list[Term] = _guarded(dropped, [], lambda: taxonomy_terms(record))
    ours = our_terms(terms)
    foreign = [term for term in terms if term[0] not in OUR_VOCABULARIES]

    description = _guarded(dropped, "", lambda: plain_text(text_of(record, "description") or ""))

    keywords = [code for code, _ in ours.get(VOCAB_KEYWORDS, [])]
    if not ours.get(VOCAB_KEYWORDS):
        keywords = unique(
            name[:KEYWORD_LIMIT] for _, _, name, _ in foreign if name and name.strip()
        )[:60]

    name = record.get("name")
    data: dict[str, Any] = {
        "id": service_id,
        "organisation": _guarded(dropped, None, lambda: organisation_name(record, name)),
        "description": description,
        "keywords": keywords,
        "areas": _guarded(dropped, [], lambda: area_names(record)),
        "contact": _guarded(dropped, {}, lambda: contact_fields(record, notes)),
        "schedules": _guarded(dropped, [], lambda: schedule_list(record, dropped)),
        "cost": _guarded(dropped, {}, lambda: cost_fields(record)),
        "eligibility": _guarded(dropped, {}, lambda: eligibility_fields(record)),
        "languages": _guarded(dropped, [], lambda: language_names(record)),
        "locations": _guarded(dropped, [], lambda: location_list(record, service_id, dropped)),
        "source": SourceRecord.of("oruk1" if flavour == "oruk1" else "hsds3", record),
    }
    status = record.get("status")
    if status not in (None, ""):
        data["status"] = status.strip().lower() if isinstance(status, str) else status
    assured = record.get("assured_date")
    if assured not in (None, ""):
        data["assured_date"] = _guarded(dropped, None, lambda: parse_date(assured, "assured_date"))
    modified = record.get("last_modified")
    dated = modified not in (None, "")
    if dated:
        data["last_modified"] = _guarded(
            dropped, None, lambda: parse_datetime(modified, "last_modified")
        )
        dated = data["last_modified"] is not None
    if not dated:
        data["last_modified"] = now

    if name is not None:  # absent: let the model say "name: Field required"
        data["name"] = name
    data["attendance"] = _guarded(
        dropped, {"stated": False}, lambda: attendance_for(record, ours.get(VOCAB_ATTENDANCE))
    )
    needs, placed = needs_for(ours, foreign, name, description, keywords)
    data["needs"] = needs
    for _ in range(40):  # each pass removes one bad field; a record has far fewer
        try:
            service = Service.model_validate(data)
            break
        except ValidationError as exc:
            item = exc.errors()[0]
            where = _drop_field(data, item["loc"])
            if where is None:
                raise
            value = item.get("input")
            message = item["msg"].removeprefix("Value error, ")
            shown = f" {value!r}" if isinstance(value, str | int | float) else ""
            if shown.strip() in message:
                shown = ""  # the message already quotes it
            dropped.append(f"{where}{shown}: {message}; left it out")
    else:  # pragma: no cover - forty bad fields in one record
        raise RecordProblem("record", "too many fields that cannot be read")
    if service.source is not None:
        service.source.read_as = fingerprints(service)
    is_sample = any(code == SAMPLE_CODE for code, _ in ours.get(VOCAB_SAMPLE, []))
    return service, dated, is_sample, placed
