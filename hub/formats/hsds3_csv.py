"""HSDS 3.0's tabular form (a folder of CSV tables) to and from nested HSDS 3.0 services.

Why one module of about a thousand lines: a third of it is the specification's table list
(`TABLES`, `NESTINGS`: data, checked by a unit test against the schema), and the reader
(`_Joiner`) and writer (`_Flattener`) are two halves of one mapping over those tables; apart,
each would have to import the other's private rules for id columns and nesting.

A council may publish its directory as a "data package": one CSV file per HSDS table
(`services.csv`, `organizations.csv`, `service_at_location.csv`, `locations.csv`,
`phones.csv`, `schedules.csv`, ...), the rows joined by id columns. The JSON form nests the
same records inside each service. This module turns one into the other, so the rest of the
hub only ever sees HSDS 3.0 service objects, exactly as the JSON reader gets them:

- `load_csv_package(folder)` returns the services and a warning for each row that could not
  be placed; `read_csv_package(folder)` returns just the services. A package that cannot be
  read at all (no `services.csv`, a table that is not CSV, a row with more or fewer cells
  than its header) raises `CsvPackageError` naming the file and line.
- `write_csv_package(services, folder)` writes the tables, header rows in the specification's
  column order, UTF-8 without a byte-order mark, CRLF line ends (RFC 4180, as the
  specification's own example), and a Frictionless `datapackage.json` naming each table
  and its column types. The tables are written in a temporary folder beside the target
  and renamed into place at the end, so a half-written package never appears.

How the tables nest (taken from HSDS 3.0's compiled `service.schema.json`; a unit test holds
`TABLES` and `NESTINGS` to that file): a row goes under every record its id columns name, so
a phone with a `service_id` and a `location_id` appears under the service and under the
location, as in the specification's full example. `service.organization`,
`service.program`, `service_at_location.location`, `attribute.taxonomy_term` and
`taxonomy_term.taxonomy_detail` are single objects named by an id column of the record that
holds them. `attributes.csv` (`link_id`, `link_entity`) and `metadata.csv` (`resource_id`,
`resource_type`) may point at any table.

The id columns are the joins, so in the nested form an id column is left out where the
nesting already says it (a phone under a service needs no `service_id`); one that names a
record the package does not have is kept as it is, with a warning, so nothing is lost.
Writing puts them back from where each object sits. Cells are text; the columns the schema
types as numbers come back as numbers (`12`, `51.5`); an empty cell is an absent field.

Why the standard `csv` module and no library: the format is twenty plain tables with fixed
columns. frictionless would bring a large dependency tree (and its own type coercions) to do
what a page of joins does here; pandas would turn ids and phone numbers into floats.

Normalisations (what a JSON service -> CSV -> JSON round trip changes; the specification's
full example has none of them and comes back identical):

- Empty text, `null` and empty lists are absent (a CSV cell cannot tell them apart).
- A number given as text in a number column (`"extension": "100"`) comes back a number;
  an extension field (a key HSDS does not define) comes back as text, and one holding a list
  or an object comes back as that list's or object's JSON text.
- `link_entity` / `resource_type` left empty are filled with the table the row hangs under.

And what a CSV -> JSON -> CSV round trip changes (the tables are otherwise the same, cell
for cell, columns in the spec's order and then the file's own):

- Rows that belong to no service are left out, each with a warning: the specification's
  CSV example has four (an attribute, a metadata row, a taxonomy term and a taxonomy whose
  ids lead nowhere), and `meta_table_descriptions.csv` is not a table of services.
- `service_at_locations.csv` is written as `service_at_location.csv`, the schema's name;
  every table is written, a header alone for an empty one; rows come in the order the
  services reach them; a number is written plainly (`007` becomes `7`).
- A nested object without an `id` is given one, derived from its place (uuid5), because
  rows are joined by id. The same id in two places is one row: where the two copies
  disagree on a field, the first is kept and a note says so.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import shutil
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# --- the tables and how they nest ---------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One HSDS 3.0 table: the record it holds, its file, and its columns in spec order."""

    entity: str
    """The record's name in the schema, singular: "service", "service_at_location"."""
    file: str
    columns: tuple[str, ...]
    numbers: frozenset[str] = frozenset()
    """The columns the schema types as numbers; every other column is text."""


def _table(entity: str, file: str, columns: str, numbers: str = "") -> Table:
    """Return a Table from space-separated column names."""
    return Table(entity, file, tuple(columns.split()), frozenset(numbers.split()))


