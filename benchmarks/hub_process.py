"""Run a `hub` command in a fresh process and measure it: wall time, CPU time, peak RSS.

Shared by the benchmarks that time whole commands (directory_import.py,
directory_export_import.py). The command runs through `runpy` inside a small script that
reports its own figures on stderr, so the process measured is the command's and nothing
else's. CPU time is given beside the wall time because this machine is shared: under load
the wall time says more about the neighbours.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_RUN = (
    "import resource, runpy, sys, time\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "sys.argv = ['hub', *sys.argv[2:]]\n"
    "start = time.perf_counter()\n"
    "try:\n"
    "    runpy.run_module('hub.cli', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
    "cpu = usage.ru_utime + usage.ru_stime\n"
    "print(f'@@ {time.perf_counter() - start} {cpu} {usage.ru_maxrss / 1024}', file=sys.stderr)\n"
)


@dataclass(frozen=True)
class Measured:
    """What one run of a command took, and how it ended."""

    seconds: float
    cpu: float
    rss_mb: float
    last: str  # the last line it printed on stdout ("" if none)
    returncode: int
    stderr: str


def measure_hub(args: Sequence[str], *, code: Path = ROOT, timeout: float) -> Measured:
    """Run `hub ARGS` on the `hub` package in `code` in a fresh process; return its figures.

    Exits the benchmark with the command's stderr if the run never reported its figures.
    """
    result = subprocess.run(
        [sys.executable, "-c", _RUN, str(code), *args],
        capture_output=True,
        text=True,
        cwd=code,
        timeout=timeout,
    )
    marker = [line for line in result.stderr.splitlines() if line.startswith("@@ ")]
    if not marker:
        raise SystemExit(f"hub {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    seconds, cpu, rss = (float(figure) for figure in marker[-1].split()[1:])
    last = (result.stdout.strip().splitlines() or [""])[-1]
    return Measured(seconds, cpu, rss, last, result.returncode, result.stderr)
