"""Time `gxgk build` after a one-item edit, on generated sites of 1,000 and 10,000 items.

A clean build first fills the caches (.gxgk/cache: parsed items, QR codes, the output
manifest); then each round edits one item (its body, or its title, which also changes the
catalog and column pages that list it) and times the rebuild in a fresh process, as an editor
or `gxgk serve` would run it. Without the search index (Pagefind has no incremental mode: with
it, a changed item means a new index, see bench_search.py).

Usage: python benchmarks/bench_incremental.py [--sizes 1000 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate


def build(site: Path) -> tuple[float, str]:
    # let the disk finish writing out what the previous build left, as it has by the time an
    # editor saves the next change (otherwise the timed build pays for it on some machines)
    os.sync()
    time.sleep(1)
    command = [sys.executable, "-m", "gxgk_site", "build", str(site), "--today", "2026-11-20",
               "--no-search"]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, result.stdout.strip().splitlines()[-1]


def edit(path: Path, kind: str, round_number: int) -> None:
    text = path.read_text(encoding="utf-8")
    if kind == "title":
        text = re.sub(r"^title: (.*)$", rf"title: \1（修订{round_number}）", text, count=1,
                      flags=re.M)
    else:
        text += f"\n补充说明（第{round_number}次修订）：本条内容已更新。\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(__file__).resolve().parent / ".work" / "incremental"
    rng = random.Random(7)
    try:
        for size in args.sizes:
            site = generate(work / f"site-{size}", size)
            clean, _ = build(site)
            unchanged, _ = build(site)
            print(f"gxgk build, {size:>6} items: clean {clean:6.2f} s, "
                  f"again with nothing changed {unchanged:5.2f} s")
            items = sorted((site / "content").rglob("*.md"))
            for kind in ("body", "title"):
                times, summary = [], ""
                for round_number in range(args.repeat):
                    edit(rng.choice(items), kind, round_number)
                    elapsed, summary = build(site)
                    times.append(elapsed)
                print(f"  one-item {kind} edit: best {min(times):5.2f} s  "
                      f"median {statistics.median(times):5.2f} s  "
                      f"[{summary.split(' into ')[0]}{summary.partition(' _site')[2]}]")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