TABLES: tuple[Table, ...] = (
    # In placing order: a record's possible parents always come before it.
    _table(
        "service",
        "services.csv",
        "id organization_id program_id name alternate_name description url email status "
        "interpretation_services application_process fees_description wait_time fees "
        "accreditations eligibility_description minimum_age maximum_age assured_date "
        "assurer_email licenses alert last_modified",
        "minimum_age maximum_age",
    ),
    _table(
        "organization",
        "organizations.csv",
        "id name alternate_name description email website tax_status tax_id "
        "year_incorporated legal_status logo uri parent_organization_id",
        "year_incorporated",
    ),
    _table("program", "programs.csv", "id organization_id name alternate_name description"),
    _table(
        "service_at_location", "service_at_location.csv", "id service_id location_id description"
    ),
    _table(
        "location",
        "locations.csv",
        "id location_type url organization_id name alternate_name description transportation "
        "latitude longitude external_identifier external_identifier_type",
        "latitude longitude",
    ),
    _table(
        "contact",
        "contacts.csv",
        "id organization_id service_id service_at_location_id location_id name title "
        "department email",
    ),
    _table(
        "phone",
        "phones.csv",
        "id location_id service_id organization_id contact_id service_at_location_id number "
        "extension type description",
        "extension",
    ),
    _table("language", "languages.csv", "id service_id location_id phone_id name code note"),
    _table(
        "address",
        "addresses.csv",
        "id location_id attention address_1 address_2 city region state_province postal_code "
        "country address_type",
    ),
    _table("accessibility", "accessibility.csv", "id location_id description details url"),
    _table(
        "schedule",
        "schedules.csv",
        "id service_id location_id service_at_location_id valid_from valid_to dtstart timezone "
        "until count wkst freq interval byday byweekno bymonthday byyearday description "
        "opens_at closes_at schedule_link attending_type notes",
        "timezone count interval",
    ),
    _table(
        "service_area",
        "service_areas.csv",
        "id service_id name description extent extent_type uri",
    ),
    _table("funding", "funding.csv", "id organization_id service_id source"),
    _table(
        "cost_option",
        "cost_options.csv",
        "id service_id valid_from valid_to option currency amount amount_description",
        "amount",
    ),
    _table("required_document", "required_documents.csv", "id service_id document uri"),
    _table(
        "organization_identifier",
        "organization_identifiers.csv",
        "id organization_id identifier_scheme identifier_type identifier",
    ),
    _table(
        "attribute",
        "attributes.csv",
        "id link_id taxonomy_term_id link_type link_entity value",
    ),
    _table(
        "taxonomy_term",
        "taxonomy_terms.csv",
        "id code name description parent_id taxonomy language taxonomy_id term_uri",
    ),
    _table("taxonomy", "taxonomies.csv", "id name description uri version"),
    _table(
        "metadata",
        "metadata.csv",
        "id resource_id resource_type last_action_date last_action_type field_name "
        "previous_value replacement_value updated_by",
    ),
)
TABLE_OF: dict[str, Table] = {table.entity: table for table in TABLES}

OTHER_FILE_NAMES: dict[str, tuple[str, ...]] = {
    # The specification's schema says service_at_location.csv; the plural is also published.
    "service_at_location": ("service_at_locations.csv",),
}


@dataclass(frozen=True)
class Nesting:
    """Where one record sits inside another in the JSON form, and the id column that says so.

    `many`: a list under `parent[key]`, each child row naming its parent in `column`.
    Otherwise a single object under `parent[key]`, named by the parent row's `column`.
    """

    parent: str
    key: str
    child: str
    column: str
    many: bool


def _many(parent: str, key: str, child: str, column: str) -> Nesting:
    return Nesting(parent, key, child, column, many=True)


def _one(parent: str, key: str, child: str, column: str) -> Nesting:
    return Nesting(parent, key, child, column, many=False)


NESTINGS: tuple[Nesting, ...] = (
    # Each parent's in the schema's order, so the JSON keys come out in the spec's order.
    _many("service", "phones", "phone", "service_id"),
    _many("service", "schedules", "schedule", "service_id"),
    _many("service", "service_areas", "service_area", "service_id"),
    _many("service", "service_at_locations", "service_at_location", "service_id"),
    _many("service", "languages", "language", "service_id"),
    _one("service", "organization", "organization", "organization_id"),
    _many("service", "funding", "funding", "service_id"),
    _many("service", "cost_options", "cost_option", "service_id"),
    _one("service", "program", "program", "program_id"),
    _many("service", "required_documents", "required_document", "service_id"),
    _many("service", "contacts", "contact", "service_id"),
    _many("service_at_location", "contacts", "contact", "service_at_location_id"),
    _many("service_at_location", "phones", "phone", "service_at_location_id"),
    _many("service_at_location", "schedules", "schedule", "service_at_location_id"),
    _one("service_at_location", "location", "location", "location_id"),
    _many("location", "languages", "language", "location_id"),
    _many("location", "addresses", "address", "location_id"),
    _many("location", "contacts", "contact", "location_id"),
    _many("location", "accessibility", "accessibility", "location_id"),
    _many("location", "phones", "phone", "location_id"),
    _many("location", "schedules", "schedule", "location_id"),
    _many("organization", "funding", "funding", "organization_id"),
    _many("organization", "contacts", "contact", "organization_id"),
    _many("organization", "phones", "phone", "organization_id"),
    _many("organization", "locations", "location", "organization_id"),
    _many("organization", "programs", "program", "organization_id"),
    _many("organization", "organization_identifiers", "organization_identifier", "organization_id"),
    _many("contact", "phones", "phone", "contact_id"),
    _many("phone", "languages", "language", "phone_id"),
    _one("attribute", "taxonomy_term", "taxonomy_term", "taxonomy_term_id"),
    _one("taxonomy_term", "taxonomy_detail", "taxonomy", "taxonomy_id"),
)


