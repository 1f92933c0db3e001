"""The theme: Jinja2 templates (autoescaped) and static assets.

A site overrides any template of the default theme with a same-named file in its own
``templates/`` folder; its own ``static/`` files are added to (and win over) the theme's.
A template error names the template and the line.
"""

from __future__ import annotations

import importlib.resources
import traceback
from pathlib import Path

import jinja2

THEME = "default"


def theme_dir() -> Path:
    return Path(str(importlib.resources.files("gxgk_site.themes") / THEME))


class TemplateProblem(Exception):
    """A template that does not compile or render; the message names template and line."""


def environment(site_dir: Path) -> jinja2.Environment:
    searchpath = [str(site_dir / "templates"), str(theme_dir() / "templates")]
    cache = site_dir / ".gxgk" / "cache" / "templates"  # compiled templates: 0.1 s a build
    try:
        cache.mkdir(parents=True, exist_ok=True)
        bytecode: jinja2.BytecodeCache | None = jinja2.FileSystemBytecodeCache(str(cache))
    except OSError:
        bytecode = None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(searchpath),
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
