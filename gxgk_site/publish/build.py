"""`gxgk build`: check the site, then turn its public part into the static column.

The build's phases, each timed (``GXGK_TIMINGS=1`` prints them):

1. load: site.yaml, the items (parse cache), the data files;
2. check and plan: the rules run in a forked child while this process plans the build (plan.py);
   an error refuses it (or, with --withhold, holds its items back and plans again);
3. compare: what changed since the last build of the output (changes.py);
4. write: a new tree beside the output (output.py) gets the generated and copied files that
   changed, then the pages to render (render/html.py, on every core) while Pagefind indexes the
   search bundles whose items changed (public_search/index.py); an update links in the rest;
5. swap: the new tree takes the output's place in one step; the manifest is saved.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import gc
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from gxgk_site import workers
from gxgk_site.cache_store import Store
from gxgk_site.findings import Finding, Severity
from gxgk_site.loader import load_site
from gxgk_site.model import Site
from gxgk_site.public_search.index import BUNDLES, S2T_MAP, T2S_MAP, SearchIndexer
from gxgk_site.publish import manifest
from gxgk_site.publish.background import rules_in_background
from gxgk_site.publish.cache import body_key, keep_bodies, load_bodies, load_qr
from gxgk_site.publish.changes import Changes
from gxgk_site.publish.output import (
    AtomicOutput,
    StagedUpdate,
    check_target,
    exclusive,
    recover,
    write_file,
    writing,
)
from gxgk_site.publish.pages import Page
from gxgk_site.publish.plan import Plan, make_plan
from gxgk_site.render.html import Rendered, RenderJob, qr_keys, render_all
from gxgk_site.rules import run_rules

Result = TypeVar("Result")


class BuildRefused(Exception):
    """The site has errors (or cannot be built); ``findings`` says which."""

    def __init__(self, findings: list[Finding], message: str = "") -> None:
        super().__init__(message or f"{len(findings)} finding(s)")
        self.findings = findings


@dataclass
class BuildReport:
    items: int
    pages: int
    files: int
    seconds: float
    findings: list[Finding]
    withheld: list[str] = field(default_factory=list)
    rendered: int = 0  # pages rendered by this build (all, unless incremental)
    written: int = 0  # files written by this build
    incremental: bool = False  # only what changed was written


def build_site(site_dir: Path, out_dir: Path, today: dt.date, *, jobs: int | None = None,
               withhold: bool = False, search: bool = True,
               progress: Callable[[int, int], None] = lambda done, total: None) -> BuildReport:
    """Build the site into ``out_dir``. Raises BuildRefused, OutputRefused (OutputBusy: another
    build is writing it), OutputFailed (a file could not be written), TemplateProblem,
    SearchIndexFailed or ConfigUnavailable; the output is then as it was."""
    jobs = jobs or workers.default_jobs()
    phase = _Phases()
    with _no_cycle_collection(), writing(out_dir), exclusive(out_dir):
        recover(out_dir)
        check_target(out_dir, site_dir)
        store = Store.open(site_dir)
        site, findings = phase("loaded", _load, site_dir, today, jobs, store)
        previous = manifest.load(store, out_dir)
        plan, findings, held = phase("checked and planned", _check_and_plan, site_dir, site,
                                     findings, withhold, search, previous, jobs, store)
        job = dataclasses.replace(plan.render_job(site_dir), store=store)
        changes = phase("compared with the last build", Changes.between, previous, plan, job)
        job = phase("caches read", _with_caches, job, plan, changes)
        output = StagedUpdate(out_dir) if changes.incremental else AtomicOutput(out_dir)
        with output as tree:
            job = dataclasses.replace(job, out_dir=tree)
            written = phase("files written", _write_files, tree, plan, changes)
            rendered, search_files = phase("pages rendered and indexed", _render_and_index,
                                           job, plan, changes, jobs, progress)
            record = changes.record(plan, out_dir, rendered, search_files)
            manifest.forget(store, out_dir)  # the output changes from here on
            phase("swapped in", output.commit, changes.gone(record))
        manifest.save(store, out_dir, record)
        if rendered.new_bodies:
            phase("body cache pruned", keep_bodies, store, _body_keys(plan.pages))
    return BuildReport(items=len(plan.public.items), pages=len(plan.pages),
                       files=len(record.all_files()), seconds=phase.total(),
                       findings=findings, withheld=held, rendered=len(changes.stale),
                       written=written + rendered.written, incremental=changes.incremental)


def _load(site_dir: Path, today: dt.date, jobs: int,
          store: Store) -> tuple[Site, list[Finding]]:
    loaded = load_site(site_dir, today, jobs, cache=store)
    if loaded.site is None:
        raise BuildRefused(loaded.findings)
    return loaded.site, list(loaded.findings)


def _check_and_plan(site_dir: Path, site: Site, findings: list[Finding], withhold: bool,
                    search: bool, previous: manifest.Manifest | None, jobs: int,
                    store: Store) -> tuple[Plan, list[Finding], list[str]]:
    """Run the rules while the build is planned: the plan, every finding and the items held
    back (with --withhold). Raises BuildRefused."""
    items = set(site.files)
    if any(f.severity is Severity.ERROR and f.path not in items for f in findings):
        # the site as a whole cannot be built (e.g. a symbolic link, a broken data file):
        # report every finding, and read nothing more (no template, no asset)
        raise BuildRefused(sorted(findings + run_rules(site), key=lambda f: f.sort_key))
    rows = (previous.rows_key, previous.rows) if previous is not None else None
    with rules_in_background(site, jobs) as rule_findings:
        # meanwhile, plan as if no item had to be held back
        plan = make_plan(site_dir, site, frozenset(), search, rows, store)
        findings = sorted(findings + rule_findings(), key=lambda f: f.sort_key)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    held = sorted({f.path for f in errors if f.path in items})
    if errors and (not withhold or any(f.path not in items for f in errors)):
        raise BuildRefused(findings)
    if held:
        plan = make_plan(site_dir, site, frozenset(held), search, rows, store)
    return plan, findings, held


def _with_caches(job: RenderJob, plan: Plan, changes: Changes) -> RenderJob:
    """The job with the QR codes and bodies of the build cache that the pages to render use."""
    pages = [plan.pages[index] for index in changes.stale]
    return dataclasses.replace(
        job, qr_cache=load_qr(job.store, qr_keys(job, pages) if changes.incremental else None),
        bodies=load_bodies(job.store, _body_keys(pages)))


def _write_files(tree: Path, plan: Plan, changes: Changes) -> int:
    """The generated and copied files that changed since the last build (all in a clean one);
    how many."""
    written = 0
    for name in sorted(plan.files):
        if changes.file_changed(name, plan.files[name]):
            target = tree / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if name in plan.texts:
                write_file(target, plan.texts[name])
            else:
                _copy(plan.copies[name], target)
            written += 1
    return written


def _copy(source: Path, target: Path) -> None:
    """Copy a file; an error in writing names the target (shutil names the source for some)."""
    try:
        shutil.copyfile(source, target)
    except OSError as exc:
        if exc.filename2 is None and exc.filename == str(source):  # reading it
            raise
        raise OSError(exc.errno or errno.EIO, exc.strerror, str(target)) from None


def _render_and_index(job: RenderJob, plan: Plan, changes: Changes, jobs: int,
                      progress: Callable[[int, int], None]) -> tuple[Rendered, tuple[str, ...]]:
    """Render the pages to render while Pagefind indexes the search bundles whose items
    changed; what rendering found, and the search index's files in the new output."""
    bundles = changes.bundles_to_index(plan)
    indexer = (SearchIndexer(plan.public, job.out_dir, bundles, plan.search_texts) if bundles
               else None)
    try:
        rendered = render_all(job, jobs, progress, changes.stale)
    except BaseException:
        if indexer is not None:
            indexer.abandon()
        raise
    base = changes.base
    if indexer is None:
        return rendered, base.search_files if base is not None and plan.search_bundles else ()
    indexer.finish()
    kept = [name for name in base.search_files
            if name.partition("/")[0] not in bundles] if base is not None else []
    return rendered, tuple(sorted({*_search_files(job.out_dir), *kept}))


