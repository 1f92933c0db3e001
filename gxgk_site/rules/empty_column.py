"""`empty-column`: a column with no public item and no ``empty_note`` saying why.

The national inspection (国办秘函〔2019〕19号) counts blank columns (空白栏目) against a site; a
column that truly has nothing must say so on its page. A column counts its child columns' items,
as its page lists them. A warning: add the column's items, or write in ``empty_note`` (site.yaml)
why there are none; the column page shows the note.
"""

from __future__ import annotations

from collections.abc import Iterator

from gxgk_site.config import CONFIG_FILE
from gxgk_site.findings import Finding, warning
from gxgk_site.model import Site
from gxgk_site.rules import rule
from gxgk_site.rules.stale_column import last_updates


@rule("empty-column", "a column without public items says why in empty_note")
def check(site: Site) -> Iterator[Finding]:
    updates = last_updates(site)
    for category in site.config.all_categories():
        if category.id in updates or category.empty_note:
            continue
        yield warning(
            "empty-column", CONFIG_FILE, category.line,
            f"column {category.name} ({category.id}) has no published public item, and a blank "
            "column fails the national inspection (空白栏目); publish its items, or add "
            "empty_note: saying why it is empty (the column page shows it)")
