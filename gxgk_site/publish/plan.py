"""The plan of a build: everything it decides before it writes.

What is public (public.py), the pages (pages.py) with their own fingerprints, the attachments,
the generated files (feeds, exports, the reports' data) and the files to copy (assets,
attachments), each with a key that changes with what it is made from, the search bundles' keys,
and the template environment. Nothing here writes.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from gxgk_site import site_files
from gxgk_site.attachment_text.load import searchable_text
from gxgk_site.cache_store import Store
from gxgk_site.model import Site
from gxgk_site.parse_cache import RACY_SECONDS
from gxgk_site.public_search.index import bundles_of
from gxgk_site.publish import exports, feeds, fingerprints
from gxgk_site.publish.attachments import Attachment, collect
from gxgk_site.publish.pages import Page, plan_pages
from gxgk_site.publish.public import PublicSite, public_site
from gxgk_site.render import markdown
from gxgk_site.render.html import RenderJob
from gxgk_site.render.templates import Environment, environment, theme_dir
from gxgk_site.report import formats as report_formats
from gxgk_site.report.compute import AnnualReport, compute
from gxgk_site.standard_catalog import CATALOG_CSV, catalog_csv


@dataclass(frozen=True)
class Plan:
    public: PublicSite
    pages: list[Page]
    keys: list[str | None]  # each page's own fingerprint (fingerprints.PageKeys), None: unkeyed
    attachments: dict[str, list[Attachment]]  # item path -> its attachments
    env: Environment
    guide_html: str
    extra: dict[str, object]  # the statutory periods templates may show
    site_key: str  # the site as a whole (fingerprints.site_key)
    search_bundles: dict[str, str]  # search bundle folder -> the key of its items (or none)
    search_texts: dict[str, str]  # item path -> the text of its attachments, searched with it
    texts: dict[str, bytes]  # generated files: output path -> content
    copies: dict[str, Path]  # copied files: output path -> source
    files: dict[str, str]  # generated and copied files: output path -> key
    rows: exports.Rows  # the catalog's encoded rows, for the next build

    def render_job(self, site_dir: Path) -> RenderJob:
        """What rendering needs of the plan (the output folder and the caches come later)."""
        return RenderJob(
            site_dir=site_dir, env=self.env, public=self.public, pages=self.pages,
            attachments=self.attachments,
            item_urls={v.item.path: v.url for v in self.public.items if v.url},
            guide_html=self.guide_html, extra=self.extra)


def make_plan(site_dir: Path, site: Site, held: frozenset[str], search: bool,
              previous_rows: tuple[str, dict[str, str]] | None, store: Store) -> Plan:
    """The plan without the items ``held`` back; ``previous_rows`` are the last build's
    encoded catalog rows with the site key they were made under (see exports.Rows); the
    templates are compiled once into the build cache ``store``."""
    public = public_site(site, held)
    attachments = collect(site_dir, {v.item.path: v.item.body for v in public.items})
    reports = [compute(site, year) for year in sorted(site.reports)]
    pages = plan_pages(public, reports)
    env = environment(site_dir, store)
    guide_html = markdown.render(site.guide) if site.guide else ""
    extra = _extra(site)
    site_key = fingerprints.site_key(fingerprints.template_sources(env),
                                     (site_dir / site_files.CONFIG_FILE).read_bytes(),
                                     guide_html, extra)
    page_keys = fingerprints.PageKeys(site_key, public.catalog)
    keys = [page_keys.key(page, attachments.get(page.data["view"].item.path, [])
                          if page.kind == "item" else None) for page in pages]
    search_texts = _search_texts(site, public) if search else {}
    search_bundles = _search_bundles(public, site_key, search_texts) if search else {}
    rows = exports.Rows(page_keys.stamp, previous_rows[1] if previous_rows is not None
                        and previous_rows[0] == site_key else None)
    texts = _generated(site, public, pages, reports, rows)
    copies = _assets(site_dir)
    for item_attachments in attachments.values():
        for attachment in item_attachments:
            copies.setdefault(attachment.url, site_dir / attachment.source)
    files = {name: _text_key(text) for name, text in texts.items()}
    files.update((name, _copy_key(source)) for name, source in copies.items())
    return Plan(public, pages, keys, attachments, env, guide_html, extra, site_key,
                search_bundles, search_texts, texts, copies, files, rows)


def _extra(site: Site) -> dict[str, object]:
    """The site-wide template values beyond the contract's objects (see RenderJob.extra)."""
    rules = site.config.rules
    return {"window_days": rules.window_working_days, "request_days": rules.request_days,
            "request_extension_days": rules.request_extension_days,
            "standard_catalog": site.standard_catalog is not None}


def _search_texts(site: Site, public: PublicSite) -> dict[str, str]:
    """Item path -> the text of the attachments it links, for the items that have any."""
    return {view.item.path: text for view in public.items
            if (text := searchable_text(site, view.item.path))}


def _search_bundles(public: PublicSite, site_key: str,
                    search_texts: dict[str, str]) -> dict[str, str]:
    """Search bundle folder -> the key of what it indexes: its items and their attachments."""
    return {name: fingerprints.digest((
        site_key, name, len(views) < len(public.items), fingerprints.items_key(views),
        [search_texts.get(view.item.path, "") for view in views]))
        for name, views in bundles_of(public.items).items()}


def _generated(site: Site, public: PublicSite, pages: list[Page], reports: list[AnnualReport],
               rows: exports.Rows) -> dict[str, bytes]:
    """Output path -> content of every generated file that is not a page."""
    return {name: text.encode("utf-8") for name, text in (
        ("feed.xml", feeds.atom(public)),
        ("sitemap.xml", feeds.sitemap(public, pages)),
        ("robots.txt", feeds.robots(public)),
        ("catalog.json", exports.catalog_json(public, rows)),
        ("catalog.csv", exports.catalog_csv(public, rows)),
        (CATALOG_CSV, catalog_csv(site.standard_catalog)),
        *((f"reports/{r.year}.csv", report_formats.to_csv(r)) for r in reports),
        *((f"reports/{r.year}.json", report_formats.to_json(r)) for r in reports))
        if text is not None}


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
