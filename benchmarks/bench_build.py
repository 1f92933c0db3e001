"""Time a clean `gxgk build` on generated sites of 1,000 and 10,000 items (fresh process, no
previous output, no search index).

Two figures per size: "cold" also has no build cache (.gxgk/cache, where QR codes are kept once
computed: item URLs never change), as on a fresh checkout; "warm" keeps the cache of a previous
build, as on an editor's machine or a CI run that restores .gxgk/.

With --memory the sites are generated and built in /dev/shm (memory): the same builds without
the disk, which on a noisy virtual machine can double a build's time from one run to the next.
Each build is followed by a probe of the file system, the time it takes to write as many files
of the same size as the build wrote, without gxgk: what the disk alone cost at that moment.

Usage: python benchmarks/bench_build.py [--sizes 1000 10000] [--repeat 2] [--jobs N] [--memory]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate, size_arguments, work_folder


def clean_build(site: Path, jobs: int | None,
                cold: bool) -> tuple[float, tuple[float, float], str]:
    out = site / "_site"
    if out.exists():
        shutil.rmtree(out)
    if cold:
        shutil.rmtree(site / ".gxgk", ignore_errors=True)
    # let the disk finish writing out what the previous run and the clean-up left: otherwise
    # the timed build pays for it (this machine's file system charged up to 14 s of it)
    os.sync()
    time.sleep(1)
    command = [sys.executable, "-m", "gxgk_site", "build", str(site), "--today", "2026-11-20",
               "--no-search"]
    if jobs:
        command += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime)
    return elapsed, cpu, result.stdout.strip().splitlines()[-1]


def write_probe(folder: Path, files: int, size: int) -> float:
    """Seconds to write ``files`` files of ``size`` bytes into a new folder (then removed)."""
    probe = folder / "probe"
    probe.mkdir()
    data = b"x" * size
    start = time.perf_counter()
    for number in range(files):
        descriptor = os.open(probe / f"{number}.html", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.write(descriptor, data)
        os.close(descriptor)
    elapsed = time.perf_counter() - start
    shutil.rmtree(probe)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    size_arguments(parser, repeat=2)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--memory", action="store_true", help="build in /dev/shm")
    args = parser.parse_args()
    with work_folder(memory=args.memory) as work:
        for size in args.sizes:
            site = generate(work / f"site-{size}", size)
            for label, cold in (("cold", True), ("warm", False)):
                times, cpus, probes, summary = [], [], [], ""
                for _ in range(args.repeat):
                    elapsed, cpu, summary = clean_build(site, args.jobs, cold)
                    times.append(elapsed)
                    cpus.append(cpu)
                    written = [p for p in (site / "_site").rglob("*") if p.is_file()]
                    megabytes = sum(p.stat().st_size for p in written) / 1e6
                    probes.append(write_probe(work, len(written),
                                              int(megabytes * 1e6 / len(written))))
                user, system = min(cpus, key=sum)
                where = " in memory" if args.memory else ""
                print(f"gxgk build ({label}{where}): {size:>6} items  best {min(times):6.2f} s  "
                      f"median {statistics.median(times):6.2f} s  "
                      f"cpu {user:5.1f} user + {system:4.1f} sys  {megabytes:6.1f} MB  "
                      f"[{summary.split(' into ')[0]}]  writing the same files alone: "
                      f"{min(probes):.2f}-{max(probes):.2f} s")


if __name__ == "__main__":
    main()
