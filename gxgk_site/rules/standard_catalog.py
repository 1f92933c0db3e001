"""`standard-catalog`: the 基层政务公开标准目录 and what names it.

- ``matter:`` on a column (site.yaml) or an item names a 公开事项 of data/standard_catalog.yaml
  by its id, its 事项名称 (when only one 事项 has it) or 一级事项/事项名称: anything else, or a
  ``matter:`` on a site without the catalogue, is an error.
- A 事项 whose 公开渠道和载体 includes the website (政府网站, 门户网站, 政府信息公开专栏, …) must be
  found on it: a column that names it and has a published public item or an ``empty_note``
  saying why it has none, or a published public item that names it. Otherwise a warning: the
  catalogue promises what the site does not show (the national inspection's 空白栏目).

The file's own problems (YAML, keys, values, an id listed twice) are reported when it is read.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator

from gxgk_site.config import CONFIG_FILE
from gxgk_site.findings import Finding, error, quoted, warning
from gxgk_site.model import Site
from gxgk_site.rules import rule
from gxgk_site.rules.stale_column import last_updates, update_day
from gxgk_site.standard_catalog import (
    CATALOG_FILE,
    RULE,
    WEBSITE_CHANNEL,
    Matter,
    StandardCatalog,
)


class _Names:
    """What ``matter:`` may say on this site (the catalogue's references, worked out once)."""

    def __init__(self, catalog: StandardCatalog | None) -> None:
        self.catalog = catalog
        self.references = catalog.references() if catalog is not None else {}
        self.ambiguous = catalog.ambiguous() if catalog is not None else set()

    def problem(self, name: str) -> str | None:
        """What is wrong with ``matter: name``, or None when it names one 事项."""
        if self.catalog is None:
            return (f"names a 公开事项, but the site has no {CATALOG_FILE}; add the catalogue, "
                    "or remove matter")
        if name in self.references:
            return None
        if name in self.ambiguous:
            return (f"more than one 公开事项 of {CATALOG_FILE} is named {quoted(name)}; name it "
                    "by its id or as 一级事项/事项名称")
        near = difflib.get_close_matches(name, list(self.references), n=1, cutoff=0.5)
        hint = f" (did you mean {near[0]}?)" if near else ""
        return (f"is not a 公开事项 of {CATALOG_FILE}{hint}; use the id, the 事项名称 or "
                "一级事项/事项名称 of one")


@rule("standard-catalog", "matter: names a 公开事项 of the standard catalogue, and every 事项 "
      "published on the website has its column or items")
def check(site: Site) -> Iterator[Finding]:
    catalog = site.standard_catalog
    if catalog is None and os.path.lexists(site.root / CATALOG_FILE):
        return  # the file is there but cannot be read: its own findings say why
    names = _Names(catalog)
    for category in site.config.all_categories():
        if category.matter is not None:
            problem = names.problem(category.matter)
            if problem is not None:
                yield error(RULE, CONFIG_FILE, category.line,
                            f"column {category.name} ({category.id}): matter "
                            f"{quoted(category.matter)} {problem}")
    for item in site.items:
        if item.matter is not None:
            problem = names.problem(item.matter)
            if problem is not None:
                yield error(RULE, item.path, item.line_of("matter"),
                            f"matter {quoted(item.matter)} {problem}")
    if catalog is not None:
        yield from _not_on_the_site(site, catalog)


def _not_on_the_site(site: Site, catalog: StandardCatalog) -> Iterator[Finding]:
    references = catalog.references()
    updated = last_updates(site)
    columns: dict[int, list[str]] = {}  # id(matter) -> the columns that name it
    shown: set[int] = set()  # 事项 a column shows (items or an empty_note), or items carry
    for category in site.config.all_categories():
        matter = references.get(category.matter) if category.matter else None
        if matter is None:
            continue
        columns.setdefault(id(matter), []).append(f"{category.name} ({category.id})")
        if category.id in updated or category.empty_note:
            shown.add(id(matter))
    for item in site.items:
        matter = references.get(item.matter) if item.matter else None
        if matter is not None and update_day(item, site.today) is not None:
            shown.add(id(matter))
    for matter in catalog.matters:
        if matter.on_website and id(matter) not in shown:
            yield warning(RULE, CATALOG_FILE, matter.line, _why(matter, columns.get(id(matter))))


def _why(matter: Matter, columns: list[str] | None) -> str:
    channel = next(c for c in matter.channels if WEBSITE_CHANNEL.search(c))
    what = f"公开事项 {matter.shown_name} is published on the website ({channel}), but "
    if columns:
        return (what + f"its column {', '.join(columns)} has no published public item and no "
                "empty_note; publish its items, or say in the column's empty_note why there "
                "are none")
    return (what + "no column names it (matter: in site.yaml) and no published item does; "
            f"add matter: {matter.id or matter.name} to the column that carries it (with "
            "items, or an empty_note saying why there are none)")
