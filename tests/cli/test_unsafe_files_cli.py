"""Hostile files and folders at the command line: one `error:` line each, no hang.

Run as the real `hub` command in a subprocess, with a timeout that fails the test if a
pipe or a device makes the import wait forever.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.runner import hub

OTHER_USER = 65534


def assert_one_error_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """The command refused with exit 1 and exactly one `error:` line, no traceback."""
    assert result.returncode == 1, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for word in words:
        assert word in lines[0]


def _service_file(tmp_path: Path, number_text: str) -> Path:
    """A one-service HSDS file whose `minimum_age` is `number_text`, written verbatim."""
    path = tmp_path / "huge.json"
    record = {"id": "7d1c6a8e-3a4b-4c1d-9e2f-0a1b2c3d4e5f", "name": "Yak Club"}
    text = json.dumps([record])[:-2] + f', "minimum_age": {number_text}}}]'
    path.write_text(text, encoding="utf-8")
    return path


def test_a_5000_digit_number_is_one_error_line(tmp_path: Path) -> None:
    path = _service_file(tmp_path, "9" * 5000)
    result = hub(tmp_path / "data", "directory", "import", str(path))
    assert_one_error_line(result, str(path), "number too long")
    assert not (tmp_path / "data").exists()  # refused before the data folder was opened


def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    pipe = tmp_path / "feed.json"
    os.mkfifo(pipe)
    result = hub(tmp_path / "data", "directory", "import", str(pipe), timeout=20)
    assert_one_error_line(result, str(pipe), "not an ordinary file")


def test_a_device_is_refused_without_reading_it(tmp_path: Path) -> None:
    result = hub(tmp_path / "data", "directory", "import", "/dev/zero", timeout=20)
    assert_one_error_line(result, "/dev/zero", "not an ordinary file")


def test_a_folder_given_as_the_file_is_refused(tmp_path: Path) -> None:
    result = hub(tmp_path / "data", "directory", "import", str(tmp_path))
    assert_one_error_line(result, str(tmp_path), "is a folder")


def test_a_world_readable_data_folder_is_made_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert hub(data, "setup", "--name", "Church End Library").returncode == 0
    os.chmod(data, 0o777)
    os.chmod(data / "meta.json", 0o666)
    assert hub(data, "directory", "list", "--json").returncode == 0
    assert data.stat().st_mode & 0o777 == 0o700
    assert (data / "meta.json").stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="giving staff.json to another user needs root (tests/unit/test_data_folder.py "
    "covers the check by patching geteuid)",
)
def test_a_staff_file_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    added = subprocess.run(
        [sys.executable, "-m", "hub.cli", "--data-dir", str(data), "staff", "add", "Ana Silva"],
        input="246810\n246810\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    staff_file = data / "staff.json"
    os.chown(staff_file, OTHER_USER, OTHER_USER)
    before = staff_file.read_bytes()
    for args in (["staff", "list"], ["directory", "list"], ["search", "food"]):
        result = hub(data, *args)
        assert_one_error_line(result, "staff.json", "belongs to another user")
    assert staff_file.read_bytes() == before


def test_export_never_replaces_a_pipe_or_a_link(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    result = hub(tmp_path / "data", "directory", "export", str(pipe), timeout=30)
    assert_one_error_line(result, str(pipe), "not an ordinary file")
    assert pipe.exists() and not pipe.is_file()  # still the pipe
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = hub(tmp_path / "data", "directory", "export", str(link))
    assert_one_error_line(result, str(link), "not an ordinary file")
    assert link.is_symlink() and target.read_text() == "keep me"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="only root could replace a device node, so only root can show it is not",
)
def test_export_never_replaces_a_device(tmp_path: Path) -> None:
    # A device node of our own (the same as /dev/null), so a failure harms nothing shared.
    device = tmp_path / "null-device"
    os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    result = hub(tmp_path / "data", "directory", "export", str(device), timeout=30)
    assert_one_error_line(result, str(device), "not an ordinary file")
    assert stat.S_ISCHR(os.lstat(device).st_mode)
