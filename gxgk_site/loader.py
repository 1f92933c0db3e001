"""Loading a site: site.yaml, every item file, and each item's publication date.

The first stage of the pipeline (load → validate → model → rules). Broken files never stop the
load: each becomes findings, and the items that could be read become the model.
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from gxgk_site import yamlio
from gxgk_site.config import ConfigUnavailable, SiteConfig, load_config
from gxgk_site.findings import Finding, error
from gxgk_site.frontmatter import NoFrontMatter, decode, split
from gxgk_site.gitdates import GitHistory, read_history
from gxgk_site.item_schema import ITEM_SCHEMA, build_item
from gxgk_site.model import Item, Publication, PublicationSource, Site
from gxgk_site.report.inputs import load_inputs
from gxgk_site.report.ledger import load_ledger
from gxgk_site.rules import DRAFT_NOTE
from gxgk_site.schema import Context, validate
from gxgk_site.workdays import WorkCalendar

CONTENT_DIR = "content"
# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 400
# Markdown files under content/ that are pages of their own, not items.
NON_ITEM_FILES = frozenset({"guide.md"})

__all__ = ["ConfigUnavailable", "Loaded", "item_files", "load_item", "load_site"]


def item_files(site_dir: Path) -> list[Path]:
    """Every item file under content/, sorted; hidden and '_'-prefixed files are not items."""
    content = site_dir / CONTENT_DIR
    if not content.is_dir():
        return []
    found = []
    for path in content.rglob("*.md"):
        relative = path.relative_to(content)
        if any(part.startswith((".", "_")) for part in relative.parts):
            continue
        if len(relative.parts) == 1 and relative.name in NON_ITEM_FILES:
            continue
        if path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(site_dir).as_posix())


def load_item(site_dir: Path, path: Path) -> tuple[Item | None, list[Finding]]:
    """Read one item file; the item is None when its front-matter cannot be made into one."""
    relative = path.relative_to(site_dir).as_posix()
    try:
        text = decode(path.read_bytes())
    except UnicodeDecodeError:
        return None, [error("front-matter", relative, None,
                            "not a UTF-8 text file; save it as UTF-8 Markdown (binary files such "
                            "as PDFs go in an attachments folder, not as .md)")]
    except OSError as exc:
        return None, [error("front-matter", relative, None, f"cannot read the file: {exc}")]
    try:
        parts = split(text)
    except NoFrontMatter as exc:
        return None, [error("front-matter", relative, 1, str(exc))]
    offset = parts.meta_line - 1
    try:
        data, key_lines = yamlio.load(parts.meta)
    except yamlio.YamlProblem as exc:
        line = exc.line + offset if exc.line is not None else parts.meta_line
        return None, [error("front-matter", relative, line, exc.message)]
    lines = {key: line + offset for key, line in key_lines.items()}
    ctx = Context(lines=lines, rule="front-matter")
    values = validate(ITEM_SCHEMA, data if data is not None else {}, ctx)
    item = None
    if values is not None:
        item = build_item(relative, values, parts.body, parts.body_line, lines, ctx)
    findings = [error(p.rule, relative, p.line or 1, p.message) for p in ctx.problems]
    if item is not None and item.draft:  # an unfinished draft never blocks (as with the rules)
        findings = [finding.as_warning(DRAFT_NOTE) for finding in findings]
    return item, findings


@dataclass
class Loaded:
    site: Site | None
    findings: list[Finding]


def _load_chunk(site_dir: Path, paths: list[Path]) -> list[tuple[Item | None, list[Finding]]]:
    return [load_item(site_dir, path) for path in paths]


def load_items(site_dir: Path, files: list[Path],
               jobs: int | None = None) -> tuple[list[Item], list[Finding]]:
    """Load item files, on ``jobs`` processes (default: every core) when there are many."""
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(files) >= PARALLEL_THRESHOLD:
        size = -(-len(files) // (jobs * 4))  # a few chunks per process evens out the load
        chunks = [files[start:start + size] for start in range(0, len(files), size)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            loaded = [pair for part in pool.map(_load_chunk, [site_dir] * len(chunks), chunks)
                      for pair in part]
    else:
        loaded = _load_chunk(site_dir, files)
    items = [item for item, _ in loaded if item is not None]
    findings = [finding for _, item_findings in loaded for finding in item_findings]
    return items, findings


def load_site(site_dir: Path, today: dt.date, jobs: int | None = None) -> Loaded:
    """Load site.yaml and all items; raises ConfigUnavailable when there is no site.yaml."""
    config, findings = load_config(site_dir)
    if config is None:
        return Loaded(None, findings)
    files = item_files(site_dir)
    items, item_findings = load_items(site_dir, files, jobs)
    findings.extend(item_findings)
    applications, ledger_findings = load_ledger(site_dir)
    reports, report_findings = load_inputs(site_dir)
    findings += ledger_findings + report_findings
    history = read_history(site_dir)
    for item in items:
        item.publication = resolve_publication(item, history, today)
    site = Site(
        root=site_dir,
        config=config,
        items=items,
        calendar=make_calendar(config),
        today=today,
        files=[path.relative_to(site_dir).as_posix() for path in files],
        shallow_git=history.shallow,
        applications=applications,
        reports=reports,
    )
    return Loaded(site, findings)


def make_calendar(config: SiteConfig) -> WorkCalendar:
    return WorkCalendar(config.calendar.holidays, config.calendar.workdays)


def resolve_publication(item: Item, history: GitHistory, today: dt.date) -> Publication:
    """When the item went public: the front-matter's date, else its first commit, else today."""
    commits = history.days.get(item.path, [])
    if item.published is not None:
        later = tuple(day for day in commits if day > item.published)
        return Publication(item.published, PublicationSource.FRONT_MATTER, item.published_time,
                           later)
    if commits:
        return Publication(commits[0], PublicationSource.GIT, None, tuple(commits[1:]))
    return Publication(today, PublicationSource.PENDING)
