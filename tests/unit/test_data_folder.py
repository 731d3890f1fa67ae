"""The data folder is private at every start, and one owned by someone else is refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hub.storage import HubStore, UnsafeDataFolder, secure_data_folder

needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="giving a file to another user needs root; the geteuid-patched tests cover the check",
)
OTHER_USER = 65534  # "nobody" on Debian and most Linux systems


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _filled_folder(root: Path) -> None:
    with HubStore.open(root) as store:
        store.set_meta("hub_name", "Church End Library")
        store.collection("staff").put("a", {"name": "Ana"})


def test_a_new_folder_and_its_files_are_private(tmp_path: Path) -> None:
    root = tmp_path / "data"
    _filled_folder(root)
    assert _mode(root) == 0o700
    for path in root.rglob("*"):
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path


def test_a_world_readable_folder_is_fixed_at_the_next_start(tmp_path: Path) -> None:
    root = tmp_path / "data"
    _filled_folder(root)
    (root / "referrals" / "2026-11").mkdir(parents=True)
    os.chmod(root, 0o777)
    os.chmod(root / "referrals", 0o755)
    os.chmod(root / "staff.json", 0o666)
    os.chmod(root / "meta.json", 0o644)

    HubStore.open(root).close()

    assert _mode(root) == 0o700
    assert _mode(root / "referrals") == 0o700
    assert _mode(root / "referrals" / "2026-11") == 0o700
    assert _mode(root / "staff.json") == 0o600
    assert _mode(root / "meta.json") == 0o600
    assert secure_data_folder(root) == 0  # nothing left to change


def test_files_owned_by_another_user_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "data"
    _filled_folder(root)
    before = (root / "staff.json").read_bytes()
    # From the app's point of view every file now belongs to someone else.
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(root).st_uid + 1)
    with pytest.raises(UnsafeDataFolder, match="belongs to another user"):
        HubStore.open(root)
    assert (root / "staff.json").read_bytes() == before


@needs_root
def test_a_staff_file_replaced_by_another_user_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "data"
    _filled_folder(root)
    os.chown(root / "staff.json", OTHER_USER, OTHER_USER)
    with pytest.raises(UnsafeDataFolder, match=r"staff\.json belongs to another user"):
        HubStore.open(root)


@needs_root
def test_a_folder_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "data"
    root.mkdir(mode=0o777)
    os.chown(root, OTHER_USER, OTHER_USER)
    with pytest.raises(UnsafeDataFolder, match="belongs to another user"):
        HubStore.open(root)
    assert list(root.iterdir()) == []  # not even a lock file was left in it


def test_links_and_pipes_in_the_folder_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "data"
    _filled_folder(root)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("{}")
    os.replace(root / "staff.json", tmp_path / "kept.json")
    (root / "staff.json").symlink_to(elsewhere)
    with pytest.raises(UnsafeDataFolder, match="is a link"):
        HubStore.open(root)
    (root / "staff.json").unlink()
    os.mkfifo(root / "staff.json")
    with pytest.raises(UnsafeDataFolder, match="not a plain file"):
        HubStore.open(root)
