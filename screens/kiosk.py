"""How a screen or widget reaches the kiosk app that owns it, with its type known."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.dom import DOMNode

if TYPE_CHECKING:
    from screens.app import HubApp


def kiosk_app(node: DOMNode) -> HubApp:
    """Return the HubApp running `node` (screens only ever run inside one)."""
    from screens.app import HubApp

    app = node.app
    if not isinstance(app, HubApp):
        raise TypeError("kiosk screens run only inside HubApp")
    return app
