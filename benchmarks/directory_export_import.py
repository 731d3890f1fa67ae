"""Peak memory and time of `hub directory export` and `hub directory import` at 50,000 services.

    .venv/bin/python benchmarks/directory_export_import.py              # 50,000 services
    .venv/bin/python benchmarks/directory_export_import.py 5000         # other sizes
    .venv/bin/python benchmarks/directory_export_import.py --code DIR   # another copy's hub

`--code DIR` runs the commands on the `hub` package in DIR, so an earlier version is
measured on the same folder and machine, e.g. for the code before streaming:
`mkdir /tmp/base && git archive 831604f hub data | tar -x -C /tmp/base`.

A data folder with a synthetic directory (benchmarks/search.py's) is made once under a
temporary folder (or `--folder DIR`, kept and reused). Then each command runs in a fresh
process, and its wall time, CPU time and peak RSS (ru_maxrss) are printed:

* `export`: `hub directory export FILE` (HSDS 3.0);
* `import, all unchanged`: that file imported with `--replace` into a copy of the folder
  (every service compared with its stored copy; nothing written);
* `import, all new`: the file imported with `--replace` into a fresh folder (the bundled
  sample replaced by every service).

No assertions: figures to read. CPU time is printed beside the wall time because this
machine is shared: under load the wall time says more about the neighbours.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hub_process import measure_hub
from search import synthetic_directory  # the sibling benchmark's directory; sets sys.path

from hub.sample_directory import seed_sample_if_new
from hub.storage import HubStore

ROOT = Path(__file__).resolve().parents[1]


def command(code: Path, *args: str) -> str:
    """Run `hub ARGS` on the code in `code` in a fresh process; return its figures."""
    run = measure_hub(args, code=code, timeout=3600)
    if run.returncode:
        raise SystemExit(f"hub {' '.join(args)} failed:\n{run.stderr[-2000:]}")
    return (
        f"{run.seconds:>7.1f} s wall, {run.cpu:>7.1f} s CPU, peak RSS {run.rss_mb:>6.0f} MB"
        f"   ({run.last})"
    )


def make_folder(folder: Path, size: int) -> None:
    """Fill `folder` with `size` synthetic services, unless it already holds them."""
    if (folder / "directory.sqlite3").exists():
        return
    started = time.perf_counter()
    with HubStore.open(folder) as store:
        seed_sample_if_new(store)
        store.replace_services(synthetic_directory(size))
    print(f"folder of {size:,} services made in {time.perf_counter() - started:.0f} s")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, nargs="?", default=50_000)
    parser.add_argument("--code", type=Path, default=ROOT, help="where the hub package is")
    parser.add_argument("--folder", type=Path, help="a data folder to make once and reuse")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        folder = args.folder or work / "hub"
        make_folder(folder, args.size)
        code = args.code.resolve()
        print(f"{args.size:,} services, code in {code}")
        export = work / "export.json"
        print("  export:                ", command(code, "--data-dir", str(folder), "directory",
                                                   "export", str(export)))  # fmt: skip
        print(f"  (the file: {export.stat().st_size / 1e6:.0f} MB)")
        copy = work / "copy"
        shutil.copytree(folder, copy)
        print("  import, all unchanged: ", command(code, "--data-dir", str(copy), "directory",
                                                   "import", str(export), "--replace"))  # fmt: skip
        print("  import, all new:       ", command(code, "--data-dir", str(work / "fresh"),
                                                   "directory", "import", str(export),
                                                   "--replace"))  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
