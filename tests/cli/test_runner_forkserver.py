"""The CLI tests' forkserver runs `hub` exactly as `python -m hub.cli` does, only sooner.

Every CLI test leans on `tests/cli/runner.py`; these hold its forked commands to what a
command started from nothing does: the same output byte for byte, exit status, standard
input, environment and working folder, and a timeout that ends the command.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.runner import FRESH_PROCESS_VARIABLE, hub, run_hub

CALLS = [
    (["search", "food", "--json"], ""),
    (["search", "i want to end my life"], ""),
    (["--language", "pl", "directory", "list"], ""),
    (["report", "--since", "2026-13-01"], ""),
    (["referrals", "list"], ""),
    (["no-such-command"], ""),
    (["staff", "add", "Ana Silva"], "246810\n246810\n"),
    (["staff", "list"], ""),
]


def _both_ways(tmp_path: Path, words: list[str], stdin: str) -> tuple[object, object]:
    """Return what the words did forked and from nothing, each in a folder of its own."""
    results = []
    for way, fresh in (("forked", ""), ("fresh", "1")):
        folder = tmp_path / way
        env = {**os.environ, FRESH_PROCESS_VARIABLE: fresh, "COLUMNS": "200"}
        run = run_hub(["--data-dir", str(folder), *words], stdin=stdin.encode(), env=env)
        results.append((run.returncode, run.stdout, run.stderr))
    return results[0], results[1]


@pytest.mark.parametrize(("words", "stdin"), CALLS, ids=[" ".join(w) for w, _ in CALLS])
def test_a_forked_command_does_what_a_fresh_one_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, words: list[str], stdin: str
) -> None:
    monkeypatch.delenv(FRESH_PROCESS_VARIABLE, raising=False)
    forked, fresh = _both_ways(tmp_path, words, stdin)
    assert forked == fresh


def test_the_folder_and_environment_are_the_commands_own(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data = tmp_path / "data"
    assert hub(data, "directory", "export", "hub.json", cwd=elsewhere).returncode == 0
    assert (elsewhere / "hub.json").is_file() and not Path("hub.json").exists()
    refused = hub(data, "directory", "list", env={"HUB_LANGUAGE": "zz"})
    assert refused.returncode == 1 and "no language 'zz'" in refused.stderr
    assert hub(data, "directory", "list").returncode == 0


def test_output_bigger_than_a_pipe_comes_through_whole(tmp_path: Path) -> None:
    listed = hub(tmp_path / "data", "directory", "list", "--json")
    assert listed.returncode == 0
    # Many times a pipe's 64 KiB, and whole: it parses, every service to the last.
    assert len(listed.stdout) > 4 * 65_536
    assert len(json.loads(listed.stdout)) > 50


def test_a_command_past_its_timeout_is_ended_and_the_next_one_runs(tmp_path: Path) -> None:
    with pytest.raises(subprocess.TimeoutExpired):
        hub(tmp_path / "data", "search", "food", timeout=0.001)
    assert hub(tmp_path / "data", "search", "food").returncode == 0
