"""Community Hub Kiosk: the core. It never imports Textual; screens/ is the UI."""

__version__ = "0.1.0"
