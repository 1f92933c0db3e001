"""Compare two installed versions of gxgk on the same realistic site, run after run.

Each version is a Python with gxgk installed (e.g. a virtual environment made from another
checkout: ``python3 -m venv /tmp/before && /tmp/before/bin/pip install -e /path/to/checkout``).
Both build the same generated site (benchmarks/corpus.py), each in its own copy (their build
caches may differ in layout), alternating version by version within each round so that a noisy
machine weighs on both alike. Per version and round, three figures, each a fresh process:

- cold: a clean build with no output and no build cache (a fresh CI checkout), search included;
- warm: a clean build with the build cache of the previous one (no output);
- edit: an incremental build after one item's title changed.

Usage: python benchmarks/bench_compare.py BEFORE_PYTHON AFTER_PYTHON [--sizes 10000]
       [--repeat 2] [--no-search]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate, size_arguments, work_folder

TODAY = "2026-11-20"
FIGURES = ("cold", "warm", "edit")


def timed_build(python: str, site: Path, search: bool) -> float:
    os.sync()  # the previous run's writes are not charged to this one
    time.sleep(1)
    command = [python, "-m", "gxgk_site", "build", str(site), "--today", TODAY]
    if not search:
        command.append("--no-search")
    start = time.perf_counter()
    # from a folder without gxgk in it: `-m` puts the working folder first on sys.path
    subprocess.run(command, capture_output=True, text=True, check=True,
                   cwd=tempfile.gettempdir())
    return time.perf_counter() - start


def edit_one_item(site: Path, round_number: int) -> None:
    path = sorted((site / "content").rglob("item-*.md"))[len(FIGURES) + round_number]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", f"title: 修订{round_number}", 1), encoding="utf-8")


def one_round(python: str, site: Path, round_number: int, search: bool) -> dict[str, float]:
    shutil.rmtree(site / "_site", ignore_errors=True)
    shutil.rmtree(site / ".gxgk", ignore_errors=True)
    cold = timed_build(python, site, search)
    shutil.rmtree(site / "_site")
    warm = timed_build(python, site, search)
    edit_one_item(site, round_number)
    time.sleep(2.5)  # past the caches' racy window: the edit is seen as an editor's would be
    edit = timed_build(python, site, search)
    return {"cold": cold, "warm": warm, "edit": edit}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--no-search", action="store_true")
    size_arguments(parser, repeat=2)
    parser.set_defaults(sizes=[10000])
    args = parser.parse_args()
    versions = {"before": args.before, "after": args.after}
    with work_folder("compare") as work:
        for size in args.sizes:
            source = generate(work / f"source-{size}", size)
            sites = {name: work / f"{name}-{size}" for name in versions}
            for site in sites.values():
                shutil.rmtree(site, ignore_errors=True)  # left by an interrupted run
                shutil.copytree(source, site)
            results: dict[str, list[dict[str, float]]] = {name: [] for name in versions}
            for round_number in range(args.repeat):
                order = list(versions) if round_number % 2 == 0 else list(reversed(versions))
                for name in order:
                    figures = one_round(versions[name], sites[name], round_number,
                                        not args.no_search)
                    results[name].append(figures)
                    print(f"{size:>6} items, round {round_number + 1}, {name:<6}: "
                          + ", ".join(f"{k} {v:6.2f} s" for k, v in figures.items()),
                          flush=True)
            for name in versions:
                print(f"{size:>6} items, median {name:<6}: " + ", ".join(
                    f"{k} {statistics.median(r[k] for r in results[name]):6.2f} s"
                    for k in FIGURES))


if __name__ == "__main__":
    main()
