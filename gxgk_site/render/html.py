"""Pages to files, in Simplified Chinese and in the Traditional mirror, on all cores.

Each page is rendered once per script, with that script's real values (README, "Themes"): its
``lang``, the link to its twin, its own URL and QR code, links relative to where it stands. The
Simplified page is written as rendered; the Traditional one is converted with OpenCC first, but
for what is final already (templates.Final): the body, whose conversion the body cache keeps;
the shared partials, converted once each; the QR code; the label of the link back, "简体".

Partials (header, sidebar, footer) are the same for many pages: one that uses only what pages of
a folder, kind and column share (``SHARED``) is rendered once per such group and script, and
reused; one that uses anything of its page is rendered for each page, like the page itself.

While a page renders, what its templates read of the public site is noted (reads.py): with the
answers its body's links got, that is what an incremental build checks before leaving the page
as it is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import jinja2.meta
from markupsafe import Markup

from gxgk_site import workers
from gxgk_site.cache_store import Store
from gxgk_site.config import PAGE_COLUMN_TYPES
from gxgk_site.links import is_relative, resolve
from gxgk_site.publish import dependencies  # noqa: F401 - declares what reads depend on
from gxgk_site.publish.attachments import Attachment
from gxgk_site.publish.cache import Body, add_bodies, add_qr, body_key
from gxgk_site.publish.manifest import LinkAnswers
from gxgk_site.publish.output import write_file
from gxgk_site.publish.pages import Page
from gxgk_site.publish.public import PublicSite
from gxgk_site.render import markdown
from gxgk_site.render.qr import qr_svg
from gxgk_site.render.templates import Environment, Final, TemplateProblem, describe
from gxgk_site.render.traditional import html_to_traditional
from gxgk_site.render.urls import HANT_PREFIX, absolute, is_page, output_file, relative, via_root


@dataclass(frozen=True, slots=True)
class Script:
    lang: str
    prefix: str  # where its pages are, below the output folder
    other_lang: str
    switch_label: str  # the label of the link to the other script, as that script writes it
    qr_title: str


SIMPLIFIED = Script("zh-Hans", "", "zh-Hant", "繁體", "扫一扫在手机打开当前页")
TRADITIONAL = Script("zh-Hant", HANT_PREFIX, "zh-Hans", "简体", "掃一掃在手機打開當前頁")
SCRIPTS = (SIMPLIFIED, TRADITIONAL)

# what every page of a folder, kind and column has in common: all a shared partial may use,
# with the site-wide values of RenderJob.extra (statutory periods, standard catalogue)
SHARED = frozenset({"config", "site", "agency", "public", "rel", "kind", "column_id", "lang",
                    "other_lang", "switch_label", "partial"})


@dataclass(frozen=True)
class RenderJob:
    """Everything rendering needs, made once before the workers fork, and never changed."""

    site_dir: Path
    env: Environment
    public: PublicSite
    pages: Sequence[Page]
    attachments: Mapping[str, list[Attachment]]  # item path -> its attachments
    item_urls: Mapping[str, str]  # site-relative .md path -> page URL
    guide_html: str
    extra: Mapping[str, Any]  # more site-wide template values (statutory periods, ...)
    out_dir: Path = Path()  # where the pages go (set, with the caches, by replace())
    store: Store = field(default_factory=Store.none)  # the build cache, which workers add to
    qr_cache: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (url, title) -> svg
    bodies: Mapping[str, Body] = field(default_factory=dict)  # body_key -> cached body

    @property
    def base_path(self) -> str:
        return urlsplit(self.public.config.site.base_url).path or "/"


@dataclass
class Rendered:
    """What rendering found besides the files, for the manifest and the body cache (the QR
    codes and bodies computed went into the build cache from the workers)."""

    links: dict[str, LinkAnswers] = field(default_factory=dict)  # item page URL -> answers
    reads: dict[str, frozenset[str]] = field(default_factory=dict)  # page URL -> its reads
    written: int = 0  # files
    new_bodies: int = 0  # bodies rendered rather than taken from the cache

    def update(self, other: Rendered) -> None:
        self.links.update(other.links)
        self.reads.update(other.reads)
        self.written += other.written
        self.new_bodies += other.new_bodies


def linker(job: RenderJob, page: Page, script: Script) -> Callable[[str], str]:
    """``rel(target)``: a link from the page, in its script, to a site path. Pages have a twin
    in each script; files (assets, attachments, feeds) are once, at the root."""
    if page.kind == "not-found":  # served at any depth: links from the site root
        base = job.base_path
        return lambda target: base + (script.prefix + target if is_page(target) else target)
    own = script.prefix + page.url
    return lambda target: (relative(own, script.prefix + target) if is_page(target)
                           else via_root(own, target))


# A body is rendered once for both scripts (and cached): its links to files that exist only at
# the root (attachments) begin with this marker, which is nothing on the Simplified page and one
# more "../" on its Traditional twin, one folder deeper.
UP = "\0gxgk-up\0"


def _body_linker(page: Page) -> Callable[[str], str]:
    return lambda target: (relative(page.url, target) if is_page(target)
                           else UP + via_root(page.url, target))


def _body_html(body: Body, script: Script) -> Markup:
    if script is SIMPLIFIED:
        return Markup(body[1].replace(UP, ""))
    return Final(body[2].replace(UP, "../"))


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


def _answers_hold(resolve_target: markdown.Resolver, answers: LinkAnswers) -> bool:
    return all(resolve_target(target) == answer for target, answer in answers)


def links_hold(job: RenderJob, page: Page, answers: LinkAnswers) -> bool:
    """Whether an item page's links still resolve as they did when it was rendered (an
    incremental build renders the page again when they do not)."""
    return _answers_hold(_resolver(job, page.data["view"].item.path, _body_linker(page)),
                         answers)


def page_files(page: Page) -> tuple[str, ...]:
    """The files a page is written to, relative to the output folder."""
    own = output_file(page.url)
    return (own, HANT_PREFIX + own) if page.mirrored else (own,)


def qr_keys(job: RenderJob, pages: Iterable[Page]) -> list[tuple[str, str]]:
    """The QR codes the pages may show: their own URLs, in both scripts."""
    base = job.public.config.site.base_url
    return [(absolute(base, script.prefix + page.url), script.qr_title)
            for page in pages for script in SCRIPTS]


def column_labels(page: Page, public: PublicSite) -> dict[str, str]:
    """The page's ColumnDescription, ColumnKeywords and ColumnType (README, "Themes"): its
    column's on a column or item page, else from the page's kind."""
    column_id = _group_of(page)[2]
    if column_id is not None:
        category = public.column_by_id[column_id].category
        return {"description": category.label_description,
                "keywords": category.label_keywords, "type": category.label_type}
    return {"description": page.column_name, "keywords": page.column_name,
            "type": PAGE_COLUMN_TYPES.get(page.kind, "其他")}


def _group_of(page: Page) -> tuple[str, str, str | None]:
    """What a page shares with others: its folder, kind and column."""
    if page.kind == "item":
        column_id: str | None = page.data["view"].column.id
    elif page.kind == "column":
        column_id = page.data["column"].category.id
    else:
        column_id = None
    folder = "@root" if page.kind == "not-found" else page.url.rpartition("/")[0]
    return folder, page.kind, column_id


class Renderer:
    """A worker's renderer of the job's pages. It keeps what pages share (the partials, in
    each script, with their reads) and what it computed for the build cache."""

    def __init__(self, job: RenderJob) -> None:
        self.job = job
        self.env = job.env
        self.shared = SHARED | frozenset(job.extra)
        self.partials: dict[tuple[Any, ...], tuple[Markup, frozenset[str]]] = {}
        self.names: dict[str, set[str]] = {}  # template -> the values it uses (_names_used)
        self.parsed: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}  # (_parse_names)
        self.new_qr: dict[tuple[str, str], str] = {}
        self.new_bodies: dict[str, Body] = {}

    def render_batch(self, indices: Sequence[int]) -> Rendered:
        """Render and write the pages at ``indices``; add the codes and bodies computed to
        the build cache."""
        rendered = Rendered()
        for index in indices:
            self.write(self.job.pages[index], rendered)
        add_qr(self.job.store, self.new_qr)
        add_bodies(self.job.store, self.new_bodies)
        rendered.new_bodies = len(self.new_bodies)
        self.new_qr, self.new_bodies = {}, {}
        return rendered

    def write(self, page: Page, rendered: Rendered) -> None:
        body = None
        if page.kind == "item":
            body = self._body(page)
            rendered.links[page.url] = body[0]
        with self.env.recording() as reads:
            for script in SCRIPTS if page.mirrored else (SIMPLIFIED,):
                html = self._page_html(page, script, body)
                write_file(self.job.out_dir / (script.prefix + output_file(page.url)),
                           html.encode("utf-8"))
                rendered.written += 1
        rendered.reads[page.url] = frozenset(reads)

    def _page_html(self, page: Page, script: Script, body: Body | None) -> str:
        if script is SIMPLIFIED:
            return self._render(page, script, body)
        with self.env.keeping_final() as restore:
            html = self._render(page, script, body)
        return restore(html_to_traditional(html))

    def _render(self, page: Page, script: Script, body: Body | None) -> str:
        try:
            context = self._context(page, script, body)
            return self.env.get_template(page.template).render(context)
        except TemplateProblem:
            raise
        except Exception as exc:  # a template mistake: name the template and line
            raise TemplateProblem(describe(exc, page.template)) from None

    def _context(self, page: Page, script: Script, body: Body | None) -> dict[str, Any]:
        """What a page's template gets (README, "Themes")."""
        job, public = self.job, self.job.public
        own = script.prefix + page.url
        twin = (TRADITIONAL if script is SIMPLIFIED else SIMPLIFIED).prefix + page.url
        self_url = absolute(public.config.site.base_url, own)
        rel = linker(job, page, script)
        context: dict[str, Any] = {
            "config": public.config, "site": public.config.site, "agency": public.config.agency,
            "public": public, "page": page, "kind": page.kind, "column_id": _group_of(page)[2],
            "rel": rel, "lang": script.lang, "other_lang": script.other_lang,
            "switch_label": Final(script.switch_label) if script is TRADITIONAL
            else script.switch_label,
            "switch_href": (job.base_path + twin if page.kind == "not-found"
                            else relative(own, twin)),
            "self_url": self_url,
            "guide_html": Markup(job.guide_html),  # converted with its page
            "column_labels": column_labels(page, public),
            **job.extra, **page.data,
        }
        if body is not None:
            view = page.data["view"]
            context["body_html"] = _body_html(body, script)
            context["attachments"] = [a for a in job.attachments.get(view.item.path, [])
                                      if not a.is_image]
        uses = self._uses(page.template)
        if "qr" in uses or ANY in uses:  # a code costs time, and room in the build cache
            context["qr"] = self._qr(self_url, script)
        context["partial"] = lambda name: self._partial(name, page, script, context)
        return context

    def _partial(self, name: str, page: Page, script: Script,
                 context: dict[str, Any]) -> Markup:
        """``partial(name)``: the template ``name`` rendered for this page, or the rendering
        shared by its folder, kind and column when it uses nothing else (see SHARED)."""
        if not self._is_shared(name):
            return Markup(self.env.get_template(name).render(context))
        key = (name, script.lang, *_group_of(page))
        found = self.partials.get(key)
        if found is None:
            shared = {key: value for key, value in context.items() if key in self.shared}
            with self.env.recording() as reads:
                if script is TRADITIONAL:  # converted once, then final in every page
                    with self.env.keeping_final() as restore:
                        html = self.env.get_template(name).render(shared)
                    html = Final(restore(html_to_traditional(html)))
                else:
                    html = Markup(self.env.get_template(name).render(shared))
            found = self.partials[key] = (html, frozenset(reads))
        else:
            self.env.add_reads(found[1])
        return found[0]

    def _uses(self, template: str) -> set[str]:
        """The values a template uses (with what it includes and its partials)."""
        known = self.names.get(template)
        if known is None:
            known = self.names[template] = _names_used(self.env, template, self.parsed)
        return known

    def learn(self, templates: Iterable[str]) -> None:
        """Work out what these templates use, with every template they name, once before the
        workers fork (each inherits it). A template that cannot be read or parsed is left to
        the render, which reports it with its line."""
        for name in sorted(templates):
            with contextlib.suppress(jinja2.TemplateError):
                self._uses(name)
        for name in sorted(self.parsed):
            with contextlib.suppress(jinja2.TemplateError):
                self._uses(name)

    def _is_shared(self, name: str) -> bool:
        """Whether the partial ``name`` (with what it includes) uses only SHARED values."""
        return self._uses(name) <= self.shared

    def _qr(self, url: str, script: Script) -> Markup:
        key = (url, script.qr_title)
        svg = self.job.qr_cache.get(key) or self.new_qr.get(key)
        if svg is None:
            svg = self.new_qr[key] = qr_svg(url, script.qr_title)
        return Final(svg) if script is TRADITIONAL else Markup(svg)

    def _body(self, page: Page) -> Body:
        """What an item body's links resolved to, and its HTML in both scripts: from the cache
        when every link resolves as it did then (the HTML depends on nothing else), else
        rendered and converted."""
        job = self.job
        item = page.data["view"].item
        resolve_target = _resolver(job, item.path, _body_linker(page))
        key = body_key(item.path, item.digest)
        cached = job.bodies.get(key) or self.new_bodies.get(key)
        if cached is not None and _answers_hold(resolve_target, cached[0]):
            return cached
        asked: list[tuple[str, str | None]] = []

        def recording(target: str) -> str | None:
            answer = resolve_target(target)
            asked.append((target, answer))
            return answer

        html = markdown.render(item.body, recording)
        body = self.new_bodies[key] = (tuple(asked), html, html_to_traditional(html))
        return body


