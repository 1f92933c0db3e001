"""What changed since the last build of an output folder: the one place that decides what a build
writes again.

Against the manifest of the build that made the output (manifest.py), a page is rendered again
when its own fingerprint (plan.py, fingerprints.py), the value of anything its templates read
(dependencies.py), its files, or what its body's links resolve to changed; a generated or copied
file is written again when its key changed; a search bundle is indexed again when its items
changed. When more than ``INCREMENTAL_SHARE`` of the pages change (or there is no trusted
manifest), the build is a clean one: every page and file, into a new tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gxgk_site.publish import manifest
from gxgk_site.publish.dependencies import Dependencies
from gxgk_site.publish.pages import Page
from gxgk_site.publish.plan import Plan
from gxgk_site.render.html import Rendered, RenderJob, links_hold, page_files

# Above this share of pages to render again, a clean build into a new folder is as quick as an
# update, and leaves nothing of the old output behind.
INCREMENTAL_SHARE = 0.5


@dataclass
class Changes:
    previous: manifest.Manifest | None  # the last build's, when it can be trusted
    stale: list[int]  # the indices of the pages to render (every page in a clean build)
    incremental: bool
    dependencies: Dependencies

    @classmethod
    def between(cls, previous: manifest.Manifest | None, plan: Plan,
                job: RenderJob) -> Changes:
        """What the plan changes in the output that ``previous`` describes."""
        dependencies = Dependencies(plan.public)
        everything = list(range(len(plan.pages)))
        if previous is None:
            return cls(None, everything, False, dependencies)
        stale = [index for index, page in enumerate(plan.pages)
                 if _stale(job, page, dependencies, plan.keys[index],
                           previous.pages.get(page.url))]
        if len(stale) > len(plan.pages) * INCREMENTAL_SHARE:
            return cls(previous, everything, False, dependencies)
        return cls(previous, stale, True, dependencies)

    @property
    def base(self) -> manifest.Manifest | None:
        """The manifest an update builds on: the previous one, unless this is a clean build."""
        return self.previous if self.incremental else None

    def file_changed(self, name: str, key: str) -> bool:
        return self.base is None or self.base.files.get(name) != key

    def bundles_to_index(self, plan: Plan) -> set[str]:
        """The search bundles to index again (none without a search index)."""
        before = self.base.search_bundles if self.base is not None else {}
        return {name for name, key in plan.search_bundles.items() if before.get(name) != key}

    def record(self, plan: Plan, out_dir: Path, rendered: Rendered,
               search_files: tuple[str, ...]) -> manifest.Manifest:
        """The manifest of the new output: rendered pages with what they read now, the others
        as the last build recorded them."""
        record = manifest.new(out_dir)
        record.files = dict(plan.files)
        record.search_bundles = dict(plan.search_bundles)
        record.search_files = search_files
        record.rows_key, record.rows = plan.site_key, plan.rows.current
        before = self.base.pages if self.base is not None else {}
        for index, page in enumerate(plan.pages):
            old = before.get(page.url)
            reads = (tuple(sorted(rendered.reads[page.url])) if page.url in rendered.reads
                     else old.reads if old is not None else ())
            links = rendered.links.get(page.url, old.links if old is not None else ())
            key = self.dependencies.key(plan.keys[index], reads)
            record.pages[page.url] = manifest.PageRecord(key, page_files(page), links, reads)
        return record

    def gone(self, record: manifest.Manifest) -> list[str]:
        """The files of the last output that the new one no longer has."""
        return sorted(self.base.all_files() - record.all_files()) if self.base else []


def _stale(job: RenderJob, page: Page, dependencies: Dependencies, base: str | None,
           before: manifest.PageRecord | None) -> bool:
    """Whether a page must be rendered again."""
    if before is None or base is None or before.key is None or before.files != page_files(page):
        return True
    if dependencies.key(base, before.reads) != before.key:
        return True
    return bool(before.links) and not links_hold(job, page, before.links)
