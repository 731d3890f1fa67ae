"""A staff change updates the search index in place of a build, to exactly what a build gives."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hub.index_file import INDEX_FILE, SavedIndexCache, load_parts
from hub.kiosk_service import Hub
from hub.models import Service, Status
from hub.needs import kiosk_needs
from hub.search import Filters, SearchIndex
from hub.storage import HubStore
from tests.folder_files import sample_data_folder

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
NEEDS = kiosk_needs()
FIXED_QUERIES = [
    "food bank",
    "demntia",
    "my nan keeps falling",
    "cant pay my rent",
    "counsel",
    "lonely",
    "walking group today",
    "benifits advice",
    "somewhere warm tonight",
    "zebra",
]
FILTERS = [
    Filters(),
    Filters(free_only=True),
    Filters(drop_in_only=True),
    Filters(area="Church End"),
    Filters(language="Polish"),
    Filters(age=70),
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a data folder holding the bundled sample directory (real words, real quirks)."""
    return sample_data_folder(tmp_path, NOW)


def _queries(services: list[Service], rng: random.Random) -> list[str]:
    """Return fixed queries and words taken from the services' own names and descriptions."""
    found = list(FIXED_QUERIES)
    for service in rng.sample(services, min(40, len(services))):
        words = f"{service.name} {service.description}".split()
        start = rng.randrange(len(words))
        found.append(" ".join(words[start : start + rng.randint(1, 3)]))
        found.append(service.name[: rng.randint(4, max(4, len(service.name)))])
    return found


def _answers(index: SearchIndex, queries: list[str]) -> list[object]:
    """Return what the index gives for every query and need under each filter, in order,
    with scores, and what it says about itself."""
    found: list[object] = [len(index), index.vocabulary_size, index.areas(), index.need_ids()]
    for filters in FILTERS:
        for query in queries:
            results = index.search(query, filters=filters, now=NOW, limit=30)
            found.append([(r.service.id, r.score, r.matched_needs) for r in results])
        for need in NEEDS:
            results = index.browse(need.id, filters=filters, now=NOW)
            found.append([r.service.id for r in results])
    return found


def _changed(service: Service, rng: random.Random, donor: Service) -> Service:
    """Return the service with a few fields changed the way staff change them."""
    update: dict[str, object] = {}
    choice = rng.randrange(6)
    if choice == 0:
        update["name"] = f"{donor.name} {rng.choice(['Zebra Club', 'Hub', 'Drop-in'])}"
    elif choice == 1:
        update["description"] = f"{donor.description} {service.description[:80]}"
    elif choice == 2:
        update["keywords"] = [*donor.keywords[:3], "zebra crossing"]
    elif choice == 3:
        update["needs"] = donor.needs
    elif choice == 4:
        update["areas"] = donor.areas
    else:
        update["status"] = rng.choice([Status.TEMPORARILY_CLOSED, Status.ACTIVE])
    return service.model_copy(update=update)


def test_random_staff_changes_leave_the_index_as_a_fresh_build_would(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(20261126)
    hub = Hub.open(folder, needs=NEEDS, clock=lambda: NOW)
    try:
        hub.load_directory()
        cache = hub._index_cache  # the test looks at how the index followed the changes
        assert isinstance(cache, SavedIndexCache)

        def no_build(*_args: object, **_kwargs: object) -> SearchIndex:
            raise AssertionError("a staff change built the whole index again")

        monkeypatch.setattr(SearchIndex, "build", no_build)
        kinds: dict[str, int] = {}
        for _step in range(60):
            everything = hub.store.services()
            listed = [s for s in everything if s.is_listed]
            retired = [s for s in everything if not s.is_listed]
            kind = rng.choice(["add", "edit", "edit", "retire", "check", "relist"])
            if kind == "relist" and not retired:
                kind = "retire"
            kinds[kind] = kinds.get(kind, 0) + 1
            if kind == "add":
                donor = rng.choice(listed)
                new = _changed(donor, rng, rng.choice(listed))
                hub.add_service(new.model_copy(update={"id": str(uuid.uuid4())}), "staff-1")
            elif kind == "edit":
                hub.edit_service(_changed(rng.choice(listed), rng, rng.choice(listed)), "staff-1")
            elif kind == "retire":
                hub.retire_service(rng.choice(listed).id, "staff-1")
            elif kind == "check":
                hub.mark_checked(rng.choice(listed).id, "staff-1")
            else:
                back = rng.choice(retired).model_copy(update={"status": Status.ACTIVE})
                hub.edit_service(back, "staff-1")
            # Each change is followed in place: the index in hand is for the new revision.
            assert cache.revision == hub.store.directory_revision, (kind, _step)
            assert cache.current(hub.store.directory_version) is not None
        assert set(kinds) == {"add", "edit", "retire", "check", "relist"}
        followed = hub.search_index()
        monkeypatch.undo()
        services = hub.store.services()
        fresh = SearchIndex.build(
            (s for s in services if s.is_listed), NEEDS, fetch=hub.store.services_by_id
        )
        queries = _queries([s for s in services if s.is_listed], rng)
        expected = _answers(fresh, queries)
        assert _answers(followed, queries) == expected
        revision = hub.store.directory_revision
    finally:
        hub.close()
    # The file was kept up with each change: the next start loads it, and it answers the same.
    again = Hub.open(folder, needs=NEEDS, clock=lambda: NOW)
    try:
        loaded = again.search_index()
        assert isinstance(again._index_cache, SavedIndexCache)
        assert again._index_cache.loaded_from_file
        assert _answers(loaded, queries) == expected
    finally:
        again.close()
    parts = load_parts(
        folder / INDEX_FILE,
        revision=revision,
        fingerprint=again._index_cache._fingerprint or "",
    )
    assert len(parts.entries) == len([s for s in services if s.is_listed])


def test_a_change_while_the_index_is_not_in_hand_is_built_on_the_next_search(
    folder: Path,
) -> None:
    hub = Hub.open(folder, needs=NEEDS, clock=lambda: NOW)
    try:
        first = hub.store.services()[0]
        hub.edit_service(first.model_copy(update={"name": "Zebra Crossing Club"}), "staff-1")
        names = [r.service.name for r in hub.search("zebra crossing")]
        assert names[0] == "Zebra Crossing Club"
    finally:
        hub.close()


def test_a_change_the_index_cannot_follow_leaves_it_to_be_built_again(folder: Path) -> None:
    hub = Hub.open(folder, needs=NEEDS, clock=lambda: NOW)
    try:
        hub.load_directory()
        listed = [s for s in hub.store.services() if s.is_listed]
        # Another process changes a service without this kiosk's index knowing...
        with HubStore.open(folder) as other:
            other.save_services([listed[0].model_copy(update={"name": "Changed Elsewhere Yurt"})])
        # ...then staff here retire another: the index is for an older revision, so it is
        # not followed but built for the directory as it now is.
        hub.retire_service(listed[1].id, "staff-1")
        assert [r.service.name for r in hub.search("yurt")] == ["Changed Elsewhere Yurt"]
        assert listed[1].id not in {r.service.id for r in hub.search(listed[1].name)}
    finally:
        hub.close()
