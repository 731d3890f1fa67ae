"""Parse each piece of Textual CSS once per test process, not once per kiosk a test starts.

Every app Textual starts parses all of its CSS again (the app's, each screen's and each
widget's DEFAULT_CSS): for the kiosk that is about a third of the CPU a short Pilot test
uses, repeated in each of the suite's several hundred app sessions. A visitor's kiosk
starts one app, so this is a test-process cache only; the app runs unchanged.

The cache wraps `Stylesheet._parse_rules`, the one place Textual turns CSS text into rule
sets. Its key is Textual's own per-stylesheet cache key plus the stylesheet's variables
(the theme's colours are substituted while parsing, so the same CSS under another theme
is parsed on its own). Parsed rules are shared the way Textual already shares them
between re-parses of one stylesheet. CSS with errors is never stored, so it raises in
every app as before. If a Textual release renames the method, nothing is wrapped and the
tests simply parse as Textual does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

_parsed: dict[tuple[object, ...], list[RuleSet]] = {}


def install() -> bool:
    """Wrap Stylesheet._parse_rules with the process-wide cache (once).

    Returns True when the cache is in place.
    """
    original: Callable[..., list[RuleSet]] | None = getattr(Stylesheet, "_parse_rules", None)
    if original is None:
        return False
    if getattr(original, "_parsed_once", False):
        return True

    @functools.wraps(original)
    def parse_rules(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key = (
            css,
            read_from,
            is_default_rules,
            tie_breaker,
            scope,
            tuple(sorted(self._variables.items())),
        )
        rules = _parsed.get(key)
        if rules is None:
            rules = original(self, css, read_from, is_default_rules, tie_breaker, scope)
            if not any(rule.errors for rule in rules):
                _parsed[key] = rules
        return rules

    parse_rules._parsed_once = True  # type: ignore[attr-defined]
    Stylesheet._parse_rules = parse_rules  # type: ignore[method-assign]
    return True
