"""`window`: a 主动公开 item goes public within its window.

The window is 条例第二十六条's 20 working days after the item was formed or changed, unless a
more specific one applies (a kind's, a column's or a 公开事项's: see windows.py), e.g. 7 working
days after ``decided`` for 行政处罚. The start day is not counted; publishing on the last day is on
time. An item with ``delay_reason`` that is late is a warning instead of an error. An item whose
window counts from a date it does not give (``from: decided`` and no ``decided:``) is told which
key to add.
"""

from __future__ import annotations

from collections.abc import Iterator

from gxgk_site.config import CONFIG_FILE
from gxgk_site.findings import Finding, error, quoted, warning
from gxgk_site.model import STANDARD_KINDS, Attribute, Item, PublicationSource, Site
from gxgk_site.rules import rule
from gxgk_site.windows import START_KEYS, Term, Windows, late_by

# what the rule compares with today, and with a publication date
_DATE_KEYS = ("formed", "changed", "decided", "approved")
_MADE_BEFORE_PUBLISHED = {"formed": "a document cannot go public before it exists",
                          "decided": "a decision is published after it is made",
                          "approved": "a budget is published after it is approved"}


@rule("window", "主动公开 within the item's window (20 working days after formation or change, "
      "or its kind's, column's or 事项's)")
def check(site: Site) -> Iterator[Finding]:
    windows = Windows(site)
    uses_git_dates = False
    for item in site.items:
        yield from _future_dates(site, item)
        if item.attribute is not Attribute.PROACTIVE:
            continue
        backwards = list(_published_before(item))
        if backwards:
            yield from backwards
            continue
        assert item.publication is not None
        uses_git_dates |= item.publication.source is PublicationSource.GIT
        yield from _timing(site, item, windows.term(item))
    yield from _unknown_window_names(site)
    if uses_git_dates and site.shallow_git:
        yield warning("window", "site.yaml", None,
                      "the Git history is shallow, so publication dates taken from first "
                      "commits may be wrong; fetch the whole history (e.g. fetch-depth: 0)")


def _future_dates(site: Site, item: Item) -> Iterator[Finding]:
    for key in _DATE_KEYS:
        day = getattr(item, key)
        if day is not None and day > site.today:
            yield error("window", item.path, item.line_of(key),
                        f"{key} {day} is after today ({site.today}); check the date")


def _published_before(item: Item) -> Iterator[Finding]:
    """A publication date before the document was formed, decided or approved."""
    if item.published is None:
        return
    for key, why in _MADE_BEFORE_PUBLISHED.items():
        day = getattr(item, key)
        if day is not None and item.published < day:
            yield error("window", item.path, item.line_of("published"),
                        f"published {item.published} is before {key} {day}; {why}")


def _timing(site: Site, item: Item, term: Term) -> Iterator[Finding]:
    if term.missing is not None:
        yield _missing_start(item, term)
        return
    if term.deadline is None:  # its policy is not published yet, or interprets names none
        return
    release = item.release_date
    if release is None:
        yield from _pending(site, item, term)
        return
    if release <= term.deadline:
        return
    assert item.publication is not None
    line = item.line_of("published") or _start_line(item, term)
    source = "" if item.publication.source is PublicationSource.FRONT_MATTER else " (Git)"
    yield _late(item, line, f"published {release}{source}, "
                f"{late_by(site, term.window, term.deadline, release)} after the deadline "
                f"{term.deadline} ({term.why()})", "publish on time")


def _missing_start(item: Item, term: Term) -> Finding:
    key, meaning = START_KEYS[term.window.start]
    line = item.line_of(term.chosen.key) if term.chosen.key else None
    return error("window", item.path, line or item.line_of("title"),
                 f"its window is {term.rule_of_thumb()}, but it has no {key}; add {key}: "
                 f"({meaning}){' YYYY-MM-DD' if key != 'interprets' else ''} so that its "
                 "deadline can be counted")


def _start_line(item: Item, term: Term) -> int | None:
    """The line of the date the window counts from (formed for a policy's interpretation)."""
    key = term.start_what if term.start_what in _DATE_KEYS else "interprets"
    return item.line_of(key) or item.line_of("formed")


def _late(item: Item, line: int | None, message: str, fix: str) -> Finding:
    """Lateness is an error, or a warning when the item records why (delay_reason)."""
    if item.delay_reason:
        return warning("window", item.path, line, f"{message}; delay_reason: {item.delay_reason}")
    return error("window", item.path, line, f"{message}; {fix}, or record why in delay_reason")


def _pending(site: Site, item: Item, term: Term) -> Iterator[Finding]:
    today = site.today
    deadline = term.deadline
    assert deadline is not None
    line = _start_line(item, term)
    if today > deadline:
        yield _late(item, line, f"not published yet, and the deadline {deadline} "
                    f"({term.why()}) passed {late_by(site, term.window, deadline, today)} ago",
                    "publish it now")
        return
    left = site.calendar.count(today, deadline)
    if left <= site.config.rules.due_warning_days:
        yield warning("window", item.path, line,
                      f"not published yet; due by {deadline} ({term.why()}), {left} working "
                      "day(s) left")


def _unknown_window_names(site: Site) -> Iterator[Finding]:
    """A rules.windows name that is neither a column nor a kind in use: most likely a typo,
    and the window it meant applies to nothing."""
    known = ({category.id for category in site.config.all_categories()}
             | {item.kind for item in site.items if item.kind} | set(STANDARD_KINDS))
    for name, window in site.config.rules.windows.items():
        if name not in known:
            yield warning("window", CONFIG_FILE, window.line,
                          f"rules.windows names {quoted(name)}, which is neither a category id "
                          "of site.yaml nor a kind any item has, so its window applies to "
                          "nothing; check the spelling")
