"""Loading a site: site.yaml, every item file, and each item's publication date.

The first stage of the pipeline (load → validate → model → rules). Broken files never stop the
load: each becomes findings, and the items that could be read become the model.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gxgk_site import site_files, workers, yamlio
from gxgk_site.attachment_text.cache import TextCache
from gxgk_site.attachment_text.load import extract_texts, linked_files
from gxgk_site.cache_store import Store
from gxgk_site.config import ConfigUnavailable, SiteConfig, load_config
from gxgk_site.findings import DRAFT_NOTE, Finding, error
from gxgk_site.frontmatter import NoFrontMatter, split
from gxgk_site.gitdates import GitHistory, read_history
from gxgk_site.item_schema import ITEM_SCHEMA, build_item
from gxgk_site.model import Attribute, Item, Publication, PublicationSource, Site
from gxgk_site.parse_cache import ParseCache, Signature, signature
from gxgk_site.report.inputs import load_inputs
from gxgk_site.report.ledger import load_ledger
from gxgk_site.schema import Context, validate
from gxgk_site.standard_catalog import load_standard_catalog
from gxgk_site.wording.lists import load_wording
from gxgk_site.workdays import WorkCalendar

CONTENT_DIR = site_files.CONTENT_DIR
# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 400
# The Markdown file under content/ that is a page of its own (the 政府信息公开指南), not an item.
GUIDE_FILE = f"{CONTENT_DIR}/guide.md"

__all__ = ["ConfigUnavailable", "Loaded", "is_item", "item_files", "load_item", "load_site"]


def is_item(relative: str) -> bool:
    """Whether a file under content/ (a site-relative path) is an item: a Markdown file, not
    under a folder or named with a leading '_' (hidden ones are never listed), not the guide."""
    return (relative.endswith(".md") and relative != GUIDE_FILE
            and not any(part.startswith("_") for part in relative.split("/")[1:]))


def item_files(site_dir: Path, content: site_files.Listing | None = None) -> list[Path]:
    """Every item file under content/, sorted (never through a symbolic link); ``content`` is
    the listing of content/ when it was made already."""
    if content is None:
        content = site_files.listing(site_dir, CONTENT_DIR)
    return [site_dir / relative for relative in content.files if is_item(relative)]


def relative_paths(site_dir: Path, files: list[Path]) -> list[str]:
    """Site-relative POSIX paths of files found under ``site_dir`` (cheaper than relative_to)."""
    base = str(site_dir)
    start = 0 if base == "." else len(base.rstrip(os.sep)) + 1  # Path("./a") is "a"
    return [str(path)[start:].replace(os.sep, "/") for path in files]


def load_item(site_dir: Path, path: Path) -> tuple[Item | None, list[Finding]]:
    """Read one item file; the item is None when its front-matter cannot be made into one."""
    relative = path.relative_to(site_dir).as_posix()
    try:
        raw = path.read_bytes()
        text = site_files.decode(raw)
    except site_files.NotText as exc:
        return None, [error("front-matter", relative, None, str(exc))]
    except OSError as exc:
        return None, [error("front-matter", relative, None,
                            f"cannot read the file: {exc.strerror or exc}")]
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
    # interned: every item has the same keys, and the parse cache then stores each once
    lines = {sys.intern(key): line + offset for key, line in key_lines.items()}
    ctx = Context(lines=lines, rule="front-matter")
    values = validate(ITEM_SCHEMA, data if data is not None else {}, ctx)
    item = None
    if values is not None:
        item = build_item(relative, values, parts.body, parts.body_line, lines, ctx)
        item.digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    findings = [error(p.rule, relative, p.line or 1, p.message) for p in ctx.problems]
    if item is not None and item.draft:  # an unfinished draft never blocks (as with the rules)
        findings = [finding.as_warning(DRAFT_NOTE) for finding in findings]
    return item, findings


@dataclass
class Loaded:
    site: Site | None
    findings: list[Finding]


def _load_chunk(site_dir: Path,
                paths: Sequence[Path]) -> list[tuple[Item | None, list[Finding]]]:
    return [load_item(site_dir, path) for path in paths]


def load_items(site_dir: Path, files: list[Path], jobs: int | None = None,
               cache: ParseCache | None = None) -> tuple[list[Item], list[Finding]]:
    """Load item files, on ``jobs`` processes (default: every core) when there are many.

    With a ``cache``, files unchanged since they were cached are not read again.
    """
    if cache is None:
        return _split(_parse(site_dir, files, jobs))
    relatives = relative_paths(site_dir, files)
    signatures: dict[str, Signature] = {}
    known: dict[str, tuple[Item | None, list[Finding]]] = {}
    for relative, path in zip(relatives, files, strict=True):
        try:
            signatures[relative] = signature(os.stat(path))
        except OSError:
            continue
        hit = cache.get(relative, signatures[relative])
        if hit is not None:
            known[relative] = hit
    fresh = [(relative, path) for relative, path in zip(relatives, files, strict=True)
             if relative not in known]
    parsed = _parse(site_dir, [path for _, path in fresh], jobs)
    for (relative, _), pair in zip(fresh, parsed, strict=True):
        known[relative] = pair
        if relative in signatures:
            cache.put(relative, signatures[relative], *pair)
    cache.keep_only(set(relatives))
    cache.save()
    return _split([known[relative] for relative in relatives])


def _split(loaded: list[tuple[Item | None, list[Finding]]]) -> tuple[list[Item], list[Finding]]:
    """The items that could be read, and every file's findings, in file order."""
    return ([item for item, _ in loaded if item is not None],
            [finding for _, item_findings in loaded for finding in item_findings])


