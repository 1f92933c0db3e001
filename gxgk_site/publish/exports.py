"""The catalog as data: catalog.json and catalog.csv (UTF-8 with BOM, so spreadsheets read it;
cells that would start a formula defused, see csv_cells).

Only what the catalog shows: public items (and, with ``catalog.list_on_request``, the listed
依申请公开 lines), never a body or a review name.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from gxgk_site.csv_cells import rows_text
from gxgk_site.publish.public import ItemView, PublicSite
from gxgk_site.render.urls import absolute

CSV_COLUMNS = ("索引号", "名称", "内容概述", "生成日期", "发布日期", "文号", "主题分类", "发布机构",
               "公开方式", "有效性", "链接")


def _record(public: PublicSite, view: ItemView) -> dict[str, Any]:
    item = view.item
    return {
        "index_no": item.index_no,
        "title": item.title,
        "summary": item.summary,
        "formed": item.formed.isoformat(),
        "published": view.pubdate,
        "doc_number": item.doc_number,
        "category": view.column.id,
        "category_name": view.column.name,
        "department": view.department,
        "attribute": str(item.attribute),
        "kind": item.kind,
        "validity": item.validity,
        "url": absolute(public.config.site.base_url, view.url) if view.url else None,
    }


class Rows:
    """Encoded catalog rows, kept from one build to the next by item stamp (see
    fingerprints.item_stamp), so that an incremental build encodes only the changed items' rows.
    Rows also depend on site.yaml (column names, base URL): the memo is only ever given rows
    made under the same site key."""

    def __init__(self, stamp_of: Callable[[ItemView], str],
                 previous: dict[str, str] | None = None) -> None:
        self.stamp_of = stamp_of
        self.previous = previous or {}
        self.current: dict[str, str] = {}

    def get(self, kind: str, view: ItemView, make: Callable[[ItemView], str]) -> str:
        key = f"{kind}\0{self.stamp_of(view)}"
        found = self.previous.get(key)
        if found is None:
            found = make(view)
        self.current[key] = found
        return found


def _json_row(public: PublicSite, view: ItemView) -> str:
    return json.dumps(_record(public, view), ensure_ascii=False, sort_keys=True)


def _csv_row(public: PublicSite, view: ItemView) -> str:
    r = _record(public, view)
    return rows_text([[r["index_no"], r["title"], r["summary"] or "", r["formed"],
                       r["published"], r["doc_number"] or "", r["category_name"],
                       r["department"], r["attribute"], r["validity"] or "", r["url"] or ""]])


def catalog_json(public: PublicSite, rows: Rows | None = None) -> str:
    """One item per line: readable in a diff, and written by json's C encoder (an indented
    document goes through its pure-Python one, 5x slower at 10,000 items)."""
    def row(view: ItemView) -> str:
        return _json_row(public, view)

    records = ",\n".join(rows.get("json", view, row) if rows else row(view)
                         for view in public.catalog)
    agency = json.dumps(public.config.agency.name, ensure_ascii=False)
    site = json.dumps(public.config.site.base_url, ensure_ascii=False)
    return f'{{"agency": {agency},\n"items": [\n{records}\n],\n"site": {site}}}\n'


def catalog_csv(public: PublicSite, rows: Rows | None = None) -> str:
    """UTF-8 with a byte-order mark (spreadsheets need it to read Chinese), CRLF lines."""
    def row(view: ItemView) -> str:
        return _csv_row(public, view)

    return "\ufeff" + rows_text([CSV_COLUMNS]) + "".join(
        rows.get("csv", view, row) if rows else row(view) for view in public.catalog)
