"""Where a link of a built page leads: a file of the output (checked offline, with its #anchor),
an external URL (checked only with --external), or nothing to check (mailto:, tel:, …).

Links are resolved as a browser resolves them against the page's URL under the site's
``base_url``: a relative link, one from the site root (``/xxgk/…``) and an absolute one to the
site itself (``https://…/xxgk/…``, e.g. the canonical link) all lead into the output. A link to a
folder is its ``index.html``, as the web server serves it.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

SKIPPED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "sms", "fax", "about",
                             "blob"})
INTERNAL, EXTERNAL, SKIPPED = "internal", "external", "skipped"


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # internal | external | skipped
    path: str = ""  # internal: the file in the output (POSIX, relative); "" when outside
    fragment: str = ""  # internal: the #anchor, decoded
    url: str = ""  # external: the URL without its fragment
    outside: bool = False  # internal: it climbs out of the output folder


class Resolver:
    """Resolves links for one output folder published at ``base_url``."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.scheme = parts.scheme.lower()
        self.host = parts.netloc.lower()
        self.base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self._memo: dict[tuple[str, str], Target] = {}

    def resolve(self, page: str, href: str) -> Target:
        """The target of ``href`` on the page at ``page`` (a path in the output)."""
        folder = page.rpartition("/")[0]
        key = (folder, href)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._resolve(page, href)
        return found

    def _resolve(self, page: str, href: str) -> Target:
        parts = urlsplit(href)
        scheme = parts.scheme.lower()
        if scheme in SKIPPED_SCHEMES or (scheme and scheme not in ("http", "https")):
            return Target(SKIPPED)
        if scheme or parts.netloc:  # absolute, or protocol-relative
            absolute = urlunsplit((scheme or self.scheme, parts.netloc, parts.path or "/",
                                   parts.query, ""))
            if parts.netloc.lower() == self.host and parts.path.startswith(self.base_path):
                return self._inside(parts.path[len(self.base_path):], parts.fragment)
            return Target(EXTERNAL, url=absolute)
        if parts.path.startswith("/"):
            if parts.path.startswith(self.base_path):
                return self._inside(parts.path[len(self.base_path):], parts.fragment)
            return Target(EXTERNAL, url=urlunsplit((self.scheme, self.host, parts.path,
                                                    parts.query, "")))
        if not parts.path:  # "#anchor" or "?query": this page
            return Target(INTERNAL, path=page, fragment=unquote(parts.fragment))
        return self._inside(posixpath.join(page.rpartition("/")[0], parts.path),
                            parts.fragment)

    @staticmethod
    def _inside(path: str, fragment: str) -> Target:
        """A path relative to the output folder (may hold '..' and a trailing '/')."""
        trailing = path == "" or path.endswith("/")
        normal = posixpath.normpath(unquote(path)) if path else "."
        if normal == ".." or normal.startswith("../") or normal.startswith("/"):
            return Target(INTERNAL, outside=True, path=path)
        normal = "" if normal == "." else normal
        if trailing or not normal:
            normal = f"{normal}/index.html" if normal else "index.html"
        return Target(INTERNAL, path=normal, fragment=unquote(fragment))
