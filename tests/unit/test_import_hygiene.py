"""The core never imports Textual: a hub without a screen (the CLI, a coordinator's
scripts) must not pay for it, and the layering must not rot."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import hub


def test_every_hub_module_imports_without_textual() -> None:
    modules = sorted(
        f"hub.{info.name}" for info in pkgutil.iter_modules(hub.__path__) if info.name != "__main__"
    )
    assert "hub.storage" in modules and "hub.models" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "leaked += sorted(m for m in sys.modules if m == 'screens' or m.startswith('screens.'))\n"
        "print('\\n'.join(leaked))\n"
        "sys.exit(1 if leaked else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"textual or screens imported by the core:\n{result.stdout}"
