"""The long run's summary: failures by kind, groups by cause (one debug rerun each), the
slowest runs, and a reproduction line per failure."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from fuzzing.oracles import Failure
from fuzzing.runner import Campaign, RunResult, format_failure, replay_line

LOCATED = ("crash", "traceback", "hang", "exit-code")  # kinds a debug rerun can place


@dataclass
class Group:
    label: str
    command: str
    cause: str  # where (file:line in function) or what (the failure's detail, shaped)
    examples: list[tuple[RunResult, Failure]] = field(default_factory=list)

    @property
    def runs(self) -> int:
        return len({result.run for result, _ in self.examples})


def shape(failure: Failure) -> str:
    """The failure's detail without what varies from one example to the next."""
    detail = failure.detail
    if failure.kind == "leak":
        return re.sub(r"-\d+$", "", detail.split(" in ")[0])
    if failure.kind == "missed-finding":
        detail = detail.split(": ", 1)[-1]
    if failure.kind in ("raw-message", "huge-message", "dropped"):
        return failure.exception or failure.kind
    detail = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", detail)
    detail = re.sub(r"/[^\s:]+", "/…", detail)
    return re.sub(r"\d+", "N", detail)[:120]


def _first_key(result: RunResult, failure: Failure) -> tuple[str, ...]:
    """Crashes and hangs are told apart by their mutations too (one rerun places each set)."""
    key = (failure.label, failure.command, shape(failure))
    if failure.kind in LOCATED:
        key += tuple(sorted({applied.name for applied in result.applied}))
    return key


def group_failures(campaign: Campaign, locate: Callable[[RunResult, Failure], str],
                   jobs: int = 1) -> list[Group]:
    """Groups by (kind, command, shaped detail); crashes and hangs are placed by one debug
    rerun per set of mutations (on ``jobs`` threads) and grouped by where they happen."""
    first: dict[tuple[str, ...], list[tuple[RunResult, Failure]]] = defaultdict(list)
    for result in campaign.failed:
        for failure in result.failures:
            first[_first_key(result, failure)].append((result, failure))
    keys = sorted(first)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        causes = list(pool.map(
            lambda key: locate(*first[key][0]) if key[0].split(":")[0] in LOCATED else key[2],
            keys))
    groups: dict[tuple[str, str, str], Group] = {}
    for key, cause in zip(keys, causes, strict=True):
        where = re.sub(r":\d+ in ", " in ", cause)  # a hang or a recursion stops anywhere in it
        group = groups.setdefault((key[0], key[1], where), Group(key[0], key[1], cause))
        group.examples.extend(first[key])
    return sorted(groups.values(), key=lambda g: (-g.runs, g.label))


def kind_table(campaign: Campaign) -> list[str]:
    runs = Counter()
    total = Counter()
    for result in campaign.failed:
        labels = [failure.label for failure in result.failures]
        total.update(labels)
        runs.update(set(labels))
    lines = [f"{'failure kind':44} {'runs':>6} {'failures':>9}"]
    lines += [f"{label:44} {runs[label]:>6} {total[label]:>9}"
              for label in sorted(runs, key=lambda lab: (-runs[lab], lab))]
    return lines


def group_table(groups: list[Group]) -> list[str]:
    lines = []
    for number, group in enumerate(groups, start=1):
        # the example to reproduce: the run with the fewest mutations
        result, failure = min(group.examples, key=lambda e: (len(e[0].applied), e[0].run))
        mutations = Counter(a.name for r, _ in group.examples for a in r.applied[:1])
        lines += [f"G{number}. [{group.label}] {group.command}: {group.cause}",
                  f"     {group.runs} run(s); first mutations: "
                  + ", ".join(f"{name} x{count}" for name, count in mutations.most_common(4)),
                  f"     e.g. {failure.detail[:200]}",
                  f"     run {result.run}: " + "; ".join(str(a) for a in result.applied)[:300],
                  f"     reproduce: {replay_line(result.run)}"]
    return lines


def slowest(campaign: Campaign, count: int = 10) -> list[str]:
    """The slowest runs that finished (the killed ones are the hangs, listed above)."""
    finished = [r for r in campaign.results if r.procs and not any(p.timed_out for p in r.procs)]
    lines = []
    for result in sorted(finished, key=lambda r: -r.slowest)[:count]:
        proc = max(result.procs, key=lambda p: p.seconds)
        lines.append(f"{proc.seconds:6.2f} s  {proc.command:9} exit {proc.returncode}  "
                     f"{result.run}: " + "; ".join(str(a) for a in result.applied)[:150])
    return lines


def summary(campaign: Campaign, groups: list[Group], jobs: int) -> str:
    kinds = Counter(result.run.kind for result in campaign.results)
    commands = Counter(proc.command for r in campaign.results for proc in r.procs)
    failed = Counter(result.run.kind for result in campaign.failed)
    lines = [
        f"runs: {kinds['check']} check runs ({failed['check']} failed), "
        f"{kinds['build']} build runs ({failed['build']} failed); commands: "
        + ", ".join(f"{count} {name}" for name, count in sorted(commands.items())),
        f"wall time: {campaign.seconds:.0f} s on {jobs} job(s)", "",
        *kind_table(campaign), "", f"{len(groups)} group(s) by cause:", *group_table(groups),
        "", "slowest runs that finished:", *slowest(campaign), "",
    ]
    return "\n".join(lines)


def every_failure(campaign: Campaign) -> str:
    return "\n".join(format_failure(result, failure)
                     for result in campaign.failed for failure in result.failures)
