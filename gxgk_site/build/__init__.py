"""`gxgk build`: check, then turn the public part of a site into the static column.

load → rules → public view → pages → render (both scripts, all cores) → feeds, exports,
attachments, assets → atomic swap of the output folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gxgk_site import markdown
from gxgk_site.build import exports, feeds
from gxgk_site.build.attachments import collect
from gxgk_site.build.cache import load_qr, save_qr
from gxgk_site.build.output import AtomicOutput, check_target, recover
from gxgk_site.build.pages import plan
from gxgk_site.build.public import public_site
from gxgk_site.build.render import RenderJob, default_jobs, render_all
from gxgk_site.build.search_index import SearchIndexer
from gxgk_site.build.theme import environment, theme_dir
from gxgk_site.findings import Finding, Severity
from gxgk_site.frontmatter import NoFrontMatter, decode, split
from gxgk_site.loader import CONTENT_DIR, load_site
from gxgk_site.report import formats as report_formats
from gxgk_site.report.compute import compute
from gxgk_site.rules import run_rules


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


def _guide_html(site_dir: Path) -> str:
    path = site_dir / CONTENT_DIR / "guide.md"
    if not path.is_file():
        return ""
    text = decode(path.read_bytes())
    with contextlib.suppress(NoFrontMatter):  # the guide may have front-matter, or none
        text = split(text).body
    return markdown.render(text)


def _copy_tree(source: Path, target: Path) -> int:
    count = 0
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            hidden = any(part.startswith(".") for part in path.relative_to(source).parts)
            if path.is_file() and not hidden:
                destination = target / path.relative_to(source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)
                count += 1
    return count


def build_site(site_dir: Path, out_dir: Path, today: dt.date, *, jobs: int | None = None,
               withhold: bool = False, search: bool = True,
               progress: Callable[[int, int], None] = lambda done, total: None) -> BuildReport:
    # A build makes millions of short-lived objects and no reference cycles worth collecting:
    # the cyclic garbage collector only costs time here (~15% at 10,000 items).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(site_dir, out_dir, today, jobs, withhold, search, progress)
    finally:
        if collecting:
            gc.enable()


def _build(site_dir: Path, out_dir: Path, today: dt.date, jobs: int | None, withhold: bool,
           search: bool, progress: Callable[[int, int], None]) -> BuildReport:
    started = time.perf_counter()
    recover(out_dir)
    check_target(out_dir, site_dir)
    loaded = load_site(site_dir, today, jobs)
    findings = list(loaded.findings)
    if loaded.site is None:
        raise BuildRefused(findings)
    site = loaded.site
    findings += run_rules(site)
    findings.sort(key=lambda f: f.sort_key)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    item_paths = set(site.files)
    held = sorted({f.path for f in errors if f.path in item_paths})
    if errors and (not withhold or any(f.path not in item_paths for f in errors)):
        raise BuildRefused(findings)

    public = public_site(site, frozenset(held))
    attachments = collect(site_dir, {v.item.path: v.item.body for v in public.items})
    reports = [compute(site, year) for year in sorted(site.reports)]
    pages = plan(public, reports)
    job = RenderJob(
        site_dir=site_dir, out_dir=out_dir, env=environment(site_dir), public=public,
        pages=pages, attachments=attachments,
        item_urls={v.item.path: v.url for v in public.items if v.url},
        guide_html=_guide_html(site_dir),
        extra={"window_days": site.config.rules.window_working_days,
               "request_days": site.config.rules.request_days,
               "request_extension_days": site.config.rules.request_extension_days},
        qr_cache=load_qr(site_dir),
    )
    new_qr: dict[tuple[str, str], str] = {}
    output = AtomicOutput(out_dir)
    with output as tmp:
        job.out_dir = tmp
        files = _copy_tree(theme_dir() / "static", tmp / "static")
        files += _copy_tree(site_dir / "static", tmp / "static")
        published: set[str] = set()
        for item_attachments in attachments.values():
            for attachment in item_attachments:
                if attachment.source not in published:
                    published.add(attachment.source)
                    target = tmp / attachment.url
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(site_dir / attachment.source, target)
                    files += 1
        indexer = SearchIndexer(public, tmp) if search else None  # runs while pages render
        try:
            files += render_all(job, jobs or default_jobs(), progress, new_qr)
        except BaseException:
            if indexer is not None:
                indexer.abandon()
            raise
        if indexer is not None:
            indexer.finish()
        for name, text in (("feed.xml", feeds.atom(public)),
                           ("sitemap.xml", feeds.sitemap(public, pages)),
                           ("robots.txt", feeds.robots(public)),
                           ("catalog.json", exports.catalog_json(public)),
                           ("catalog.csv", exports.catalog_csv(public)),
                           *((f"reports/{r.year}.csv", report_formats.to_csv(r)) for r in reports),
                           *((f"reports/{r.year}.json", report_formats.to_json(r))
                             for r in reports)):
            (tmp / name).write_bytes(text.encode("utf-8"))
            files += 1
        output.commit()
    save_qr(site_dir, new_qr)
    return BuildReport(items=len(public.items), pages=len(pages), files=files,
                       seconds=time.perf_counter() - started, findings=findings, withheld=held)
