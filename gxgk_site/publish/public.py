"""The public view of a site: only what may be published, arranged for the pages.

This is the one place that decides what reaches the output. Only 主动公开 items that are not
drafts (and not withheld by ``--withhold``) become ``ItemView``s with a page; with
``catalog.list_on_request`` a 依申请公开 item may appear as a catalog line (title and metadata, no
body, no page). 不予公开 items never appear. Everything is sorted: newest first, then by index
number, so that the same input always gives the same pages.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from gxgk_site.config import TIERS, Category, SiteConfig
from gxgk_site.model import Attribute, Item, Site
from gxgk_site.render.urls import column_url, item_url
from gxgk_site.standard_catalog import StandardCatalog


@dataclass(frozen=True, slots=True)
class ItemView:
    """What the templates know about an item."""

    item: Item
    url: str | None  # None for a catalog-only line (依申请公开 with list_on_request)
    column: Category
    column_path: tuple[Category, ...]  # from the top-level column down to this one
    published: dt.date
    pubdate: str  # YYYY-MM-DD HH:MM for the crawler meta tag (00:00 when no time is known)
    shown_time: str  # for people: the date, with the time of day only when it is known
    department: str  # the item's department (承办科室), else the agency
    publisher: str  # 发布机构: the issuing organ (the item's publisher, else the agency)
    signoff: tuple[tuple[str, str], ...]  # (tier label, name)

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def on_request_only(self) -> bool:
        return self.url is None

    @property
    def sort_key(self) -> tuple:
        item = self.item
        time = item.published_time or dt.time(0, 0)
        return (-self.published.toordinal(), -(time.hour * 60 + time.minute),
                item.index_no or "", item.path)


@dataclass(frozen=True, slots=True)
class ColumnView:
    category: Category
    url: str
    parents: tuple[Category, ...]
    children: tuple[ColumnView, ...]
    items: tuple[ItemView, ...]  # its own and its descendants', newest first
    count: int  # how many of them have a page (every page's sidebar shows it)


@dataclass
class PublicSite:
    config: SiteConfig
    items: list[ItemView]  # items with a page, newest first
    catalog: list[ItemView]  # the catalog: items with a page, plus listed 依申请公开 lines
    columns: list[ColumnView]  # top-level columns, in configured order
    column_by_id: dict[str, ColumnView]
    years: list[int]  # years with catalog lines, newest first
    interpretations: dict[str, list[ItemView]] = field(default_factory=dict)  # policy path -> views
    policy_of: dict[str, ItemView] = field(default_factory=dict)  # interpretation path -> policy
    standard_catalog: StandardCatalog | None = None  # 基层政务公开标准目录: published in full

    def by_path(self) -> dict[str, ItemView]:
        return {view.item.path: view for view in self.items}


TIER_LABELS = {"first": "初审", "second": "复审", "final": "终审"}


def _view(item: Item, config: SiteConfig, paths: dict[str, tuple[Category, ...]],
          with_page: bool) -> ItemView:
    assert item.publication is not None
    published = item.release_date or item.publication.date
    time = item.published_time or dt.time(0, 0)
    column_path = paths[item.category]
    return ItemView(
        item=item,
        url=item_url(item.index_no) if with_page and item.index_no else None,
        column=column_path[-1],
        column_path=column_path,
        published=published,
        pubdate=f"{published.isoformat()} {time.hour:02d}:{time.minute:02d}",
        shown_time=(f"{published.isoformat()} {time.hour:02d}:{time.minute:02d}"
                    if item.published_time else published.isoformat()),
        department=item.department or config.agency.name,
        publisher=item.publisher or config.agency.name,
        signoff=tuple((TIER_LABELS[tier], signature.name) for tier in TIERS
                      if (signature := item.reviewers.get(tier)) is not None and signature.name),
    )


def _category_paths(config: SiteConfig) -> dict[str, tuple[Category, ...]]:
    paths: dict[str, tuple[Category, ...]] = {}

    def walk(nodes: tuple[Category, ...], parents: tuple[Category, ...]) -> None:
        for node in nodes:
            paths[node.id] = (*parents, node)
            walk(node.children, (*parents, node))

    walk(config.categories, ())
    return paths


def public_site(site: Site, withheld: frozenset[str] = frozenset()) -> PublicSite:
    config = site.config
    paths = _category_paths(config)
    eligible = [item for item in site.items
                if item.path not in withheld and not item.draft and item.category in paths]
    pages = sorted((_view(item, config, paths, True) for item in eligible
                    if item.attribute is Attribute.PROACTIVE and item.index_no),
                   key=lambda view: view.sort_key)
    listed = list(pages)
    if config.catalog.list_on_request:
        listed += [_view(item, config, paths, False) for item in eligible
                   if item.attribute is Attribute.ON_REQUEST]
        listed.sort(key=lambda view: view.sort_key)

    in_column: dict[str, list[ItemView]] = defaultdict(list)
    for view in listed:
        for category in view.column_path:
            in_column[category.id].append(view)

    def column(node: Category, parents: tuple[Category, ...]) -> ColumnView:
        views = tuple(in_column.get(node.id, ()))
        return ColumnView(
            category=node, url=column_url(node.id), parents=parents,
            children=tuple(column(child, (*parents, node)) for child in node.children),
            items=views, count=sum(1 for view in views if not view.on_request_only),
        )

    columns = [column(node, ()) for node in config.categories]
    column_by_id: dict[str, ColumnView] = {}

    def index(views: list[ColumnView] | tuple[ColumnView, ...]) -> None:
        for view in views:
            column_by_id[view.category.id] = view
            index(view.children)

    index(columns)
    public = PublicSite(
        config=config, items=pages, catalog=listed, columns=columns, column_by_id=column_by_id,
        years=sorted({view.published.year for view in listed}, reverse=True),
        standard_catalog=site.standard_catalog,
    )
    by_index = {view.item.index_no: view for view in pages}
    for view in pages:
        policy = by_index.get(view.item.interprets) if view.item.interprets else None
        if policy is not None:
            public.policy_of[view.item.path] = policy
            public.interpretations.setdefault(policy.item.path, []).append(view)
    return public
