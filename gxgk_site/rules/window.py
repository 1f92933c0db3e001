"""`window`: a 主动公开 item goes public within 20 working days of being formed or changed.

条例第二十六条. The start day is not counted; publishing on the 20th working day is on time. An
item with ``delay_reason`` that is late is a warning instead of an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gxgk_site.findings import Finding, error, warning
from gxgk_site.model import Attribute, Item, PublicationSource, Site
from gxgk_site.rules import rule


def deadline_of(site: Site, item: Item) -> dt.date:
    return site.calendar.add(item.window_start, site.config.rules.window_working_days)


def _start_words(item: Item) -> str:
    if item.window_start == item.formed:
        return f"formed {item.formed}"
    return f"changed {item.window_start}"


@rule("window", "主动公开 within the working-day window after formation or change")
def check(site: Site) -> Iterator[Finding]:
    today = site.today
    days = site.config.rules.window_working_days
    uses_git_dates = False
    for item in site.items:
        for key in ("formed", "changed"):
            day = getattr(item, key)
            if day is not None and day > today:
                yield error("window", item.path, item.line_of(key),
                            f"{key} {day} is after today ({today}); check the date")
        if item.attribute is not Attribute.PROACTIVE:
            continue
        if item.published is not None and item.published < item.formed:
            yield error("window", item.path, item.line_of("published"),
                        f"published {item.published} is before formed {item.formed}; "
                        "a document cannot go public before it exists")
            continue
        assert item.publication is not None
        uses_git_dates |= item.publication.source is PublicationSource.GIT
        deadline = deadline_of(site, item)
        release = item.release_date
        why = f"{days} working days after {_start_words(item)}"
        if release is None:
            yield from _pending(site, item, deadline, why)
            continue
        if release <= deadline:
            continue
        late_by = site.calendar.count(deadline, release)
        line = item.line_of("published") or item.line_of("changed") or item.line_of("formed")
        source = "" if item.publication.source is PublicationSource.FRONT_MATTER else " (Git)"
        yield _late(item, line, f"published {release}{source}, {late_by} working day(s) after "
                    f"the deadline {deadline} ({why})", "publish on time")
    if uses_git_dates and site.shallow_git:
        yield warning("window", "site.yaml", None,
                      "the Git history is shallow, so publication dates taken from first "
                      "commits may be wrong; fetch the whole history (e.g. fetch-depth: 0)")


def _late(item: Item, line: int | None, message: str, fix: str) -> Finding:
    """Lateness is an error, or a warning when the item records why (delay_reason)."""
    if item.delay_reason:
        return warning("window", item.path, line, f"{message}; delay_reason: {item.delay_reason}")
    return error("window", item.path, line, f"{message}; {fix}, or record why in delay_reason")


def _pending(site: Site, item: Item, deadline: dt.date, why: str) -> Iterator[Finding]:
    today = site.today
    line = item.line_of("changed") if item.window_start != item.formed else item.line_of("formed")
    if today > deadline:
        overdue = site.calendar.count(deadline, today)
        yield _late(item, line, f"not published yet, and the deadline {deadline} ({why}) "
                    f"passed {overdue} working day(s) ago", "publish it now")
        return
    left = site.calendar.count(today, deadline)
    if left <= site.config.rules.due_warning_days:
        yield warning("window", item.path, line,
                      f"not published yet; due by {deadline} ({why}), {left} working day(s) left")
