"""The kiosk's three looks: standard, large, and high contrast.

Standard follows the GOV.UK palette (dark text on a light page, blue buttons, a yellow
focus highlight with black text), which is tested with people who read little or see
poorly. Large is the same palette with heavier text and more space (a terminal cannot
grow its letters; the kiosk guide sets the font size). High contrast is white on black
with yellow, every pair at least 7:1 (WCAG AAA).
"""

from __future__ import annotations

from textual.theme import Theme

STANDARD = "hub-standard"
LARGE = "hub-large"
HIGH_CONTRAST = "hub-high-contrast"

THEME_ORDER = (STANDARD, LARGE, HIGH_CONTRAST)
"""The themes a visitor can choose, in the order the switch offers them."""

LARGE_CLASS = "-large"
"""Class set on the app while the large theme is on; the .tcss files use it."""

HIGH_CONTRAST_CLASS = "-high-contrast"
"""Class set on the app while the high contrast theme is on (for shapes, not colours)."""


def _gov_uk_theme(name: str) -> Theme:
    """Return a theme with the GOV.UK palette (standard and large share it)."""
    return Theme(
        name=name,
        primary="#1d70b8",
        secondary="#505a5f",
        accent="#ffdd00",
        warning="#ffdd00",
        error="#d4351c",
        success="#00703c",
        foreground="#0b0c0c",
        background="#f3f2f1",
        surface="#ffffff",
        panel="#dee0e2",
        dark=False,
        text_alpha=1.0,
        variables=_STANDARD_VARIABLES,
    )


# Our own variables, used by the .tcss files. Every kiosk theme defines all of them.
_STANDARD_VARIABLES: dict[str, str] = {
    "kiosk-text": "#0b0c0c",
    "kiosk-page": "#f3f2f1",
    "kiosk-tile": "#ffffff",
    "kiosk-tile-border": "#505a5f",
    "kiosk-button": "#1d70b8",
    "kiosk-button-text": "#ffffff",
    "kiosk-button-border": "#1d70b8",
    "kiosk-urgent": "#d4351c",
    "kiosk-urgent-text": "#ffffff",
    "kiosk-urgent-border": "#d4351c",
    # On the light page the keyboard's place is a black block with yellow letters:
    # GOV.UK's yellow alone is 1.2:1 against the page and 1.35:1 against a white tile.
    "kiosk-focus": "#0b0c0c",
    "kiosk-focus-text": "#ffdd00",
    # On the black bar it is GOV.UK's yellow with black letters, and a black lower edge
    # (as GOV.UK's focus has), since yellow against the light page below is 1.2:1.
    "kiosk-bar-focus": "#ffdd00",
    "kiosk-bar-focus-text": "#0b0c0c",
    "kiosk-bar-focus-edge": "#0b0c0c",
    "kiosk-banner": "#ffdd00",
    "kiosk-banner-text": "#0b0c0c",
    "kiosk-note": "#505a5f",
    "kiosk-placeholder": "#505a5f",
    "kiosk-selection": "#1d70b8",
    "kiosk-selection-text": "#ffffff",
    "kiosk-warning-text": "#942514",
    "kiosk-bar": "#0b0c0c",
    "kiosk-bar-text": "#ffffff",
    "input-cursor-background": "#0b0c0c",
    "input-cursor-foreground": "#ffffff",
    "input-selection-background": "#1d70b8",
    "input-selection-foreground": "#ffffff",
    "block-cursor-background": "#0b0c0c",
    "block-cursor-foreground": "#ffdd00",
    "block-cursor-text-style": "bold",
    "block-cursor-blurred-background": "#dee0e2",
    "block-cursor-blurred-foreground": "#0b0c0c",
    "block-hover-background": "#dee0e2",
    # Blue like the buttons: 3.8:1 against the keyboard's black block beside it and 3.9:1
    # against its light track (grey #505a5f was 2.8:1 beside the black).
    "scrollbar": "#1d70b8",
    "scrollbar-hover": "#0b0c0c",
    "scrollbar-active": "#0b0c0c",
    "scrollbar-background": "#dee0e2",
    "scrollbar-background-hover": "#dee0e2",
    "scrollbar-background-active": "#dee0e2",
    "border": "#0b0c0c",
    "border-blurred": "#505a5f",
}

