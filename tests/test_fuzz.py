"""A bounded fuzz campaign: seeded mutations of the demo site, the real `gxgk check` and `gxgk
build` in child processes, and oracles for what they must never do (tests/fuzzing/).

150 check runs and 15 builds over three fixed seeds; each failure is printed with its run id,
its mutations and the line that reproduces it. `benchmarks/fuzz_long.py` runs the long campaign.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fuzzing import format_failure, run_campaign
from fuzzing.context import Expectations
from fuzzing.oracles import (
    CheckView,
    Proc,
    dropped_files,
    output_failures,
    process_failures,
    uncounted_items,
)
from fuzzing.runner import Bases, Plan, RunId, execute, execute_plan, materialize, runs_for
from fuzzing.sites import tree_digest

CI_SEEDS = (0, 1, 2)
CHECKS_PER_SEED = 50
BUILDS_PER_SEED = 5
JOBS = int(os.environ.get("GXGK_FUZZ_JOBS", "3"))  # 3 keep 2 cores busy (the commands wait)


def _proc(returncode: int | None, stderr: str = "", stdout: str = "") -> Proc:
    return Proc("check", [], returncode, stdout, stderr, 0.5, timed_out=returncode is None)


@pytest.mark.parametrize(("proc", "label"), [
    (_proc(None), "hang"),
    (_proc(2, "gxgk: internal error: KeyError: 'x' (set GXGK_DEBUG=1 for details)"),
     "crash:KeyError"),
    (_proc(1, "Traceback (most recent call last):\n  File \"x.py\", line 1\nValueError: no\n"),
     "traceback:ValueError"),
    (_proc(-11), "exit-code"),
    (_proc(1, stdout="a.yaml: 'utf-8' codec can't decode byte 0xb9"),
     "raw-message:codec can't decode"),
    (_proc(1, stdout="x" * 30_000), "huge-message"),
])
def test_the_process_oracles_fire(proc: Proc, label: str) -> None:
    """Synthetic failures: without these, a CI run on sound code would pass vacuously."""
    assert [failure.label for failure in process_failures(proc)] == [label]


def test_the_output_oracles_fire(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("GXGKLEAK-x <script>gxgkxss(1)</script> gxgkjj149jj "
                                     "gxgkph1a <header> gxgkph1b", encoding="utf-8")
    (tmp_path / "b.csv").write_text("title\n=HYPERLINK(1)\n", encoding="utf-8")
    (tmp_path / "c.xml").write_text("<feed><title>]]></feed>", encoding="utf-8")
    expect = Expectations(secrets={"GXGKLEAK-x": ()}, forbid_markup=["<script>gxgkxss(1)"],
                          forbid_anywhere=["gxgkjj149jj"],
                          intact=[("gxgkph1a", "gxgkph1a @@gxgk-qr@@ gxgkph1b")])
    kinds = sorted(failure.kind for failure in output_failures(tmp_path, expect))
    assert kinds == ["bad-xml", "csv-formula", "leak", "markup", "placeholder",
                     "template-evaluated"]
    deadlines = _proc(0, "gxgk deadlines: 1 file(s) cannot be read as items and are not listed "
                         "(see gxgk check): content/a.md\n")
    assert [f.kind for f in dropped_files(["content/a.md", "content/b.md"], deadlines)] == [
        "dropped"]
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("---\n---\n", encoding="utf-8")
    assert [f.kind for f in uncounted_items(CheckView(items=0), tmp_path)] == ["dropped"]


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> Bases:
    return Bases.prepare(tmp_path_factory.mktemp("fuzz-bases"))


@pytest.mark.parametrize("plan", [
    Plan(RunId("check", 0, 0), (), git=False),
    Plan(RunId("check", 0, 0), (), git=True, changed_since=True),
    Plan(RunId("build", 0, 0), (), git=False, jobs=2, search=True),
    Plan(RunId("build", 0, 0), (), git=True, withhold=True, keep_cache=False),
], ids=["check", "check-git-changed-since", "build-search", "build-git-withhold"])
def test_the_pristine_site_passes_every_oracle(plan: Plan, bases: Bases,
                                               tmp_path: Path) -> None:
    """Without mutations no oracle fires: they do not mistake legitimate behaviour."""
    result = execute_plan(plan, bases, tmp_path)
    assert result.failures == [], [format_failure(result, f) for f in result.failures]


def test_a_run_is_the_same_every_time(bases: Bases, tmp_path: Path) -> None:
    for index in range(0, 40, 7):
        plan_runs = [materialize(Plan(RunId("check", 5, index), ("repeat-key", "deep-flow",
                                                                 "inject-item"), git=False),
                                 bases, tmp_path / f"{index}-{copy}")
                     for copy in range(2)]
        first, second = (tree_digest(prepared.root / "content") for prepared in plan_runs)
        assert first == second
        assert [str(a) for a in plan_runs[0].applied] == [str(a) for a in plan_runs[1].applied]


# Runs of the long campaign that once failed, run again in CI (benchmarks/fuzz_long.py).
REGRESSIONS = [
    # 20,000 headings of one text: the anchors plugin's loop made the build hang (30 s)
    "build:11:156",
]


@pytest.mark.parametrize("run", REGRESSIONS)
def test_runs_that_once_failed_pass(run: str, bases: Bases, tmp_path: Path) -> None:
    result = execute(RunId.parse(run), bases, tmp_path)
    assert result.failures == [], [format_failure(result, f) for f in result.failures]


def test_fuzzed_sites_never_break_check_or_build(bases: Bases, tmp_path: Path) -> None:
    runs = runs_for(CI_SEEDS, CHECKS_PER_SEED, BUILDS_PER_SEED)
    campaign = run_campaign(runs, JOBS, tmp_path, bases)
    report = [format_failure(result, failure)
              for result in campaign.failed for failure in result.failures]
    print(f"{len(campaign.results)} runs in {campaign.seconds:.1f} s")
    assert not report, (f"{len(report)} failure(s) in {len(campaign.failed)} of "
                        f"{len(campaign.results)} runs:\n" + "\n".join(report))