ANY = "*"  # in _names_used: a template may use any value (it names a partial by a variable)


def _names_used(env: jinja2.Environment, name: str,
                parsed: dict[str, tuple[frozenset[str], tuple[str, ...]]]) -> set[str]:
    """The context values a template uses, with those of the templates it includes, imports,
    extends or renders with ``partial("…")`` (Jinja's globals, such as range, aside).
    ``parsed`` keeps what each template uses and names itself (each is parsed once)."""
    used: set[str] = set()
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        found = parsed.get(current)
        if found is None:
            found = parsed[current] = _parse_names(env, current)
        used |= found[0]
        pending += found[1]
    return used - set(env.globals)


def _parse_names(env: jinja2.Environment, name: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """What one template uses itself, and the templates it names."""
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, name)
    tree = env.parse(source, name, filename)
    used = set(jinja2.meta.find_undeclared_variables(tree))
    named = [ref for ref in jinja2.meta.find_referenced_templates(tree) if ref]
    for call in tree.find_all(jinja2.nodes.Call):
        if isinstance(call.node, jinja2.nodes.Name) and call.node.name == "partial":
            argument = call.args[0] if call.args else None
            if isinstance(argument, jinja2.nodes.Const) and isinstance(argument.value, str):
                named.append(argument.value)
            else:
                used.add(ANY)
    return frozenset(used), tuple(named)