@dataclass(frozen=True)
class Link:
    """A table whose rows may hang under a record of any of several tables."""

    child: str
    key: str
    id_column: str
    entity_column: str
    """Names the table `id_column` points into ("service", "location", ...)."""
    parents: tuple[str, ...]


_NO_ATTRIBUTES = {"attribute", "taxonomy_term", "taxonomy", "metadata"}
LINKS: tuple[Link, ...] = (
    # After every nesting: the schema lists attributes, then metadata, last in each record.
    Link(
        "attribute",
        "attributes",
        "link_id",
        "link_entity",
        tuple(t.entity for t in TABLES if t.entity not in _NO_ATTRIBUTES),
    ),
    Link(
        "metadata",
        "metadata",
        "resource_id",
        "resource_type",
        tuple(t.entity for t in TABLES if t.entity != "metadata"),
    ),
)
LINK_OF: dict[str, Link] = {link.child: link for link in LINKS}


def _entity_names() -> dict[str, str]:
    """Return the ways a `link_entity` may name a table ("service", "services") -> entity."""
    names: dict[str, str] = {}
    for table in TABLES:
        names[table.entity] = table.entity
        names[table.file.removesuffix(".csv")] = table.entity
        for other in OTHER_FILE_NAMES.get(table.entity, ()):
            names[other.removesuffix(".csv")] = table.entity
    return names


_ENTITY_NAMES = _entity_names()
_NESTED_KEYS: dict[str, frozenset[str]] = {
    table.entity: frozenset(
        [n.key for n in NESTINGS if n.parent == table.entity]
        + [link.key for link in LINKS if table.entity in link.parents]
    )
    for table in TABLES
}
_NESTS_IN: dict[str, tuple[Nesting, ...]] = {
    # The lists a record can sit in, each naming its parent in a column of the record.
    table.entity: tuple(n for n in NESTINGS if n.many and n.child == table.entity)
    for table in TABLES
}
_HOLDS: dict[str, tuple[Nesting, ...]] = {
    # What a record nests: its lists, and the single objects named by its own columns.
    table.entity: tuple(n for n in NESTINGS if n.parent == table.entity)
    for table in TABLES
}
_MAX_CELL = 64 * 1024 * 1024
_HUB_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://example.org/community-hub-kiosk")


# --- results and errors -------------------------------------------------------------


class CsvPackageError(Exception):
    """The package cannot be read or written at all; the message names the file and why."""


@dataclass(frozen=True)
class CsvWarning:
    """One row that was left out, or kept with a link that leads nowhere."""

    file: str
    row: int | None
    """The row as a spreadsheet numbers it (the header is row 1); None for a whole file."""
    label: str
    """`service ID ("Name")` for a service, else `id ID`."""
    message: str

    def __str__(self) -> str:
        """Return the warning as one line: file, row, record, what and what was done."""
        if self.row is None:
            return f"{_shown(self.file, 500)}: {self.message}"
        return f"{_shown(self.file, 500)} row {self.row} ({self.label}): {self.message}"


@dataclass
class CsvPackage:
    """What a CSV package held: HSDS 3.0 service objects, and the rows that did not fit."""

    services: list[dict[str, Any]]
    warnings: list[CsvWarning] = field(default_factory=list)


# --- reading ------------------------------------------------------------------------


def looks_like_csv_package(folder: Path) -> bool:
    """True when a folder holds any HSDS 3.0 table or a `datapackage.json`."""
    names = {table.file for table in TABLES} | {"datapackage.json"}
    names.update(name for others in OTHER_FILE_NAMES.values() for name in others)
    try:
        return any((folder / name).is_file() for name in names)
    except OSError:
        return False


def read_csv_package(folder: Path) -> list[dict[str, Any]]:
    """Return the HSDS 3.0 services in a folder of CSV tables (warnings are dropped).

    Use `load_csv_package` to see the rows that were left out.
    """
    return load_csv_package(folder).services


