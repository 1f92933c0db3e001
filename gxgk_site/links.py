"""Links in Markdown bodies: where they are and what they point to.

Shared by the rules (``rules/link.py`` checks them), the attachments (a public item's links
decide which files are published) and the renderer (a link to an item's ``.md`` becomes its page).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import unquote

from gxgk_site.site_files import CONTENT_DIR
from gxgk_site.text_lines import Lines

_INLINE = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^)\s]+)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def blank_code(body: str) -> str:
    """The body with code blocks and code spans blanked out (line count kept)."""
    lines = body.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * 3
            lines[index] = ""
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            lines[index] = ""
        else:
            lines[index] = _CODE_SPAN.sub(lambda m: " " * len(m.group()), line)
    return "\n".join(lines)


@functools.lru_cache(maxsize=1 << 16)
def body_links(body: str) -> tuple[tuple[int, str], ...]:
    """(line offset within the body, target) of every Markdown link and image. Kept for each
    body: the load, the rules and the plan each ask (and the rules' worker inherits them)."""
    if "](" not in body and "]:" not in body:  # most bodies have no link at all
        return ()
    text = blank_code(body)
    lines = Lines(text)
    found = []
    for pattern in (_INLINE, _REFERENCE):
        for match in pattern.finditer(text):
            target = match.group(1)
            if target.startswith("<"):
                target = target[1:-1]
            found.append((lines.of(match.start()), target))
    return tuple(found)


def is_relative(target: str) -> bool:
    return bool(target) and not target.startswith(("#", "/")) and not _SCHEME.match(target)


def target_path(target: str) -> str:
    """The file part of a relative link, decoded: no fragment, no query."""
    return unquote(target.split("#", 1)[0].split("?", 1)[0])


def resolve(site_root: Path, item_path: str, target: str) -> tuple[str | None, str]:
    """The site-relative POSIX path a relative link points to, or None with the reason."""
    clean = target_path(target)
    if not clean:
        return None, "empty"
    base = (site_root / item_path).parent
    resolved = (base / clean).resolve()
    try:
        return resolved.relative_to(_real(site_root)).as_posix(), ""
    except ValueError:
        return None, "outside"


@functools.lru_cache(maxsize=8)
def _real(site_root: Path) -> Path:
    return site_root.resolve()


def publishable(path: str) -> bool:
    """Whether a site file may be published as an attachment when an item links it: a file
    under content/ that is not Markdown and not hidden (see publish/attachments.py)."""
    parts = path.split("/")
    return (parts[0] == CONTENT_DIR and len(parts) > 1 and not path.endswith(".md")
            and not any(part.startswith(".") for part in parts))
