"""Taxonomy terms on a record, and the hub needs and attendance they (or the words) give."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from hub.formats.common import (
    ATTENDANCE_LABELS,
    OUR_VOCABULARIES,
    VOCAB_NEEDS,
    RecordProblem,
    dicts_in,
    objects_of,
    text_of,
)
from hub.models import (
    Attendance,
)

# --- taxonomy terms, needs and attendance -------------------------------------------

Term = tuple[str | None, str | None, str | None, str | None]
"""(vocabulary, code, name, value) of one taxonomy term on a record."""


def taxonomy_terms(record: Mapping[str, Any]) -> list[Term]:
    """Return every taxonomy term on a record: 3.0 `attributes`, v1 `service_taxonomys`."""
    terms = attribute_terms(objects_of(record, "attributes"))
    for index, item in enumerate(objects_of(record, "service_taxonomys")):
        taxonomy = item.get("taxonomy")
        if not isinstance(taxonomy, dict):
            raise RecordProblem(
                f"service_taxonomys[{index}].taxonomy", "should be an object with a name"
            )
        vocabulary = text_of(taxonomy, "vocabulary")
        name = text_of(taxonomy, "name")
        # v1 terms have no code; ours put the code in `name`, council lists often in `id`.
        code = name if vocabulary in OUR_VOCABULARIES else text_of(taxonomy, "id")
        terms.append((vocabulary, code, name, None))
    for item in objects_of(record, "eligibilitys"):
        for taxonomy in dicts_in(item.get("taxonomys")):
            terms.append(
                (
                    text_of(taxonomy, "vocabulary"),
                    text_of(taxonomy, "id"),
                    text_of(taxonomy, "name"),
                    None,
                )
            )
    return terms


def attribute_terms(attributes: Sequence[Mapping[str, Any]]) -> list[Term]:
    """Return the taxonomy terms of HSDS 3.0 attributes, with each attribute's value."""
    terms: list[Term] = []
    for index, attribute in enumerate(attributes):
        term = attribute.get("taxonomy_term")
        if term is None:
            continue
        if not isinstance(term, dict):
            raise RecordProblem(f"attributes[{index}].taxonomy_term", "should be an object")
        detail = term.get("taxonomy_detail")
        vocabulary = text_of(term, "taxonomy") or text_of(term, "vocabulary")
        if vocabulary is None and isinstance(detail, dict):
            vocabulary = text_of(detail, "name")
        name = text_of(term, "name") or text_of(term, "term")
        terms.append((vocabulary, text_of(term, "code"), name, text_of(attribute, "value")))
    return terms


def our_terms(terms: Iterable[Term]) -> dict[str, list[tuple[str, str | None]]]:
    """Return our own vocabularies' (code, value) pairs, keyed by vocabulary."""
    ours: dict[str, list[tuple[str, str | None]]] = {}
    for vocabulary, code, name, value in terms:
        if vocabulary in OUR_VOCABULARIES and (code or name):
            ours.setdefault(vocabulary, []).append((code or name or "", value))
    return ours


def needs_for(
    ours: Mapping[str, list[tuple[str, str | None]]],
    foreign: Sequence[Term],
    name: Any,
    description: str,
    keywords: Sequence[str],
) -> list[str]:
    """Return hub need ids: ours, else from the feed's taxonomy, else from the words."""
    if VOCAB_NEEDS in ours:
        return [code for code, _ in ours[VOCAB_NEEDS]]
    from hub import needs as hub_needs  # imported late: needs.json is read on first use

    mapped = hub_needs.map_terms_to_needs(
        (vocabulary, code, term_name) for vocabulary, code, term_name, _ in foreign
    )
    if mapped:
        return list(mapped)
    words = " ".join([name if isinstance(name, str) else "", description, *keywords])
    return list(hub_needs.needs_from_text(words))


def attendance_for(
    record: Mapping[str, Any], ours: Sequence[tuple[str, str | None]] | None
) -> dict[str, bool]:
    """Return Attendance flags: ours when present, else inferred from the feed's words."""
    if ours is not None:
        flags = {code: value != "false" for code, value in ours if code in ATTENDANCE_LABELS}
        # Our export writes all six; an older file listing only the true ones reads the same.
        return {key: flags.get(key, False) for key in ATTENDANCE_LABELS}
    words: list[str] = []
    for key in ("application_process", "attending_type", "attending_access"):
        value = record.get(key)
        if isinstance(value, str):
            words.append(value)
    for item in [*dicts_in(record.get("schedules")), *dicts_in(record.get("regular_schedules"))]:
        value = item.get("attending_type")
        if isinstance(value, str):
            words.append(value)
    text = " ".join(words).lower()
    flags = Attendance().model_dump()
    if not text:
        return flags
    flags["drop_in"] = bool(re.search(r"drop[- ]?in|just turn up|no need to book", text))
    flags["booking"] = bool(
        re.search(r"\bbook|appointment", text) and not re.search(r"no need to book", text)
    )
    flags["referral_needed"] = bool(re.search(r"referral|referred", text))
    flags["phone"] = bool(re.search(r"\bphone|telephone|call us", text))
    flags["online"] = bool(re.search(r"online|video|remote|zoom|teams", text))
    in_person = bool(re.search(r"in[- ]person|venue|face[- ]to[- ]face|home visit|drop", text))
    # A service said to be by phone or online only is not somewhere to walk to.
    flags["in_person"] = in_person or not (flags["phone"] or flags["online"])
    return flags


# --- dates and times ----------------------------------------------------------------
