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
"""

from __future__ import annotations

import hashlib
import json
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


def main() -> None:
    """Rewrite the halves in the question files and the two North Lincolnshire halves."""
    queries: list[dict[str, Any]] = json.loads(QUERIES.read_text(encoding="utf-8"))
    assign_halves(queries, "query", lambda item: str(item["kind"]))
    ordered = [
        {key: item[key] for key in ("query", "kind", "acceptable", "names", "half")}
        for item in queries
    ]
    _write(QUERIES, ordered)
    _write(DEV, [item for item in ordered if item["half"] == "dev"])
    _write(HELDOUT, [item for item in ordered if item["half"] == "held-out"])

    if CRISIS.exists():
        phrasings: list[dict[str, Any]] = json.loads(CRISIS.read_text(encoding="utf-8"))
        assign_halves(
            phrasings,
            "text",
            lambda item: str(item["kinds"][0]) if item["kinds"] else "neutral",
        )
        _write(
            CRISIS,
            [{key: item[key] for key in ("text", "kinds", "half")} for item in phrasings],
        )


if __name__ == "__main__":
    main()
