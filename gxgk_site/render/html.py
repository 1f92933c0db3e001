"""Rendering pages to files, in Simplified Chinese and in the Traditional mirror, on all cores.

Each page is rendered once. What differs between the two scripts (the lang attribute, the 简/繁
switch, the page's own absolute URL and its QR code) is rendered as sentinels, filled in for the
Simplified page, and filled in again after OpenCC has converted the page for the mirror. Links
are relative, so the mirror under ``zh-hant/`` needs no other change.

Sentinels are delimited by NUL characters, which no editor's text can hold (the schema refuses
control characters in front-matter and site.yaml, files with a NUL are not text, and Markdown
turns one into U+FFFD), so text that looks like a sentinel is only ever text.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from gxgk_site.children import die_with_parent
from gxgk_site.links import is_relative, resolve
from gxgk_site.publish.attachments import Attachment
from gxgk_site.publish.cache import Body, add_bodies, add_qr, body_key
from gxgk_site.publish.manifest import LinkAnswers
from gxgk_site.publish.output import write_file
from gxgk_site.publish.pages import Page
from gxgk_site.publish.public import PublicSite
from gxgk_site.render import markdown
from gxgk_site.render.qr import qr_svg
from gxgk_site.render.templates import TemplateProblem, describe
from gxgk_site.render.traditional import to_traditional
from gxgk_site.render.urls import HANT_PREFIX, absolute, is_page, output_file, relative, via_root

LANG, OTHER_LANG, SWITCH_HREF, SWITCH_LABEL, SELF_URL, QR, UP = (
    "\0gxgk-lang\0", "\0gxgk-other-lang\0", "\0gxgk-switch-href\0", "\0gxgk-switch-label\0",
    "\0gxgk-self-url\0", "\0gxgk-qr\0", "\0gxgk-up\0")
# UP stands before a link to a file that exists only at the root (not mirrored): nothing on a
# Simplified page, one more "../" on its Traditional twin, which is one folder deeper.
# On the 404 page (links from the site root), it is the Traditional prefix for pages instead.


@dataclass
class RenderJob:
    """Everything the workers need; set up once before the worker processes fork."""

    site_dir: Path
    out_dir: Path
    env: jinja2.Environment
    public: PublicSite
    pages: list[Page]
    attachments: dict[str, list[Attachment]]  # item path -> its attachments
    item_urls: dict[str, str]  # site-relative .md path -> page URL
    guide_html: str
    extra: dict[str, Any]  # more template globals (rules, statutory periods)
    qr_cache: dict[tuple[str, str], str] = field(default_factory=dict)  # (url, title) -> svg
    bodies: dict[str, Body] = field(default_factory=dict)  # body_key -> cached body

    @property
    def base_path(self) -> str:
        return urlsplit(self.public.config.site.base_url).path or "/"


def _linker(job: RenderJob, page: Page) -> Callable[[str], str]:
    if page.kind == "not-found":  # served at any depth: links from the site root
        base = job.base_path
        return lambda target: base + (UP + target if is_page(target) else target)
    return lambda target: (relative(page.url, target) if is_page(target)
                           else UP + via_root(page.url, target))


def _resolver(job: RenderJob, item_path: str, rel: Callable[[str], str]) -> markdown.Resolver:
    attachment_urls = {a.source: a.url for a in job.attachments.get(item_path, [])}

    def resolve_target(target: str) -> str | None:
        if not is_relative(target):
            return None
        path, _ = resolve(job.site_dir, item_path, target)
        fragment = "#" + target.split("#", 1)[1] if "#" in target else ""
        if path in job.item_urls:
            return rel(job.item_urls[path]) + fragment
        if path in attachment_urls:
            return rel(attachment_urls[path])
        return None

    return resolve_target


# Rendered partials, per (template, page folder, page kind, current column): the header, the
# sidebar and the footer are the same for all pages that share these, e.g. all items of a column.
# A page holds a placeholder for each; they are put in after the page has been converted to
# Traditional, each partial being converted once (OpenCC was half the conversion time of a page
# converting the same header, sidebar and footer again and again).
_PARTIALS: dict[tuple[str, str, str, str | None], Markup] = {}  # key -> placeholder
_PARTIAL_HTML: list[str] = []  # Simplified, by placeholder number
_PARTIAL_HANT: dict[int, str] = {}  # Traditional, converted when first needed
_PLACEHOLDER = re.compile(r"\0gxgk-partial-(\d+)\0")


def _partial(job: RenderJob, page: Page, rel: Callable[[str], str]) -> Callable[[str], Markup]:
    if page.kind == "item":
        column_id: str | None = page.data["view"].column.id
    elif page.kind == "column":
        column_id = page.data["column"].category.id
    else:
        column_id = None
    folder = "@root" if page.kind == "not-found" else page.url.rpartition("/")[0]

    def partial(name: str) -> Markup:
        key = (name, folder, page.kind, column_id)
        placeholder = _PARTIALS.get(key)
        if placeholder is None:
            _PARTIAL_HTML.append(job.env.get_template(name).render(
                site=job.public.config, agency=job.public.config.agency, public=job.public,
                rel=rel, kind=page.kind, column_id=column_id, lang=LANG, other_lang=OTHER_LANG,
                switch_href=SWITCH_HREF, switch_label=SWITCH_LABEL, **job.extra))
            placeholder = _PARTIALS[key] = Markup(f"\0gxgk-partial-{len(_PARTIAL_HTML) - 1}\0")
        return placeholder

    return partial


def _answers_hold(resolve_target: markdown.Resolver, answers: LinkAnswers) -> bool:
    return all(resolve_target(target) == answer for target, answer in answers)


def links_hold(job: RenderJob, page: Page, answers: LinkAnswers) -> bool:
    """Whether an item page's links still resolve as they did when it was rendered (see
    fingerprints: an incremental build renders the page again when they do not)."""
    return _answers_hold(_resolver(job, page.data["view"].item.path, _linker(job, page)),
                         answers)


_LINKS: dict[str, LinkAnswers] = {}  # page URL -> its links' answers, as rendered here
_NEW_BODIES: dict[str, Body] = {}  # bodies rendered by this process, for the cache


def _body(job: RenderJob, page: Page, rel: Callable[[str], str]) -> Body:
    """What an item body's links resolved to, and its HTML in both scripts: from the cache
    when every link resolves as it did then (the HTML depends on nothing else), else
    rendered and converted."""
    item = page.data["view"].item
    resolve_target = _resolver(job, item.path, rel)
    key = body_key(item.path, item.digest)
    cached = job.bodies.get(key)
    if cached is not None and _answers_hold(resolve_target, cached[0]):
        return cached
    asked: list[tuple[str, str | None]] = []

    def recording(target: str) -> str | None:
        answer = resolve_target(target)
        asked.append((target, answer))
        return answer

    html = markdown.render(item.body, recording)
    body = _NEW_BODIES[key] = (tuple(asked), html, to_traditional(html))
    return body


def render_page(job: RenderJob, page: Page) -> tuple[str, Body | None]:
    """The page's HTML with sentinels for what differs between the two scripts; and, for an
    item, its body."""
    rel = _linker(job, page)
    data = dict(page.data)
    body = None
    if page.kind == "item":
        view = data["view"]
        body = _body(job, page, rel)
        _LINKS[page.url], data["body_html"] = body[0], body[1]
        data["attachments"] = [a for a in job.attachments.get(view.item.path, [])
                               if not a.is_image]
    try:
        template = job.env.get_template(page.template)
        return template.render(
            page=page, site=job.public.config, agency=job.public.config.agency,
            public=job.public, rel=rel, partial=_partial(job, page, rel),
            guide_html=job.guide_html,
            lang=LANG, other_lang=OTHER_LANG, switch_href=SWITCH_HREF, switch_label=SWITCH_LABEL,
            self_url=SELF_URL, qr=QR, **job.extra, **data,
        ), body
    except Exception as exc:  # a template mistake: name the template and line
        raise TemplateProblem(describe(exc, page.template)) from None


def _fill(job: RenderJob, page: Page, html: str, traditional: bool) -> str:
    own = HANT_PREFIX + page.url if traditional else page.url
    twin = page.url if traditional else HANT_PREFIX + page.url
    switch = job.base_path + twin if page.kind == "not-found" else relative(own, twin)
    own_absolute = absolute(job.public.config.site.base_url, own)
    if page.kind == "not-found":
        up = HANT_PREFIX if traditional else ""
    else:
        up = "../" if traditional else ""
    html = (html.replace(UP, up)
                .replace(LANG, "zh-Hant" if traditional else "zh-Hans")
                .replace(OTHER_LANG, "zh-Hans" if traditional else "zh-Hant")
                .replace(SWITCH_HREF, switch)
                .replace(SWITCH_LABEL, "简体" if traditional else "繁體")
                .replace(SELF_URL, own_absolute))
    if QR in html:
        html = html.replace(QR, _qr(job, own_absolute, QR_TITLES[traditional]))
    return html


QR_TITLES = {False: "扫一扫在手机打开当前页", True: "掃一掃在手機打開當前頁"}


def qr_keys(job: RenderJob, pages: Iterable[Page]) -> list[tuple[str, str]]:
    """The QR codes the pages may show: their own URLs, in both scripts."""
    base = job.public.config.site.base_url
    return [(absolute(base, HANT_PREFIX + page.url if traditional else page.url),
             QR_TITLES[traditional]) for page in pages for traditional in (False, True)]


_NEW_QR: dict[tuple[str, str], str] = {}  # codes computed by this process, for the cache


def _qr(job: RenderJob, url: str, title: str) -> str:
    key = (url, title)
    svg = job.qr_cache.get(key)
    if svg is None:
        svg = _NEW_QR[key] = qr_svg(url, title)
    return svg


def page_files(page: Page) -> tuple[str, ...]:
    """The files a page is written to, relative to the output folder."""
    own = output_file(page.url)
    return (own, HANT_PREFIX + own) if page.mirrored else (own,)


def _with_partials(html: str, traditional: bool) -> str:
    def partial(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if not traditional:
            return _PARTIAL_HTML[number]
        converted = _PARTIAL_HANT.get(number)
        if converted is None:
            converted = _PARTIAL_HANT[number] = to_traditional(_PARTIAL_HTML[number])
        return converted

    return _PLACEHOLDER.sub(partial, html)


BODY = "\0gxgk-body\0"


def _traditional(html: str, body: Body | None) -> str:
    """The page converted to Traditional, its body (where the template put it unchanged) taken
    from the body's own conversion. Bodies begin and end with a tag, and OpenCC converts no
    phrase across one, so this is the same as converting the whole page."""
    if body is None or not body[1] or body[1] not in html:
        return to_traditional(html)
    return to_traditional(html.replace(body[1], BODY)).replace(BODY, body[2])


def write_page(job: RenderJob, page: Page) -> int:
    html, body = render_page(job, page)  # with placeholders for the partials
    _write(job.out_dir / output_file(page.url),
           _fill(job, page, _with_partials(html, traditional=False), traditional=False))
    if not page.mirrored:
        return 1
    converted = _with_partials(_traditional(html, body), traditional=True)
    _write(job.out_dir / HANT_PREFIX / output_file(page.url),
           _fill(job, page, converted, traditional=True))
    return 2


def _write(path: Path, text: str) -> None:
    """Write a page; its folder exists already (see make_folders)."""
    write_file(path, text.encode("utf-8"))


def make_folders(out_dir: Path, pages: list[Page]) -> None:
    """Create every folder the pages go into, once, before the workers start."""
    folders = set()
    for page in pages:
        for prefix in ("", HANT_PREFIX) if page.mirrored else ("",):
            folders.add((out_dir / (prefix + output_file(page.url))).parent)
    for folder in sorted(folders):
        folder.mkdir(parents=True, exist_ok=True)


_JOB: RenderJob | None = None  # the job a forked worker inherited


@dataclass
class Rendered:
    """What rendering pages found besides the files: for the manifest and the body cache.
    (The codes and bodies computed went into the build cache from the workers.)"""

    links: dict[str, LinkAnswers] = field(default_factory=dict)  # item page URL -> answers
    new_bodies: int = 0  # bodies rendered rather than taken from job.bodies

    def update(self, other: Rendered) -> None:
        self.links.update(other.links)
        self.new_bodies += other.new_bodies


WorkResult = tuple[int, str | None, Rendered]


def _work(indices: list[int]) -> WorkResult:
    assert _JOB is not None
    written = 0
    _NEW_QR.clear()
    _LINKS.clear()
    _NEW_BODIES.clear()
    for index in indices:
        try:
            written += write_page(_JOB, _JOB.pages[index])
        except TemplateProblem as exc:
            return written, str(exc), Rendered()
    add_qr(_JOB.site_dir, _NEW_QR)
    add_bodies(_JOB.site_dir, _NEW_BODIES)
    return written, None, Rendered(dict(_LINKS), len(_NEW_BODIES))


def render_all(job: RenderJob, jobs: int, progress: Callable[[int, int], None],
               rendered: Rendered | None = None, only: list[int] | None = None) -> int:
    """Render every page (or the pages at the indices ``only``); returns the number of files
    written. Raises TemplateProblem. What else was computed is added to ``rendered``."""
    rendered = Rendered() if rendered is None else rendered
    global _JOB
    chosen = list(range(len(job.pages))) if only is None else only
    total = len(chosen)
    chunk = 64
    batches = [chosen[start:start + chunk] for start in range(0, total, chunk)]
    written = done = 0
    _JOB = job
    _PARTIALS.clear()
    _PARTIAL_HTML.clear()
    _PARTIAL_HANT.clear()
    make_folders(job.out_dir, [job.pages[index] for index in chosen])
    try:
        if jobs > 1 and total > chunk and "fork" in multiprocessing.get_all_start_methods():
            # The workers inherit the model by fork. Freezing the garbage collector's view
            # keeps them from touching (and so copying) every inherited object's memory.
            gc.freeze()
            context = multiprocessing.get_context("fork")
            with context.Pool(jobs, initializer=die_with_parent,
                              initargs=(os.getpid(),)) as pool:
                for count, problem, part in pool.imap_unordered(_work, batches):
                    if problem:
                        pool.terminate()
                        raise TemplateProblem(problem)
                    written += count
                    rendered.update(part)
                    done += chunk
                    progress(min(done, total), total)
        else:
            for batch in batches:
                count, problem, part = _work(batch)
                if problem:
                    raise TemplateProblem(problem)
                written += count
                rendered.update(part)
                done += len(batch)
                progress(done, total)
    finally:
        _JOB = None
        gc.unfreeze()
    return written


def default_jobs() -> int:
    return os.cpu_count() or 1
