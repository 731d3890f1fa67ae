"""The kiosk's Textual screens. Only `screens.app.make_app` is meant to be called from outside."""
