"""Choosing the kiosk's language from the command line: `--language`, $HUB_LANGUAGE, setup."""

from __future__ import annotations

from pathlib import Path

from hub.storage import HubStore
from tests.cli.runner import hub


def test_setup_language_is_stored_as_the_hubs_own(tmp_path: Path) -> None:
    done = hub(tmp_path, "setup", "--name", "Church End Library", "--language", "PL")
    assert done.returncode == 0, done.stderr
    assert "The kiosk starts in Polski (pl)." in done.stdout
    with HubStore.open(tmp_path) as store:
        assert store.meta("language") == "pl"
    again = hub(tmp_path, "setup")
    assert "Polski (pl)" in again.stdout  # kept until changed


def test_a_language_not_offered_is_one_error_line_and_changes_nothing(tmp_path: Path) -> None:
    hub(tmp_path, "setup", "--name", "Church End Library")
    for code in ("xx", "ar"):
        done = hub(tmp_path, "setup", "--language", code)
        assert done.returncode == 1
        assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
        assert "choose one of en, gu, pl, pt, ro, so, ta" in done.stderr
    with HubStore.open(tmp_path) as store:
        assert store.meta("language") is None


def test_global_language_and_its_variable_are_checked_before_anything_runs(
    tmp_path: Path,
) -> None:
    bad = hub(tmp_path, "--language", "klingon", "directory", "list")
    assert bad.returncode == 1 and bad.stderr.startswith("error: no language 'klingon'")
    from_env = hub(tmp_path, "directory", "list", env={"HUB_LANGUAGE": "zz"})
    assert from_env.returncode == 1 and "no language 'zz'" in from_env.stderr
    good = hub(tmp_path, "--language", "ta", "directory", "list")
    assert good.returncode == 0, good.stderr
