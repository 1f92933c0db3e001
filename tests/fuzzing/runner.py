"""Runs: a plan from (kind, seed, index), a mutated copy of the base site, the real commands in
child processes (own session, killed as a group on timeout, always reaped), and the oracles."""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from fuzzing import mutations, targeted  # noqa: F401  (they register the mutations)
from fuzzing.context import (
    MUTATIONS,
    TEMPLATE,
    Applied,
    Ctx,
    Expectations,
    Mutation,
    apply_mutation,
)
from fuzzing.oracles import (
    Failure,
    Proc,
    dropped_files,
    leftovers,
    missed_findings,
    output_failures,
    process_failures,
    read_check,
    uncounted_items,
    unreported_candidates,
)
from fuzzing.sites import (
    OUTPUT,
    REPO,
    TODAY,
    BaseSite,
    clean_env,
    gxgk_command,
    make_outside,
    prepare_base,
    tree_digest,
)

TIMEOUT = 10.0  # seconds; a command still running then is a hang
MEMORY_LIMIT = 4 << 30  # address space per command (prlimit), so a blow-up cannot sink the host
# The first mutation of run i of seed s is number (i + STRIDE * s) of the cycle of mutations, so
# that consecutive seeds of the CI test (50 checks and 5 builds each) go on with the cycle.
STRIDE = {"check": 50, "build": 5}
PRLIMIT = shutil.which("prlimit")


@dataclass(frozen=True, order=True)
class RunId:
    kind: str  # "check" or "build"
    seed: int
    index: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.seed}:{self.index}"

    @classmethod
    def parse(cls, text: str) -> RunId:
        kind, seed, index = text.split(":")
        if kind not in ("check", "build"):
            raise ValueError(f"{text!r}: the kind is check or build")
        return cls(kind, int(seed), int(index))


@dataclass(frozen=True)
class Plan:
    run: RunId
    names: tuple[str, ...]  # the mutations, in order
    git: bool
    changed_since: bool = False
    withhold: bool = False
    jobs: int = 1
    search: bool = False
    keep_cache: bool = True

    def build_args(self, root: Path) -> list[str]:
        args = ["build", str(root), "--today", TODAY, "--jobs", str(self.jobs)]
        return args + ([] if self.search else ["--no-search"]) + (
            ["--withhold"] if self.withhold else [])

    def check_args(self, root: Path, changed_since: bool) -> list[str]:
        args = ["check", str(root), "--format", "json", "--today", TODAY]
        return args + (["--changed-since", "HEAD"] if changed_since else [])


@dataclass
class RunResult:
    plan: Plan
    applied: list[Applied]
    failures: list[Failure]
    procs: list[Proc] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def run(self) -> RunId:
        return self.plan.run

    @property
    def slowest(self) -> float:
        return max((proc.seconds for proc in self.procs), default=0.0)


@dataclass
class Bases:
    plain: BaseSite
    git: BaseSite

    @classmethod
    def prepare(cls, folder: Path) -> Bases:
        return cls(prepare_base(folder / "plain", git=False),
                   prepare_base(folder / "git", git=True))


# ---------------------------------------------------------------- plans


def _pool(kind: str) -> list[Mutation]:
    every = [m for _, m in sorted(MUTATIONS.items())]
    if kind == "build":
        return [m for m in every if m.build_focus]
    return [m for m in every if TEMPLATE not in m.targets]


def make_plan(run: RunId) -> Plan:
    rng = random.Random(f"gxgk-fuzz/{run}")
    pool = _pool(run.kind)
    first = pool[(run.index + STRIDE[run.kind] * run.seed) % len(pool)]
    others = [m for _, m in sorted(MUTATIONS.items())
              if run.kind == "build" or TEMPLATE not in m.targets]
    extras = [m.name for m in rng.sample(others, 2)]
    names = (first.name, *extras[:0 if rng.random() < 0.7 else rng.randint(1, 2)])
    git = rng.random() < 0.125
    if run.kind == "check":
        return Plan(run, names, git, changed_since=git and rng.random() < 0.5)
    return Plan(run, names, git, withhold=rng.random() < 0.5, jobs=rng.choice((1, 2)),
                search=rng.random() < 0.1, keep_cache=rng.random() < 0.5)


# ---------------------------------------------------------------- materializing a run


@dataclass
class Prepared:
    plan: Plan
    base: BaseSite
    root: Path
    applied: list[Applied]
    expect: Expectations


