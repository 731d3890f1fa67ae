"""Coordinator reports written out: CSV a spreadsheet reads safely, and the JSON document.

Split from hub.reports, which counts; this module only writes the counts down. CSV is plain
UTF-8 without a byte-order mark, with a header row and ISO dates (2026-11-23), one row per
line; spreadsheets (LibreOffice, Google Sheets, and Excel's "From Text/CSV" import) read it
cleanly. A cell that starts like a formula (=, +, -, @) gets a leading apostrophe: a
spreadsheet then shows it as text instead of running it. JSON is escaped for a terminal.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from hub.reports import (
    CrossTable,
    GroupBy,
    Row,
    report,
    services_to_check,
    top_unmet_searches,
    total_referrals,
    unmet_needs,
    urgent_lines_due,
    urgent_search_counts,
)
from hub.safe_text import clean_line, json_for_terminal
from hub.storage import HubStore

# --- CSV ------------------------------------------------------------------


def _key_header(by: GroupBy) -> tuple[str, str]:
    """Return the CSV headers for a row's key and label."""
    if by == "week":
        return "week", "week_starting"
    if by == "need":
        return "need_id", "need"
    return f"{by}_id" if by in ("service", "hub") else by, "label"


def rows_csv(rows: Sequence[Row], by: GroupBy) -> str:
    """Return the rows as CSV text: a header row, then one row each; ISO dates."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    key_header, label_header = _key_header(by)
    writer.writerow([key_header, label_header, "referrals", "outcome_known", "attended"])
    for row in rows:
        key, label = _csv_text(row.key), _csv_text(row.label)
        writer.writerow([key, label, row.referrals, row.outcome_known, row.attended])
    return buffer.getvalue()


_FORMULA_START = ("=", "+", "-", "@")


def _csv_text(text: str) -> str:
    """Return a text cell that a spreadsheet shows as text, never runs as a formula."""
    text = clean_line(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def report_document(
    store: HubStore,
    *,
    since: date | None,
    until: date | None,
    by: GroupBy,
    now: datetime,
    unmet_limit: int = 10,
    need: str | None = None,
) -> dict[str, Any]:
    """Return the whole report as a JSON-ready object (what `hub report --format json` prints).

    With `need`, the referrals and unmet needs are that need's only. Every figure is read
    from one whole saved state of the folder (one `read_snapshot`), so the total, the rows
    and the lists agree however busy other processes are.
    """
    return store.read_snapshot(
        lambda: _document(
            store, since=since, until=until, by=by, now=now, unmet_limit=unmet_limit, need=need
        )
    )


def _document(
    store: HubStore,
    *,
    since: date | None,
    until: date | None,
    by: GroupBy,
    now: datetime,
    unmet_limit: int,
    need: str | None,
) -> dict[str, Any]:
    rows = report(store, since=since, until=until, by=by, need=need)
    return {
        "by": by,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "need": need,
        "total_referrals": total_referrals(store, since=since, until=until, need=need),
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "referrals": row.referrals,
                "outcome_known": row.outcome_known,
                "attended": row.attended,
            }
            for row in rows
        ],
        "unmet_needs": [
            {
                "need_id": u.need_id,
                "label": u.label,
                "count": u.count,
                "searches": u.searches,
                "empty_lists": u.empty_lists,
                "nothing_suitable": u.nothing_suitable,
                "words": list(u.words),
            }
            for u in unmet_needs(store, since, until, need)
        ],
        "unmet_searches": [
            {"text": u.text, "count": u.count, "hubs": u.hubs, "last_day": u.last_day.isoformat()}
            for u in top_unmet_searches(store, since, until, unmet_limit)
        ],
        "urgent_searches": [
            {"kind": kind, "count": count}
            for kind, count in urgent_search_counts(store, since, until).items()
        ],
        "needs_checking": [
            {
                "id": s.id,
                "name": s.name,
                "assured_date": s.assured_date.isoformat() if s.assured_date else None,
            }
            for s in services_to_check(store, now)
        ],
        "urgent_lines_to_check": [
            {
                "id": line.id,
                "name": line.name,
                "checked": line.checked.isoformat() if line.checked else None,
                "source": line.source,
            }
            for line in urgent_lines_due(store, now)
        ],
    }


def report_json(document: Mapping[str, Any]) -> str:
    """Return a report document as indented JSON text."""
    return json_for_terminal(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


def cross_csv(table: CrossTable) -> str:
    """Return a cross table as CSV: one row per row key, one column per column label."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    key_header, label_header = _key_header(table.rows_by)
    writer.writerow(
        [key_header, label_header, *(_csv_text(label) for _, label in table.columns), "total"]
    )
    for key, label in table.rows:
        cells = [table.count(key, column) for column, _ in table.columns]
        writer.writerow([_csv_text(key), _csv_text(label), *cells, sum(cells)])
    return buffer.getvalue()