_HIGH_CONTRAST_VARIABLES: dict[str, str] = {
    "kiosk-text": "#ffffff",
    "kiosk-page": "#000000",
    "kiosk-tile": "#262626",
    "kiosk-tile-border": "#ffffff",
    # Buttons are black with a white frame: the keyboard's yellow block must differ from
    # them by 3:1 or more, and yellow against white is only 1.07:1.
    "kiosk-button": "#000000",
    "kiosk-button-text": "#ffffff",
    "kiosk-button-border": "#ffffff",
    # Not yellow: yellow means "the keyboard is here" in this theme. A double frame
    # (base.tcss) marks Urgent help out from the other buttons.
    "kiosk-urgent": "#000000",
    "kiosk-urgent-text": "#ffffff",
    "kiosk-urgent-border": "#ffffff",
    "kiosk-focus": "#ffff00",
    "kiosk-focus-text": "#000000",
    "kiosk-bar-focus": "#ffff00",
    "kiosk-bar-focus-text": "#000000",
    "kiosk-bar-focus-edge": "#ffff00",
    # Not yellow: the search box's yellow focus frame sits right under the banner.
    "kiosk-banner": "#000000",
    "kiosk-banner-text": "#ffffff",
    "kiosk-note": "#ffffff",
    "kiosk-placeholder": "#ffffff",
    "kiosk-selection": "#ffffff",
    "kiosk-selection-text": "#000000",
    "kiosk-warning-text": "#ffff00",
    "kiosk-bar": "#000000",
    "kiosk-bar-text": "#ffff00",
    "input-cursor-background": "#ffff00",
    "input-cursor-foreground": "#000000",
    "input-selection-background": "#ffffff",
    "input-selection-foreground": "#000000",
    "block-cursor-background": "#ffff00",
    "block-cursor-foreground": "#000000",
    "block-cursor-text-style": "bold",
    "block-cursor-blurred-background": "#000000",
    "block-cursor-blurred-foreground": "#ffffff",
    "block-hover-background": "#000000",
    "scrollbar": "#ffffff",
    "scrollbar-hover": "#ffff00",
    "scrollbar-active": "#ffff00",
    "scrollbar-background": "#000000",
    "scrollbar-background-hover": "#000000",
    "scrollbar-background-active": "#000000",
    "border": "#ffff00",
    "border-blurred": "#ffffff",
}

KIOSK_THEMES: dict[str, Theme] = {
    STANDARD: _gov_uk_theme(STANDARD),
    LARGE: _gov_uk_theme(LARGE),
    HIGH_CONTRAST: Theme(
        name=HIGH_CONTRAST,
        primary="#ffff00",
        secondary="#ffffff",
        accent="#ffff00",
        warning="#ffff00",
        error="#ffff00",
        success="#ffffff",
        foreground="#ffffff",
        background="#000000",
        surface="#000000",
        panel="#000000",
        boost="#000000",
        dark=True,
        text_alpha=1.0,
        variables=_HIGH_CONTRAST_VARIABLES,
    ),
}

# Text/background pairs the screens draw with; the tests check each theme's contrast.
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("kiosk-text", "kiosk-page"),
    ("kiosk-text", "kiosk-tile"),
    ("kiosk-button-text", "kiosk-button"),
    ("kiosk-urgent-text", "kiosk-urgent"),
    ("kiosk-focus-text", "kiosk-focus"),
    ("kiosk-bar-focus-text", "kiosk-bar-focus"),
    ("kiosk-placeholder", "kiosk-tile"),
    ("kiosk-selection-text", "kiosk-selection"),
    ("kiosk-banner-text", "kiosk-banner"),
    ("kiosk-note", "kiosk-page"),
    ("kiosk-warning-text", "kiosk-page"),
    ("kiosk-bar-text", "kiosk-bar"),
)

# Focus indicators and button edges against what they sit on (WCAG 1.4.11 and 2.4.13).
NON_TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("kiosk-focus", "kiosk-page"),
    ("kiosk-focus", "kiosk-tile"),
    ("kiosk-focus", "kiosk-button"),
    ("kiosk-bar-focus", "kiosk-bar"),
    ("kiosk-bar-focus", "kiosk-button"),
    ("kiosk-bar-focus", "kiosk-urgent"),
)


def _luminance(hex_colour: str) -> float:
    """Return the WCAG relative luminance of a #rrggbb colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """Return the WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