def materialize(plan: Plan, bases: Bases, work: Path) -> Prepared:
    """Copy the base into ``work/site`` and apply the plan's mutations."""
    base = bases.git if plan.git else bases.plain
    root = work / "site"
    top = {OUTPUT, ".gxgk"} if plan.run.kind == "check" else (
        set() if plan.keep_cache else {".gxgk"})
    shutil.copytree(base.root, root, symlinks=True,
                    ignore=lambda folder, names: top & set(names) if folder == str(base.root)
                    else set())
    secrets = {**base.secrets, **make_outside(work / "outside")}
    ctx = Ctx(rng=random.Random(f"gxgk-fuzz-apply/{plan.run}"), root=root,
              outside=work / "outside", base=base, build=plan.run.kind == "build",
              expect=Expectations(secrets=secrets))
    applied = [_apply(ctx, MUTATIONS[name]) for name in plan.names]
    return Prepared(plan, base, root, applied, ctx.expect)


def _apply(ctx: Ctx, chosen: Mutation) -> Applied:
    kinds = [kind for kind in chosen.targets if ctx.targets(kind)]
    if not kinds:
        return Applied(chosen.name, "-", "no target")
    target = ctx.rng.choice(ctx.targets(ctx.rng.choice(kinds)))
    return apply_mutation(ctx, chosen, target)


# ---------------------------------------------------------------- child processes


def run_command(name: str, args: list[str], cwd: Path, *, debug: bool = False,
                timeout: float = TIMEOUT) -> Proc:
    """Run `python -m gxgk_site ARGS` in its own session; on timeout kill the whole group.

    With ``debug``, GXGK_DEBUG=1 lets tracebacks through, and a command that hangs is sent
    SIGABRT first, so that faulthandler prints where it was.
    """
    command = gxgk_command(*args)
    if PRLIMIT:
        command = [PRLIMIT, f"--as={MEMORY_LIMIT}", "--", *command]
    env = clean_env() | ({"GXGK_DEBUG": "1", "PYTHONFAULTHANDLER": "1"} if debug else {})
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                             start_new_session=True)
    timed_out = False
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        out, err = _stop(child, dump=debug)
    finally:
        _kill_group(child.pid)  # anything the command left running (e.g. Pagefind)
    return Proc(name, args, None if timed_out else child.returncode,
                out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                time.perf_counter() - start, timed_out)


def _stop(child: subprocess.Popen[bytes], dump: bool) -> tuple[bytes, bytes]:
    if dump:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGABRT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            return child.communicate(timeout=5)
    _kill_group(child.pid)
    return child.communicate()


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


# ---------------------------------------------------------------- judging a run


def _judge_check(prepared: Prepared, procs: list[Proc], changed_since: bool) -> list[Failure]:
    root = prepared.root
    proc = run_command("check", prepared.plan.check_args(root, changed_since), root.parent)
    procs.append(proc)
    failures = process_failures(proc)
    view, read_failures = read_check(proc)
    failures += read_failures
    if view is None:
        return failures
    failures += missed_findings(view, prepared.expect, root)
    if changed_since:
        return failures
    failures += uncounted_items(view, root)
    mutated = {applied.target for applied in prepared.applied}
    candidates = unreported_candidates(view, root, mutated)
    if candidates:
        deadlines = run_command("deadlines", ["deadlines", str(root), "--today", TODAY],
                                root.parent)
        procs.append(deadlines)
        failures += process_failures(deadlines) + dropped_files(candidates, deadlines)
    return failures


def _judge_build(prepared: Prepared, procs: list[Proc]) -> list[Failure]:
    root, plan = prepared.root, prepared.plan
    failures = _judge_check(prepared, procs, changed_since=False)
    errors = _check_errors(procs[0])
    proc = run_command("build", plan.build_args(root), root.parent)
    procs.append(proc)
    failures += process_failures(proc)
    if proc.timed_out:
        return failures  # killed: its temporary folders are the next build's to clean up
    failures += leftovers(root)
    out = root / OUTPUT
    if proc.returncode == 0:
        if errors and not plan.withhold:
            failures.append(Failure("inconsistent", "build",
                                    f"built although check found {errors} error(s)"))
        failures += output_failures(out, prepared.expect)
        failures += [Failure("missed-finding", "build", f"{path}: {why}, yet not named")
                     for path, why in prepared.expect.must_mention.items()
                     if path not in proc.output]
    elif tree_digest(out) != prepared.base.output_digest:
        failures.append(Failure("output-changed", "build",
                                f"exit {proc.returncode}, yet the previous site changed"))
    return failures


