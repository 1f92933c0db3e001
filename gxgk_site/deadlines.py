"""What is due: 主动公开 items not yet published and open applications, most urgent first.

Used by `gxgk deadlines`.

- An item is listed when it is 主动公开 and not yet published: a draft (never on the site, whatever
  its dates), or an item whose publication is pending in the model (no ``published`` date and no
  commit on the current branch, or a ``changed`` date that no commit has published since). An item
  with a commit date but no ``published`` date is published on that day, as `gxgk check` judges
  it: it is not listed. Its deadline is the window's (20 working days after formed or changed).
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
from gxgk_site.rules.window import deadline_of

JSON_VERSION = 1
SECRECY_REVIEW = "保密审查"
OVERDUE, DUE, PAUSED = "overdue", "due", "paused"


@dataclass(frozen=True, slots=True)
class Due:
    kind: str  # "item" or "application"
    what: str  # the item's title, or the application's id
    path: str
    line: int | None
    since: dt.date  # the day the clock started, or received while it is paused
    since_what: str  # formed | changed | received | corrected
    deadline: dt.date | None  # None: paused, waiting for the applicant's correction
    working_days_left: int | None  # 0 on the day itself, negative when overdue
    index_no: str | None = None
    draft: bool = False
    missing: tuple[str, ...] = ()  # 初审 / 复审 / 终审 / 保密审查 still missing (items)
    correction_requested: dt.date | None = None  # paused applications

    @property
    def status(self) -> str:
        if self.working_days_left is None:
            return PAUSED
        return OVERDUE if self.working_days_left < 0 else DUE

    @property
    def sort_key(self) -> tuple[bool, dt.date, str, str, str]:
        return (self.deadline is None, self.deadline or dt.date.max, self.kind, self.path,
                self.what)


def _unpublished(item: Item) -> bool:
    if item.attribute is not Attribute.PROACTIVE:
        return False
    return item.draft or item.release_date is None


def _item_entry(site: Site, item: Item) -> Due:
    deadline = deadline_of(site, item)
    missing = [TIER_NAMES[tier] for tier in missing_tiers(item)]
    if item.secrecy_review is None or not item.secrecy_review.complete:
        missing.append(SECRECY_REVIEW)
    changed = item.window_start != item.formed
    return Due("item", item.title, item.path,
               item.line_of("changed" if changed else "formed") or item.line_of("title"),
               item.window_start, "changed" if changed else "formed", deadline,
               site.calendar.count(site.today, deadline), index_no=item.index_no,
               draft=item.draft, missing=tuple(missing))


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
    entries += [_item_entry(site, item) for item in site.items if _unpublished(item)]
    return sorted(entries, key=lambda entry: entry.sort_key)


def _when(entry: Due) -> str:
    left = entry.working_days_left
    if entry.deadline is None or left is None:
        return "PAUSED"
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
    parts = [f"{entry.since_what} {entry.since}"]
    if entry.missing:
        parts.append(f"missing {', '.join(entry.missing)}")
    return "; ".join(parts)


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
        "items": sum(1 for e in entries if e.kind == "item"),
        "drafts": sum(1 for e in entries if e.draft),
        "applications": sum(1 for e in entries if e.kind == "application"),
    }


def to_text(entries: list[Due], today: dt.date) -> str:
    if not entries:
        return f"nothing due as of {today}\n"
    counts = _counts(entries)
    lines = [entry_line(entry) for entry in entries]
    lines.append(f"{counts['total']} due as of {today}: {counts[OVERDUE]} overdue, "
                 f"{counts[PAUSED]} paused; {counts['items']} item(s) ({counts['drafts']} "
                 f"draft(s)), {counts['applications']} application(s)")
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
        "since": entry.since.isoformat(),
        "since_what": entry.since_what,
        "deadline": _iso(entry.deadline),
        "working_days_left": entry.working_days_left,
        "missing": list(entry.missing),
        "correction_requested": _iso(entry.correction_requested),
    }


def to_json(entries: list[Due], today: dt.date) -> str:
    document = {"version": JSON_VERSION, "today": today.isoformat(),
                "summary": _counts(entries), "due": [entry_json(e) for e in entries]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
