"""Split the evaluation questions into a development half and a held-out half.

The split is decided by the questions' own text, before anything is measured, so nobody
can move a question between halves after seeing how the search does on it:

- group the questions by ``kind``;
- within a kind, sort by the SHA-256 of the question text (UTF-8);
- alternate: the 1st, 3rd, 5th... go to ``dev``, the 2nd, 4th... to ``held-out``.

Run it from the repository root after adding or editing a question:

    python benchmarks/eval/split_queries.py

It rewrites the ``half`` of every item in ``northlincs_queries.json`` and
``crisis_phrasings.json`` (crisis phrasings are grouped by their first kind, neutral
ones by ``neutral``), and writes the two halves of the North Lincolnshire questions to
``northlincs_dev.json`` and ``northlincs_heldout.json``. Running it twice changes nothing.

A later question set is split the same way by naming its files:

    python benchmarks/eval/split_queries.py benchmarks/eval/northlincs_v2_queries.json \
        benchmarks/eval/crisis_phrasings_v2.json

A file whose name ends in ``_queries.json`` is a question file: its halves are rewritten
and its two halves written beside it (``northlincs_v2_queries.json`` gives
``northlincs_v2_dev.json`` and ``northlincs_v2_heldout.json``). Any other file is a crisis
phrasings file: its halves are rewritten in place.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "northlincs_queries.json"
DEV = HERE / "northlincs_dev.json"
HELDOUT = HERE / "northlincs_heldout.json"
CRISIS = HERE / "crisis_phrasings.json"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def assign_halves(
    items: list[dict[str, Any]], text_key: str, group: Callable[[dict[str, Any]], str]
) -> None:
    """Set ``half`` on every item in place: stratified by ``group``, alternating by hash."""
    by_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_group[group(item)].append(item)
    for members in by_group.values():
        members.sort(key=lambda item: _digest(str(item[text_key])))
        for position, item in enumerate(members):
            item["half"] = "dev" if position % 2 == 0 else "held-out"


def _write(path: Path, data: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _halves_paths(queries: Path) -> tuple[Path, Path]:
    """Return the dev and held-out paths beside a ``*_queries.json`` question file."""
    stem = queries.name.removesuffix("_queries.json")
    return queries.with_name(f"{stem}_dev.json"), queries.with_name(f"{stem}_heldout.json")


def split_questions(queries_path: Path, dev_path: Path, heldout_path: Path) -> None:
    """Rewrite the halves in a question file and write its dev and held-out halves."""
    queries: list[dict[str, Any]] = json.loads(queries_path.read_text(encoding="utf-8"))
    assign_halves(queries, "query", lambda item: str(item["kind"]))
    ordered = [
        {key: item[key] for key in ("query", "kind", "acceptable", "names", "half")}
        for item in queries
    ]
    _write(queries_path, ordered)
    _write(dev_path, [item for item in ordered if item["half"] == "dev"])
    _write(heldout_path, [item for item in ordered if item["half"] == "held-out"])


def split_phrasings(path: Path) -> None:
    """Rewrite the halves in a crisis phrasings file (grouped by first kind, or neutral)."""
    phrasings: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    assign_halves(
        phrasings,
        "text",
        lambda item: str(item["kinds"][0]) if item["kinds"] else "neutral",
    )
    _write(path, [{key: item[key] for key in ("text", "kinds", "half")} for item in phrasings])


def main(argv: list[str] | None = None) -> int:
    """Split the named files (or the first set when none are named); return the exit code.

    ``argv`` is only the file arguments; called with none (as older callers do) it splits the
    first set, whatever ``sys.argv`` holds (under pytest it holds pytest's own arguments).
    """
    paths = [Path(arg) for arg in (argv or [])]
    if not paths:
        split_questions(QUERIES, DEV, HELDOUT)
        if CRISIS.exists():
            split_phrasings(CRISIS)
        return 0
    for path in paths:
        if not path.is_file():
            print(f"error: no such file: {path}", file=sys.stderr)
            return 1
    for path in paths:
        try:
            if path.name.endswith("_queries.json"):
                split_questions(path, *_halves_paths(path))
            else:
                split_phrasings(path)
        except (ValueError, KeyError, TypeError) as exc:
            # A malformed file is reported, not half-split: nothing is written for it
            # because every write happens after the whole file has been read and sorted.
            print(f"error: {path}: not a question or phrasings file ({exc!r})", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
