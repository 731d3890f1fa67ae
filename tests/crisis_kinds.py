"""The crisis kinds' ids (hub.crisis.CRISIS_KINDS), by short names for the crisis tests' tables."""

SUICIDE = "suicide-self-harm"
DOMESTIC = "domestic-abuse"
CHILD = "child-at-risk"
SEXUAL = "sexual-violence"
ADULT = "adult-abuse"
SLAVERY = "modern-slavery"
DANGER = "danger-now"
