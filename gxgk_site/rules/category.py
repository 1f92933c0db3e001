"""`category`: an item's category is one that site.yaml defines."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from gxgk_site.findings import Finding, error, quoted
from gxgk_site.model import Site
from gxgk_site.rules import rule


@rule("category", "the category id is defined in site.yaml")
def check(site: Site) -> Iterator[Finding]:
    categories = site.config.all_categories()
    ids = [category.id for category in categories]
    by_name = {category.name: category.id for category in categories}
    known = set(ids)
    for item in site.items:
        if item.category in known:
            continue
        if item.category in by_name:
            hint = f"; the column {item.category} has the id {by_name[item.category]!r}"
        else:
            near = difflib.get_close_matches(item.category, ids, n=1, cutoff=0.5)
            hint = f"; did you mean {near[0]!r}?" if near else ""
        yield error("category", item.path, item.line_of("category"),
                    f"category {quoted(item.category)} is not defined in site.yaml{hint} "
                    f"(defined: {', '.join(ids)})")
