"""Which item file, and which line of it, a link of a built page comes from.

An item's page URL derives from its index number alone (render/urls.item_url), so the site's
items say which page is whose, in both scripts; nothing is recorded at build time. A link of an
item page is matched to the body link it was rendered from: the same URL as written or as
Markdown normalises it, or the same file and anchor in the output (a link to another item's
``.md`` or to an attachment is rewritten by the build). Links the template adds (navigation,
the policy of a 政策解读) have no line in the item.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it.common.normalize_url import normalizeLink

from gxgk_site.linkcheck.internal import INTERNAL, Resolver, Target
from gxgk_site.links import body_links, is_relative, publishable, resolve
from gxgk_site.model import Item
from gxgk_site.render.urls import HANT_PREFIX, attachment_url, item_url
from gxgk_site.site_files import CONTENT_DIR


class ItemPages:
    """The site's items by the output path of their pages."""

    def __init__(self, site_root: Path, items: list[Item]) -> None:
        self.site_root = site_root
        self.by_page: dict[str, Item] = {}
        self.page_of: dict[str, str] = {}  # item path -> its page
        for item in items:  # sorted by path: the first of a duplicated number wins
            if item.index_no:
                page = item_url(item.index_no)
                self.by_page.setdefault(page, item)
                self.page_of.setdefault(item.path, page)
        self._bodies: dict[str, list[tuple[int, str, Target | None]]] = {}

    def item_of(self, page: str) -> Item | None:
        """The item whose page (either script) ``page`` is."""
        return self.by_page.get(page.removeprefix(HANT_PREFIX))

    def source_of(self, item: Item, page: str, href: str, target: Target,
                  resolver: Resolver) -> tuple[int, str] | None:
        """The line of the body link that became ``href`` on ``page``, and the link as the
        editor wrote it; None for a link the template wrote."""
        canonical = page.removeprefix(HANT_PREFIX)
        for line, written, lands in self._body(item, canonical, resolver):
            if href in (written, normalizeLink(written)):
                return line, written
            if lands is not None and target.kind == INTERNAL and lands.path == _simplified(
                    target.path, page) and lands.fragment == target.fragment:
                return line, written
        return None

    def _body(self, item: Item, page: str,
              resolver: Resolver) -> list[tuple[int, str, Target | None]]:
        """(file line, target as written, where the build sends it) of each body link."""
        found = self._bodies.get(item.path)
        if found is None:
            found = self._bodies[item.path] = [
                (item.body_line + offset, written, self._lands(item, page, written, resolver))
                for offset, written in body_links(item.body)]
        return found

    def _lands(self, item: Item, page: str, written: str, resolver: Resolver) -> Target | None:
        """Where a relative body link leads in the output (its page, or its attachment)."""
        if not is_relative(written):
            return resolver.resolve(page, normalizeLink(written)) if written.startswith("#") \
                else None
        path, _ = resolve(self.site_root, item.path, written)
        fragment = written.split("#", 1)[1] if "#" in written else ""
        if path is None:
            return None
        if path in self.page_of:
            return Target(INTERNAL, path=self.page_of[path],
                          fragment=resolver.resolve(page, "#" + fragment).fragment)
        if publishable(path):
            return Target(INTERNAL, path=attachment_url(path[len(CONTENT_DIR) + 1:]))
        return None


def _simplified(path: str, page: str) -> str:
    """A target seen from a Traditional page, as the Simplified page sees it."""
    return path.removeprefix(HANT_PREFIX) if page.startswith(HANT_PREFIX) else path
