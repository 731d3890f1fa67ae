"""A full disk, as the storage code sees it, for tests that check nothing is lost."""

from __future__ import annotations

import errno
import os
import types
from typing import Any


class FullDiskOS(types.SimpleNamespace):
    """The `os` module as the storage module sees it once the disk is full.

    Every call is the real `os` one except `write` and `fsync`, which fail with ENOSPC.
    A test puts it in place with `monkeypatch.setattr(hub.durable_files, "os", FullDiskOS())`.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    @staticmethod
    def write(fd: int, data: Any) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    @staticmethod
    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
