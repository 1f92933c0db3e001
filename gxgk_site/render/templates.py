"""The theme: Jinja2 templates (autoescaped) and static assets.

A site overrides any template of the default theme with a same-named file in its own
``templates/`` folder; its own ``static/`` files are added to (and win over) the theme's.
A template error names the template and the line.

The environment does two things besides Jinja's: it notes every attribute and item a template
reads of the public site, for the page's reads (``recording``, see reads.py), and, while it
renders a page for the Traditional mirror, it keeps the output of ``Final`` values out of the
page's conversion (``keeping_final``): a value already in its final script (a body converted
once and cached, a shared partial, the label "简体") is written as a marker, and put back after
the page was converted.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import os
import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

from gxgk_site import site_files
from gxgk_site.cache_store import Store
from gxgk_site.render.reads import DEPENDENCIES

THEME = "default"


def theme_dir() -> Path:
    return Path(str(importlib.resources.files("gxgk_site.themes") / THEME))


class TemplateProblem(Exception):
    """A template that does not compile or render; the message names template and line."""


class Final(Markup):
    """Markup that a page shows as it is, never converted to Traditional (see keeping_final):
    it is in its final script already. It compares and prints like its text."""


_KEPT = "\0gxgk-kept-{}\0"  # NUL: no editor's text holds one (see schema and site_files)
_KEPT_MARKER = re.compile("\0gxgk-kept-(\\d+)\0")


class Environment(jinja2.Environment):
    """Jinja's environment, noting the reads of every render under way (``recording``) and
    keeping final values out of the Traditional conversion (``keeping_final``)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=self._finalize, **options)
        self.filters["safe"] = _safe
        self.filters["verbatim"] = _verbatim
        self._recordings: list[set[str]] = []
        self._kept: list[Markup] | None = None

    def getattr(self, obj: Any, attribute: str) -> Any:
        # called for every attribute a template reads: Jinja's own, inlined
        if self._recordings:
            self._note(obj, attribute)
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if self._recordings:
            self._note(obj, argument)
        return super().getitem(obj, argument)

    def _note(self, obj: Any, attribute: Any) -> None:
        dependency = DEPENDENCIES.get(type(obj))
        name = dependency(obj, attribute) if dependency is not None else None
        if name is not None:
            for reads in self._recordings:  # a partial's reads are its page's too
                reads.add(name)

    @contextlib.contextmanager
    def recording(self) -> Iterator[set[str]]:
        """``with env.recording() as reads:`` what templates read in the block."""
        reads: set[str] = set()
        self._recordings.append(reads)
        try:
            yield reads
        finally:
            self._recordings.pop()

    def add_reads(self, names: Iterable[str]) -> None:
        """Reads made earlier for what this render reuses (a cached partial)."""
        for reads in self._recordings:
            reads.update(names)

    @contextlib.contextmanager
    def keeping_final(self) -> Iterator[Callable[[str], str]]:
        """``with env.keeping_final() as restore:`` render; convert; ``restore(converted)``
        puts back the Final values that the render wrote as markers."""
        kept: list[Markup] = []
        outer, self._kept = self._kept, kept  # a shared partial keeps its own, within a page
        try:
            yield lambda text: _KEPT_MARKER.sub(lambda match: kept[int(match[1])], text)
        finally:
            self._kept = outer

    def _finalize(self, value: Any) -> Any:
        if self._kept is not None and isinstance(value, Final):
            self._kept.append(value)
            return Markup(_KEPT.format(len(self._kept) - 1))
        return value


def _safe(value: Any) -> Markup:
    """Jinja's ``safe``, which keeps a Final value final (``{{ body_html | safe }}``)."""
    return value if isinstance(value, Markup) else Markup(value)


def _verbatim(value: Any) -> Final:
    """``{{ site.icp | verbatim }}``: the value escaped and shown as written in both scripts (a
    code such as 闽ICP备12345678号 is not converted to Traditional)."""
    return Final(escape(value))


class _Templates(jinja2.FileSystemLoader):
    """The site's templates, then the theme's: read as UTF-8 text like every other file of the
    site (see site_files), and never through a symbolic link (reported as a ``symlink`` error;
    here such a template is simply not there)."""

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for searchpath in self.searchpath:
            filename = os.path.join(searchpath, *pieces)
            if _linked(searchpath, pieces) or not os.path.isfile(filename):
                continue
            try:
                source = site_files.read_text(Path(filename))
            except site_files.NotText as exc:
                raise TemplateProblem(f"{_short(filename)}: {exc}") from None
            mtime = os.path.getmtime(filename)

            def uptodate(filename: str = filename, mtime: float = mtime) -> bool:
                try:
                    return os.path.getmtime(filename) == mtime
                except OSError:
                    return False

            return source, filename, uptodate
        raise jinja2.TemplateNotFound(template)


def _linked(searchpath: str, pieces: list[str]) -> bool:
    path = searchpath
    for piece in pieces:
        path = os.path.join(path, piece)
        if os.path.islink(path):
            return True
    return False


COMPILED_PART = "templates"


class _Compiled(jinja2.BytecodeCache):
    """The compiled templates, kept in the build cache (part ``templates``): 0.1 s a build.
    Jinja keys each by the template's name and file, and compiles again a template whose source
    changed (or a compiled form of another Python); the part's stamp, the code stamp, covers
    how this module's environment compiles (finalize, whitespace options)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.read(COMPILED_PART, [bucket.key]).get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store.write(COMPILED_PART, {bucket.key: bucket.bytecode_to_string()})


def environment(site_dir: Path, store: Store) -> Environment:
    searchpath = [str(site_dir / "templates"), str(theme_dir() / "templates")]
    env = Environment(
        loader=_Templates(searchpath),
        bytecode_cache=_Compiled(store),
        autoescape=True,
        auto_reload=False,  # templates do not change during a build: no stat per page
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def describe(exc: BaseException, template: str) -> str:
    """'templates/item.html:12: message' for an exception raised while rendering."""
    if isinstance(exc, TemplateProblem):
        return str(exc)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or template
        return f"{_short(name)}:{exc.lineno}: {exc.message}"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".html") or frame.filename.endswith(".xml"):
            return f"{_short(frame.filename)}:{frame.lineno}: {type(exc).__name__}: {exc}"
    return f"{template}: {type(exc).__name__}: {exc}"


def _short(filename: str) -> str:
    path = Path(filename)
    parts = path.parts
    if "templates" in parts:
        index = len(parts) - 1 - parts[::-1].index("templates")
        prefix = "theme " if THEME in parts[:index] and "themes" in parts[:index] else ""
        return prefix + "/".join(parts[index:])
    return filename
