"""`gxgk linkcheck`: every link of a built output, checked.

Internal links and their #anchors are checked offline, always: each must lead to a file of the
output (a folder to its index.html), and an anchor to an element of the target page with that
id (or an <a> with that name), in both scripts. External links are asked over HTTP only with
``--external`` (see external.py). A dead link becomes a finding: on the item's file and line
when it comes from an item's body, else on the output page and its line (a link the template
writes is reported once, with the number of pages that have it).
"""

from __future__ import annotations

import difflib
import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gxgk_site.cache_store import Store
from gxgk_site.children import die_with_parent
from gxgk_site.config import SiteConfig, load_config
from gxgk_site.findings import Finding, Severity, error, quoted, warning
from gxgk_site.linkcheck.external import (
    DEAD,
    OK,
    Answer,
    AnswerCache,
    Settings,
    check_urls,
)
from gxgk_site.linkcheck.html_links import Link, PageLinks, read_pages
from gxgk_site.linkcheck.internal import EXTERNAL, INTERNAL, Resolver, Target
from gxgk_site.linkcheck.sources import ItemPages
from gxgk_site.loader import item_files, load_items
from gxgk_site.parse_cache import ParseCache
from gxgk_site.render.urls import HANT_PREFIX

DEAD_LINK, ANCHOR, EXTERNAL_LINK = "dead-link", "anchor", "external-link"
PARALLEL_PAGES = 400  # below this many pages, reading them in one process is quicker
_XML_FILES = ("sitemap.xml", "feed.xml")


class LinkcheckUnavailable(Exception):
    """The check cannot run: no output to check, or no site to map it to."""


@dataclass
class Options:
    external: bool = False
    settings: Settings = field(default_factory=Settings)
    max_age: float = 7 * 86400.0
    jobs: int | None = None


@dataclass
class LinkReport:
    out_dir: Path
    pages: int
    links: int  # links checked or to check (mailto: and the like aside)
    internal: int
    external: int  # links to other sites
    external_urls: int  # distinct URLs among them
    external_checked: bool
    from_cache: int
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)


@dataclass(frozen=True, slots=True)
class _Seen:
    """One link on one page, and what is wrong with it."""

    page: str
    link: Link
    rule: str
    problem: str  # what follows "link '…' on …"
    fix: str
    severity: Severity = Severity.ERROR


def output_files(out_dir: Path) -> list[str]:
    """Every file of the output (relative POSIX paths, sorted); links are not followed."""
    found: list[str] = []
    for folder, folders, names in os.walk(out_dir):
        folders.sort()
        base = Path(folder).relative_to(out_dir).as_posix()
        prefix = "" if base == "." else base + "/"
        found += [prefix + name for name in names]
    return sorted(found)


