"""Time a clean `gxgk build` on generated sites of 1,000 and 10,000 items (fresh process, no
previous output, no search index).

Usage: python benchmarks/bench_build.py [--sizes 1000 10000] [--repeat 2] [--jobs N]
Prints, per size: items, pages, files, best and median wall-clock seconds, output size.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate


def clean_build(site: Path, jobs: int | None) -> tuple[float, str]:
    out = site / "_site"
    if out.exists():
        shutil.rmtree(out)
    command = [sys.executable, "-m", "gxgk_site", "build", str(site), "--today", "2026-11-20"]
    if jobs:
        command += ["--jobs", str(jobs)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    # Sites are generated beside the benchmarks, on the disk a real site lives on: on some
    # machines /tmp is several times slower at creating small files.
    work = Path(__file__).resolve().parent / ".work"
    try:
        for size in args.sizes:
            site = generate(work / f"site-{size}", size)
            times, summary = [], ""
            for _ in range(args.repeat):
                elapsed, summary = clean_build(site, args.jobs)
                times.append(elapsed)
            megabytes = sum(p.stat().st_size for p in (site / "_site").rglob("*")
                            if p.is_file()) / 1e6
            print(f"gxgk build: {size:>6} items  best {min(times):6.2f} s  "
                  f"median {statistics.median(times):6.2f} s  {megabytes:7.1f} MB  [{summary}]")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