def load_csv_package(folder: Path) -> CsvPackage:
    """Return the services of a CSV package and a warning for each row that did not fit.

    Raises CsvPackageError when the folder is not a package we can read. Records that
    several services share (an organisation, a location) are the same dict object in each
    service, so the result takes memory in proportion to the tables: copy before changing.
    """
    shown = str(folder)
    if not folder.is_dir():
        raise CsvPackageError(f"{shown} is not a folder")
    paths, warnings = _table_paths(folder)
    if "service" not in paths:
        present = sorted(path.name for path in paths.values())
        held = f" (it holds {', '.join(present)})" if present else ""
        raise CsvPackageError(
            f"{shown} has no services.csv{held}; an HSDS 3.0 CSV package needs one"
        )
    loaded: dict[str, _LoadedTable] = {}
    for table in TABLES:
        path = paths.get(table.entity)
        if path is not None:
            loaded[table.entity] = _read_table(table, path, warnings)
    services_table = loaded["service"]
    if not services_table.rows:
        raise CsvPackageError(
            f"{services_table.shown} has no services: no row under the header has an id"
        )
    package = _Joiner(loaded, warnings)
    return CsvPackage(services=package.services(), warnings=warnings)


def _table_paths(folder: Path) -> tuple[dict[str, Path], list[CsvWarning]]:
    """Return {entity: file} for the tables present, and warnings for files we do not use."""
    warnings: list[CsvWarning] = []
    paths: dict[str, Path] = {}
    descriptor = folder / "datapackage.json"
    if descriptor.is_file():
        paths.update(_datapackage_paths(folder, descriptor, warnings))
    for table in TABLES:
        if table.entity in paths:
            continue
        found = [
            folder / name
            for name in (table.file, *OTHER_FILE_NAMES.get(table.entity, ()))
            if (folder / name).is_file()
        ]
        if len(found) > 1:
            raise CsvPackageError(
                f"{folder} holds both {found[0].name} and {found[1].name}; keep one of them"
            )
        if found:
            paths[table.entity] = found[0]
    used = {path.resolve() for path in paths.values()}
    for path in sorted(folder.glob("*.csv")):
        if path.resolve() not in used:
            warnings.append(
                CsvWarning(str(path), None, "", "not an HSDS 3.0 table of services; left out")
            )
    return paths, warnings


def _datapackage_paths(
    folder: Path, descriptor: Path, warnings: list[CsvWarning]
) -> dict[str, Path]:
    """Return {entity: file} from a Frictionless `datapackage.json`'s resources.

    Only `name` and `path` are used: the package may keep its tables under other file
    names. A path must stay inside the folder (the descriptor is data, not a pointer to
    anywhere on the disk).
    """
    shown = str(descriptor)
    try:
        data = json.loads(descriptor.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CsvPackageError(f"{shown} cannot be read as JSON ({exc})") from None
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list):
        raise CsvPackageError(f"{shown} has no list of resources")
    paths: dict[str, Path] = {}
    root = folder.resolve()
    for index, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            continue
        name, where = resource.get("name"), resource.get("path")
        entity = _ENTITY_NAMES.get(str(name).strip().lower()) if name is not None else None
        if entity is None:
            warnings.append(
                CsvWarning(
                    shown,
                    None,
                    "",
                    f"resource {index} ({_shown(str(name))}) is not an HSDS 3.0 table of "
                    "services; left out",
                )
            )
            continue
        if not isinstance(where, str) or not where.strip():
            raise CsvPackageError(f"{shown}: resource {_shown(str(name))} has no path")
        path = folder / where
        if not path.resolve().is_relative_to(root) or not path.is_file():
            raise CsvPackageError(
                f"{shown}: resource {_shown(str(name))} names {_shown(where)}, which is not a "
                f"file in {folder}"
            )
        paths[entity] = path
    return paths


@dataclass
class _LoadedTable:
    """One table as read: its header, and its rows by id as (spreadsheet row, cells)."""

    table: Table
    shown: str
    header: list[str]
    rows: dict[str, tuple[int, dict[str, str]]]
    columns: list[str] = field(init=False)
    """The spec's columns, then the file's own extra columns in its order."""

    def __post_init__(self) -> None:
        known = set(self.table.columns)
        self.columns = [*self.table.columns, *(c for c in self.header if c not in known)]


