"""The one way the CLI tests run the real `hub` command: as a subprocess, never a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def hub(
    data: Path, *args: str, stdin: str = "", timeout: float = 120, wide: bool = False
) -> subprocess.CompletedProcess[str]:
    """Return what `hub --data-dir DATA ARGS...` did (exit status, stdout, stderr as text).

    Standard input is `stdin` through a pipe, so the command never sees a terminal (PINs
    come in this way). `wide` sets COLUMNS=200, so rich's tables do not wrap the names a
    test looks for.
    """
    env = {**os.environ, "COLUMNS": "200"} if wide else None
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
