"""`hub sync ...`: carry a hub's log to a coordinator (`hub report` is in cli_report).

- `hub sync export FILE [--all] [--redact] [--force]` writes this hub's signed bundle
  (README, "Sync bundle v2") and prints what went into it. Contact details and notes are
  sealed to the coordinator's key, or left out with `--redact`.
- `hub sync import FILE... [--accept-unsigned]` checks every file in full first; if any
  is bad it prints one `error:` line (the file, the record, what is wrong; with several
  bad files, each one's problem on an indented line beneath it), changes nothing, and
  exits 1. Otherwise it merges them all, in one transaction, and
  prints added / updated / unchanged counts per file. A coordinator's directory update
  comes into a hub the same way.
- `hub sync key [--output FILE]` shows this hub's public key and its fingerprint;
  `hub sync trust FILE|KEY [--coordinator]` enrols another's; `hub sync trusted` lists
  them; `hub sync untrust HUB-ID` removes one. `hub sync schema` prints the bundle's
  JSON Schema (docs/bundle.schema.json).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from hub.cli_common import CliContext, UserError, say
from hub.hub_identity import (
    ensure_signing_key,
    hub_info,
    key_fingerprint,
    public_key_text,
)
from hub.i18n import _
from hub.storage import StorageError, write_file_atomically
from hub.sync import (
    BundleBatchError,
    BundleError,
    SyncError,
    check_export_path,
    export_bundle,
    import_bundles,
    read_json_file,
    schema_text,
    trust_key,
    trusted_keys,
    untrust,
)
from hub.sync.bundle import BUNDLE_FORMAT, signed_bytes
from hub.sync.signing import decode_key, is_hub_id, parse_key_text, signature_holds

KEY_FILE_FORMAT = "community-hub-key"

# --- hub sync export / import ----------------------------------------------------------


def _run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        summary = export_bundle(
            ctx.store(),
            args.file,
            everything=args.all,
            redact=args.redact,
            force=args.force,
            now=ctx.clock(),
        )
    except SyncError as exc:
        raise UserError(_("{problem}; nothing was exported").format(problem=exc)) from None
    say("\n".join(summary.lines()))
    return 0


def _run_import(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        summaries = import_bundles(
            ctx.store(), args.files, now=ctx.clock(), accept_unsigned=args.accept_unsigned
        )
    except StorageError as exc:
        raise UserError(f"{exc}") from None
    except BundleBatchError as exc:
        _say_unusable(exc, given=len(args.files))
        return 1
    for summary in summaries:
        for warning in summary.warnings:
            say(f"warning: {warning}", file=sys.stderr)
        say("\n".join(summary.lines()))
    if not any(summary.changed for summary in summaries):
        say(_("No new or changed records: everything in these files was already here."))
    return 0


def _run_key(args: argparse.Namespace, ctx: CliContext) -> int:
    store = ctx.store()
    hub = hub_info(store)
    if hub is None:
        raise UserError(_('this hub is not set up yet: run `hub setup --name "HUB NAME"` first'))
    try:
        public = bytes(ensure_signing_key(store).verify_key)
    except StorageError as exc:
        raise UserError(str(exc)) from None
    text = public_key_text(hub.id, public)
    if args.output is not None:
        document = {
            "format": KEY_FILE_FORMAT,
            "version": 1,
            "hub": hub.model_dump(mode="json"),
            "public_key": text.partition(":")[2],
        }
        payload = (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        try:
            check_export_path(args.output, force=args.force)
            write_file_atomically(args.output, payload)
        except (SyncError, StorageError) as exc:
            raise UserError(_("{problem}; nothing was written").format(problem=exc)) from None
    say(f"{hub.name}")
    say(_("  public key:  {key}").format(key=text))
    say(_("  fingerprint: {fingerprint}").format(fingerprint=key_fingerprint(public)))
    if args.output is not None:
        say(
            _("  written to {file} (public: safe to send; the secret half never leaves)").format(
                file=args.output
            )
        )
    say(_("Whoever enrols this key should read the fingerprint back to you by phone."))
    return 0


def _key_from_file(path: Path) -> tuple[str, str, bytes]:
    """Return (hub id, name, public key) from a key file or a signed bundle."""
    try:
        data, _raw = read_json_file(path)
    except BundleError as exc:
        raise UserError(str(exc)) from None
    if not isinstance(data, dict) or data.get("format") not in (BUNDLE_FORMAT, KEY_FILE_FORMAT):
        raise UserError(_("{file}: is neither a hub key file nor a hub bundle").format(file=path))
    hub = data.get("hub")
    key_text = data.get("public_key")
    key = decode_key(key_text) if isinstance(key_text, str) else None
    if not isinstance(hub, dict) or key is None:
        raise UserError(
            _("{file}: has no hub and public key (an unsigned version 1 bundle?)").format(file=path)
        )
    if data.get("format") == BUNDLE_FORMAT:
        signature = data.get("signature")
        if not isinstance(signature, str) or not signature_holds(
            hashlib.sha256(signed_bytes(data)).digest(), signature, key
        ):
            raise UserError(
                _("{file}: its signature does not hold; the file was changed").format(file=path)
            )
    hub_id, name = str(hub.get("id", "")).lower(), str(hub.get("name", ""))[:200]
    if not is_hub_id(hub_id):
        raise UserError(_("{file}: the hub id is not valid").format(file=path))
    return hub_id, name, key


def _run_trust(args: argparse.Namespace, ctx: CliContext) -> int:
    given = str(args.source)
    parsed = parse_key_text(given)
    if parsed is not None:
        hub_id, key = parsed
        name = args.name or ""
    else:
        path = Path(given)
        if not path.exists() and ":" in given:
            raise UserError(
                _(
                    "{given!r} is not a key: give the text `hub sync key` prints "
                    "(HUB-ID:KEY) or a file"
                ).format(given=given[:80])
            )
        hub_id, name, key = _key_from_file(path)
        name = args.name or name
    store = ctx.store()
    own = hub_info(store)
    try:
        outcome = trust_key(
            store,
            hub_id,
            name,
            key,
            coordinator=args.coordinator,
            now=ctx.clock(),
            own_hub_id=own.id if own else None,
        )
    except SyncError as exc:
        raise UserError(_("{problem}; nothing was enrolled").format(problem=exc)) from None
    say("\n".join(outcome.lines()))
    return 0


def _run_trusted(args: argparse.Namespace, ctx: CliContext) -> int:
    keys = sorted(
        trusted_keys(ctx.store(read_only=True)).values(), key=lambda k: (k.role, k.name, k.hub_id)
    )
    if not keys:
        say(_("No keys enrolled yet. `hub sync trust FILE|KEY` enrols one."))
    for key in keys:
        say(
            _("{role} {fingerprint}  {name}  (since {date})").format(
                role=f"{key.role:<11}",  # "hub" or "coordinator": words a script may match
                fingerprint=key.fingerprint,
                name=key.label(),
                date=key.trusted_at[:10],
            )
        )
    return 0


def _run_untrust(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        key = untrust(ctx.store(), args.hub_id)
    except SyncError as exc:
        raise UserError(str(exc)) from None
    say(
        _("Removed the key of {name} ({fingerprint}).").format(
            name=key.label(), fingerprint=key.fingerprint
        )
    )
    return 0


def _run_schema(args: argparse.Namespace, ctx: CliContext) -> int:
    sys.stdout.write(schema_text())
    return 0


def _say_unusable(batch: BundleBatchError, *, given: int) -> None:
    """Print why nothing was imported: one `error:` line, first on stderr.

    One bad file is that one line (the file, what is wrong, what to do). Several are
    one `error:` line that sums up, then each file's problem indented beneath it, so a
    script still finds exactly one `error:` line.
    """
    errors = batch.errors
    if len(errors) == 1:
        say(
            "error: "
            + _(
                "{problem}; nothing was imported: fix or leave out that file and "
                "run the import again"
            ).format(problem=errors[0]),
            file=sys.stderr,
        )
        return
    say(
        "error: "
        + _(
            "nothing was imported: {count} of {given} files are not usable; "
            "fix or leave out those files (below) and run the import again"
        ).format(count=len(errors), given=given),
        file=sys.stderr,
    )
    for error in errors:
        say(f"  {error}", file=sys.stderr)


# --- wiring ----------------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `hub sync export|import|key|trust|trusted|untrust|schema` to the command."""
    sync = subparsers.add_parser(
        "sync",
        help="carry referrals and directory changes between hubs by JSON file",
        description="Export this hub's log to a JSON bundle, or import bundles from hubs "
        "(or a coordinator's directory update).",
    )
    actions = sync.add_subparsers(
        dest="sync_action", metavar="ACTION", required=True, parser_class=type(sync)
    )
    export = actions.add_parser(
        "export",
        help="write this hub's bundle for the coordinator",
        description="Write this hub's referrals recorded or changed since the last export, "
        "the services changed here, visitors' suggestions and searches that found nothing, "
        "to one JSON file (written whole or not at all).",
    )
    export.add_argument("file", metavar="FILE", type=Path, help="the bundle file to write")
    export.add_argument(
        "--all",
        action="store_true",
        help="send every referral on record and the whole directory, not only what changed "
        "(a coordinator sends the directory back to hubs this way)",
    )
    export.add_argument(
        "--redact",
        action="store_true",
        help="leave out referrals' contact details and notes (otherwise they are sealed "
        "to the coordinator's key)",
    )
    export.add_argument(
        "--force", action="store_true", help="replace FILE if it exists (a regular file only)"
    )
    export.set_defaults(handler=_run_export)

    importer = actions.add_parser(
        "import",
        help="merge bundles from hubs (or a directory update from the coordinator)",
        description="Check every file in full, then merge them all. If any file is bad, "
        "nothing is imported. Importing the same file twice changes nothing.",
    )
    importer.add_argument(
        "files", metavar="FILE", type=Path, nargs="+", help="bundle files to import"
    )
    importer.add_argument(
        "--accept-unsigned",
        action="store_true",
        help="also take unsigned version 1 bundles from hubs not yet upgraded (with a warning)",
    )
    importer.set_defaults(handler=_run_import)

    key = actions.add_parser(
        "key",
        help="show this hub's public key and its fingerprint",
        description="Show this hub's public signing key and a short fingerprint to read out "
        "by phone. The secret half stays in the data folder and is never exported.",
    )
    key.add_argument("--output", type=Path, metavar="FILE", help="also write a key file")
    key.add_argument("--force", action="store_true", help="replace the key file if it exists")
    key.set_defaults(handler=_run_key)

    trust = actions.add_parser(
        "trust",
        help="enrol a hub's (or the coordinator's) public key",
        description="Enrol the public key in a key file, a signed bundle, or the text "
        "`hub sync key` prints (HUB-ID:KEY). Compare the fingerprint by phone first.",
    )
    trust.add_argument("source", metavar="FILE|KEY", help="a key file, a bundle, or key text")
    trust.add_argument(
        "--coordinator",
        action="store_true",
        help="this is the coordinator's key: its bundles may change this hub's directory, "
        "and contact details are sealed to it",
    )
    trust.add_argument("--name", help="the hub's name, when enrolling key text")
    trust.set_defaults(handler=_run_trust)

    trusted = actions.add_parser("trusted", help="list the keys enrolled here")
    trusted.set_defaults(handler=_run_trusted)

    untrusting = actions.add_parser("untrust", help="remove an enrolled key")
    untrusting.add_argument("hub_id", metavar="HUB-ID")
    untrusting.set_defaults(handler=_run_untrust)

    schema = actions.add_parser(
        "schema", help="print the bundle's JSON Schema (docs/bundle.schema.json)"
    )
    schema.set_defaults(handler=_run_schema)