def _read_table(table: Table, path: Path, warnings: list[CsvWarning]) -> _LoadedTable:
    """Return the table's rows by id; raise CsvPackageError for a file that is not good CSV."""
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvPackageError(f"{shown} cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")  # tolerate the byte-order mark spreadsheets add
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CsvPackageError(
            f"{shown} line {line}: not UTF-8 text (bad byte at position {exc.start}); "
            "save it as UTF-8 CSV and try again"
        ) from None
    # The csv module refuses cells over 128 KiB by default; a council's description may be
    # long, and the file is already in memory, so only a corrupt file could be this big.
    csv.field_size_limit(max(csv.field_size_limit(), _MAX_CELL))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    try:
        header = [name.strip() for name in next(reader, [])]
        if not any(header):
            raise CsvPackageError(f"{shown} is empty: it needs a header row of column names")
        repeated = sorted({name for name in header if header.count(name) > 1})
        if repeated or "" in header:
            what = f"the column {repeated[0]} twice" if repeated else "a column with no name"
            raise CsvPackageError(f"{shown} line 1: the header has {what}")
        if "id" not in header:
            hint = ""
            if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
                hint = " (its columns seem split by semicolons or tabs: save it as comma-separated)"
            raise CsvPackageError(f"{shown} line 1: the header has no id column{hint}")
        row_number = 1
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or a spreadsheet's row of empty cells
            row_number += 1
            if len(cells) != len(header):
                raise CsvPackageError(
                    f"{shown} line {reader.line_num} (row {row_number}): {len(cells)} cells "
                    f"where the header has {len(header)}; the table is malformed (a stray "
                    "comma or quote?), so nothing was imported"
                )
            record = dict(zip(header, cells, strict=True))
            rid = record["id"].strip()
            label = _label(table, rid, record)
            if not rid:
                warnings.append(CsvWarning(shown, row_number, "no id", "has no id; left out"))
                continue
            if rid in rows:
                first = rows[rid][0]
                warnings.append(
                    CsvWarning(
                        shown,
                        row_number,
                        label,
                        f"repeats the id of row {first}; kept row {first}, left this one out",
                    )
                )
                continue
            record["id"] = rid
            rows[rid] = (row_number, record)
    except csv.Error as exc:
        raise CsvPackageError(
            f"{shown} line {reader.line_num}: not valid CSV ({exc}), so nothing was imported"
        ) from None
    return _LoadedTable(table, shown, header, rows)


def _label(table: Table, rid: str, cells: Mapping[str, str]) -> str:
    """Return how a warning names a row: a service by id and name, any other row by id."""
    if table.entity == "service":
        name = cells.get("name", "").strip()
        return f'service {_shown(rid)} ("{_shown(name)}")' if name else f"service {_shown(rid)}"
    return f"id {_shown(rid)}"


def _typed(text: str, number: bool) -> Any:
    """Return a cell's value: a number for a number column when it reads as one, else the text.

    Text that is not a number is kept as it is, so the JSON reader can report it and the
    package still round-trips.
    """
    if not number:
        return text
    stripped = text.strip()
    if re.fullmatch(r"[+-]?\d+", stripped):
        return int(stripped)
    try:
        value = float(stripped)
    except ValueError:
        return text
    return value if math.isfinite(value) else text