def make_folders(out_dir: Path, pages: Iterable[Page]) -> None:
    """Create every folder the pages go into, once, before the workers start."""
    folders = set()
    for page in pages:
        for script in SCRIPTS if page.mirrored else (SIMPLIFIED,):
            folders.add((out_dir / (script.prefix + output_file(page.url))).parent)
    for folder in sorted(folders):
        folder.mkdir(parents=True, exist_ok=True)


BATCH = 64  # pages per task: the progress line moves, and the partials of a batch are shared


def render_all(job: RenderJob, jobs: int, progress: Callable[[int, int], None],
               only: Sequence[int] | None = None) -> Rendered:
    """Render every page (or the pages at the indices ``only``) on ``jobs`` workers. Raises
    TemplateProblem, or OSError for a file that cannot be written."""
    chosen = list(range(len(job.pages))) if only is None else list(only)
    make_folders(job.out_dir, [job.pages[index] for index in chosen])
    batches = [chosen[start:start + BATCH] for start in range(0, len(chosen), BATCH)]
    rendered = Rendered()
    done = 0
    renderer = Renderer(job)
    renderer.learn({job.pages[index].template for index in chosen})
    for part in workers.run(Renderer.render_batch, batches, lambda: renderer,
                            jobs if len(chosen) > BATCH else 1, ordered=False):
        rendered.update(part)
        done += len(part.reads)
        progress(done, len(chosen))
    return rendered