def _check_errors(proc: Proc) -> int:
    match = re.search(r'"errors": (\d+)', proc.stdout)
    return int(match[1]) if match else 0


def execute(run: RunId, bases: Bases, scratch: Path, keep: Path | None = None) -> RunResult:
    """One run from start to end; its work folder is deleted unless ``keep`` is given."""
    return execute_plan(make_plan(run), bases, scratch, keep)


def execute_plan(plan: Plan, bases: Bases, scratch: Path, keep: Path | None = None) -> RunResult:
    run = plan.run
    start = time.perf_counter()
    work = keep or Path(tempfile.mkdtemp(prefix=f"run-{run.kind}-{run.seed}-{run.index}-",
                                         dir=scratch))
    procs: list[Proc] = []
    applied: list[Applied] = []
    try:
        prepared = materialize(plan, bases, work)
        applied = prepared.applied
        if run.kind == "check":
            failures = _judge_check(prepared, procs, plan.changed_since)
        else:
            failures = _judge_build(prepared, procs)
    except Exception as exc:  # a bug of the harness: reported, and the campaign goes on
        failures = [Failure("harness-error", "fuzz", f"{type(exc).__name__}: {exc}",
                            type(exc).__name__)]
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return RunResult(plan, applied, failures, procs, time.perf_counter() - start)


# ---------------------------------------------------------------- campaigns


@dataclass
class Campaign:
    results: list[RunResult]
    seconds: float

    @property
    def failed(self) -> list[RunResult]:
        return [result for result in self.results if result.failures]


def runs_for(seeds: Iterable[int], checks: int, builds: int) -> list[RunId]:
    """Builds first (they take longest), then checks, for each seed."""
    seeds = list(seeds)
    return ([RunId("build", seed, index) for seed in seeds for index in range(builds)]
            + [RunId("check", seed, index) for seed in seeds for index in range(checks)])


def run_campaign(runs: list[RunId], jobs: int = 2, scratch: Path | None = None,
                 bases: Bases | None = None,
                 progress: Callable[[RunResult], None] | None = None) -> Campaign:
    """Run every run on ``jobs`` threads (each waits on its child processes)."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gxgk-fuzz-", dir=scratch) as folder:
        work = Path(folder)
        bases = bases or Bases.prepare(work / "bases")
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            results = []
            for result in pool.map(lambda run: execute(run, bases, work), runs):
                results.append(result)
                if progress is not None:
                    progress(result)
    return Campaign(results, time.perf_counter() - start)


# ---------------------------------------------------------------- reporting


def replay_line(run: RunId) -> str:
    script = (REPO / "benchmarks" / "fuzz_long.py").relative_to(REPO)
    return f"python {script} --replay {run} --keep /tmp/gxgk-repro"


def format_failure(result: RunResult, failure: Failure) -> str:
    mutations_text = "; ".join(str(applied) for applied in result.applied)
    return (f"[{failure.label}] {failure.command}: {failure.detail}\n"
            f"    run {result.run} ({_options(result.plan)}) mutations: {mutations_text}\n"
            f"    reproduce: {replay_line(result.run)}")


def _options(plan: Plan) -> str:
    parts = ["git" if plan.git else "no git"]
    if plan.run.kind == "build":
        parts += [f"jobs {plan.jobs}", "search" if plan.search else "no search",
                  "cache" if plan.keep_cache else "no cache"]
        parts += ["withhold"] if plan.withhold else []
    elif plan.changed_since:
        parts.append("changed-since HEAD")
    return ", ".join(parts)


def locate(result: RunResult, failure: Failure, bases: Bases, scratch: Path) -> str:
    """Where a crash or a hang comes from: the run again, that command with GXGK_DEBUG=1,
    and the innermost gxgk_site frame of the traceback (or of faulthandler's dump)."""
    args = next((proc.args for proc in result.procs if proc.command == failure.command), None)
    if args is None:
        return "?"
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        prepared = materialize(result.plan, bases, Path(folder))
        args = [args[0], str(prepared.root), *args[2:]]  # the site is always the second
        proc = run_command(failure.command, args, prepared.root.parent, debug=True)
    frames = re.findall(r'File "([^"]*gxgk_site[^"]*)", line (\d+),? in (\S+)', proc.output)
    if not frames:
        return "(no gxgk_site frame)"
    path, line, function = frames[0] if "most recent call first" in proc.output else frames[-1]
    return f"{path[path.rindex('gxgk_site'):]}:{line} in {function}"
