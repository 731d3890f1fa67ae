"""The CLI's words for people go through gettext; its output for programs does not.

The real `hub` command runs in a subprocess with a stand-in catalogue that marks every
message it is asked for («like this»), so the test sees exactly which words a translator
would reach, before any catalogue has them: errors, confirmations, report headings and
table columns are marked; CSV, JSON and the `error:` prefix scripts look for are not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cli.runner import hub

MARKING = """
import gettext, sys
from hub import cli, i18n

class Marking(gettext.NullTranslations):
    def gettext(self, message):
        return "«" + message + "»"
    def ngettext(self, singular, plural, n):
        return "«" + (singular if n == 1 else plural) + "»"

i18n.use_catalogue(Marking())
sys.exit(cli.main(sys.argv[1:]))
"""


def _marked(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Return what `hub --data-dir DATA ARGS` did with every message marked."""
    return subprocess.run(
        [sys.executable, "-c", MARKING, "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},  # rich would wrap long headings at 80
    )


def test_report_headings_and_columns_are_messages_but_csv_and_json_are_not(
    tmp_path: Path,
) -> None:
    assert hub(tmp_path, "setup", "--name", "Church End Library").returncode == 0
    table = _marked(tmp_path, "report", "--since", "2026-11-01", "--until", "2026-11-30")
    assert table.returncode == 0, table.stderr
    out = table.stdout
    assert "«Referrals by need, «2026-11-01 to 2026-11-30»: 0 in all" in out
    assert "«Unmet needs: searches that found nothing" in out
    assert "«Searches that called for urgent help" in out
    assert "«Services that need checking:" in out
    cross = _marked(tmp_path, "report", "--by", "need,hub")
    assert "«Referrals by «need» and «hub», «all time»»" in cross.stdout
    for machine in ("csv", "json"):
        done = _marked(tmp_path, "report", "--format", machine)
        assert done.returncode == 0, done.stderr
        assert "«" not in done.stdout, machine


def test_errors_keep_their_error_prefix_and_say_the_rest_in_the_language(
    tmp_path: Path,
) -> None:
    assert hub(tmp_path, "setup", "--name", "Church End Library").returncode == 0
    done = _marked(tmp_path, "report", "--need", "nope")
    assert done.returncode == 1
    assert done.stderr.startswith("error: «there is no need 'nope'; use one of: ")
    assert done.stderr.count("\n") == 1
    staff = _marked(tmp_path, "staff", "list")
    assert staff.stdout == '«No staff yet. Add one with: hub staff add "NAME"»\n'
    added = _marked(tmp_path, "staff", "add", "Amina", stdin="246810\n246810\n")
    assert added.stdout.startswith("«Added Amina. They unlock staff mode")
    setup = _marked(tmp_path, "setup")
    assert "«This hub is 'Church End Library', id " in setup.stdout
    assert "«The kiosk starts in English (en).»" in setup.stdout


def test_search_and_directory_words_are_messages_but_json_is_not(tmp_path: Path) -> None:
    found = _marked(tmp_path, "search", "food")
    assert found.returncode == 0, found.stderr
    assert "found for 'food'»" in found.stdout and "«Service»" in found.stdout
    # The JSON's keys and ids are for programs; its "when" is words for people (DESIGN.md),
    # already in the kiosk's language, so only that field may be marked.
    document = json.loads(_marked(tmp_path, "search", "food", "--json").stdout)
    for result in document["results"]:
        assert not [k for k in result if "«" in k]
        assert "«" not in result["id"] + result["name"] + "".join(result["needs"])
        assert result["when"].startswith("«")
    listed = _marked(tmp_path, "directory", "list")
    assert "«Directory: " in listed.stdout and "«This is the bundled sample" in listed.stdout
    assert "«" not in _marked(tmp_path, "directory", "list", "--json").stdout


def test_the_cli_stays_in_english_by_default(tmp_path: Path) -> None:
    """No --language and no $HUB_LANGUAGE: the words are the English the tests expect,
    whatever language the hub's kiosk starts in."""
    assert (
        hub(tmp_path, "setup", "--name", "Church End Library", "--language", "pl").returncode == 0
    )
    done = hub(tmp_path, "staff", "list")
    assert done.stdout == 'No staff yet. Add one with: hub staff add "NAME"\n'
