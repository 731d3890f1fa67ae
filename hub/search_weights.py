"""The numbers search is tuned by: how sure a guess is, how much each field counts.

Split out of hub.search so the weights can be read, and changed, in one place; the
benchmarks in benchmarks/search*.py measure what a change does.
"""

from __future__ import annotations

MIN_QUERY_LETTERS = 3
"""A query with fewer letters and digits than this returns nothing (one or two keystrokes)."""

PREFIX_MIN_LENGTH = 4
"""The word being typed matches longer words only from this length ("coun" is too vague)."""

MAX_PREFIX_EXPANSIONS = 25
# How sure we are that a query word stands for an index word, when it is not that word.
FORM_CONFIDENCE = 0.85  # another form of the same word, or half of a run-together pair
CORRECTION_CONFIDENCE = 0.85  # a spelling correction
PREFIX_CONFIDENCE = 0.75  # the start of a longer word, while typing
KNOWN_PREFIX_CONFIDENCE = 0.35  # a longer word, when what was typed is a word already
TEMPORARILY_CLOSED_FACTOR = 0.9
"""A service closed for now still shows, a little lower than open ones."""

# How much a word counts, by where it is found. Name beats keywords beats needs beats
# description beats organisation (the order); areas and places sit with description.
FIELD_WEIGHTS = {
    "name": 6.0,
    "keywords": 6.0,
    "description": 2.0,
    "place": 2.0,
    "organisation": 1.5,
}
KEYWORDS_PAR = 3.0
"""Up to this many keywords, each counts fully; a longer list counts sqrt(par / length)."""
DESCRIPTION_PAR = 150.0
"""Up to this many words, a description counts fully; a longer one (par / length) ** damping."""
DESCRIPTION_DAMPING = 0.5
WORD_SATURATION = 1.2
"""BM25's k1 (its usual value) for a word said more than once in a description: n times
counts (1 + k) n / (n + k) times once."""
RELATIVE_FLOOR = 0.08
"""Matches scoring under this share of the best match are dropped."""
NEED_WEIGHT = 4.0
"""A need matched by the query's phrasing counts like a word found between keywords and
description, scaled by how specific the matched phrase was."""
TOPIC_WEIGHT = 4.0
"""A topic of the lay vocabulary (sight loss, falls, debt...) counts as a need does, for the
services whose own words offer it."""
TOPIC_NEED_SHARE = 0.5
"""A topic is also evidence, at this share, for the needs it belongs to."""
EXTRA_PHRASE_SHARE = 0.5
"""A second phrase of the same need or topic, made of other words of the query, adds this
share of its strength: "my dad passed away, grieving" is surer than either half."""
HINT_STRENGTH = 1.0
"""How much "my son" or "my nan" hints at the needs of its relation group."""
CONTEXT_FACTOR = 0.2
"""A relation word after "my", "our", "his"... ("my nan") says who the help is for, not
what the service is called: as a word of a service's text it counts this much, and it is
not one of the words a service must match."""
COMMON_WORD_FACTOR = 0.35
"""A very common word that says no need or topic of the query ("stop" in "my baby won't
stop crying", "live" in "I live on my own") counts this much as a word of a service's text:
it is how the visitor talks, not what they look for. Alone in a query it still finds."""
PHRASE_IDF_FLOOR = 3.0
"""Inside a need's or topic's phrase, a word counts at least this much however common it is
in the directory: "care" in "I care for my husband" says carer however many services say
"care"."""
BREADTH = 0.15
"""A service that lists many needs is less about each: its needs count 1/(1 + 0.15 x (needs
- 1)), so a generalist does not top every list."""
PLACEHOLDER_WEIGHT = 0.5
"""How much a {someone} slot counts towards its phrase (its word decides little)."""
COVER_BASE = 0.35
"""A service that covers none of the query's words (only a need of it, say) keeps this share
of its score; one that covers them all keeps all of it, and in between in proportion."""
BROAD_COVER = 0.3
"""A query word that a service answers only through a need it is tagged with (not its own
words, nor a topic its words offer) counts this much towards how much of the query it covers:
a need is broad ("learning" is also a volunteering topic's need, and a bowls club's)."""
TOPIC_PREFIX = "topic:"
POSSESSIVES = frozenset({"my", "our", "his", "her", "their", "your"})
# How surely a service offers a topic, by where its text says one of the topic's phrases.
TOPIC_FIELD_STRENGTH = {
    "name": 1.0,
    "keywords": 0.9,
    "lead": 0.8,
    "description": 0.5,
    "organisation": 0.4,
}
TOPIC_SATURATION = 2.0
"""BM25's k for topics: a service whose words say n of a topic's phrases offers it
(1 + k) n / (n + k) times as surely as one that says one (1, 1.5, 1.8, ... at most 1 + k)."""
TOPIC_REPEAT_SHARE = 0.5
"""A phrase of a topic said again (in another place, or further on) counts as this share of
a phrase not yet said, in the n of TOPIC_SATURATION: repeating "arts and crafts" says the
topic is what a service is about, but less than saying it in other words does."""
LEAD_WORDS = 30
LISTED_BY_TOPIC_STRENGTH = 0.9
"""How surely a service's own words must offer a topic (its name or keywords) for it to be
listed under the topic's main need too, as search finds it: a dementia carers' group tagged
only "carers" still shows under Memory and dementia. A phrase deep in a description is
too weak a sign to list a service under a whole need."""
"""The first words of a description say what the service is for; the rest says more."""
FAMILY_LEAD_WORDS = 12
FAMILY_MIN_WORDS = 6
"""Services of one organisation whose descriptions open with the same FAMILY_LEAD_WORDS
words are near-duplicates (one family); a description of fewer than FAMILY_MIN_WORDS words
says too little, so the name is compared instead."""
FAMILY_SPACING = 0.6
"""In a result list, each near-duplicate of services already above it counts this share
of its score once more: the second copy of a group is pushed below other good answers, and
nothing is left out."""
SUBSUMED_SHARE = 0.5
"""A need or topic said only by words inside a longer phrase of another ("depression" in
"postnatal depression", "learning" in "learning disabilities") counts this share: the
longer phrase says what the words mean, but the shorter meaning is not lost."""