class _Joiner:
    """Places every row under the records its id columns name, and builds the services."""

    def __init__(self, tables: dict[str, _LoadedTable], warnings: list[CsvWarning]) -> None:
        self.tables = tables
        self.warnings = warnings
        self.placed: dict[str, set[str]] = {table.entity: set() for table in TABLES}
        self.children: dict[tuple[str, str], dict[str, list[str]]] = {}
        """(parent, key) of a list nesting -> parent id -> child ids, in file order."""
        self.linked: dict[str, dict[tuple[str, str], list[str]]] = {}
        self.built: dict[tuple[str, str], dict[str, Any]] = {}
        self._place()
        self._warn_about_links()

    def rows(self, entity: str) -> dict[str, tuple[int, dict[str, str]]]:
        """Return a table's rows by id ({} for a table the package does not have)."""
        loaded = self.tables.get(entity)
        return loaded.rows if loaded else {}

    def file(self, entity: str) -> str:
        """Return the file a table was read from, or its usual name when it is absent."""
        loaded = self.tables.get(entity)
        return Path(loaded.shown).name if loaded else TABLE_OF[entity].file

    @staticmethod
    def cell(cells: Mapping[str, str], column: str) -> str:
        """Return a cell's text without surrounding spaces ("" when absent)."""
        return cells.get(column, "").strip()

    # Placing: which rows belong to some service, table by table in TABLES order.

    def _place(self) -> None:
        """Fill `placed`, `children` and `linked`; every parent table is placed before its child."""
        self.placed["service"] = set(self.rows("service"))
        for nesting in NESTINGS:
            if nesting.many:
                index: dict[str, list[str]] = defaultdict(list)
                for cid, (_, cells) in self.rows(nesting.child).items():
                    if value := self.cell(cells, nesting.column):
                        index[value].append(cid)
                self.children[nesting.parent, nesting.key] = index
        for table in TABLES[1:]:
            entity = table.entity
            placed = self.placed[entity]
            for nesting in NESTINGS:
                if nesting.child != entity:
                    continue
                if nesting.many:
                    for parent_id in self.placed[nesting.parent]:
                        placed.update(self.children[nesting.parent, nesting.key].get(parent_id, ()))
                else:
                    parents = self.rows(nesting.parent)
                    for parent_id in self.placed[nesting.parent]:
                        value = self.cell(parents[parent_id][1], nesting.column)
                        if value in self.rows(entity):
                            placed.add(value)
            link = LINK_OF.get(entity)
            if link is not None:
                by_target: dict[tuple[str, str], list[str]] = defaultdict(list)
                for cid, (_, cells) in self.rows(entity).items():
                    target = self._target(link, cells)
                    if target is not None:
                        placed.add(cid)
                        by_target[target].append(cid)
                self.linked[entity] = by_target

    def _target(self, link: Link, cells: Mapping[str, str]) -> tuple[str, str] | None:
        """Return the placed record a link row points at, or None.

        The table named by `link_entity` is tried first; when that names no table we know
        (the specification's own example says "link_entity") or holds no such id, any
        table with that id will do: HSDS ids are UUIDs, unique across tables.
        """
        rid = self.cell(cells, link.id_column)
        if not rid:
            return None
        named = _ENTITY_NAMES.get(self.cell(cells, link.entity_column).lower())
        if named in link.parents and rid in self.placed[named]:
            return named, rid
        for entity in link.parents:
            if rid in self.placed[entity]:
                return entity, rid
        return None

    def _warn_about_links(self) -> None:
        """Warn for each row left out, and each kept row whose id column leads nowhere."""
        for table in TABLES:
            loaded = self.tables.get(table.entity)
            if loaded is None:
                continue
            for rid, (row, cells) in loaded.rows.items():
                label = _label(table, rid, cells)
                if rid not in self.placed[table.entity]:
                    reason = self._why_left_out(table.entity, cells)
                    self.warnings.append(
                        CsvWarning(loaded.shown, row, label, f"{reason}; left out")
                    )
                    continue
                for column, target in self._dangling(table.entity, cells):
                    value = self.cell(cells, column)
                    self.warnings.append(
                        CsvWarning(
                            loaded.shown,
                            row,
                            label,
                            f"{column} {_shown(value)} is not in {self.file(target)}; "
                            "kept the row, and that id as it is",
                        )
                    )

    def _dangling(self, entity: str, cells: Mapping[str, str]) -> Iterable[tuple[str, str]]:
        """Yield (column, table) for each id column of a placed row naming a missing record."""
        pairs = [(n.column, n.parent) for n in _NESTS_IN[entity]]
        pairs += [(n.column, n.child) for n in _HOLDS[entity] if not n.many]
        for column, target in pairs:
            value = self.cell(cells, column)
            if value and value not in self.rows(target):
                yield column, target

    def _why_left_out(self, entity: str, cells: Mapping[str, str]) -> str:
        """Return why a row belongs to no service, in words that name the id and the file."""
        for nesting in _NESTS_IN[entity]:
            value = self.cell(cells, nesting.column)
            if value and value not in self.rows(nesting.parent):
                parent_file = self.file(nesting.parent)
                return f"{nesting.column} {_shown(value)} is not in {parent_file}"
        columns = [nesting.column for nesting in _NESTS_IN[entity]]
        if columns and not any(self.cell(cells, column) for column in columns):
            named = (
                ", ".join(columns[:-1]) + " or " + columns[-1] if len(columns) > 1 else columns[0]
            )
            return f"it has no {named}"
        link = LINK_OF.get(entity)
        if link is not None:
            value = self.cell(cells, link.id_column)
            if not value:
                return f"it has no {link.id_column}"
            return f"{link.id_column} {_shown(value)} is not the id of any record of a service"
        return "nothing that belongs to a service refers to it"

    # Building the nested objects.

    def services(self) -> list[dict[str, Any]]:
        """Return every service, nested, in the order of services.csv."""
        return [self.build("service", rid) for rid in self.rows("service")]

    def build(self, entity: str, rid: str) -> dict[str, Any]:
        """Return one placed record as its nested JSON object (built once, then shared)."""
        key = (entity, rid)
        if key in self.built:
            return self.built[key]
        loaded = self.tables[entity]
        _, cells = loaded.rows[rid]
        implied = self._implied(entity, cells)
        numbers = loaded.table.numbers
        obj: dict[str, Any] = {}
        for column in loaded.columns:
            text = cells.get(column, "")
            if text and column not in implied and column not in _NESTED_KEYS[entity]:
                obj[column] = _typed(text, column in numbers)
        self.built[key] = obj
        for nesting in _HOLDS[entity]:
            if nesting.many:
                ids = self.children[nesting.parent, nesting.key].get(rid, ())
                items = [self.build(nesting.child, cid) for cid in ids]
                if items:
                    obj[nesting.key] = items
            else:
                value = self.cell(cells, nesting.column)
                if value in self.rows(nesting.child):
                    obj[nesting.key] = self.build(nesting.child, value)
        for link in LINKS:
            if entity in link.parents:
                linked = self.linked.get(link.child, {}).get((entity, rid), [])
                if linked:
                    obj[link.key] = [self.build(link.child, cid) for cid in linked]
        return obj

    def _implied(self, entity: str, cells: Mapping[str, str]) -> set[str]:
        """Return the id columns of a placed row that its place in the nesting already says."""
        implied: set[str] = set()
        for nesting in _NESTS_IN[entity]:
            # A child row hangs under its parent when the parent is placed.
            if self.cell(cells, nesting.column) in self.placed[nesting.parent]:
                implied.add(nesting.column)
        for nesting in _HOLDS[entity]:
            # A record holds the single child its column names, when that child exists.
            if not nesting.many and self.cell(cells, nesting.column) in self.rows(nesting.child):
                implied.add(nesting.column)
        link = LINK_OF.get(entity)
        if link is not None:
            target = self._target(link, cells)
            if target is not None:
                implied.add(link.id_column)
                if cells.get(link.entity_column, "") == target[0]:
                    implied.add(link.entity_column)
        return implied


