"""Sync bundles: a hub's log carried to a coordinator (and the directory back) by JSON file.

A bundle travels on a USB stick or a shared folder, so it may arrive copied twice, cut
short, edited by hand, forged, or mixed up with another file. The package, by job:

* `bundle`  — the format, canonical JSON, the one reader of bundle files, the errors;
* `signing` — signatures, the keys enrolled here (`hub sync trust`), sealed details;
* `checks`  — checking a whole file before anything changes: who sent it, and
  `records` — the records inside it;
* `export`  — writing this hub's signed bundle;
* `merge`   — merging checked files, once and only once, in one transaction.

The command line is `hub/cli_sync.py`; reports stay in `hub/reports.py`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hub.storage import HubStore
from hub.sync.bundle import (
    BUNDLE_FORMAT,
    BUNDLE_VERSION,
    MAX_BUNDLE_BYTES,
    UNSIGNED_VERSION,
    Bundle,
    BundleBatchError,
    BundleError,
    SyncError,
    bundle_checksum,
    bundle_schema,
    canonical_json,
    read_json_file,
    schema_text,
    signed_bytes,
)
from hub.sync.checks import CheckedBundle, check_file
from hub.sync.export import (
    EXPORT_MARK_KEY,
    ExportSummary,
    check_export_path,
    export_bundle,
    export_mark,
)
from hub.sync.merge import HUBS, IMPORTED_UNMET, Counts, FileSummary, import_bundles, receiver_for
from hub.sync.records import CLOCK_SKEW
from hub.sync.signing import (
    TRUSTED_KEYS,
    TrustedKey,
    TrustOutcome,
    coordinator_key,
    trust_key,
    trusted_keys,
    untrust,
)

SCHEMA_PATH = Path(__file__).resolve().parent.parent.parent / "docs" / "bundle.schema.json"


def check_bundle_file(
    path: Path,
    *,
    store: HubStore,
    now: datetime | None = None,
    accept_unsigned: bool = False,
) -> CheckedBundle:
    """Return the bundle in `path` once every check against `store` has passed.

    Raises BundleError if not. Nothing is changed anywhere: this only reads.
    """
    receiver = receiver_for(store, accept_unsigned=accept_unsigned)
    return check_file(Path(path), now or datetime.now(UTC), receiver).checked


__all__ = [
    "BUNDLE_FORMAT",
    "BUNDLE_VERSION",
    "CLOCK_SKEW",
    "EXPORT_MARK_KEY",
    "HUBS",
    "IMPORTED_UNMET",
    "MAX_BUNDLE_BYTES",
    "SCHEMA_PATH",
    "TRUSTED_KEYS",
    "UNSIGNED_VERSION",
    "Bundle",
    "BundleBatchError",
    "BundleError",
    "CheckedBundle",
    "Counts",
    "ExportSummary",
    "FileSummary",
    "SyncError",
    "TrustOutcome",
    "TrustedKey",
    "bundle_checksum",
    "bundle_schema",
    "canonical_json",
    "check_bundle_file",
    "check_export_path",
    "coordinator_key",
    "export_bundle",
    "export_mark",
    "import_bundles",
    "read_json_file",
    "schema_text",
    "signed_bytes",
    "trust_key",
    "trusted_keys",
    "untrust",
]
