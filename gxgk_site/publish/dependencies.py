"""What a page depends on when its templates read the public site, and what that is worth now.

The names (render/reads.py records them while a page renders):

- ``item:<path>``: anything of one item (reading any attribute of its ItemView);
- ``column-items:<id>``: which items a column lists, in which order (``column.items``); what a
  template then reads of each item is that item's own dependency;
- ``column-count:<id>``: how many items a column shows (``column.count``);
- ``all-items``: which items the whole site lists, in which order (``public.items``,
  ``public.catalog``, ``public.years``, the interpretations).

So a page that shows a column's newest title depends on the column's order and on that one
item, not on every item of the column.

What a column is named, where it stands, its children and its URL come from site.yaml, which
every page's key holds already (fingerprints.site_key); so does the configuration itself.
``Dependencies(public).value(name)`` is what a name is worth in this build: a page is rendered
again when the value of any of its reads changed since the build that rendered it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gxgk_site.publish.fingerprints import digest, item_stamp
from gxgk_site.publish.public import ColumnView, ItemView, PublicSite
from gxgk_site.render.reads import depends

ITEM, COLUMN_ITEMS, COLUMN_COUNT, ALL_ITEMS = "item:", "column-items:", "column-count:", "all-items"
# what of the public site gives every item
_WHOLE_SITE = frozenset({"items", "catalog", "years", "interpretations", "policy_of",
                         "by_path"})


def _item(view: ItemView, attribute: Any) -> str:
    return ITEM + view.item.path


def _column(column: ColumnView, attribute: Any) -> str | None:
    if attribute == "items":
        return COLUMN_ITEMS + column.category.id
    if attribute == "count":
        return COLUMN_COUNT + column.category.id
    return None  # its category, URL, parents and children: site.yaml


def _public(public: PublicSite, attribute: Any) -> str | None:
    return ALL_ITEMS if attribute in _WHOLE_SITE else None


depends(ItemView, _item)
depends(ColumnView, _column)
depends(PublicSite, _public)


def _listed(views: Iterable[ItemView]) -> str:
    """Which items, in which order (and with which page URL: a listing links them)."""
    return digest([(view.item.path, view.url) for view in views])


class Dependencies:
    """The values of the reads' names in one build (computed when first asked)."""

    def __init__(self, public: PublicSite) -> None:
        self.public = public
        self.views = {view.item.path: view for view in public.catalog}
        self.values: dict[str, str] = {}

    def value(self, name: str) -> str:
        found = self.values.get(name)
        if found is None:
            found = self.values[name] = self._compute(name)
        return found

    def _compute(self, name: str) -> str:
        if name.startswith(ITEM):
            view = self.views.get(name[len(ITEM):])
            return item_stamp(view) if view is not None else "-"
        if name == ALL_ITEMS:
            return digest((_listed(self.public.catalog), self.public.years,
                           sorted((path, _listed(views)) for path, views
                                  in self.public.interpretations.items()),
                           sorted((path, view.item.path) for path, view
                                  in self.public.policy_of.items())))
        column = self.public.column_by_id.get(name.partition(":")[2])
        if column is None:
            return "-"
        if name.startswith(COLUMN_ITEMS):
            return _listed(column.items)
        if name.startswith(COLUMN_COUNT):
            return str(column.count)
        return "?"  # a name of another gxgk: never equal to what it recorded

    def key(self, base: str | None, reads: frozenset[str] | tuple[str, ...]) -> str | None:
        """A page's key: its own (``base``: site, data, attachments) and what its reads are
        worth now; None when the page is rendered every time."""
        if base is None:
            return None
        return digest((base, tuple((name, self.value(name)) for name in sorted(reads))))