def _body_keys(pages: list[Page]) -> list[str]:
    """The body cache's keys of the item pages among ``pages``."""
    return [body_key(page.data["view"].item.path, page.data["view"].item.digest)
            for page in pages if page.kind == "item"]


def _search_files(out_dir: Path) -> tuple[str, ...]:
    found = [T2S_MAP, S2T_MAP]
    for bundle in BUNDLES:
        for folder, _, names in os.walk(out_dir / bundle):
            relative = Path(folder).relative_to(out_dir).as_posix()
            found += [f"{relative}/{name}" for name in names]
    return tuple(sorted(found))


class _Phases:
    """``phase(name, function, *args)`` runs a phase; with GXGK_TIMINGS set, it prints how
    long each one took (to stderr)."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.show = bool(os.environ.get("GXGK_TIMINGS"))

    def __call__(self, name: str, function: Callable[..., Result], *args: Any) -> Result:
        result = function(*args)
        now = time.perf_counter()
        if self.show:
            print(f"gxgk build: {name} {now - self.last:.3f} s", file=sys.stderr)
        self.last = now
        return result

    def total(self) -> float:
        return time.perf_counter() - self.started


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A build makes millions of short-lived objects and no reference cycles worth collecting:
    the cyclic garbage collector only costs time here (~15% at 10,000 items)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
