"""A long fuzz campaign of `gxgk check` and `gxgk build` (see tests/fuzzing/).

Usage:
    python benchmarks/fuzz_long.py [--checks 2000] [--builds 200] [--seed 0] [--jobs 2]
                                   [--report FILE] [--no-locate]
    python benchmarks/fuzz_long.py --replay build:0:7 [--keep DIR]

Prints the runs, the failures by kind (crash:EXCEPTION, hang, exit-code, leak, …), the failures
grouped by cause (crashes and hangs placed by one GXGK_DEBUG=1 rerun each), the slowest runs
and a reproduction line per failure. Every run is derived from (kind, seed, index) alone:
``--replay`` runs one again, keeps its folder and prints its commands. Exit 1 when a run failed.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from fuzzing.report import every_failure, group_failures, summary
from fuzzing.runner import (
    Bases,
    RunId,
    RunResult,
    execute,
    format_failure,
    locate,
    run_campaign,
    runs_for,
)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checks", type=int, default=2000, help="check runs (default 2000)")
    parser.add_argument("--builds", type=int, default=200, help="build runs (default 200)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="runs at a time (default 2)")
    parser.add_argument("--report", type=Path, help="also write the summary and every "
                        "failure to this file")
    parser.add_argument("--no-locate", action="store_true",
                        help="do not rerun one crash per group with GXGK_DEBUG=1")
    parser.add_argument("--replay", type=RunId.parse, metavar="KIND:SEED:INDEX",
                        help="run one run again and keep its folder")
    parser.add_argument("--keep", type=Path, default=None,
                        help="with --replay: the folder to keep the run in (must not exist)")
    return parser.parse_args()


def replay(run: RunId, keep: Path | None) -> int:
    if keep is None:
        keep = Path(tempfile.mkdtemp(prefix=f"gxgk-replay-{run.kind}-"))
    else:
        keep.mkdir(parents=True)  # an existing folder is refused: a run starts empty
    with tempfile.TemporaryDirectory(prefix="gxgk-fuzz-bases-") as folder:
        bases = Bases.prepare(Path(folder))
        result = execute(run, bases, keep, keep=keep)
    print(f"run {run}: " + "; ".join(str(applied) for applied in result.applied))
    for proc in result.procs:
        state = "killed (hang)" if proc.timed_out else f"exit {proc.returncode}"
        print(f"\n$ GXGK_DEBUG=1 {sys.executable} -m gxgk_site {shlex.join(proc.args)}"
              f"\n  {state} in {proc.seconds:.2f} s")
        for line in (proc.stdout + proc.stderr).strip().split("\n")[-8:]:
            print(f"  | {line[:300]}")
    print()
    for failure in result.failures:
        print(format_failure(result, failure))
    print(f"\nthe mutated site is kept in {keep / 'site'}")
    return 1 if result.failures else 0


def progress_printer(total: int) -> Callable[[RunResult], None]:
    start = time.perf_counter()
    done = failed = 0

    def progress(result: RunResult) -> None:
        nonlocal done, failed
        done += 1
        failed += bool(result.failures)
        if done % 100 == 0 or done == total:
            print(f"  {done}/{total} runs, {failed} failed, {time.perf_counter() - start:.0f} s",
                  file=sys.stderr, flush=True)

    return progress


def campaign(args: argparse.Namespace) -> int:
    runs = runs_for([args.seed], args.checks, args.builds)
    with tempfile.TemporaryDirectory(prefix="gxgk-fuzz-") as folder:
        scratch = Path(folder)
        bases = Bases.prepare(scratch / "bases")
        result = run_campaign(runs, args.jobs, scratch, bases, progress_printer(len(runs)))
        if args.no_locate:
            groups = group_failures(result, lambda r, f: "(not located)")
        else:
            groups = group_failures(result, lambda r, f: locate(r, f, bases, scratch),
                                    args.jobs)
    text = summary(result, groups, args.jobs)
    print(text)
    failures = every_failure(result)
    print("every failure, with its reproduction:", failures or "none", sep="\n")
    if args.report:
        args.report.write_text(text + "\nevery failure:\n" + failures + "\n", encoding="utf-8")
    return 1 if result.failed else 0


def main() -> int:
    args = parse_arguments()
    return replay(args.replay, args.keep) if args.replay else campaign(args)


if __name__ == "__main__":
    sys.exit(main())
