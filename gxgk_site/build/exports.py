"""The catalog as data: catalog.json and catalog.csv (UTF-8 with BOM, so spreadsheets read it).

Only what the catalog shows: public items (and, with ``catalog.list_on_request``, the listed
依申请公开 lines), never a body or a review name.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from gxgk_site.build.public import ItemView, PublicSite
from gxgk_site.urls import absolute

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


def catalog_json(public: PublicSite) -> str:
    """One item per line: readable in a diff, and written by json's C encoder (an indented
    document goes through its pure-Python one, 5x slower at 10,000 items)."""
    def encode(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    records = ",\n".join(encode(_record(public, view)) for view in public.catalog)
    return (f'{{"agency": {encode(public.config.agency.name)},\n"items": [\n{records}\n],\n'
            f'"site": {encode(public.config.site.base_url)}}}\n')


def catalog_csv(public: PublicSite) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for view in public.catalog:
        r = _record(public, view)
        writer.writerow([r["index_no"], r["title"], r["summary"] or "", r["formed"],
                         r["published"], r["doc_number"] or "", r["category_name"],
                         r["department"], r["attribute"], r["validity"] or "", r["url"] or ""])
    return "\ufeff" + buffer.getvalue()
