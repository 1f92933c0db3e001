"""Time the editors' search index (`gxgk search`) on generated sites of 1,000 and 10,000 items.

Usage: python benchmarks/bench_editor_search.py [--sizes 1000 10000] [--repeat 5]

For each size, in fresh processes as editors run it: the full index build (the first
`gxgk search` on a site, with its peak memory), a search when nothing changed, and a search
after editing one item (the one-file incremental update); then, in this process, the time of
`update_index` alone with nothing to do and after editing one item, the time of typical
queries alone (best 20 of all hits, all counted), and the index size on disk.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate

from gxgk_site.editor_search.index import INDEX_DIR, update_index
from gxgk_site.editor_search.query import parse_query, run_query

TODAY = "2026-11-20"
QUERIES = [
    "社会保险",
    "缴费基数",
    "险",
    "养老保险 attribute:依申请公开 formed:[20250101 TO 20251231]",
    "kind:规范性文件 validity:有效 published:2025",
    '"一窗受理、一次办好" NOT category:gzdt',
]


def run_search(site: Path, query: str) -> tuple[float, dict]:
    """Wall-clock seconds, and the JSON document, of one `gxgk search` in a fresh process."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "gxgk_site", "search", query, str(site), "--format", "json",
         "--today", TODAY], capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    return elapsed, json.loads(result.stdout)


def peak_child_mb() -> float:
    """The peak memory of the largest child process so far (sizes run smallest first)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def edit_one(site: Path, n: int) -> None:
    item = next((site / "content").rglob(f"item-{n:05d}.md"))
    item.write_text(item.read_text(encoding="utf-8") + f"\n补充说明第{n}次修订。\n",
                    encoding="utf-8")


def bench(site: Path, repeat: int) -> None:
    size = sum(1 for _ in (site / "content").rglob("*.md"))
    build, first = run_search(site, QUERIES[0])
    peak = peak_child_mb()  # the largest child so far: the first search is the heaviest
    index_size = folder_bytes(site / INDEX_DIR)
    content_size = folder_bytes(site / "content")
    # the same rare words before and after an edit: the difference is the update
    unchanged = [run_search(site, "补充说明")[0] for _ in range(repeat)]
    edited = []
    for n in range(1, repeat + 1):
        edit_one(site, n)
        edited.append(run_search(site, "补充说明")[0])
    today = dt.date.fromisoformat(TODAY)
    scans, updates = [], []
    for n in range(repeat):
        start = time.perf_counter()
        ix, report = update_index(site, today)
        scans.append(time.perf_counter() - start)
        assert report.indexed == 0, report
        edit_one(site, 100 + n)
        start = time.perf_counter()
        ix, report = update_index(site, today)
        updates.append(time.perf_counter() - start)
        assert report.indexed == 1, report
    query_ms = {}
    for text in QUERIES:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            result = run_query(ix, parse_query(text, today), limit=20)
            times.append((time.perf_counter() - start) * 1000)
        query_ms[text] = (statistics.median(times), result.total)
    print(f"gxgk search: {size:>6} items  full index build {build:6.2f} s "
          f"(peak {peak:5.0f} MB, first query included; {first['total']} hits)")
    print(f"  index size {index_size / 1e6:6.1f} MB on disk "
          f"(content {content_size / 1e6:.1f} MB)")
    print(f"  search '补充说明', nothing changed: median {statistics.median(unchanged):5.2f} s "
          f"per process; update_index alone {statistics.median(scans) * 1000:6.1f} ms")
    print(f"  search '补充说明' after editing one item: median {statistics.median(edited):5.2f} s "
          f"per process; update_index alone {statistics.median(updates) * 1000:6.1f} ms")
    for text, (ms, total) in query_ms.items():
        print(f"  query {ms:7.1f} ms  {total:>6} hits  {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    # Beside the benchmarks, on the disk a real site lives on (see bench_check.py), in a folder
    # of its own: the other benchmarks generate and delete their sites under .work too.
    root = Path(__file__).resolve().parent / ".work"
    work = root / f"editor-search-{os.getpid()}"
    try:
        for size in args.sizes:
            bench(generate(work / f"site-{size}", size), args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(OSError):
            root.rmdir()  # only when no other benchmark is using it


if __name__ == "__main__":
    main()
