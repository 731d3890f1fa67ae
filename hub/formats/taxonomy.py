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
    terms.extend(audience_terms(record))
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


OTHER_HELP = "other-help"
"""The need a service goes under when nothing places it: never a Home tile, always checked."""

AUDIENCE_VOCABULARY = "publisher-audience"
"""Our name for a publisher's audience terms (ORUK `pc_targetAudience`) in taxonomy_map.json."""


def audience_terms(record: Mapping[str, Any]) -> list[Term]:
    """Return the publisher's audience terms ("Carers", "Parents>Grandparents") as terms.

    A ">" path is one term per step, so "Parents>Grandparents" reaches both families and
    older people. Items that are not objects with words are skipped: it is an extension field.
    """
    terms: list[Term] = []
    for item in dicts_in(record.get("pc_targetAudience")):
        words = item.get("audienceType")
        code = item.get("id")
        if not isinstance(words, str):
            continue
        for step in words.split(">"):
            if step.strip():
                terms.append(
                    (
                        AUDIENCE_VOCABULARY,
                        str(code) if code is not None else None,
                        step.strip(),
                        None,
                    )
                )
    return terms


def needs_for(
    ours: Mapping[str, list[tuple[str, str | None]]],
    foreign: Sequence[Term],
    name: Any,
    description: str,
    keywords: Sequence[str],
) -> tuple[list[str], str]:
    """Return (hub need ids, how they were found): "ours", "taxonomy", "text" or "none".

    Our own need attributes first; else the feed's taxonomy and audience terms; else the words
    of the name, description and keywords; else Other help, so a visitor browsing by need can
    still reach the service and staff see it in "needs checking".
    """
    if VOCAB_NEEDS in ours:
        return [code for code, _ in ours[VOCAB_NEEDS]], "ours"
    from hub import needs as hub_needs  # imported late: needs.json is read on first use

    mapped = hub_needs.map_terms_to_needs(
        (vocabulary, code, term_name) for vocabulary, code, term_name, _ in foreign
    )
    if mapped:
        return list(mapped), "taxonomy"
    words = " ".join([name if isinstance(name, str) else "", description, *keywords])
    found = list(hub_needs.needs_from_text(words))
    if found:
        return found, "text"
    return [OTHER_HELP], "none"


# The publisher's words for how to go, and what each says. "Self referral" means you may
# contact the service yourself: it is not "referral needed".
_SELF_REFERRAL = re.compile(r"self[- ]?referr", re.IGNORECASE)
_SAYS: dict[str, str] = {
    "drop_in": r"drop[- ]?in|just turn up|no need to book|walk[- ]?in",
    "booking": r"\bbook|appointment",
    "referral_needed": r"referral|referred",
    "phone": r"\bphone|telephone|call us",
    "online": r"online|video|remote|zoom|teams|webpage|website",
    "in_person": r"in[- ]person|venue|face[- ]to[- ]face|home visit|drop[- ]?in|walk[- ]?in",
}


def attendance_for(
    record: Mapping[str, Any], ours: Sequence[tuple[str, str | None]] | None
) -> dict[str, Any]:
    """Return Attendance fields from the source only: ours, else the publisher's words.

    Nothing is inferred from silence: a record that says nothing about how to go is
    `stated: False` with every flag off, shown and exported as "not stated".
    """
    if ours is not None:
        given = {code: value != "false" for code, value in ours if code in ATTENDANCE_LABELS}
        # Our export writes all six; an older file listing only the true ones reads the same.
        return {key: given.get(key, False) for key in ATTENDANCE_LABELS}
    words: list[str] = []
    for key in ("attending_type", "attending_access", "application_process"):
        # Our ORUK v1 export keeps the publisher's own words beside v1's fixed list.
        value = record.get(f"{key}_words") or record.get(key)
        if isinstance(value, str) and value.strip():
            words.append(" ".join(value.split()))
    for item in [*dicts_in(record.get("schedules")), *dicts_in(record.get("regular_schedules"))]:
        value = item.get("attending_type")
        if isinstance(value, str) and value.strip():
            words.append(" ".join(value.split()))
    words = list(dict.fromkeys(words))
    flags: dict[str, Any] = dict.fromkeys(ATTENDANCE_LABELS, False)
    if not words:
        return flags | {"stated": False}
    text = _SELF_REFERRAL.sub(" ", " ".join(words).lower())
    for key, pattern in _SAYS.items():
        flags[key] = bool(re.search(pattern, text))
    if re.search(r"no need to book", text):
        flags["booking"] = False
    joined = "; ".join(words)
    return flags | {"stated": True, "words": joined if len(joined) <= 300 else joined[:299] + "…"}
