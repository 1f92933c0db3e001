"""What is due: 主动公开 items not yet published and open applications, most urgent first.

Used by `gxgk deadlines`.

- An item is listed when it is 主动公开 and not yet published: a draft (never on the site, whatever
  its dates), or an item whose publication is pending in the model (no ``published`` date and no
  commit on the current branch, or a ``changed`` date that no commit has published since). An item
  with a commit date but no ``published`` date is published on that day, as `gxgk check` judges
  it: it is not listed. Its deadline is its window's (windows.py: 20 working days after formed
  or changed, or its kind's, column's or 事项's). An item whose window counts from a date it
  lacks (``decided``, ``approved``, ``interprets``) is UNDATED; one waiting for its policy to be
  published is PAUSED. Both come last.
- An application is listed while it has no ``decided`` date. While a requested correction has
  not arrived its clock is paused: it has no deadline and comes last.

The ledger's personal data is not shown: an application is named by its id only.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from gxgk_site.config import TIER_NAMES
from gxgk_site.model import Attribute, Item, Site
from gxgk_site.report.ledger import Application
from gxgk_site.rules.signoff import missing_tiers
from gxgk_site.windows import POLICY, START_KEYS, Term, Windows

JSON_VERSION = 1
SECRECY_REVIEW = "保密审查"
OVERDUE, DUE, PAUSED, UNDATED = "overdue", "due", "paused", "undated"


@dataclass(frozen=True, slots=True)
class Due:
    kind: str  # "item" or "application"
    what: str  # the item's title, or the application's id
    path: str
    line: int | None
    since: dt.date | None  # the day the clock started (received while paused; None: no date)
    since_what: str  # formed | changed | decided | approved | policy | received | corrected
    deadline: dt.date | None  # None: paused (a correction, a policy) or undated
    working_days_left: int | None  # 0 on the day itself, negative when overdue
    index_no: str | None = None
    draft: bool = False
    missing: tuple[str, ...] = ()  # 初审 / 复审 / 终审 / 保密审查 still missing (items)
    correction_requested: dt.date | None = None  # paused applications
    term: Term | None = None  # an item's window, counted out

    @property
    def status(self) -> str:
        if self.working_days_left is None:
            return UNDATED if self.term is not None and self.term.missing else PAUSED
        return OVERDUE if self.working_days_left < 0 else DUE

    @property
    def sort_key(self) -> tuple[bool, dt.date, str, str, str]:
        return (self.deadline is None, self.deadline or dt.date.max, self.kind, self.path,
                self.what)


def _unpublished(item: Item) -> bool:
    if item.attribute is not Attribute.PROACTIVE:
        return False
    return item.draft or item.release_date is None


def _item_entry(site: Site, item: Item, windows: Windows) -> Due:
    term = windows.term(item)
    deadline = term.deadline
    missing = [TIER_NAMES[tier] for tier in missing_tiers(item)]
    if item.secrecy_review is None or not item.secrecy_review.complete:
        missing.append(SECRECY_REVIEW)
    key = term.start_what if term.start_what != POLICY else "interprets"
    return Due("item", item.title, item.path, item.line_of(key) or item.line_of("title"),
               term.start, term.start_what, deadline,
               None if deadline is None else site.calendar.count(site.today, deadline),
               index_no=item.index_no, draft=item.draft, missing=tuple(missing), term=term)


def _application_entry(site: Site, application: Application) -> Due:
    deadline = application.deadline(site.calendar, site.config.rules)
    corrected = application.correction_received is not None
    return Due("application", application.id, application.path, application.line,
               application.correction_received if corrected else application.received,
               "corrected" if corrected else "received", deadline,
               None if deadline is None else site.calendar.count(site.today, deadline),
               correction_requested=application.correction_requested)


def due_list(site: Site) -> list[Due]:
    """Every entry, most urgent first: overdue, then by deadline; paused applications last."""
    entries = [_application_entry(site, a) for a in site.applications if a.decided is None]
    windows = Windows(site)
    entries += [_item_entry(site, item, windows) for item in site.items if _unpublished(item)]
    return sorted(entries, key=lambda entry: entry.sort_key)


def _when(entry: Due) -> str:
    left = entry.working_days_left
    if entry.deadline is None or left is None:
        return entry.status.upper()
    if left < 0:
        return f"OVERDUE by {-left} working day(s), due {entry.deadline}"
    if left == 0:
        return f"due TODAY, {entry.deadline}"
    return f"due {entry.deadline}, {left} working day(s) left"


def _details(entry: Due) -> str:
    if entry.kind == "application":
        if entry.deadline is None:
            return (f"received {entry.since}; waiting for the applicant's correction "
                    f"(asked for on {entry.correction_requested})")
        return f"{entry.since_what} {entry.since}"
    parts = [_item_window(entry.term)] if entry.term is not None else []
    if entry.missing:
        parts.append(f"missing {', '.join(entry.missing)}")
    return "; ".join(parts)


def _item_window(term: Term) -> str:
    """'formed 2025-03-03' under the default window, else the window in full."""
    if term.missing:
        key = START_KEYS[term.window.start][0]
        return f"its window is {term.rule_of_thumb()}: add {key}"
    if term.waiting_for is not None:
        return (f"waiting for its policy {term.waiting_for.path} to be published, then "
                f"{term.rule_of_thumb()}")
    if term.unresolved is not None:
        return f"interprets {term.unresolved}, which no item has (see gxgk check)"
    return term.why() if term.chosen.label else term.since()


def _window_json(term: Term | None) -> dict[str, object] | None:
    if term is None:
        return None
    window = term.window
    return {"days": window.days, "unit": window.unit, "from": window.start,
            "named": term.chosen.label}


def entry_line(entry: Due) -> str:
    label = "application" if entry.kind == "application" else "item"
    draft = " [DRAFT]" if entry.draft else ""
    where = f"{entry.path}:{entry.line}" if entry.line else entry.path
    return f"{_when(entry)}: {label} {entry.what}{draft} ({_details(entry)}) {where}"


def _counts(entries: list[Due]) -> dict[str, int]:
    return {
        "total": len(entries),
        OVERDUE: sum(1 for e in entries if e.status == OVERDUE),
        PAUSED: sum(1 for e in entries if e.status == PAUSED),
        UNDATED: sum(1 for e in entries if e.status == UNDATED),
        "items": sum(1 for e in entries if e.kind == "item"),
        "drafts": sum(1 for e in entries if e.draft),
        "applications": sum(1 for e in entries if e.kind == "application"),
    }


def to_text(entries: list[Due], today: dt.date) -> str:
    if not entries:
        return f"nothing due as of {today}\n"
    counts = _counts(entries)
    lines = [entry_line(entry) for entry in entries]
    undated = f", {counts[UNDATED]} undated" if counts[UNDATED] else ""
    lines.append(f"{counts['total']} due as of {today}: {counts[OVERDUE]} overdue, "
                 f"{counts[PAUSED]} paused{undated}; {counts['items']} item(s) "
                 f"({counts['drafts']} draft(s)), {counts['applications']} application(s)")
    return "\n".join(lines) + "\n"


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def entry_json(entry: Due) -> dict[str, object]:
    return {
        "kind": entry.kind,
        "what": entry.what,
        "index_no": entry.index_no,
        "path": entry.path,
        "line": entry.line,
        "draft": entry.draft,
        "status": entry.status,
        "since": _iso(entry.since),
        "since_what": entry.since_what,
        "deadline": _iso(entry.deadline),
        "working_days_left": entry.working_days_left,
        "missing": list(entry.missing),
        "correction_requested": _iso(entry.correction_requested),
        "window": _window_json(entry.term),
    }


def to_json(entries: list[Due], today: dt.date) -> str:
    document = {"version": JSON_VERSION, "today": today.isoformat(),
                "summary": _counts(entries), "due": [entry_json(e) for e in entries]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