def _read_all(out_dir: Path, pages: list[str], jobs: int) -> list[PageLinks]:
    if jobs <= 1 or len(pages) < PARALLEL_PAGES:
        return read_pages(out_dir, pages)
    size = -(-len(pages) // (jobs * 4))
    chunks = [pages[start:start + size] for start in range(0, len(pages), size)]
    with ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        return [page for part in pool.map(read_pages, [out_dir] * len(chunks), chunks)
                for page in part]


def _config(site_dir: Path) -> SiteConfig:
    config, findings = load_config(site_dir)  # raises ConfigUnavailable without site.yaml
    if config is None:
        problems = "; ".join(f"{f.path}:{f.line}: {f.message}" for f in findings[:3])
        raise LinkcheckUnavailable(f"site.yaml cannot be read ({problems}); fix it first "
                                   "(see gxgk check)")
    return config


def _item_pages(site_dir: Path, jobs: int | None) -> ItemPages:
    items, _ = load_items(site_dir, item_files(site_dir), jobs,
                          ParseCache.open(Store.open(site_dir)))
    return ItemPages(site_dir, items)


def linkcheck(site_dir: Path, out_dir: Path, options: Options) -> LinkReport:
    """Check the output folder ``out_dir`` of the site in ``site_dir``. Raises
    ConfigUnavailable (no site.yaml) or LinkcheckUnavailable (no output, a broken site.yaml)."""
    config = _config(site_dir)
    if not out_dir.is_dir():
        raise LinkcheckUnavailable(f"there is no output in {out_dir}: build the site first "
                                   "(gxgk build), or give the output folder with --out")
    files = output_files(out_dir)
    pages = [name for name in files if name.endswith(".html") or name in _XML_FILES]
    if not any(name.endswith(".html") for name in pages):
        raise LinkcheckUnavailable(f"{out_dir} holds no page: build the site first (gxgk "
                                   "build), or give the output folder with --out")
    jobs = options.jobs or os.cpu_count() or 1
    parsed = _read_all(out_dir, pages, jobs)
    checker = _Check(out_dir, set(files), {page.path: page for page in parsed},
                     Resolver(config.site.base_url))
    for page in parsed:
        checker.page(page)
    answers: dict[str, Answer] = {}
    if options.external and checker.external:
        answers = check_urls(sorted(checker.external), options.settings,
                             AnswerCache(Store.open(site_dir), options.max_age))
        checker.judge_external(answers)
    findings = (_Findings(site_dir, out_dir, _item_pages(site_dir, options.jobs),
                          checker.resolver).of(checker.seen) if checker.seen else [])
    return LinkReport(out_dir=out_dir, pages=len(pages), links=checker.internal_links
                      + checker.external_links, internal=checker.internal_links,
                      external=checker.external_links, external_urls=len(checker.external),
                      external_checked=options.external,
                      from_cache=sum(1 for a in answers.values() if a.cached),
                      findings=findings)


class _Check:
    """Judges the links of each page; collects the external URLs and what is wrong."""

    def __init__(self, out_dir: Path, files: set[str], pages: dict[str, PageLinks],
                 resolver: Resolver) -> None:
        self.out_dir = out_dir
        self.files = files
        self.pages = pages
        self.resolver = resolver
        self.seen: list[_Seen] = []
        self.external: dict[str, list[tuple[str, Link]]] = defaultdict(list)
        self.internal_links = self.external_links = 0

    def page(self, page: PageLinks) -> None:
        if page.problem is not None:
            self.seen.append(_Seen(page.path, Link(1, "", ""), DEAD_LINK,
                                   f"cannot be checked: {page.problem}", "build the site again"))
            return
        for link in page.links:
            if not link.url:
                continue
            target = self.resolver.resolve(page.path, link.url)
            if target.kind == INTERNAL:
                self.internal_links += 1
                problem = self._internal(page.path, link, target)
                if problem is not None:
                    self.seen.append(problem)
            elif target.kind == EXTERNAL:
                self.external_links += 1
                self.external[target.url].append((page.path, link))

    def _internal(self, page: str, link: Link, target: Target) -> _Seen | None:
        if target.outside:
            return _Seen(page, link, DEAD_LINK, "leads out of the output folder",
                         "link a page of the site (or give a full URL)")
        path = target.path
        if path not in self.files:
            if f"{path}/index.html" in self.files:  # a folder: the server adds the slash
                return None
            return _Seen(page, link, DEAD_LINK, f"leads to {path}, which is not in the output",
                         "link a page or file that exists")
        fragment = target.fragment
        if not fragment or fragment.lower() == "top" or not path.endswith(".html"):
            return None
        anchors = self.pages[path].anchors if path in self.pages else set()
        if fragment in anchors:
            return None
        near = difflib.get_close_matches(fragment, sorted(anchors), n=1, cutoff=0.6)
        hint = f" (did you mean #{near[0]}?)" if near else ""
        where = "this page" if path == page else path
        return _Seen(page, link, ANCHOR,
                     f"leads to #{fragment}, but {where} has no element with that id{hint}",
                     "link an anchor the page has, or drop the #anchor")

    def judge_external(self, answers: dict[str, Answer]) -> None:
        for url, places in sorted(self.external.items()):
            answer = answers[url]
            if answer.verdict == OK:
                continue
            dead = answer.verdict == DEAD
            for page, link in places:
                self.seen.append(_Seen(
                    page, link, EXTERNAL_LINK,
                    f"is dead: {answer.reason}" if dead
                    else f"could not be verified: {answer.reason}",
                    "update or remove it (an archived copy may do)" if dead
                    else "open it in a browser; if it works there, the site refuses checkers",
                    Severity.ERROR if dead else Severity.WARNING))


class _Findings:
    """Findings from the links seen: on the item file and line of a body link (both scripts in
    one finding), else once per link and problem on the first page that has it."""

    def __init__(self, site_dir: Path, out_dir: Path, items: ItemPages,
                 resolver: Resolver) -> None:
        self.site_dir = site_dir
        self.out_dir = out_dir
        self.items = items
        self.resolver = resolver

    def shown(self, page: str) -> str:
        """An output file as findings name it: relative to the site folder."""
        return Path(os.path.relpath(self.out_dir / page, self.site_dir)).as_posix()

    def of(self, seen: list[_Seen]) -> list[Finding]:
        in_items: dict[tuple[str, int, str, str, str], list[_Seen]] = defaultdict(list)
        on_pages: dict[tuple[str, str, str], list[_Seen]] = defaultdict(list)
        for one in seen:
            item = self.items.item_of(one.page)
            source = None
            if item is not None and one.link.url:
                target = self.resolver.resolve(one.page, one.link.url)
                source = self.items.source_of(item, one.page, one.link.url, target,
                                              self.resolver)
            if item is not None and source is not None:
                line, written = source
                problem = (one.problem.replace(f" {HANT_PREFIX}", " ")
                           if one.page.startswith(HANT_PREFIX) else one.problem)
                in_items[(item.path, line, written, one.rule, problem)].append(one)
            else:
                on_pages[(self._lands(one), one.rule, one.problem)].append(one)
        findings = [self._in_item(path, line, written, group)
                    for (path, line, written, *_), group in in_items.items()]
        findings += [self._on_pages(group) for group in on_pages.values()]
        return sorted(findings, key=lambda finding: finding.sort_key)

    @staticmethod
    def _make(severity: Severity, rule: str, path: str, line: int | None,
              message: str) -> Finding:
        return (error if severity is Severity.ERROR else warning)(rule, path, line, message)

    def _in_item(self, path: str, line: int, written: str, group: list[_Seen]) -> Finding:
        """One finding for a body link, on the pages of both scripts (the Simplified page's
        words, when it has the problem too)."""
        first = min(group, key=lambda one: one.page.startswith(HANT_PREFIX))
        pages = " and ".join(sorted({one.page for one in group}))
        return self._make(first.severity, first.rule, path, line,
                          f"link {quoted(written)}{self._url(first)} on {pages} "
                          f"{first.problem}; {first.fix} (in the item's text)")

    def _lands(self, one: _Seen) -> str:
        """Where a link leads, the same from every page and script (a template's link to a
        missing file is one finding)."""
        if not one.link.url:
            return one.page
        target = self.resolver.resolve(one.page, one.link.url)
        if target.kind == EXTERNAL:
            return target.url
        return f"{target.path.removeprefix(HANT_PREFIX)}#{target.fragment}"

    def _url(self, one: _Seen) -> str:
        """The URL an external link was asked at, when it is not written in full."""
        target = self.resolver.resolve(one.page, one.link.url)
        if target.kind == EXTERNAL and target.url != one.link.url:
            return f" ({target.url})"
        return ""

    def _on_pages(self, group: list[_Seen]) -> Finding:
        group = sorted(group, key=lambda one: (one.page, one.link.line))
        first = group[0]
        pages = sorted({one.page for one in group})
        others = f" (and {len(pages) - 1} other page(s))" if len(pages) > 1 else ""
        link = (f"link {quoted(first.link.url)}{self._url(first)} on {first.page}{others}"
                if first.link.url else first.page)
        return self._make(first.severity, first.rule, self.shown(first.page), first.link.line,
                          f"{link} {first.problem}; {first.fix}")


__all__ = ["DEAD", "LinkReport", "LinkcheckUnavailable", "Options", "linkcheck"]
