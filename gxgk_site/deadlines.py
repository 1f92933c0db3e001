"""What is due: open applications (and 主动公开 items not yet published), most urgent first.

Used by `gxgk deadlines`. The ledger's personal data is not shown: an application is named by its
id, the day it was received and its deadline.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from gxgk_site.model import Attribute, Site
from gxgk_site.rules.signoff import missing_tiers
from gxgk_site.rules.window import deadline_of


@dataclass(frozen=True, slots=True)
class Due:
    kind: str  # "application" or "item"
    what: str  # application id, or item title
    path: str
    line: int | None
    since: dt.date  # received / formed or changed
    deadline: dt.date | None  # None: waiting for the applicant's correction
    working_days_left: int | None  # negative when overdue
    missing: tuple[str, ...] = ()  # sign-off tiers / secrecy review still missing (items)


def due_list(site: Site) -> list[Due]:
    calendar, rules, today = site.calendar, site.config.rules, site.today
    entries: list[Due] = []
    for application in site.applications:
        if application.decided is not None:
            continue
        deadline = application.deadline(calendar, rules)
        entries.append(Due(
            "application", application.id, application.path, application.line,
            application.received, deadline,
            calendar.count(today, deadline) if deadline is not None else None,
            () if deadline is not None else ("等待补正",)))
    for item in site.items:
        if item.attribute is not Attribute.PROACTIVE or item.release_date is not None:
            continue
        deadline = deadline_of(site, item)
        missing = [f"{tier} sign-off" for tier in missing_tiers(item)]
        if item.secrecy_review is None or not item.secrecy_review.complete:
            missing.append("secrecy review")
        entries.append(Due("item", item.title, item.path, item.line_of("formed"),
                           item.window_start, deadline, calendar.count(today, deadline),
                           tuple(missing)))
    return sorted(entries, key=lambda e: (e.deadline is None, e.deadline or dt.date.max,
                                          e.kind, e.path, e.what))


def to_text(entries: list[Due], today: dt.date) -> str:
    if not entries:
        return f"nothing due on {today}\n"
    lines = []
    for entry in entries:
        if entry.deadline is None:
            when = "clock stopped (waiting for the applicant's correction)"
        elif entry.working_days_left is not None and entry.working_days_left < 0:
            when = f"due {entry.deadline}, OVERDUE by {-entry.working_days_left} working day(s)"
        else:
            when = f"due {entry.deadline}, {entry.working_days_left} working day(s) left"
        extra = f"; missing: {', '.join(entry.missing)}" if entry.missing else ""
        lines.append(f"{entry.path}:{entry.line or ''}: {entry.kind} {entry.what} "
                     f"(since {entry.since}): {when}{extra}")
    lines.append(f"{len(entries)} due as of {today}")
    return "\n".join(lines) + "\n"


def to_json(entries: list[Due], today: dt.date) -> str:
    return json.dumps({"today": today.isoformat(), "due": [
        {"kind": e.kind, "what": e.what, "path": e.path, "line": e.line,
         "since": e.since.isoformat(),
         "deadline": e.deadline.isoformat() if e.deadline else None,
         "working_days_left": e.working_days_left, "missing": list(e.missing)}
        for e in entries]}, ensure_ascii=False, indent=2) + "\n"
