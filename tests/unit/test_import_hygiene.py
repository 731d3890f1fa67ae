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


def test_each_command_is_registered_by_the_module_the_cli_imports_for_it() -> None:
    import argparse

    from hub.cli import COMMAND_MODULE_OF, COMMAND_MODULES, build_parser

    assert set(COMMAND_MODULE_OF.values()) == set(COMMAND_MODULES)
    for module in COMMAND_MODULES:
        parser = build_parser(modules=[module])
        commands = {
            name
            for action in parser._actions
            if isinstance(action, argparse._SubParsersAction)
            for name in action.choices
        }
        assert commands == {c for c, m in COMMAND_MODULE_OF.items() if m == module}, module


def test_one_command_imports_only_its_own_module() -> None:
    script = (
        "import sys\n"
        "from hub.cli import main\n"
        "try:\n"
        "    main(['--data-dir', 'unused', 'search', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('hub.cli'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2].split() == ["hub.cli", "hub.cli_common", "hub.cli_search"]
