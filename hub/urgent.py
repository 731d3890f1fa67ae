"""The urgent lines a hub shows: the bundled national ones, then the hub's own.

A hub adds local crisis lines (a borough's out-of-hours social care number, say) in
`urgent.local.json` in its data folder, as {"lines": [...]} with the same fields as
data/urgent.json. They are validated the same way and shown after the national lines.
Lines not checked against their source for six months (or never) are listed for staff.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from pydantic import ValidationError

from hub.locations import local_urgent_file
from hub.models import StrictModel, UrgentHelp, UrgentLine, describe_error
from hub.needs import NeedsFileError, load_urgent

CHECK_EVERY_MONTHS = 6
"""An urgent line's number and hours are confirmed against its source at least this often."""


class LocalUrgentLines(StrictModel):
    """The hub's own urgent lines (urgent.local.json in the data folder)."""

    about: str | list[str] | None = None
    lines: list[UrgentLine]


def load_urgent_help(folder: Path | None = None) -> UrgentHelp:
    """Return the national urgent lines followed by the hub's own from `folder`, if any.

    Raises NeedsFileError naming the file when either file is wrong, or when a local line
    reuses a national line's id.
    """
    national = load_urgent()
    if folder is None:
        return national
    path = local_urgent_file(folder)
    if not path.is_file():
        return national
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise NeedsFileError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise NeedsFileError(f"{path} is not valid JSON: {exc}") from None
    try:
        local = LocalUrgentLines.model_validate(data)
        return UrgentHelp.model_validate(
            {
                "about": national.about,
                "last_checked": national.last_checked,
                "lines": [*national.lines, *local.lines],
            }
        )
    except ValidationError as error:
        raise NeedsFileError(describe_error(error, f"{path}: the hub's urgent lines")) from None


def urgent_lines_to_check(
    urgent: UrgentHelp, today: date, months: int = CHECK_EVERY_MONTHS
) -> list[UrgentLine]:
    """Return the lines never checked, or checked more than `months` ago, least recent first."""
    oldest_ok = today - relativedelta(months=months)
    due = [line for line in urgent.lines if line.checked is None or line.checked < oldest_ok]
    due.sort(key=lambda line: (line.checked or date.min, line.name.casefold()))
    return due
