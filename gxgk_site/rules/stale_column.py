"""`stale-column`: a column not updated within its ``update_every`` period (site.yaml).

The national inspection (国办秘函〔2019〕19号) fails a site whose columns are not updated: news
columns for 2 weeks, notices and policy columns for 6 months. A column's last update is the day
its newest public item (主动公开, not a draft) went public, counting the items of its child
columns too, as its page lists them (``build/public.py``). It is stale when today is past one
period after that day (on the last day it is still fresh). A warning, so that it never blocks
the item that brings the column up to date.

A column without any public item is ``empty-column``'s concern, not this rule's: it is reported
there once, or not at all when its ``empty_note`` says why it is empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gxgk_site.config import CONFIG_FILE, Category
from gxgk_site.findings import Finding, warning
from gxgk_site.model import Item, PublicationSource, Site
from gxgk_site.periods import add_period
from gxgk_site.rules import rule


@rule("stale-column", "every column is updated within its update_every period")
def check(site: Site) -> Iterator[Finding]:
    updates = last_updates(site)
    for category in site.config.all_categories():
        period = category.update_every
        last = updates.get(category.id)
        if period is None or last is None:
            continue
        due = add_period(last, period)
        if site.today > due:
            yield warning(
                "stale-column", CONFIG_FILE, category.line,
                f"column {category.name} ({category.id}) is stale: its newest public item went "
                f"public on {last.isoformat()}, and update_every: {period} "
                f"({period.describe()}) made the next update due by {due.isoformat()} "
                f"({(site.today - due).days} day(s) ago); publish an update, or change "
                "update_every if the column is rightly updated less often")


def last_updates(site: Site) -> dict[str, dt.date]:
    """Column id -> the day its newest public item went public, its descendants' included.

    A column with no public item that has gone public by today is absent.
    """
    lineage = _lineage(site.config.categories)
    newest: dict[str, dt.date] = {}
    for item in site.items:
        day = update_day(item, site.today)
        if day is None or item.category not in lineage:
            continue
        for column in lineage[item.category]:
            if column not in newest or day > newest[column]:
                newest[column] = day
    return newest


def update_day(item: Item, today: dt.date) -> dt.date | None:
    """The day a public item's current version went public (as its page shows it), or None for
    an item that is not public or not published by ``today``."""
    publication = item.publication
    if (not item.is_public or publication is None
            or publication.source is PublicationSource.PENDING):
        return None
    day = item.release_date or publication.date
    return day if day <= today else None


def _lineage(nodes: tuple[Category, ...]) -> dict[str, tuple[str, ...]]:
    """Column id -> its id and its ancestors' ids."""
    out: dict[str, tuple[str, ...]] = {}

    def walk(children: tuple[Category, ...], above: tuple[str, ...]) -> None:
        for node in children:
            out[node.id] = (node.id, *above)
            walk(node.children, (node.id, *above))

    walk(nodes, ())
    return out