# --- writing ------------------------------------------------------------------------


def write_csv_package(
    services: Sequence[Mapping[str, Any]], folder: Path, *, replace: bool = False
) -> list[str]:
    """Write services as a folder of HSDS 3.0 CSV tables; return notes on what was changed.

    Every table is written, a header row alone when no service has such records, with a
    Frictionless `datapackage.json` that lists them and their column types. The
    target must be new or empty; with `replace`, a folder that holds only CSV tables (and a
    `datapackage.json`) is replaced whole. Raises CsvPackageError and leaves the target as
    it was when anything goes wrong.
    """
    flat = _Flattener()
    for index, service in enumerate(services, start=1):
        flat.add(service, "service", f"service {index}", {})
    _check_target(folder, replace=replace)
    parent = folder.parent if str(folder.parent) else Path(".")
    # Made with mkdir, not mkdtemp, so the package gets the user's usual permissions.
    tmp = parent / f".{folder.name}.{uuid.uuid4().hex[:12]}.tmp"
    try:
        os.mkdir(tmp)
    except OSError as exc:
        raise CsvPackageError(f"cannot write {folder} ({exc.strerror or exc})") from None
    try:
        resources = []
        for table in TABLES:
            columns = [*table.columns, *flat.extras[table.entity]]
            with open(tmp / table.file, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\r\n")
                writer.writerow(columns)
                for row in flat.rows[table.entity].values():
                    writer.writerow([row.get(column, "") for column in columns])
                handle.flush()
                os.fsync(handle.fileno())
            resources.append(_resource(table, columns))
        descriptor = {"profile": "tabular-data-package", "resources": resources}
        with open(tmp / "datapackage.json", "w", encoding="utf-8", newline="\n") as handle:
            handle.write(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        _move_into_place(tmp, folder)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise CsvPackageError(f"cannot write {folder} ({exc.strerror or exc})") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return flat.notes


def _resource(table: Table, columns: Sequence[str]) -> dict[str, Any]:
    """Return a table's entry in `datapackage.json` (Frictionless tabular data resource)."""
    return {
        "name": table.file.removesuffix(".csv"),
        "path": table.file,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [
                {"name": column, "type": "number" if column in table.numbers else "string"}
                for column in columns
            ],
            "primaryKey": ["id"],
        },
    }


def _check_target(folder: Path, *, replace: bool) -> None:
    """Raise CsvPackageError unless `folder` may become the package."""
    if folder.is_symlink():
        raise CsvPackageError(f"{folder} is a link; give the folder it points to, or a new one")
    if not folder.exists():
        parent = folder.parent if str(folder.parent) else Path(".")
        if not parent.is_dir():
            raise CsvPackageError(f"cannot write {folder}: the folder {parent} does not exist")
        return
    if not folder.is_dir():
        raise CsvPackageError(f"{folder} is a file; give a folder for the CSV package")
    contents = sorted(folder.iterdir())
    if not contents:
        return
    if not replace:
        raise CsvPackageError(
            f"{folder} is not empty; give a new or empty folder, or add --force to replace "
            "the CSV package in it"
        )
    strangers = [
        path.name
        for path in contents
        if not path.is_file() or not (path.suffix == ".csv" or path.name == "datapackage.json")
    ]
    if strangers:
        raise CsvPackageError(
            f"{folder} holds {strangers[0]}, which is not part of a CSV package; "
            "--force only replaces a folder of CSV tables, so choose another folder"
        )


def _move_into_place(tmp: Path, folder: Path) -> None:
    """Rename the finished package to `folder`, putting any old one aside until it is in."""
    if not folder.exists():
        os.rename(tmp, folder)
        return
    # A folder cannot be renamed over a non-empty one: move the old aside first, and
    # put it back if the new one cannot take its place.
    aside = folder.with_name(f".{folder.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(folder, aside)
    try:
        os.rename(tmp, folder)
    except OSError:
        os.rename(aside, folder)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _cell(value: Any) -> str:
    """Return a JSON value as a CSV cell: "" for absent, numbers plainly, lists as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class _Flattener:
    """Collects the rows of every table from nested services, one row per id."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, dict[str, str]]] = {t.entity: {} for t in TABLES}
        self.extras: dict[str, list[str]] = {t.entity: [] for t in TABLES}
        self.notes: list[str] = []
        self.done: dict[tuple[int, str, tuple[tuple[str, str], ...]], str] = {}
        """(object identity, table, links) -> id: a record that several services share as
        one object (as `load_csv_package` gives them) is walked once, not once per service."""

    def add(
        self, obj: Mapping[str, Any], entity: str, where: str, links: Mapping[str, str]
    ) -> str | None:
        """Add one object and everything nested in it; return its id (None if left out).

        `links` holds the id columns its place says (a phone under a service gets
        `service_id`); the object's own values win where it has them.
        """
        done_key = (id(obj), entity, tuple(sorted(links.items())))
        if done_key in self.done:
            return self.done[done_key]
        rid = _cell(obj.get("id")).strip()
        if not rid:
            if not links:
                self.notes.append(f"{where}: has no id, so it cannot be written; left out")
                return None
            # Derived from the parent's id and the place under it, so the same directory
            # gives the same ids whatever order its services come in.
            place = where.rsplit(" ", 1)[-1]
            rid = str(uuid.uuid5(_HUB_NAMESPACE, f"hsds3-csv:{sorted(links.items())}:{place}"))
        row: dict[str, str] = {}
        nested = _NESTED_KEYS[entity]
        for key, value in obj.items():
            if key not in nested and (text := _cell(value)):
                row[key] = text
        row["id"] = rid
        for column, value in links.items():
            row.setdefault(column, value)
        for nesting in _HOLDS[entity]:
            value = obj.get(nesting.key)
            path = f"{where} {nesting.key}"
            if nesting.many:
                for index, item in enumerate(self._items(value, path)):
                    self.add(item, nesting.child, f"{path}[{index}]", {nesting.column: rid})
            elif isinstance(value, Mapping):
                child_id = self.add(value, nesting.child, path, {})
                if child_id is not None:
                    row.setdefault(nesting.column, child_id)
            elif value is not None:
                self.notes.append(f"{path}: is not an object; left out")
        for link in LINKS:
            if entity in link.parents:
                path = f"{where} {link.key}"
                for index, item in enumerate(self._items(obj.get(link.key), path)):
                    columns = {link.id_column: rid, link.entity_column: entity}
                    self.add(item, link.child, f"{path}[{index}]", columns)
        self._merge(entity, rid, row)
        self.done[done_key] = rid
        return rid

    def _items(self, value: Any, where: str) -> list[Mapping[str, Any]]:
        """Return the objects of a list field, noting anything else that is left out."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.notes.append(f"{where}: is not a list; left out")
            return []
        items = [item for item in value if isinstance(item, Mapping)]
        if len(items) != len(value):
            self.notes.append(f"{where}: {len(value) - len(items)} items are not objects; left out")
        return items

    def _merge(self, entity: str, rid: str, row: dict[str, str]) -> None:
        """Keep one row per id: a second copy adds the columns the first lacked."""
        table = TABLE_OF[entity]
        extras = self.extras[entity]
        for column in row:
            if column not in table.columns and column not in extras:
                extras.append(column)
        existing = self.rows[entity].get(rid)
        if existing is None:
            self.rows[entity][rid] = row
            return
        for column, value in row.items():
            if column not in existing:
                existing[column] = value
            elif existing[column] != value:
                self.notes.append(
                    f"{table.file}: id {_shown(rid)} has two values for {_shown(column)} "
                    f"({_short(existing[column])} and {_short(value)}); kept the first"
                )


def _shown(text: str, limit: int = 60) -> str:
    """Return text from a file fit for one terminal line: cut, control characters escaped.

    Ids, names and cells are the publisher's data; a stray escape sequence or newline in
    one must not reach the terminal as anything but visible characters.
    """
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _short(text: str) -> str:
    """Return text quoted and cut to 40 characters, for a note."""
    return repr(text if len(text) <= 40 else text[:39] + "…")