def _parse(site_dir: Path, files: list[Path],
           jobs: int | None) -> list[tuple[Item | None, list[Finding]]]:
    """(item or None, findings) of each file, in order; on every core for many files."""
    jobs = jobs or workers.default_jobs()
    if len(files) < PARALLEL_THRESHOLD:  # below it a process pool costs more than it saves
        jobs = 1
    parts = workers.run(_load_chunk, workers.chunks(files, jobs), lambda: site_dir, jobs)
    return [pair for part in parts for pair in part]


def load_site(site_dir: Path, today: dt.date, jobs: int | None = None, *,
              cache: Store | None = None) -> Loaded:
    """Load site.yaml and all items; raises ConfigUnavailable when there is no site.yaml.

    With a ``cache``, parsed items and attachment texts are kept in and taken from it.
    """
    parse_cache = ParseCache.open(cache) if cache is not None else None  # first: RACY_SECONDS
    config, findings = load_config(site_dir)
    if config is None:
        return Loaded(None, findings)
    content = site_files.listing(site_dir, CONTENT_DIR)
    findings += site_files.input_findings(site_dir, {CONTENT_DIR: content})
    files = item_files(site_dir, content)
    items, item_findings = load_items(site_dir, files, jobs, parse_cache)
    findings.extend(item_findings)
    guide, guide_findings = load_guide(site_dir, content)
    findings += guide_findings
    applications, ledger_findings = load_ledger(site_dir)
    reports, report_findings = load_inputs(site_dir, config.rules.report_due)
    standard_catalog, catalog_findings = load_standard_catalog(site_dir)
    wording, wording_findings = load_wording(site_dir)
    findings += ledger_findings + report_findings + catalog_findings + wording_findings
    # the attachments of 主动公开 items (drafts too: they are published once finished)
    linked = linked_files(site_dir, [item for item in items
                                     if item.attribute is Attribute.PROACTIVE],
                          set(content.files))
    texts = extract_texts(site_dir, [path for files in linked.values() for _, path in files],
                          jobs, TextCache.open(cache))
    history = read_history(site_dir)
    for item in items:
        item.publication = resolve_publication(item, history, today)
    site = Site(
        root=site_dir,
        config=config,
        items=items,
        calendar=make_calendar(config),
        today=today,
        # misnamed ones too (not read, an error each): every item file found counts
        files=sorted(relative_paths(site_dir, files)
                     + [name for name in content.misnamed if is_item(name)]),
        shallow_git=history.shallow,
        applications=applications,
        reports=reports,
        guide=guide,
        standard_catalog=standard_catalog,
        wording=wording,
        attachments=linked,
        attachment_texts=texts,
    )
    return Loaded(site, findings)


def load_guide(site_dir: Path, content: site_files.Listing) -> tuple[str, list[Finding]]:
    """The Markdown of content/guide.md (the guide's own text, after any front-matter), or ""
    when the site has none."""
    if GUIDE_FILE not in content.files:
        return "", []
    try:
        text = site_files.read_text(site_dir / GUIDE_FILE)
    except site_files.NotText as exc:
        return "", [error("guide", GUIDE_FILE, None, str(exc))]
    with contextlib.suppress(NoFrontMatter):  # the guide may have front-matter, or none
        text = split(text).body
    return text, []


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
