"""Time `gxgk check` on generated sites of 1,000 and 10,000 items (a fresh process each run).

Two lines per size: "cold" without the parse cache (.gxgk/cache), as in CI on a fresh clone;
"warm" with it, as on an editor's machine checking again.

Usage: python benchmarks/bench_check.py [--sizes 1000 10000] [--repeat 3]
Prints items, best and median wall-clock seconds, and findings.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate, size_arguments, work_folder


def time_check(site: Path) -> tuple[float, dict]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "gxgk_site", "check", str(site), "--format", "json",
         "--today", "2026-11-20"], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    return elapsed, json.loads(result.stdout)["summary"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    size_arguments(parser, repeat=3)
    args = parser.parse_args()
    with work_folder() as work:
        for size in args.sizes:
            site = generate(work / f"site-{size}", size)
            time.sleep(2.5)  # files this fresh are never taken from the cache (RACY_SECONDS)
            for label in ("cold", "warm"):
                times, summary = [], {}
                for _ in range(args.repeat):
                    if label == "cold":
                        shutil.rmtree(site / ".gxgk", ignore_errors=True)
                    elapsed, summary = time_check(site)
                    times.append(elapsed)
                print(f"gxgk check ({label}): {size:>6} items  best {min(times):6.2f} s  "
                      f"median {statistics.median(times):6.2f} s  "
                      f"({summary['errors']} errors, {summary['warnings']} warnings)")


if __name__ == "__main__":
    main()
