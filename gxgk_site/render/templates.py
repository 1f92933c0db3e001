"""The theme: Jinja2 templates (autoescaped) and static assets.

A site overrides any template of the default theme with a same-named file in its own
``templates/`` folder; its own ``static/`` files are added to (and win over) the theme's.
A template error names the template and the line.
"""

from __future__ import annotations

import importlib.resources
import os
import traceback
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from gxgk_site import site_files

THEME = "default"


def theme_dir() -> Path:
    return Path(str(importlib.resources.files("gxgk_site.themes") / THEME))


class TemplateProblem(Exception):
    """A template that does not compile or render; the message names template and line."""


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


def environment(site_dir: Path) -> jinja2.Environment:
    searchpath = [str(site_dir / "templates"), str(theme_dir() / "templates")]
    cache = site_dir / ".gxgk" / "cache" / "templates"  # compiled templates: 0.1 s a build
    try:
        cache.mkdir(parents=True, exist_ok=True)
        bytecode: jinja2.BytecodeCache | None = jinja2.FileSystemBytecodeCache(str(cache))
    except OSError:
        bytecode = None
    env = jinja2.Environment(
        loader=_Templates(searchpath),
        bytecode_cache=bytecode,
        autoescape=True,
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
