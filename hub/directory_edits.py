"""Staff keeping the directory true: edit, add, retire and check services.

Every change here:

* is validated again in full (a screen may build the new Service with `model_copy`,
  which does not validate), and a mistake comes back as ServiceEditError with a
  plain-English message per field;
* moves `last_modified` forward, because sync keeps the copy changed last;
* is noted in the `local_changes` collection, so a sync export can send exactly the
  services changed at this hub;
* is audited (who, what, which service).

Search sees a change at once: saving bumps `store.directory_version`, which the search
index watches.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from hub import audit
from hub.formats.taxonomy import OTHER_HELP
from hub.models import Service, Status
from hub.referrals import london_today
from hub.storage import HubStore

LOCAL_CHANGES = "local_changes"
CHECK_EVERY_DAYS = 180

FIELD_LABELS: dict[str, str] = {
    "name": "Name",
    "organisation": "Organisation",
    "description": "Description",
    "needs": "Needs",
    "keywords": "Keywords",
    "areas": "Areas",
    "locations": "Address",
    "contact": "Contact",
    "schedules": "Times",
    "attendance": "How to go",
    "cost": "Cost",
    "eligibility": "Who it is for",
    "languages": "Languages",
    "status": "Status",
    "assured_date": "Checked on",
}
"""The words a form uses for each Service field."""


class ServiceEditError(ValueError):
    """A service edit with mistakes; `problems` maps each top-level field to what to fix."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems: dict[str, str] = dict(problems)
        super().__init__("; ".join(self.problems.values()))


class ServiceNotFound(LookupError):
    """No service has that id."""


def _problems_from(error: ValidationError) -> dict[str, str]:
    """Return one plain message per top-level field the model refused."""
    problems: dict[str, str] = {}
    for item in error.errors():
        loc = item["loc"]
        field = str(loc[0]) if loc else "record"
        if field in problems:
            continue
        label = FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
        message = item["msg"].removeprefix("Value error, ")
        problems[field] = f"{label}: {message}"
    return problems


def validated(service: Service | Mapping[str, Any]) -> Service:
    """Return the service checked in full, or raise ServiceEditError saying what to fix."""
    data = service.model_dump() if isinstance(service, Service) else dict(service)
    try:
        return Service.model_validate(data)
    except ValidationError as exc:
        raise ServiceEditError(_problems_from(exc)) from exc


def _stamp(service: Service, previous: Service | None, now: datetime) -> Service:
    """Return the service with last_modified moved to now, and never backwards.

    Sync keeps the later copy; if this PC's clock is behind the hub that last changed the
    service, a plain `now` would make this edit lose to the very copy it corrects.
    """
    when = now.astimezone(UTC)
    if previous is not None and when <= previous.last_modified:
        when = previous.last_modified + timedelta(microseconds=1)
    return service.model_copy(update={"last_modified": when})


def _save(store: HubStore, service: Service, staff_id: str, action: str, now: datetime) -> None:
    """Audit, save and note a local change: three durable writes, the service's in the middle."""
    audit.record_action(store, staff_id, action, service.id, now)
    store.save_services([service])
    store.collection(LOCAL_CHANGES).put(
        service.id, {"changed_at": now.astimezone(UTC).isoformat(), "staff_id": staff_id}
    )


def edit_service(store: HubStore, service: Service, staff_id: str, now: datetime) -> Service:
    """Return the service as saved, replacing the one with the same id.

    Raises ServiceNotFound for an id not in the directory, ServiceEditError for mistakes.
    """
    previous = store.service(service.id)
    if previous is None:
        raise ServiceNotFound(f"no service {service.id} in the directory")
    saved = _stamp(validated(service), previous, now)
    _save(store, saved, staff_id, audit.SERVICE_EDIT, now)
    return saved


def add_service(store: HubStore, service: Service, staff_id: str, now: datetime) -> Service:
    """Return the new service as saved.

    Give it a fresh id (`str(uuid.uuid4())`). Raises ServiceEditError for mistakes or an
    id already in the directory.
    """
    checked = validated(service)
    if store.service(checked.id) is not None:
        raise ServiceEditError({"id": "This service is already in the directory"})
    saved = _stamp(checked, None, now)
    _save(store, saved, staff_id, audit.SERVICE_ADD, now)
    return saved


def _existing(store: HubStore, service_id: str) -> Service:
    found = store.service(service_id)
    if found is None:
        raise ServiceNotFound(f"no service {service_id} in the directory")
    return found


def retire_service(store: HubStore, service_id: str, staff_id: str, now: datetime) -> Service:
    """Return the service marked defunct and saved; it is kept so the retirement can sync."""
    previous = _existing(store, service_id)
    saved = _stamp(previous.model_copy(update={"status": Status.DEFUNCT}), previous, now)
    _save(store, saved, staff_id, audit.SERVICE_RETIRE, now)
    return saved


def mark_checked(store: HubStore, service_id: str, staff_id: str, now: datetime) -> Service:
    """Return the service with `assured_date` set to today (London) and saved."""
    previous = _existing(store, service_id)
    changed = previous.model_copy(update={"assured_date": london_today(now)})
    saved = _stamp(changed, previous, now)
    _save(store, saved, staff_id, audit.SERVICE_CHECK, now)
    return saved


def needs_checking(store: HubStore, now: datetime, days: int = CHECK_EVERY_DAYS) -> list[Service]:
    """Return listed services not checked for `days` days (or never), least recently first.

    A service an import could place under no need (Other help) is listed too, so staff give it
    the right needs.
    """
    oldest_ok = london_today(now) - timedelta(days=days)
    due = [
        s
        for s in store.iter_services(listed_only=True)  # streamed: only the due ones are kept
        if s.assured_date is None or s.assured_date <= oldest_ok or OTHER_HELP in s.needs
    ]
    # Never-checked services come first: they are the ones nobody has vouched for.
    due.sort(key=lambda s: (s.assured_date or date.min, s.name.casefold(), s.id))
    return due


def local_changes_since(store: HubStore, since: datetime | None = None) -> list[Service]:
    """Return services changed at this hub (at or after `since`, if given), sorted by name."""
    found: list[Service] = []
    for service_id, doc in store.collection(LOCAL_CHANGES).all().items():
        if since is not None and datetime.fromisoformat(doc["changed_at"]) < since:
            continue
        service = store.service(service_id)
        if service is not None:
            found.append(service)
    found.sort(key=lambda s: (s.name.casefold(), s.id))
    return found
