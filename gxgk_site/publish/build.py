"""`gxgk build`: check, then turn the public part of a site into the static column.

load (parse cache) → rules (in a child, while the parent plans) → public view → pages and their
fingerprints → compare with the last build's manifest → render what changed (both scripts, all
cores), feeds, exports, attachments, assets, search index → a new tree beside the output, of
the changed files and hard links to the others (few pages changed) or of every file (a clean
build), swapped in at once (see output.py) → manifest.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gxgk_site import site_files
from gxgk_site.findings import Finding, Severity
from gxgk_site.loader import load_site
from gxgk_site.model import Site
from gxgk_site.parse_cache import RACY_SECONDS
from gxgk_site.public_search.index import BUNDLES, S2T_MAP, T2S_MAP, SearchIndexer, bundles_of
from gxgk_site.publish import exports, feeds, fingerprints, manifest
from gxgk_site.publish.attachments import collect
from gxgk_site.publish.background import rules_in_background
from gxgk_site.publish.cache import body_key, keep_bodies, load_bodies, load_qr
from gxgk_site.publish.output import (
    AtomicOutput,
    StagedUpdate,
    check_target,
    exclusive,
    recover,
    write_file,
    writing,
)
from gxgk_site.publish.pages import Page, plan
from gxgk_site.publish.public import PublicSite, public_site
from gxgk_site.render import markdown
from gxgk_site.render.html import (
    Rendered,
    RenderJob,
    default_jobs,
    links_hold,
    page_files,
    qr_keys,
    render_all,
)
from gxgk_site.render.templates import environment, theme_dir
from gxgk_site.report import formats as report_formats
from gxgk_site.report.compute import compute
from gxgk_site.rules import run_rules
from gxgk_site.standard_catalog import CATALOG_CSV, catalog_csv

# Above this share of pages to render again, a clean build into a new folder (and a swap) is as
# quick as an update in place, and leaves nothing of the old output behind.
INCREMENTAL_SHARE = 0.5


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
    incremental: bool = False  # only what changed was written, in place


def _assets(site_dir: Path) -> dict[str, Path]:
    """Output path -> source of every static asset: the theme's, then the site's own (which
    win over the theme's). Hidden files are left out, and symbolic links (see site_files)."""
    found: dict[str, Path] = {}
    for root in (theme_dir(), site_dir):
        found.update((relative, root / relative)
                     for relative in site_files.listing(root, "static").files)
    return found


def _copy_key(source: Path) -> str:
    """What a copied file's output depends on: its size and times, or, for a file modified in
    the last seconds (an edit in the same clock tick could keep both), its bytes."""
    stat = source.stat()
    if time.time_ns() - stat.st_mtime_ns < RACY_SECONDS * 1_000_000_000:
        return "bytes " + hashlib.blake2b(source.read_bytes(), digest_size=16).hexdigest()
    return f"copy {source} {stat.st_size} {stat.st_mtime_ns} {stat.st_ctime_ns} {stat.st_ino}"


def _text_key(text: bytes) -> str:
    return "text " + hashlib.blake2b(text, digest_size=16).hexdigest()


def build_site(site_dir: Path, out_dir: Path, today: dt.date, *, jobs: int | None = None,
               withhold: bool = False, search: bool = True,
               progress: Callable[[int, int], None] = lambda done, total: None) -> BuildReport:
    """Build the site into ``out_dir``. Raises BuildRefused, OutputRefused (OutputBusy: another
    build is writing it), OutputFailed (a file could not be written), TemplateProblem,
    SearchIndexFailed or ConfigUnavailable; the output is then as it was."""
    # A build makes millions of short-lived objects and no reference cycles worth collecting:
    # the cyclic garbage collector only costs time here (~15% at 10,000 items).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with writing(out_dir), exclusive(out_dir):  # one build at a time per output folder
            return _build(site_dir, out_dir, today, jobs, withhold, search, progress)
    finally:
        if collecting:
            gc.enable()


def _build(site_dir: Path, out_dir: Path, today: dt.date, jobs: int | None, withhold: bool,
           search: bool, progress: Callable[[int, int], None]) -> BuildReport:
    started = time.perf_counter()
    phase = _timer(started)
    recover(out_dir)
    check_target(out_dir, site_dir)
    previous, prepared, findings, held = _checked(site_dir, out_dir, today, jobs, withhold,
                                                  search, phase)
    update = _Update.of(prepared, previous, out_dir)
    phase("compared with the last build")
    to_render = ([prepared.pages[index] for index in update.stale] if update.incremental
                 else prepared.pages)
    job = prepared.job
    job.qr_cache = load_qr(site_dir, qr_keys(job, to_render) if update.incremental else None)
    job.bodies = load_bodies(site_dir, _body_keys(to_render))
    phase("caches read")
    written = _write(site_dir, out_dir, prepared, previous, update, jobs or default_jobs(),
                     progress, phase)
    phase("swapped in")
    manifest.save(site_dir, out_dir, update.record)
    phase("manifest saved")
    if update.rendered.new_bodies:
        keep_bodies(site_dir, _body_keys(prepared.pages))
    phase("body cache pruned")
    pages = prepared.pages
    return BuildReport(items=len(prepared.public.items), pages=len(pages),
                       files=len(update.record.all_files()),
                       seconds=time.perf_counter() - started, findings=findings, withheld=held,
                       rendered=len(update.stale) if update.incremental else len(pages),
                       written=written, incremental=update.incremental)


def _checked(site_dir: Path, out_dir: Path, today: dt.date, jobs: int | None, withhold: bool,
             search: bool, phase: Callable[[str], None],
             ) -> tuple[manifest.Manifest | None, _Prepared, list[Finding], list[str]]:
    """Load the site and run the rules while the pages are planned: the last build's manifest,
    what to build, the findings and the items held back. Raises BuildRefused."""
    loaded = load_site(site_dir, today, jobs, cache=True)
    phase("loaded")
    findings = list(loaded.findings)
    if loaded.site is None:
        raise BuildRefused(findings)
    site = loaded.site
    item_paths = set(site.files)
    if any(f.severity is Severity.ERROR and f.path not in item_paths for f in findings):
        # the site as a whole cannot be built (e.g. a symbolic link, a broken data file): report
        # every finding, and read nothing more (no template, no asset)
        raise BuildRefused(sorted(findings + run_rules(site), key=lambda f: f.sort_key))
    previous = manifest.load(site_dir, out_dir)
    with rules_in_background(site, jobs or default_jobs()) as rule_findings:
        # while the rules run, prepare the pages as if no item had to be held back
        prepared = _prepare(site_dir, out_dir, site, frozenset(), search, previous)
        phase("pages planned")
        findings += rule_findings()
    phase("rules (run meanwhile)")
    findings.sort(key=lambda f: f.sort_key)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    held = sorted({f.path for f in errors if f.path in item_paths})
    if errors and (not withhold or any(f.path not in item_paths for f in errors)):
        raise BuildRefused(findings)
    if held:
        prepared = _prepare(site_dir, out_dir, site, frozenset(held), search, previous)
    return previous, prepared, findings, held


@dataclass
class _Update:
    """What this build writes: the pages to render (their indices), whether it is incremental,
    and the manifest of the new output (its pages' links filled in once they are rendered)."""

    stale: list[int]
    incremental: bool
    record: manifest.Manifest
    rendered: Rendered = field(default_factory=Rendered)

    @classmethod
    def of(cls, prepared: _Prepared, previous: manifest.Manifest | None,
           out_dir: Path) -> _Update:
        pages, job, keys = prepared.pages, prepared.job, prepared.keys
        stale = list(range(len(pages)))
        if previous is not None:
            stale = [index for index, page in enumerate(pages)
                     if _stale(job, page, keys[index], previous.pages.get(page.url))]
        record = manifest.new(out_dir)
        record.files = prepared.files
        record.search_bundles = prepared.search_bundles
        record.rows_key, record.rows = prepared.rows_key, prepared.rows.current
        incremental = previous is not None and len(stale) <= len(pages) * INCREMENTAL_SHARE
        return cls(stale, incremental, record)


def _write(site_dir: Path, out_dir: Path, prepared: _Prepared,
           previous: manifest.Manifest | None, update: _Update, jobs: int,
           progress: Callable[[int, int], None], phase: Callable[[str], None]) -> int:
    """Write the new output beside the old one and swap it in; the number of files written."""
    incremental = update.incremental
    output = StagedUpdate(out_dir) if incremental else AtomicOutput(out_dir)
    with output as tmp:
        prepared.job.out_dir = tmp
        written = _write_files(tmp, prepared, previous if incremental else None)
        written += _render_and_index(tmp, prepared, previous if incremental else None, update,
                                     jobs, progress)
        record = update.record
        for index, page in enumerate(prepared.pages):
            before = previous.pages.get(page.url) if previous is not None else None
            answers = update.rendered.links.get(page.url,
                                                before.links if before is not None else ())
            record.pages[page.url] = manifest.PageRecord(prepared.keys[index], page_files(page),
                                                         answers)
        phase("files written")
        manifest.forget(site_dir, out_dir)  # the output changes from here on
        if isinstance(output, StagedUpdate):
            assert previous is not None
            output.commit(sorted(previous.all_files() - record.all_files()))
        else:
            output.commit()
    return written


def _write_files(tmp: Path, prepared: _Prepared, previous: manifest.Manifest | None) -> int:
    """The generated texts and the copied files (only those that changed since ``previous``)."""
    written = 0
    for name in sorted(prepared.files):
        if previous is None or previous.files.get(name) != prepared.files[name]:
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if name in prepared.texts:
                write_file(target, prepared.texts[name])
            else:
                _copy(prepared.copies[name], target)
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


def _render_and_index(tmp: Path, prepared: _Prepared, previous: manifest.Manifest | None,
                      update: _Update, jobs: int, progress: Callable[[int, int], None]) -> int:
    """Render the pages (all, or the stale ones of an update: ``previous`` is given) while
    Pagefind indexes the search bundles whose items changed; the number of files written."""
    bundles = prepared.search_bundles  # none without the search index
    reindex = bool(bundles) and (previous is None or previous.search_bundles != bundles)
    # an update runs Pagefind again only on the bundles whose items changed
    changed = {name for name, key in bundles.items()
               if previous is None or previous.search_bundles.get(name) != key}
    indexer = SearchIndexer(prepared.public, tmp, changed) if reindex else None  # beside it
    try:
        written = render_all(prepared.job, jobs, progress, update.rendered,
                             only=update.stale if previous is not None else None)
    except BaseException:
        if indexer is not None:
            indexer.abandon()
        raise
    if indexer is not None:
        indexer.finish()
        kept = [name for name in previous.search_files
                if name.partition("/")[0] not in changed] if previous is not None else []
        update.record.search_files = tuple(sorted({*_search_files(tmp), *kept}))
    elif bundles and previous is not None:
        update.record.search_files = previous.search_files
    return written


def _body_keys(pages: list[Page]) -> list[str]:
    """The body cache's keys of the item pages among ``pages``."""
    return [body_key(page.data["view"].item.path, page.data["view"].item.digest)
            for page in pages if page.kind == "item"]


@dataclass
class _Prepared:
    """Everything a build decides before it writes: the pages, their fingerprints, the
    generated files and the files to copy."""

    public: PublicSite
    pages: list[Page]
    job: RenderJob
    keys: list[str | None]
    search_bundles: dict[str, str]  # search bundle folder -> the key of its items (or none)
    texts: dict[str, bytes]
    copies: dict[str, Path]
    files: dict[str, str]  # generated and copied files: output path -> key
    rows_key: str
    rows: exports.Rows


def _prepare(site_dir: Path, out_dir: Path, site: Site, held: frozenset[str],
             search: bool, previous: manifest.Manifest | None) -> _Prepared:
    public = public_site(site, held)
    attachments = collect(site_dir, {v.item.path: v.item.body for v in public.items})
    reports = [compute(site, year) for year in sorted(site.reports)]
    pages = plan(public, reports)
    env = environment(site_dir)
    job = RenderJob(
        site_dir=site_dir, out_dir=out_dir, env=env, public=public,
        pages=pages, attachments=attachments,
        item_urls={v.item.path: v.url for v in public.items if v.url},
        guide_html=markdown.render(site.guide) if site.guide else "",
        extra={"window_days": site.config.rules.window_working_days,
               "request_days": site.config.rules.request_days,
               "request_extension_days": site.config.rules.request_extension_days,
               "standard_catalog": site.standard_catalog is not None},
    )
    templates = fingerprints.template_sources(env)
    everything = fingerprints.site_key(templates, (site_dir / "site.yaml").read_bytes(),
                                       job.guide_html, job.extra)
    common = fingerprints.digest((everything, fingerprints.columns_key(public),
                                  fingerprints.items_key(public.catalog)
                                  if fingerprints.reads_whole_site(templates) else None))
    page_keys = fingerprints.PageKeys(common, public.catalog)
    keys = [page_keys.key(page, attachments.get(page.data["view"].item.path, [])
                          if page.kind == "item" else None) for page in pages]
    search_bundles = {name: fingerprints.digest((everything, name,
                                                 len(views) < len(public.items),
                                                 fingerprints.items_key(views)))
                      for name, views in bundles_of(public.items).items()} if search else {}
    rows = exports.Rows(page_keys.stamp, previous.rows if previous is not None
                        and previous.rows_key == everything else None)
    texts = {name: text.encode("utf-8") for name, text in (
        ("feed.xml", feeds.atom(public)),
        ("sitemap.xml", feeds.sitemap(public, pages)),
        ("robots.txt", feeds.robots(public)),
        ("catalog.json", exports.catalog_json(public, rows)),
        ("catalog.csv", exports.catalog_csv(public, rows)),
        (CATALOG_CSV, catalog_csv(site.standard_catalog)),
        *((f"reports/{r.year}.csv", report_formats.to_csv(r)) for r in reports),
        *((f"reports/{r.year}.json", report_formats.to_json(r)) for r in reports))
        if text is not None}
    copies = _assets(site_dir)
    for item_attachments in attachments.values():
        for attachment in item_attachments:
            copies.setdefault(attachment.url, site_dir / attachment.source)
    files = {name: _text_key(text) for name, text in texts.items()}
    files.update((name, _copy_key(source)) for name, source in copies.items())
    return _Prepared(public, pages, job, keys, search_bundles, texts, copies, files, everything,
                     rows)


def _timer(started: float) -> Callable[[str], None]:
    """With GXGK_TIMINGS set, print how long each phase of the build took (to stderr)."""
    if not os.environ.get("GXGK_TIMINGS"):
        return lambda name: None
    last = [started]

    def phase(name: str) -> None:
        now = time.perf_counter()
        print(f"gxgk build: {name} {now - last[0]:.3f} s", file=sys.stderr)
        last[0] = now

    return phase


def _stale(job: RenderJob, page: Page, key: str | None,
           before: manifest.PageRecord | None) -> bool:
    """Whether a page must be rendered again (see fingerprints)."""
    if key is None or before is None or before.key != key or before.files != page_files(page):
        return True
    return bool(before.links) and not links_hold(job, page, before.links)


def _search_files(out_dir: Path) -> tuple[str, ...]:
    found = [T2S_MAP, S2T_MAP]
    for bundle in BUNDLES:
        for folder, _, names in os.walk(out_dir / bundle):
            relative = Path(folder).relative_to(out_dir).as_posix()
            found += [f"{relative}/{name}" for name in names]
    return tuple(sorted(found))
